"""
Concurrent approvals and bookings of one room at one time on PostgreSQL: exactly one is accepted.

Each thread has its own connection and transaction; the room's row lock taken by the approving
service makes the others wait and then see the first booking (no double booking).
"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import translation

from iepark.core.choices import Role
from iepark.core.models import Membership
from iepark.teaching.venues import services
from iepark.teaching.venues.models import VenueBooking
from iepark.testing import build_world

from .factories import START_OF_MEMBERSHIPS, T, gym, next_weekday, request

THREADS = 8


def _race(calls) -> list[object]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = []
    lock = threading.Lock()

    def run(call) -> None:
        try:
            barrier.wait()
            with translation.override("en"):  # the active language is per thread: name messages in English
                call()
            result: object = "ok"
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            result = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def _skip_unless_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent transactions are a PostgreSQL matter; SQLite serialises writers")


def _assert_one_accepted(outcomes, room) -> None:
    assert outcomes.count("ok") == 1, outcomes
    refusals = [o for o in outcomes if o != "ok"]
    assert all(isinstance(o, ValidationError) and "room" in o.message_dict for o in refusals), refusals
    assert all(f"Room {room} is taken" in o.message_dict["room"][0] for o in refusals), refusals
    assert VenueBooking.objects.filter(room=room, status="approved").count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_of_overlapping_requests_accept_exactly_one():
    _skip_unless_postgres()
    world = build_world()
    room = gym(world)
    requests = [
        request(
            world, room=room, start_time=T(f"{17 + i % 3}:00"), end_time=T(f"{19 + i % 3}:30"), purpose=f"Match {i}"
        )
        for i in range(THREADS)
    ]
    assert all(b.status == "pending" for b in requests)
    outcomes = _race([lambda b=b: services.booking_approve(actor=world.operator, booking=b) for b in requests])
    _assert_one_accepted(outcomes, room)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_direct_bookings_by_approvers_accept_exactly_one():
    _skip_unless_postgres()
    world = build_world()
    room = gym(world)
    # Several members of the operating company's staff book the same slot at once (approved at once).
    staff = [world.operator]
    from django.contrib.auth import get_user_model

    from iepark.core.models import Person

    for i in range(THREADS - 1):
        person = Person.objects.create(park=world.park, name=f"运营{i}")
        person.user = get_user_model().objects.create_user(username=f"op{i}", password="x")
        person.save()
        Membership.objects.create(
            person=person, organisation=world.operator_org, role=Role.OPERATOR_STAFF, start_date=START_OF_MEMBERSHIPS
        )
        staff.append(person.user)
    day = next_weekday(4)
    outcomes = _race(
        [
            lambda u=u: services.booking_request(
                actor=u,
                room=room,
                organisation=world.operator_org,
                date=day,
                start_time=T("18:00"),
                end_time=T("20:00"),
                purpose="Staff badminton",
                attendees=10,
            )
            for u in staff
        ]
    )
    _assert_one_accepted(outcomes, room)
