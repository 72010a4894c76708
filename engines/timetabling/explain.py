"""Explain a timetable lecture by lecture, and check a manual move before it is made.

``TimetableExplainer(instance, solution)`` answers, for the lectures of a solution (in the
order of ``solution.assignments``):

- ``penalties()``: the soft-constraint penalties charged to each lecture. Their sum over all
  lectures is the solution's soft cost: room capacity and isolated lectures are charged to the
  lecture itself; a course's missing working days to its first lecture; a course's room
  instability (one point per room beyond the first) to the first lecture in each further room.
  A course with no lecture placed (a hard violation) has nothing to charge its missing days to.
- ``refusals(index, day, period, room)``: why moving one lecture there would break a hard
  constraint (room taken, curriculum or teacher clash, unavailability, unsuitable room); empty
  when the move is allowed. ``problems(index)`` asks the same of the lecture where it stands.
- ``soft_delta(index, day, period, room)``: how the soft cost would change.

The explainer assumes every assignment names a known course and room and an in-range slot
(a timetable the platform stored); ``score`` remains the reference for arbitrary files.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from engines.timetabling.model import (
    ISOLATED_LECTURES_WEIGHT,
    MIN_WORKING_DAYS_WEIGHT,
    ROOM_CAPACITY_WEIGHT,
    ROOM_STABILITY_WEIGHT,
    Instance,
    Solution,
    room_suits,
)
from engines.timetabling.score import conflicting_courses

# Kinds of soft penalty.
ROOM_CAPACITY = "room_capacity"
MIN_WORKING_DAYS = "min_working_days"
ISOLATED = "isolated"
ROOM_STABILITY = "room_stability"

# Kinds of hard refusal.
OUT_OF_RANGE = "out_of_range"
UNKNOWN_ROOM = "unknown_room"
SAME_COURSE = "same_course"
ROOM_TAKEN = "room_taken"
CURRICULUM_CLASH = "curriculum_clash"
TEACHER_CLASH = "teacher_clash"
COURSE_UNAVAILABLE = "course_unavailable"
TEACHER_UNAVAILABLE = "teacher_unavailable"
ROOM_UNAVAILABLE = "room_unavailable"
ROOM_UNSUITABLE = "room_unsuitable"


@dataclass(frozen=True)
class Penalty:
    """A soft penalty of ``cost`` charged to one lecture; ``detail`` holds the figures behind it."""

    kind: str
    cost: int
    detail: dict[str, object] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Refusal:
    """One hard constraint a lecture would break; ``course``/``curriculum``/``room`` name the other party."""

    kind: str
    course: str = ""
    curriculum: str = ""
    room: str = ""


class TimetableExplainer:
    """Per-lecture penalties and move checks of one solution of one instance."""

    def __init__(self, instance: Instance, solution: Solution) -> None:
        self.instance = instance
        self.solution = solution
        ppd = instance.periods_per_day
        self.course_of = [instance.course_index[a.course] for a in solution.assignments]
        self.room_of = [instance.room_index[a.room] for a in solution.assignments]
        self.slot_of = [a.day * ppd + a.period for a in solution.assignments]
        self.neighbours = conflicting_courses(instance)
        self.curricula_of: list[list[int]] = [[] for _ in instance.courses]
        self.members: list[set[int]] = []
        for q, curriculum in enumerate(instance.curricula):
            members = {instance.course_index[name] for name in curriculum.courses}
            self.members.append(members)
            for c in members:
                self.curricula_of[c].append(q)
        self.at_slot: dict[int, list[int]] = {}
        self.lectures_of: list[list[int]] = [[] for _ in instance.courses]
        for i, (c, s) in enumerate(zip(self.course_of, self.slot_of, strict=True)):
            self.at_slot.setdefault(s, []).append(i)
            self.lectures_of[c].append(i)

    # --- soft penalties ------------------------------------------------------------------------
    def _curriculum_busy(self, q: int, moved: tuple[int, int] | None = None) -> Counter:
        """Return the number of lectures of curriculum ``q`` per slot (``moved`` = (lecture, new slot))."""
        busy: Counter = Counter()
        for c in self.members[q]:
            for i in self.lectures_of[c]:
                slot = moved[1] if moved and moved[0] == i else self.slot_of[i]
                busy[slot] += 1
        return busy

    def _isolated(self, slot: int, busy: Counter) -> bool:
        ppd = self.instance.periods_per_day
        before = slot % ppd > 0 and busy.get(slot - 1, 0) > 0
        after = slot % ppd < ppd - 1 and busy.get(slot + 1, 0) > 0
        return not before and not after

    def _course_soft(self, c: int, placements: list[tuple[int, int]]) -> int:
        """Capacity, working-days and stability cost of course ``c`` placed at ``(slot, room)`` pairs."""
        course = self.instance.courses[c]
        rooms = self.instance.rooms
        ppd = self.instance.periods_per_day
        cost = sum(max(0, course.students - rooms[r].capacity) for _, r in placements) * ROOM_CAPACITY_WEIGHT
        days = len({s // ppd for s, _ in placements})
        cost += max(0, course.min_working_days - days) * MIN_WORKING_DAYS_WEIGHT
        cost += max(0, len({r for _, r in placements}) - 1) * ROOM_STABILITY_WEIGHT
        return cost

    def penalties(self) -> list[list[Penalty]]:
        """Return the soft penalties charged to each lecture (see the module's description)."""
        instance = self.instance
        ppd = instance.periods_per_day
        result: list[list[Penalty]] = [[] for _ in self.course_of]
        for c, lectures in enumerate(self.lectures_of):
            if not lectures:
                continue
            course = instance.courses[c]
            for i in lectures:
                room = instance.rooms[self.room_of[i]]
                if course.students > room.capacity:
                    result[i].append(
                        Penalty(
                            ROOM_CAPACITY,
                            (course.students - room.capacity) * ROOM_CAPACITY_WEIGHT,
                            {"students": course.students, "capacity": room.capacity, "room": room.name},
                        )
                    )
            days = len({self.slot_of[i] // ppd for i in lectures})
            if days < course.min_working_days:
                result[lectures[0]].append(
                    Penalty(
                        MIN_WORKING_DAYS,
                        (course.min_working_days - days) * MIN_WORKING_DAYS_WEIGHT,
                        {"days": days, "min_days": course.min_working_days},
                    )
                )
            counts = Counter(self.room_of[i] for i in lectures)
            if len(counts) > 1:
                main = counts.most_common(1)[0][0]  # the most used room; the first used on a tie
                seen = {main}
                for i in lectures:
                    r = self.room_of[i]
                    if r not in seen:
                        seen.add(r)
                        result[i].append(
                            Penalty(
                                ROOM_STABILITY,
                                ROOM_STABILITY_WEIGHT,
                                {
                                    "rooms": len(counts),
                                    "room": instance.rooms[r].name,
                                    "usual_room": instance.rooms[main].name,
                                },
                            )
                        )
        for q, curriculum in enumerate(instance.curricula):
            busy = self._curriculum_busy(q)
            for c in self.members[q]:
                for i in self.lectures_of[c]:
                    if self._isolated(self.slot_of[i], busy):
                        result[i].append(Penalty(ISOLATED, ISOLATED_LECTURES_WEIGHT, {"curriculum": curriculum.name}))
        return result

    def soft_delta(self, index: int, day: int, period: int, room: str) -> int:
        """Return the change of the soft cost if lecture ``index`` moved to ``room`` at ``day``, ``period``."""
        instance = self.instance
        new_slot = day * instance.periods_per_day + period
        new_room = instance.room_index[room]
        c = self.course_of[index]
        before = [(self.slot_of[i], self.room_of[i]) for i in self.lectures_of[c]]
        after = [
            (new_slot, new_room) if i == index else (self.slot_of[i], self.room_of[i]) for i in self.lectures_of[c]
        ]
        delta = self._course_soft(c, after) - self._course_soft(c, before)
        for q in self.curricula_of[c]:
            for moved in (None, (index, new_slot)):
                busy = self._curriculum_busy(q, moved)
                isolated = sum(n for slot, n in busy.items() if n and self._isolated(slot, busy))
                delta += isolated * ISOLATED_LECTURES_WEIGHT * (1 if moved else -1)
        return delta

    # --- hard checks ---------------------------------------------------------------------------
    def refusals(self, index: int, day: int, period: int, room: str) -> list[Refusal]:
        """Return why lecture ``index`` may not be taught in ``room`` at ``day``, ``period`` (empty: it may)."""
        instance = self.instance
        if not (0 <= day < instance.days and 0 <= period < instance.periods_per_day):
            return [Refusal(OUT_OF_RANGE)]
        r = instance.room_index.get(room)
        if r is None:
            return [Refusal(UNKNOWN_ROOM, room=room)]
        c = self.course_of[index]
        course = instance.courses[c]
        slot = day * instance.periods_per_day + period
        found: list[Refusal] = []
        for j in self.at_slot.get(slot, ()):
            if j == index:
                continue
            other_c = self.course_of[j]
            other = instance.courses[other_c]
            if other_c == c:
                found.append(Refusal(SAME_COURSE, course=other.name))
                continue
            if self.room_of[j] == r:
                found.append(Refusal(ROOM_TAKEN, course=other.name, room=room))
            if other_c in self.neighbours[c]:
                shared = [instance.curricula[q].name for q in self.curricula_of[c] if other_c in self.members[q]]
                if shared:
                    found.extend(Refusal(CURRICULUM_CLASH, course=other.name, curriculum=name) for name in shared)
                if set(course.teachers) & set(other.teachers):
                    found.append(Refusal(TEACHER_CLASH, course=other.name))
        if (course.name, day, period) in instance.unavailability:
            found.append(Refusal(COURSE_UNAVAILABLE, course=course.name))
        elif not instance.is_available(course, day, period):
            found.append(Refusal(TEACHER_UNAVAILABLE, course=course.name))
        if not instance.room_is_available(room, day, period):
            found.append(Refusal(ROOM_UNAVAILABLE, room=room))
        if not room_suits(course, instance.rooms[r]):
            found.append(Refusal(ROOM_UNSUITABLE, course=course.name, room=room))
        return found

    def problems(self, index: int) -> list[Refusal]:
        """Return the hard constraints lecture ``index`` breaks where it stands."""
        a = self.solution.assignments[index]
        return self.refusals(index, a.day, a.period, a.room)
