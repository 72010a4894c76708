"""Review: read-only fields of a booking cannot be set through the API, on creation or change."""

from __future__ import annotations

from iepark.teaching.venues.models import VenueBooking

from .factories import gym, next_weekday, request


def test_status_decider_requester_and_park_are_not_assignable(world, api):
    room = gym(world)
    payload = {
        "room": room.pk,
        "date": next_weekday(3).isoformat(),
        "start_time": "18:00",
        "end_time": "19:00",
        "purpose": "Training",
        "attendees": 10,
        "status": "approved",
        "decided_by": world.persons["operator"].pk,
        "decided_at": "2025-01-01T00:00:00Z",
        "requester": world.persons["student_b"].pk,
        "park": world.other_park.pk,
    }
    made = api(world.student_a).post("/api/v1/venue-bookings/", payload, format="json")
    assert made.status_code == 201, made.content
    booking = VenueBooking.objects.get(pk=made.json()["id"])
    assert booking.status == "pending" and booking.decided_by is None and booking.decided_at is None
    assert booking.requester == world.persons["student_a"] and booking.park == world.park

    url = f"/api/v1/venue-bookings/{booking.pk}/"
    changed = api(world.student_a).patch(url, {"status": "approved", "decided_by": world.persons["student_a"].pk})
    assert changed.status_code == 200
    booking.refresh_from_db()
    assert booking.status == "pending" and booking.decided_by is None


def test_an_approved_booking_cannot_be_moved_by_anyone(world, api):
    booking = request(world)
    api(world.operator).post(f"/api/v1/venue-bookings/{booking.pk}/approve/", {}, format="json")
    for who in ("student_a", "operator"):
        response = api(world.users[who]).patch(
            f"/api/v1/venue-bookings/{booking.pk}/", {"start_time": "07:00"}, format="json"
        )
        assert response.status_code == 400 and "status" in response.json(), who
    booking.refresh_from_db()
    assert booking.status == "approved" and booking.start_time.hour == 18
