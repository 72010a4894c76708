"""Review: publishing a timetable never double-books a room against the approved bookings."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from iepark.teaching import services as teaching_services
from iepark.teaching.choices import TimetableStatus
from iepark.teaching.models import TimetableEntry, TimetableRun
from iepark.teaching.tests.factories import make_cohort, make_course
from iepark.teaching.venues import selectors

from .factories import gym, next_weekday, published_timetable, request


def _draft_in(term, room, *, day_of_week: int, period: int, course):
    run = TimetableRun.objects.create(term=term, status=TimetableStatus.DRAFT, hard_violations=0)
    TimetableEntry.objects.create(run=run, course=course, room=room, day_of_week=day_of_week, period=period)
    return run


def test_a_timetable_is_not_published_over_an_approved_booking(world):
    room = gym(world)
    term, first = published_timetable(world, room, day_of_week=4, period=1)  # Fridays: nothing to do with the booking
    start, end = term.period_span(3)
    booking = request(
        world,
        "operator",
        room=room,
        organisation=world.operator_org,
        date=next_weekday(2),
        start_time=start,
        end_time=end,
    )
    assert booking.status == "approved"
    course = make_course(world, "PE102", term=term, cohorts=[make_cohort(world, "体育2401班")])

    clashing = _draft_in(term, room, day_of_week=2, period=3, course=course)
    with pytest.raises(ValidationError) as excinfo:
        teaching_services.timetable_publish(actor=world.users["park_admin"], run=clashing)
    text = " ".join(excinfo.value.messages)
    assert booking.reference in text and str(room) in text and "PE102" in text
    assert booking.purpose not in text  # the booking's details stay with who may see it
    clashing.refresh_from_db()
    first.refresh_from_db()
    assert clashing.status == "draft" and first.status == "published"
    assert selectors.conflicts(room.pk, booking.date, start, end, exclude_booking=booking.pk) == []

    elsewhere = _draft_in(term, room, day_of_week=2, period=1, course=course)  # Wednesday morning: free
    assert teaching_services.timetable_publish(actor=world.users["park_admin"], run=elsewhere).status == "published"


# --- decisions read the booking as it is when they are made ----------------------------------------------


def _training_room_of_college_a(world):
    from iepark.teaching.choices import RoomKind
    from iepark.teaching.tests.factories import make_room

    return make_room(world, "T1", room_kind=RoomKind.TRAINING_ROOM, capacity=30, owner=world.college_a)


def test_an_approval_follows_the_room_the_request_has_now(world):
    """A request moved to another room (after the approver opened it) is decided by that room's approvers."""
    from iepark.teaching.venues import services
    from iepark.teaching.venues.models import VenueBooking

    own_room, gym_room = _training_room_of_college_a(world), gym(world)
    first = request(world, "student_a", room=own_room, attendees=20)
    stale = VenueBooking.objects.get(pk=first.pk)  # as the college's administrator opened it
    services.booking_update(actor=world.student_a, booking=first, data={"room": gym_room})
    other = request(world, "hr_e1", room=gym_room)  # the same time, in the gym
    services.booking_approve(actor=world.operator, booking=other)

    with pytest.raises(PermissionDenied):
        services.booking_approve(actor=world.college_a_admin, booking=stale)
    with pytest.raises(PermissionDenied):
        services.booking_reject(actor=world.college_a_admin, booking=stale, reason="No")
    first.refresh_from_db()
    assert first.status == "pending" and first.room == gym_room
    with pytest.raises(ValidationError):  # the gym's approver sees the gym is taken
        services.booking_approve(actor=world.operator, booking=stale)
    first.refresh_from_db()
    assert first.status == "pending"
