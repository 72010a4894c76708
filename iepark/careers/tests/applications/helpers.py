"""Helpers of the applications tests: times, extra students, interview times, a posting of another park."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from iepark.careers.choices import InterviewStatus
from iepark.careers.models import Interview
from iepark.careers.testing import make_posting
from iepark.core.choices import Industry, OrganisationKind, Role
from iepark.core.models import Membership, Organisation, Person, Student
from iepark.testing import PASSWORD, make_national_id, make_uscc

User = get_user_model()


def soon(days: int = 3, hour: int = 10) -> datetime.datetime:
    """Return an aware datetime ``days`` ahead at ``hour`` o'clock local time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def make_student(world, n: int, college: Organisation | None = None, *, login: bool = True) -> Student:
    """Return a new student of ``college`` (college A by default), with a login named ``stu<n>``."""
    college = college or world.college_a
    user = User.objects.create_user(username=f"stu{n}", password=PASSWORD) if login else None
    person = Person.objects.create(
        park=college.park, user=user, name=f"学生{n}", name_en=f"Student {n}", national_id=make_national_id(600 + n)
    )
    Membership.objects.create(
        person=person, organisation=college, role=Role.STUDENT, start_date=datetime.date(2020, 1, 1)
    )
    major = world.major if college.park_id == world.park.pk else world.other_major
    return Student.objects.create(
        person=person, college=college, major=major, student_number=f"S{n:04d}", cohort_year=2024
    )


def make_interview(application, *, days: int = 3, status: str = InterviewStatus.PROPOSED, **fields) -> Interview:
    return Interview.objects.create(
        application=application,
        starts_at=fields.pop("starts_at", soon(days)),
        location=fields.pop("location", "Room 101"),
        status=status,
        **fields,
    )


def other_park_posting(world):
    """Return an approved posting of an enterprise of the other park."""
    enterprise = Organisation.objects.create(
        park=world.other_park,
        kind=OrganisationKind.ENTERPRISE,
        name="外园企业",
        uscc=make_uscc(77),
        industry=Industry.COAL_CHEMICAL,
    )
    return make_posting(world, enterprise, title="外园岗位")
