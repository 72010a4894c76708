"""
Reads of attendance, always scoped by the acting user through the policy.

The teacher's week (``teacher_slots``), a session's roster (``roster``) and the rates (``rates``,
``under_threshold``) each run a fixed number of queries whatever the number of lectures, students or
records. Rates are computed in SQL:

    rate = (present + late) / (present + late + absent) × 100

"late" counts as attended and "excused" is left out of both; a student (cohort, course) with no counted
record has no rate.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, FloatField, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Cast, NullIf
from django.utils import timezone

from iepark.core import policy
from iepark.core.models import Park
from iepark.core.policy import Action, Actor
from iepark.teaching.choices import TimetableStatus
from iepark.teaching.models import Cohort, Course, Enrolment, Term, TimetableEntry

from .choices import DEFAULT_THRESHOLD, AttendanceStatus, LeaveStatus
from .models import AttendanceRecord, AttendanceSession, AttendanceSetting, LeaveRequest


def _user(actor: Any) -> Any:
    return actor.user if isinstance(actor, Actor) else actor


# --- lists ---------------------------------------------------------------------------------------------


def _count(status: str, prefix: str = "") -> Count:
    return Count(f"{prefix}pk", filter=Q(**{f"{prefix}status": status}))


def session_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[AttendanceSession]:
    """Return the sessions ``user`` may see (or take), with the counts of their records by status."""
    qs = AttendanceSession.objects.select_related("course__term", "entry__room", "taken_by").annotate(
        present_count=_count(AttendanceStatus.PRESENT, "records__"),
        late_count=_count(AttendanceStatus.LATE, "records__"),
        absent_count=_count(AttendanceStatus.ABSENT, "records__"),
        excused_count=_count(AttendanceStatus.EXCUSED, "records__"),
    )
    return policy.restrict(qs, _user(user), action).order_by("-date", "period", "pk")


def record_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[AttendanceRecord]:
    qs = AttendanceRecord.objects.select_related(
        "session__course", "student__person", "student__college", "cohort", "leave"
    )
    return policy.restrict(qs, _user(user), action).order_by("-session__date", "session__period", "pk")


def leave_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[LeaveRequest]:
    qs = LeaveRequest.objects.select_related("student__person", "student__college", "decided_by")
    return policy.restrict(qs, _user(user), action).order_by("-created_at", "-pk")


def students_for_leave(*, user: Any):
    """Return the students ``user`` may file leave for: themself, or their college's students (managers)."""
    from iepark.core.models import Student

    from .policy import COLLEGE_WATCH_ROLES

    actor = policy.actor_for(_user(user))
    q = Q(pk__in=[])
    if actor.person_id:
        q |= Q(person_id=actor.person_id)
    orgs = actor.orgs(COLLEGE_WATCH_ROLES)
    if orgs:
        q |= Q(college__in=orgs)
    if actor.is_superuser:
        q = Q()
    return policy.restrict(Student.objects.filter(q), _user(user)).select_related("person").order_by("student_number")


# --- settings ------------------------------------------------------------------------------------------


def threshold_for(park: Park | int | None) -> int:
    """Return the park's attendance threshold (per cent), the default when it has none."""
    park_id = getattr(park, "pk", park)
    if park_id is None:
        return DEFAULT_THRESHOLD
    value = AttendanceSetting.objects.filter(park_id=park_id).values_list("threshold", flat=True).first()
    return value or DEFAULT_THRESHOLD


def parks_of(*, user: Any) -> list[Park]:
    """Return the parks whose attendance ``user`` may read something of."""
    return list(policy.restrict(Park.objects.all(), _user(user)).order_by("pk"))


def current_term(*, user: Any, park: Park | int | None = None, today: datetime.date | None = None) -> Term | None:
    """Return the term running today (else the latest one started) among the terms ``user`` sees."""
    today = today or timezone.localdate()
    terms = policy.restrict(Term.objects.all(), _user(user))
    if park is not None:
        terms = terms.filter(park_id=getattr(park, "pk", park))
    return (
        terms.filter(start_date__lte=today, end_date__gte=today).order_by("-start_date", "pk").first()
        or terms.filter(start_date__lte=today).order_by("-start_date", "pk").first()
        or terms.order_by("start_date", "pk").first()
    )


# --- the teacher's lectures -----------------------------------------------------------------------------


def taught_entries(*, user: Any) -> QuerySet[TimetableEntry]:
    """Return the lectures of the published timetables of the courses ``user`` teaches."""
    actor = policy.actor_for(_user(user))
    if not actor.person_id:
        return TimetableEntry.objects.none()
    courses = policy.restrict(Course.objects.filter(teachers__person_id=actor.person_id), _user(user))
    return TimetableEntry.objects.filter(
        run__status=TimetableStatus.PUBLISHED, course__in=courses.values("pk")
    ).select_related("course", "room", "run__term")


@dataclass
class Slot:
    """A lecture of the teacher on a date, with its session when attendance was taken."""

    entry: TimetableEntry
    date: datetime.date
    start: datetime.time
    end: datetime.time
    session: AttendanceSession | None = None
    cohorts: list[Cohort] = field(default_factory=list)

    @property
    def taken(self) -> bool:
        return self.session is not None

    @property
    def key(self) -> tuple:
        return (self.date, self.start, self.entry.course.code)


def teacher_slots(*, user: Any, start: datetime.date, end: datetime.date) -> list[Slot]:
    """
    Return the lectures ``user`` teaches from ``start`` to ``end`` (inclusive), in time order.

    Three queries whatever the number of lectures: the entries (with their courses, rooms and terms),
    the cohorts of those courses, and the sessions already taken in the period.
    """
    entries = list(
        taught_entries(user=user)
        .filter(run__term__start_date__lte=end, run__term__end_date__gte=start)
        .prefetch_related(Prefetch("course__cohorts", queryset=Cohort.objects.order_by("name", "pk")))
    )
    if not entries:
        return []
    sessions = {
        (s.entry_id, s.date): s
        for s in session_list(user=user).filter(entry__in=[e.pk for e in entries], date__gte=start, date__lte=end)
    }
    slots = []
    for entry in entries:
        term = entry.run.term
        spans = term.period_spans()
        if entry.period > len(spans):
            continue
        for day in term.teaching_dates(entry.day_of_week):
            if start <= day <= end:
                begin, finish = spans[entry.period - 1]
                slots.append(
                    Slot(
                        entry=entry,
                        date=day,
                        start=begin,
                        end=finish,
                        session=sessions.get((entry.pk, day)),
                        cohorts=list(entry.course.cohorts.all()),
                    )
                )
    slots.sort(key=lambda s: s.key)
    return slots


# --- rosters ----------------------------------------------------------------------------------------------


@dataclass
class RosterLine:
    student: Any
    cohort: Cohort
    status: str
    note: str = ""
    leave: LeaveRequest | None = None
    record: AttendanceRecord | None = None

    @property
    def preset_by_leave(self) -> bool:
        return self.leave is not None and self.record is None


def roster_enrolments(entry: TimetableEntry, date: datetime.date) -> dict[int, Enrolment]:
    """Return ``{student id: enrolment}`` of the students on the lecture's roster on ``date`` (one query)."""
    rows = (
        Enrolment.objects.filter(cohort__courses=entry.course_id, start_date__lte=date)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=date))
        .select_related("student__person", "cohort")
        .order_by("student__student_number", "cohort__name", "pk")
    )
    result: dict[int, Enrolment] = {}
    for enrolment in rows:
        result.setdefault(enrolment.student_id, enrolment)
    return result


def leave_covering_q(date: datetime.date, period: int) -> Q:
    """Approved leave covering the lecture at ``period`` on ``date``."""
    starts = Q(start_date__lt=date) | Q(start_date=date) & (Q(start_period__isnull=True) | Q(start_period__lte=period))
    ends = Q(end_date__gt=date) | Q(end_date=date) & (Q(end_period__isnull=True) | Q(end_period__gte=period))
    return Q(status=LeaveStatus.APPROVED) & starts & ends


def leaves_covering(student_ids: list[int], date: datetime.date, period: int) -> dict[int, LeaveRequest]:
    """Return ``{student id: approved leave}`` covering the lecture (one query)."""
    rows = LeaveRequest.objects.filter(leave_covering_q(date, period), student_id__in=student_ids).order_by("pk")
    result: dict[int, LeaveRequest] = {}
    for leave in rows:
        result.setdefault(leave.student_id, leave)
    return result


def roster(entry: TimetableEntry, date: datetime.date, session: AttendanceSession | None = None) -> list[RosterLine]:
    """
    Return the lecture's roster on ``date``: each student with their recorded status, else the preset
    (excused where an approved leave covers the lecture, present otherwise). Students recorded earlier
    who have left the roster since are kept (their record stays). Four queries at most.
    """
    enrolments = roster_enrolments(entry, date)
    records = {}
    if session is not None:
        records = {
            r.student_id: r
            for r in AttendanceRecord.objects.filter(session=session).select_related(
                "student__person", "cohort", "leave"
            )
        }
    student_ids = list(enrolments) + [sid for sid in records if sid not in enrolments]
    leaves = leaves_covering(student_ids, date, entry.period)
    lines = []
    for sid in student_ids:
        record = records.get(sid)
        leave = leaves.get(sid)
        if record is not None:
            lines.append(
                RosterLine(record.student, record.cohort, record.status, record.note, record.leave or leave, record)
            )
        else:
            enrolment = enrolments[sid]
            status = AttendanceStatus.EXCUSED if leave else AttendanceStatus.PRESENT
            lines.append(RosterLine(enrolment.student, enrolment.cohort, status, "", leave))
    lines.sort(key=lambda line: (line.student.student_number, line.student.pk))
    return lines


# --- rates ----------------------------------------------------------------------------------------------------

GROUPS = {
    "cohort": ("cohort_id", "cohort__name", "cohort__college__name"),
    "course": ("session__course_id", "session__course__code", "session__course__name", "session__course__name_en"),
    "student": (
        "student_id",
        "student__student_number",
        "student__person__name",
        "student__college__name",
    ),
}


def rate_annotations() -> dict[str, Any]:
    """The aggregate columns of a rates query: counts per status and the rate (per cent, SQL)."""
    attended = Count("pk", filter=Q(status__in=[AttendanceStatus.PRESENT, AttendanceStatus.LATE]))
    counted = Count(
        "pk", filter=Q(status__in=[AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT])
    )
    return {
        "present": _count(AttendanceStatus.PRESENT),
        "late": _count(AttendanceStatus.LATE),
        "absent": _count(AttendanceStatus.ABSENT),
        "excused": _count(AttendanceStatus.EXCUSED),
        "attended": attended,
        "counted": counted,
        "total": Count("pk"),
        "rate": Cast(attended, FloatField()) * Value(100.0) / NullIf(Cast(counted, FloatField()), Value(0.0)),
    }


def scoped_records(
    *,
    user: Any,
    term: Term | None = None,
    cohort: Cohort | None = None,
    course: Course | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    student_person_id: int | None = None,
) -> QuerySet[AttendanceRecord]:
    qs = policy.restrict(AttendanceRecord.objects.all(), _user(user))
    if term is not None:
        qs = qs.filter(session__course__term=term)
    if cohort is not None:
        qs = qs.filter(cohort=cohort)
    if course is not None:
        qs = qs.filter(session__course=course)
    if since:
        qs = qs.filter(session__date__gte=since)
    if until:
        qs = qs.filter(session__date__lte=until)
    if student_person_id is not None:
        qs = qs.filter(student__person_id=student_person_id)
    return qs


def _finish(rows) -> list[dict[str, Any]]:
    result = []
    for row in rows:
        row = dict(row)
        row["rate"] = round(row["rate"], 1) if row["rate"] is not None else None
        result.append(row)
    return result


def rates(*, user: Any, group: str, **filters: Any) -> list[dict[str, Any]]:
    """
    Return the attendance per ``group`` ("cohort", "course" or "student") of the records ``user`` sees.

    One query. Each row: the group's columns (see ``GROUPS``), present, late, absent, excused, attended,
    counted, total and rate (per cent, one decimal; None without a counted record).
    """
    columns = GROUPS[group]
    qs = scoped_records(user=user, **filters).values(*columns).annotate(**rate_annotations())
    return _finish(qs.order_by(*columns[1:2], columns[0]))


def under_threshold(*, user: Any, threshold: float, **filters: Any) -> list[dict[str, Any]]:
    """Return the students whose rate is below ``threshold`` (per cent), lowest first (one query)."""
    columns = GROUPS["student"]
    qs = (
        scoped_records(user=user, **filters)
        .values(*columns)
        .annotate(**rate_annotations())
        .filter(counted__gt=0, rate__lt=threshold)
        .order_by("rate", "student__student_number", "student_id")
    )
    return _finish(qs)


def totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the all-rows line of ``rates`` rows (the same definition of the rate)."""
    keys = ("present", "late", "absent", "excused", "attended", "counted", "total")
    total = {k: sum(r[k] for r in rows) for k in keys}
    total["rate"] = round(100.0 * total["attended"] / total["counted"], 1) if total["counted"] else None
    return total


def my_records(*, user: Any, limit: int = 300) -> list[AttendanceRecord]:
    """Return the student's own records, newest first."""
    actor = policy.actor_for(_user(user))
    if not actor.person_id:
        return []
    return list(record_list(user=user).filter(student__person_id=actor.person_id)[:limit])
