"""Review, on PostgreSQL: an approval and a publication racing for one room at one time — exactly one wins."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from iepark.teaching import services as teaching_services
from iepark.teaching.choices import TimetableStatus
from iepark.teaching.models import TimetableEntry, TimetableRun
from iepark.teaching.tests.factories import make_cohort, make_course
from iepark.teaching.venues import services
from iepark.teaching.venues.models import VenueBooking
from iepark.testing import build_world

from .factories import gym, next_weekday, published_timetable, request
from .test_concurrency import _race, _skip_unless_postgres

ROUNDS = 3


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_approval_racing_a_publication_of_the_same_slot_never_double_books():
    _skip_unless_postgres()
    world = build_world()
    room = gym(world)
    term, _first = published_timetable(world, room, day_of_week=4, period=1)
    start, end = term.period_span(3)
    cohort = make_cohort(world, "体育2401班")
    for i in range(ROUNDS):
        course = make_course(world, f"PE2{i}", term=term, cohorts=[cohort])
        draft = TimetableRun.objects.create(term=term, status=TimetableStatus.DRAFT, hard_violations=0)
        TimetableEntry.objects.create(run=draft, course=course, room=room, day_of_week=i, period=3)
        booking = request(world, room=room, date=next_weekday(i), start_time=start, end_time=end)  # Monday, Tuesday…
        outcomes = _race(
            [
                lambda b=booking: services.booking_approve(actor=world.operator, booking=b),
                lambda r=draft: teaching_services.timetable_publish(actor=world.users["park_admin"], run=r),
            ]
        )
        assert outcomes.count("ok") == 1, outcomes
        [refusal] = [o for o in outcomes if o != "ok"]
        assert isinstance(refusal, ValidationError), refusal
        approved = VenueBooking.objects.get(pk=booking.pk).status == "approved"
        published = TimetableRun.objects.get(pk=draft.pk).status == "published"
        assert approved != published
