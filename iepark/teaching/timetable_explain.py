"""
Explain a stored timetable in the park's words: the soft penalties of each lecture, the hard
constraints it breaks, and why a manual move would be refused.

``explain_run(run)`` builds the engine's instance of the run's term and scope
(``timetable_adapter.build_instance``), reads the run's entries as the engine's solution and
wraps ``engines.timetabling.explain.TimetableExplainer``; the texts name courses, cohorts,
teachers and rooms. It runs a fixed number of queries whatever the size of the timetable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from engines.timetabling import explain as engine_explain
from engines.timetabling.explain import Penalty, Refusal, TimetableExplainer

from .models import Cohort, Room, TeacherUnavailability, TimetableEntry, TimetableRun
from .timetable_adapter import TermInstance, build_instance, rows_solution


@dataclass
class LectureNote:
    """What the page shows for one lecture: its penalties (texts and total) and hard problems."""

    cost: int = 0
    penalties: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class RunExplanation:
    run: TimetableRun
    built: TermInstance
    entries: list[TimetableEntry]
    explainer: TimetableExplainer
    index: dict[int, int]
    cohorts: dict[int, Cohort]
    teachers_away: dict[tuple[int, int], list[Any]]  # (day, period 1-based) → teachers unavailable then

    # --- names -----------------------------------------------------------------------------
    def _course(self, name: str) -> str:
        course = self.built.courses.get(name)
        return str(course) if course else name

    def _room(self, name: str) -> str:
        room = self.built.rooms.get(name)
        return str(room) if room else name

    def _curriculum(self, name: str) -> str:
        if name.startswith("Q") and name[1:].isdigit() and int(name[1:]) in self.cohorts:
            return str(self.cohorts[int(name[1:])])
        return name

    def _teacher(self, key: str) -> str:
        """Return the name of the teacher of engine key ``T<pk>`` ("" when unknown)."""
        for course in self.built.courses.values():
            for teacher in course.teachers.all():
                if f"T{teacher.pk}" == key:
                    return str(teacher)
        return ""

    def _teachers_of(self, name: str) -> set:
        course = self.built.courses.get(name)
        return set(course.teachers.all()) if course else set()

    # --- texts -----------------------------------------------------------------------------
    def penalty_text(self, penalty: Penalty) -> str:
        d, cost = penalty.detail, penalty.cost
        if penalty.kind == engine_explain.ROOM_CAPACITY:
            return _("%(students)s students in a room of %(capacity)s seats: +%(cost)s") % {
                "students": d["students"],
                "capacity": d["capacity"],
                "cost": cost,
            }
        if penalty.kind == engine_explain.MIN_WORKING_DAYS:
            return _("The course is spread over %(days)s days but needs %(min_days)s: +%(cost)s") % {
                "days": d["days"],
                "min_days": d["min_days"],
                "cost": cost,
            }
        if penalty.kind == engine_explain.ISOLATED:
            curriculum = str(d["curriculum"])
            if curriculum.startswith("T"):
                return _("No other lecture of the same teacher next to it that day: +%(cost)s") % {"cost": cost}
            return _("No other lecture of %(cohort)s next to it that day: +%(cost)s") % {
                "cohort": self._curriculum(curriculum),
                "cost": cost,
            }
        return _("In %(room)s rather than the course's usual room %(usual)s: +%(cost)s") % {
            "room": self._room(str(d["room"])),
            "usual": self._room(str(d["usual_room"])),
            "cost": cost,
        }

    def refusal_text(self, refusal: Refusal, course_name: str, day: int, period: int) -> str:
        """``day`` is 0-based, ``period`` 1-based (as stored)."""
        kind = refusal.kind
        if kind == engine_explain.OUT_OF_RANGE:
            return _("That time is outside the term's teaching week.")
        if kind == engine_explain.UNKNOWN_ROOM:
            return _("That room is not an active room of the park.")
        if kind == engine_explain.SAME_COURSE:
            return _("%(course)s already has a lecture at that time.") % {"course": self._course(refusal.course)}
        if kind == engine_explain.ROOM_TAKEN:
            return _("%(room)s is taken by %(course)s at that time.") % {
                "room": self._room(refusal.room),
                "course": self._course(refusal.course),
            }
        if kind == engine_explain.CURRICULUM_CLASH:
            if refusal.curriculum.startswith("T"):
                return _("%(teacher)s teaches %(course)s at that time.") % {
                    "teacher": self._teacher(refusal.curriculum) or _("A teacher of this course"),
                    "course": self._course(refusal.course),
                }
            return _("%(cohort)s has %(course)s at that time.") % {
                "cohort": self._curriculum(refusal.curriculum),
                "course": self._course(refusal.course),
            }
        if kind == engine_explain.TEACHER_CLASH:
            shared = self._teachers_of(course_name) & self._teachers_of(refusal.course)
            return _("%(teacher)s teaches %(course)s at that time.") % {
                "teacher": ", ".join(sorted(str(t) for t in shared)) or _("The teacher"),
                "course": self._course(refusal.course),
            }
        if kind in (engine_explain.COURSE_UNAVAILABLE, engine_explain.TEACHER_UNAVAILABLE):
            away = [t for t in self.teachers_away.get((day, period), []) if t in self._teachers_of(course_name)]
            return _("%(teacher)s is not available at that time.") % {
                "teacher": ", ".join(sorted(str(t) for t in away)) or _("A teacher of this course")
            }
        if kind == engine_explain.ROOM_UNAVAILABLE:
            return _("%(room)s is not available at that time.") % {"room": self._room(refusal.room)}
        course = self.built.courses.get(course_name)
        room = self.built.rooms.get(refusal.room)
        needs = []
        if course is not None and course.required_room_kind:
            needs.append(course.get_required_room_kind_display())
        if course is not None:
            needs += [str(f) for f in course.required_features.all()]
        return _("%(room)s does not suit %(course)s, which needs: %(needs)s.") % {
            "room": room or refusal.room,
            "course": self._course(course_name),
            "needs": ", ".join(needs),
        }

    # --- per lecture -------------------------------------------------------------------------
    def notes(self) -> dict[int, LectureNote]:
        """Return the note of each entry (by entry pk)."""
        penalties = self.explainer.penalties()
        notes = {}
        for entry in self.entries:
            i = self.index.get(entry.pk)
            note = LectureNote()
            if i is not None:
                note.cost = sum(p.cost for p in penalties[i])
                note.penalties = [self.penalty_text(p) for p in penalties[i]]
                name = f"C{entry.course_id}"
                note.problems = [
                    self.refusal_text(r, name, entry.day_of_week, entry.period) for r in self.explainer.problems(i)
                ]
            notes[entry.pk] = note
        return notes

    def check_move(self, entry: TimetableEntry, day: int, period: int, room: Room) -> tuple[list[str], int | None]:
        """Return the refusals (texts) of moving ``entry`` to ``room`` at ``day``, ``period`` (1-based), and the soft cost change."""
        i = self.index.get(entry.pk)
        if i is None:
            return [_("This lecture's course or room is no longer part of the term's timetabling.")], None
        name, room_name = f"C{entry.course_id}", f"R{room.pk}"
        refusals = self.explainer.refusals(i, day, period - 1, room_name)
        texts = [self.refusal_text(r, name, day, period) for r in refusals]
        if texts:
            return texts, None
        return [], self.explainer.soft_delta(i, day, period - 1, room_name)


def explain_run(run: TimetableRun, entries: list[TimetableEntry] | None = None) -> RunExplanation:
    """Return the explanation of ``run`` (``entries``: the run's entries, when already loaded)."""
    term = run.term
    built = build_instance(term, run.colleges.all())
    if entries is None:
        entries = list(
            TimetableEntry.objects.filter(run=run)
            .select_related("course", "room")
            .order_by("day_of_week", "period", "pk")
        )
    known = [e for e in entries if f"C{e.course_id}" in built.courses and f"R{e.room_id}" in built.rooms]
    solution = rows_solution((e.course_id, e.room_id, e.day_of_week, e.period) for e in known)
    cohorts = {c.pk: c for course in built.courses.values() for c in course.cohorts.all()}
    away: dict[tuple[int, int], list[Any]] = {}
    for row in TeacherUnavailability.objects.filter(term=term).select_related("teacher__person"):
        for period in range(row.first_period, row.last_period + 1):
            away.setdefault((row.day_of_week, period), []).append(row.teacher)
    return RunExplanation(
        run=run,
        built=built,
        entries=entries,
        explainer=TimetableExplainer(built.instance, solution),
        index={e.pk: i for i, e in enumerate(known)},
        cohorts=cohorts,
        teachers_away=away,
    )
