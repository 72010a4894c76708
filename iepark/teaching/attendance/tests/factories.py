"""Test data of attendance: a term, a cohort of college A with students, a course taught by ``teacher_a``
and a published timetable (written directly; the services under test write the rest)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from iepark.teaching.choices import TimetableStatus
from iepark.teaching.models import Cohort, Course, Term, TimetableEntry, TimetableRun
from iepark.teaching.tests.factories import START, enrol, make_cohort, make_course, make_room, make_students, make_term

# 2025-09-01 is a Monday: the term's first Monday and Wednesday lectures.
MONDAY = START
WEDNESDAY = START + datetime.timedelta(days=2)


@dataclass
class Teaching:
    term: Term
    cohort: Cohort
    course: Course
    run: TimetableRun
    monday: TimetableEntry  # period 1
    wednesday: TimetableEntry  # period 3
    students: list[Any]


def make_teaching(world, *, n_students: int = 3, start: int = 1) -> Teaching:
    """College A's cohort (``student_a`` and ``n_students`` more) taking course C101 of ``teacher_a``."""
    term = Term.objects.filter(park=world.park).first() or make_term(world.park)
    cohort = Cohort.objects.filter(college=world.college_a, name="煤化工2401班").first() or make_cohort(world)
    students = [world.a_student, *make_students(world, n_students, start=start)]
    for student in students:
        if not cohort.enrolments.filter(student=student).exists():
            enrol(cohort, student)
    course = make_course(world, f"C{100 + start}", term=term, cohorts=[cohort], lectures_per_week=2)
    room = make_room(world, f"R{start}")
    run = TimetableRun.objects.filter(term=term, status=TimetableStatus.PUBLISHED).first()
    if run is None:
        run = TimetableRun.objects.create(term=term, status=TimetableStatus.PUBLISHED, seconds=1, hard_violations=0)
    monday = TimetableEntry.objects.create(run=run, course=course, room=room, day_of_week=0, period=1)
    wednesday = TimetableEntry.objects.create(run=run, course=course, room=room, day_of_week=2, period=3)
    return Teaching(term, cohort, course, run, monday, wednesday, students)


def all_present(teaching: Teaching, **overrides: str) -> list[dict[str, Any]]:
    """Marks of every student of ``teaching``: present unless ``overrides`` (student number → status)."""
    return [
        {"student": s.pk, "status": overrides.get(s.student_number, "present"), "note": ""} for s in teaching.students
    ]
