"""Test data of park operations, written directly (fixtures bypass services; service tests use services)."""

from __future__ import annotations

import datetime
from typing import Any

from iepark.operations.choices import ServicePointKind
from iepark.operations.models import OpeningPeriod, ServiceNotice, ServicePoint

# A Monday and the days after it (2025-03-03 is a Monday).
MONDAY = datetime.date(2025, 3, 3)


def t(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def at(day: datetime.date, time: str) -> datetime.datetime:
    """Return a naive park-local moment (``hours.local`` takes naive as Beijing time)."""
    return datetime.datetime.combine(day, t(time))


def make_point(park, name: str = "第一食堂", *, periods=(), **fields: Any) -> ServicePoint:
    fields.setdefault("kind", ServicePointKind.CANTEEN)
    point = ServicePoint(park=park, name=name, **fields)
    point.full_clean()
    point.save()
    for weekday, opens, closes in periods:
        OpeningPeriod.objects.create(service_point=point, weekday=weekday, opens=t(opens), closes=t(closes))
    return point


def make_notice(point: ServicePoint, *, valid_from: datetime.date, valid_to=None, **fields: Any) -> ServiceNotice:
    fields.setdefault("title", "通知")
    return ServiceNotice.objects.create(service_point=point, valid_from=valid_from, valid_to=valid_to, **fields)


# --- dormitories ----------------------------------------------------------------------------------


def make_building(park, name: str = "1号楼", **fields: Any):
    from iepark.operations.models import DormBuilding

    return DormBuilding.objects.create(park=park, name=name, **fields)


def make_room(building, number: str = "101", *, gender: str = "female", beds: int = 4, floor: int = 1, **fields):
    from iepark.operations.models import Bed, DormRoom

    room = DormRoom.objects.create(
        building=building, number=number, gender=gender, beds_count=beds, floor=floor, **fields
    )
    Bed.objects.bulk_create([Bed(room=room, label=str(n)) for n in range(1, beds + 1)])
    return room


def set_gender(student, gender: str):
    student.person.gender = gender
    student.person.save(update_fields=["gender"])
    return student


def make_assignment(student, bed, start=datetime.date(2025, 9, 1), end=None):
    from iepark.operations.models import BedAssignment

    return BedAssignment.objects.create(student=student, bed=bed, start_date=start, end_date=end)


def make_students(world, n: int, *, gender: str = "female", college=None, cohort_year: int = 2025, start: int = 0):
    """Create ``n`` students of ``college`` (college A by default) with their persons."""
    from iepark.core.models import Person, Student

    college = college or world.college_a
    students = []
    for i in range(start, start + n):
        person = Person.objects.create(park=world.park, name=f"学生{i}", name_en=f"Student {i}", gender=gender)
        students.append(
            Student.objects.create(
                person=person, college=college, major=world.major, student_number=f"S{i:05d}", cohort_year=cohort_year
            )
        )
    return students
