"""
Build an ``engines.timetabling`` instance from a term and map the engine's solution back.

The mapping (see docs/teaching.md, "Mapping onto engines/timetabling"):

- engine course ``C<pk>``: ``lectures_per_week``, ``min_working_days``, its teachers (the
  first by staff number as the engine's ``teacher``, the others as ``co_teachers``), the
  current enrolments of its cohorts as its students, the required room kind and feature names;
- engine room ``R<pk>``: the park's active rooms with capacity, kind and feature names;
- curriculum ``Q<pk>``: each cohort taking courses in scope;
- teacher unavailability ``T<pk>`` from the term's rows (periods 1-based here, 0-based in the
  engine), which binds every course the teacher teaches;
- room unavailability ``R<pk>`` from the rooms' rows that overlap the term's dates: a weekly
  timetable cannot use a slot the room lacks in some week of the term.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from engines.timetabling import Assignment, Curriculum, Instance, Solution
from engines.timetabling import Course as EngineCourse
from engines.timetabling import Room as EngineRoom

from .models import Cohort, Course, Room, RoomUnavailability, TeacherUnavailability, Term


@dataclass(frozen=True)
class TermInstance:
    """The engine's instance of a term and the rows behind its names."""

    instance: Instance
    courses: dict[str, Course]
    rooms: dict[str, Room]


def _teacher_key(teacher_id: int) -> str:
    return f"T{teacher_id}"


def build_instance(term: Term, colleges: Iterable | None = None) -> TermInstance:
    """Return the engine instance of ``term``'s courses (of ``colleges`` only when given)."""
    college_ids = [getattr(c, "pk", c) for c in colleges or ()]
    qs = Course.objects.filter(term=term).prefetch_related("teachers__person", "cohorts", "required_features")
    if college_ids:
        qs = qs.filter(college_id__in=college_ids)
    courses = list(qs.order_by("code", "pk"))
    cohort_ids = {c.pk for course in courses for c in course.cohorts.all()}
    sizes = dict(
        Cohort.objects.filter(pk__in=cohort_ids)
        .annotate(n=Count("enrolments", filter=Q(enrolments__end_date__isnull=True)))
        .values_list("pk", "n")
    )

    unavailable: dict[int, set[tuple[int, int]]] = {}
    for row in TeacherUnavailability.objects.filter(term=term):
        slots = unavailable.setdefault(row.teacher_id, set())
        for period in range(row.first_period, row.last_period + 1):
            if row.day_of_week < term.days_per_week and period <= term.periods_per_day:
                slots.add((row.day_of_week, period - 1))

    engine_courses, by_name = [], {}
    teacher_unavailability: set[tuple[str, int, int]] = set()
    cohort_courses: dict[int, list[str]] = {}
    for course in courses:
        name = f"C{course.pk}"
        teachers = sorted(course.teachers.all(), key=lambda t: (t.staff_number, t.pk))
        keys = [_teacher_key(t.pk) for t in teachers] or [f"none-{name}"]
        students = sum(sizes.get(c.pk, 0) for c in course.cohorts.all())
        engine_courses.append(
            EngineCourse(
                name=name,
                teacher=keys[0],
                co_teachers=tuple(keys[1:]),
                lectures=course.lectures_per_week,
                min_working_days=course.min_working_days,
                students=students,
                required_kind=course.required_room_kind,
                required_features=frozenset(f.name for f in course.required_features.all()),
            )
        )
        by_name[name] = course
        for teacher in teachers:
            teacher_unavailability.update((_teacher_key(teacher.pk), d, p) for d, p in unavailable.get(teacher.pk, ()))
        for cohort in course.cohorts.all():
            cohort_courses.setdefault(cohort.pk, []).append(name)

    curricula = [Curriculum(name=f"Q{pk}", courses=tuple(names)) for pk, names in sorted(cohort_courses.items())]

    rooms = {
        f"R{room.pk}": room
        for room in Room.objects.filter(park_id=term.park_id, is_active=True).prefetch_related("features")
    }
    engine_rooms = tuple(
        EngineRoom(
            name=name,
            capacity=room.capacity,
            kind=room.room_kind,
            features=frozenset(f.name for f in room.features.all()),
        )
        for name, room in rooms.items()
    )
    room_unavailability = {
        (f"R{row.room_id}", row.day_of_week, period - 1)
        for row in RoomUnavailability.objects.filter(room__park_id=term.park_id, room__is_active=True)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=term.end_date))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=term.start_date))
        for period in range(row.first_period, row.last_period + 1)
        if row.day_of_week < term.days_per_week and period <= term.periods_per_day
    }
    instance = Instance(
        name=f"term-{term.pk}",
        days=term.days_per_week,
        periods_per_day=term.periods_per_day,
        courses=tuple(engine_courses),
        rooms=engine_rooms,
        curricula=tuple(curricula),
        teacher_unavailability=frozenset(teacher_unavailability),
        room_unavailability=frozenset(room_unavailability),
    )
    return TermInstance(instance=instance, courses=by_name, rooms=rooms)


def solution_rows(built: TermInstance, solution: Solution) -> list[tuple[Course, Room, int, int]]:
    """Return ``(course, room, day_of_week, period)`` rows (period 1-based) of an engine solution."""
    return [
        (built.courses[a.course], built.rooms[a.room], a.day, a.period + 1)
        for a in solution.assignments
        if a.course in built.courses and a.room in built.rooms
    ]


def rows_solution(rows: Iterable[tuple[int, int, int, int]]) -> Solution:
    """Return the engine solution of stored ``(course_id, room_id, day_of_week, period)`` rows."""
    return Solution(assignments=tuple(Assignment(f"C{c}", f"R{r}", day, period - 1) for c, r, day, period in rows))
