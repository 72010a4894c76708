"""Test data of teaching, written directly (fixtures bypass services; service tests use services)."""

from __future__ import annotations

import datetime
from typing import Any

from iepark.core.models import Membership, Person, Student, Teacher
from iepark.teaching.choices import AgreementScope, AgreementStatus, AgreementType, CohortType, CourseType, RoomKind
from iepark.teaching.models import (
    Cohort,
    CooperationAgreement,
    Course,
    Enrolment,
    Room,
    RoomFeature,
    Term,
)
from iepark.testing import make_national_id

START = datetime.date(2025, 9, 1)  # a Monday


def make_agreement(world, *, parties=None, scopes=None, status=AgreementStatus.ACTIVE, **fields: Any):
    fields.setdefault("title", "校企合作协议")
    fields.setdefault("agreement_type", AgreementType.SCHOOL_ENTERPRISE)
    fields.setdefault("start_date", datetime.date(2024, 9, 1))
    fields.setdefault("end_date", datetime.date(2030, 8, 31))
    agreement = CooperationAgreement(
        park=fields.pop("park", world.park),
        scopes=scopes or [AgreementScope.ORDER_CLASS, AgreementScope.INTERNSHIP],
        agreement_status=status,
        **fields,
    )
    agreement.full_clean()
    agreement.save()
    agreement.parties.set(parties if parties is not None else [world.college_a, world.enterprise_1])
    return agreement


def make_cohort(world, name: str = "煤化工2401班", *, college=None, **fields: Any) -> Cohort:
    fields.setdefault("intake_year", 2024)
    fields.setdefault("major", world.major)
    cohort = Cohort(college=college or world.college_a, name=name, **fields)
    cohort.full_clean()
    cohort.save()
    return cohort


def make_order_class(world, name: str = "订单班", *, seats: int = 2, sponsor=None, agreement=None) -> Cohort:
    sponsor = sponsor or world.enterprise_1
    agreement = agreement or make_agreement(world, parties=[world.college_a, sponsor])
    return make_cohort(
        world, name, cohort_type=CohortType.ORDER_CLASS, sponsor=sponsor, seats=seats, agreement=agreement
    )


def make_students(world, n: int, *, college=None, start: int = 1) -> list[Student]:
    college = college or world.college_a
    students = []
    for i in range(start, start + n):
        person = Person.objects.create(
            park=world.park, name=f"学生{i}", name_en=f"Student {i}", national_id=make_national_id(1000 + i)
        )
        Membership.objects.create(person=person, organisation=college, role="student", start_date=START)
        students.append(
            Student.objects.create(
                person=person, college=college, major=world.major, student_number=f"S{i:04d}", cohort_year=2024
            )
        )
    return students


def enrol(cohort: Cohort, student: Student, **fields: Any) -> Enrolment:
    return Enrolment.objects.create(
        cohort=cohort, student=student, start_date=fields.pop("start_date", START), **fields
    )


def make_term(park, name: str = "2025–2026 第一学期", **fields: Any) -> Term:
    fields.setdefault("start_date", START)
    fields.setdefault("end_date", START + datetime.timedelta(days=18 * 7 - 3))
    fields.setdefault("teaching_weeks", 18)
    term = Term(park=park, name=name, **fields)
    term.full_clean()
    term.save()
    return term


def make_feature(park, name: str = "煤化工仿真系统") -> RoomFeature:
    return RoomFeature.objects.get_or_create(park=park, name=name)[0]


def make_room(world, number: str = "101", *, park=None, features=(), **fields: Any) -> Room:
    fields.setdefault("building", "教学楼A")
    fields.setdefault("room_kind", RoomKind.CLASSROOM)
    fields.setdefault("capacity", 60)
    park = park or world.park
    owner = fields.pop("owner", None) or (world.operator_org if park == world.park else world.other_college)
    room = Room(park=park, number=number, owner=owner, **fields)
    room.full_clean()
    room.save()
    room.features.set(features)
    return room


def make_teacher(world, n: int, *, college=None) -> Teacher:
    college = college or world.college_a
    person = Person.objects.create(park=college.park, name=f"教师{n}", national_id=make_national_id(3000 + n))
    return Teacher.objects.create(person=person, organisation=college, staff_number=f"T{n:04d}")


def make_course(world, code: str = "C101", *, term=None, teachers=None, cohorts=None, **fields: Any) -> Course:
    term = term or Term.objects.filter(park=world.park).first() or make_term(world.park)
    fields.setdefault("name", "化工原理")
    fields.setdefault("course_type", CourseType.THEORY)
    fields.setdefault("lectures_per_week", 3)
    fields.setdefault("min_working_days", 2)
    course = Course(term=term, code=code, college=fields.pop("college", world.college_a), **fields)
    course.full_clean()
    course.save()
    course.teachers.set(teachers if teachers is not None else [world.a_teacher])
    course.cohorts.set(cohorts if cohorts is not None else [Cohort.objects.filter(college=course.college).first()])
    return course
