"""
Build an ``engines.timetabling`` instance from a term and map the engine's solution back.

The mapping (see docs/teaching.md, "Mapping onto engines/timetabling"):

- engine course ``C<pk>``: ``lectures_per_week``, ``min_working_days``, its first teacher
  (by staff number) as the engine's teacher, the current enrolments of its cohorts as its
  students, the required room kind and feature names;
- engine room ``R<pk>``: the park's active rooms with capacity, kind and feature names;
- curriculum ``Q<pk>``: each cohort taking courses in scope; and one curriculum
  ``T<pk>`` per teacher who is a *second or further* teacher of some course in scope,
  with all that teacher's courses, so their clashes stay hard conflicts (the engine
  knows one teacher per course; the price is that such a curriculum also counts
  isolated lectures);
- teacher unavailability ``T<pk>`` from the term's rows (periods 1-based here, 0-based
  in the engine); the other teachers' unavailable times become the course's own
  unavailability.

Room unavailability is not in the engine's model yet and is not passed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from engines.timetabling import Assignment, Curriculum, Instance, Solution
from engines.timetabling import Course as EngineCourse
from engines.timetabling import Room as EngineRoom

from .models import Course, Room, TeacherUnavailability, Term


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
    from .models import Cohort

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
    course_unavailability: set[tuple[str, int, int]] = set()
    teacher_unavailability: set[tuple[str, int, int]] = set()
    cohort_courses: dict[int, list[str]] = {}
    secondary: dict[int, list[str]] = {}
    teacher_courses: dict[int, list[str]] = {}
    for course in courses:
        name = f"C{course.pk}"
        teachers = sorted(course.teachers.all(), key=lambda t: (t.staff_number, t.pk))
        first = teachers[0] if teachers else None
        students = sum(sizes.get(c.pk, 0) for c in course.cohorts.all())
        engine_courses.append(
            EngineCourse(
                name=name,
                teacher=_teacher_key(first.pk) if first else f"none-{name}",
                lectures=course.lectures_per_week,
                min_working_days=course.min_working_days,
                students=students,
                required_kind=course.required_room_kind,
                required_features=frozenset(f.name for f in course.required_features.all()),
            )
        )
        by_name[name] = course
        for teacher in teachers:
            teacher_courses.setdefault(teacher.pk, []).append(name)
        for teacher in teachers[1:]:
            secondary.setdefault(teacher.pk, []).append(name)
            course_unavailability.update((name, d, p) for d, p in unavailable.get(teacher.pk, ()))
        for cohort in course.cohorts.all():
            cohort_courses.setdefault(cohort.pk, []).append(name)
    for course in engine_courses:
        teacher_id = course.teacher[1:]
        if course.teacher.startswith("T") and teacher_id.isdigit():
            teacher_unavailability.update((course.teacher, d, p) for d, p in unavailable.get(int(teacher_id), ()))

    curricula = [Curriculum(name=f"Q{pk}", courses=tuple(names)) for pk, names in sorted(cohort_courses.items())]
    for teacher_id in sorted(secondary):
        names = teacher_courses[teacher_id]
        if len(names) > 1:
            curricula.append(Curriculum(name=_teacher_key(teacher_id), courses=tuple(names)))

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
    instance = Instance(
        name=f"term-{term.pk}",
        days=term.days_per_week,
        periods_per_day=term.periods_per_day,
        courses=tuple(engine_courses),
        rooms=engine_rooms,
        curricula=tuple(curricula),
        unavailability=frozenset(course_unavailability),
        teacher_unavailability=frozenset(teacher_unavailability),
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
