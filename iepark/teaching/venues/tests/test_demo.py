"""The venue bookings of the demo park: built through the services, in every state, never double-booked."""

from __future__ import annotations

import pytest

from iepark.core.demo import builder
from iepark.teaching import demo as teaching_demo
from iepark.teaching.choices import RoomKind
from iepark.teaching.tests.factories import make_room
from iepark.teaching.venues import demo, selectors
from iepark.teaching.venues.models import VenueBooking
from iepark.testing import audit_count


def test_demo_is_registered_after_teaching():
    assert demo.build in builder.DEMO_EXTENSIONS
    assert builder.DEMO_EXTENSIONS.index(demo.build) > builder.DEMO_EXTENSIONS.index(teaching_demo.build)


def _no_double_booking(park) -> None:
    for b in VenueBooking.objects.filter(park=park, status="approved"):
        assert selectors.conflicts(b.room_id, b.date, b.start_time, b.end_time, exclude_booking=b.pk) == [], b


def test_demo_builds_bookings_in_every_state(world):
    for number, kind in (("G1", RoomKind.GYMNASIUM), ("F1", RoomKind.SPORTS_FIELD), ("M1", RoomKind.MEETING_ROOM)):
        make_room(world, number, room_kind=kind, capacity=400)
    make_room(world, "T1", room_kind=RoomKind.TRAINING_ROOM, capacity=30)
    said: list[str] = []
    demo.build(world.park, actor=builder.system_user(), seed=7, say=said.append)
    bookings = VenueBooking.objects.filter(park=world.park)
    assert set(bookings.values_list("status", flat=True)) == {"approved", "pending", "rejected", "cancelled"}
    assert bookings.count() == len(demo.PLAN) and said
    assert audit_count(VenueBooking, "create") == bookings.count()
    assert bookings.filter(status="approved", decided_by=world.persons["operator"]).exists()
    assert selectors.approval_queue(user=world.operator).count() == 3
    _no_double_booking(world.park)
    demo.build(world.park, actor=builder.system_user(), seed=7)  # once per park
    assert VenueBooking.objects.filter(park=world.park).count() == bookings.count()


@pytest.mark.django_db
def test_demo_on_the_demo_parks_venues(monkeypatch):
    """On the teaching demo's rooms and published timetable (other apps' parts left out)."""
    monkeypatch.setattr(builder, "DEMO_EXTENSIONS", [])
    actor = builder.system_user()
    park = builder.build_park(builder.plan_for_database(seed=7, students=300), actor=actor)
    teaching_demo.build(park, actor=actor, seed=7)
    demo.build(park, actor=actor, seed=7)
    bookings = VenueBooking.objects.filter(park=park)
    kinds = set(bookings.values_list("room__room_kind", flat=True))
    assert {RoomKind.GYMNASIUM, RoomKind.SPORTS_FIELD, RoomKind.MEETING_ROOM} <= kinds
    assert bookings.filter(status="approved").count() >= 2 and bookings.filter(status="pending").exists()
    _no_double_booking(park)
