"""Fixtures of the applications tests: a posting, applications at each step, e-mail addresses."""

from __future__ import annotations

import pytest

from iepark.careers.choices import ApplicationStatus
from iepark.careers.testing import make_application, make_offer, make_posting

from .helpers import in_days


@pytest.fixture
def posting(world):
    return make_posting(world)


@pytest.fixture
def application(world, posting):
    return make_application(posting, world.a_student)


@pytest.fixture
def at_interview(world, posting):
    return make_application(posting, world.a_student, status=ApplicationStatus.INTERVIEW)


@pytest.fixture
def offer(world, posting):
    app = make_application(posting, world.a_student, status=ApplicationStatus.INTERVIEW)
    return make_offer(app, start_date=in_days(30), deadline=in_days(7))


@pytest.fixture
def emails(world):
    """Give student A (English) and HR of E1 (Chinese) e-mail addresses and languages."""
    for name, address, language in (
        ("student_a", "student.a@example.cn", "en"),
        ("hr_e1", "hr.e1@example.cn", "zh-hans"),
    ):
        person = world.persons[name]
        person.email = address
        person.language = language
        person.save()
    return world
