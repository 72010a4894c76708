"""Fixtures of the outcome tests: graduates of college A and B, dates relative to today."""

import datetime

import pytest
from django.utils import timezone

from iepark.core.choices import StudentStatus
from iepark.core.models import Person, Student


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def days_ago(today):
    def at(n: int) -> datetime.date:
        return today - datetime.timedelta(days=n)

    return at


@pytest.fixture
def graduate(world):
    """Return a factory of graduated students (college A by default)."""
    counter = {"n": 0}

    def make(college=None, *, cohort_year=2023, status=StudentStatus.GRADUATED, name=None):
        counter["n"] += 1
        n = counter["n"]
        college = college or world.college_a
        person = Person.objects.create(park=world.park, name=name or f"毕业生{n}", name_en=f"Graduate {n}")
        return Student.objects.create(
            person=person,
            college=college,
            major=world.major,
            student_number=f"G{college.pk}-{n:04d}",
            cohort_year=cohort_year,
            status=status,
        )

    return make
