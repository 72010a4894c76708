"""
The teaching tests read messages in English: services raise their errors in the active language,
and these tests name what they expect in the source language. Pages still answer in the language
each request asks for (zh-hans by default), as the page tests check.
"""

import pytest
from django.utils import translation

from iepark.teaching.choices import CourseType, RoomKind
from iepark.teaching.models import TeacherUnavailability

from .factories import enrol, make_cohort, make_course, make_room, make_students, make_teacher, make_term


@pytest.fixture(autouse=True)
def _messages_in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def api(api):
    """API clients that ask for English, so tests can name the messages they expect (zh-hans is the default)."""

    def make(user=None):
        client = api(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make


@pytest.fixture
def tiny(world):  # noqa: D103
    """A term of 3 days × 4 periods: 3 cohorts, 4 courses (one practical, one with two teachers), 3 rooms."""
    term = make_term(world.park, days_per_week=3, periods_per_day=4)
    c1, c2, c3 = (make_cohort(world, f"班{i}") for i in (1, 2, 3))
    for cohort, start in ((c1, 1), (c2, 20), (c3, 40)):
        for s in make_students(world, 3, start=start):
            enrol(cohort, s)
    t1, t2 = make_teacher(world, 1), make_teacher(world, 2)
    make_room(world, "101", capacity=40)
    make_room(world, "102", capacity=10)
    make_room(world, "L1", room_kind=RoomKind.LAB, capacity=30)
    make_course(world, "A1", term=term, teachers=[t1], cohorts=[c1, c2], lectures_per_week=3, min_working_days=2)
    make_course(world, "A2", term=term, teachers=[t1, t2], cohorts=[c3], lectures_per_week=2, min_working_days=2)
    make_course(world, "B1", term=term, teachers=[t2], cohorts=[c1], lectures_per_week=2, min_working_days=1)
    make_course(
        world,
        "P1",
        term=term,
        teachers=[t2],
        cohorts=[c2, c3],
        lectures_per_week=2,
        min_working_days=1,
        course_type=CourseType.PRACTICAL,
        required_room_kind=RoomKind.LAB,
    )
    TeacherUnavailability.objects.create(term=term, teacher=t2, day_of_week=0, first_period=1, last_period=4)
    return term
