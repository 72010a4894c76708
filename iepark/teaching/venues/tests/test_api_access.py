"""Standard access tests of the venue booking endpoint and pages, refusals of every action, free rooms."""

from __future__ import annotations

from iepark.teaching.choices import RoomKind
from iepark.teaching.tests.factories import make_room
from iepark.teaching.venues import services
from iepark.teaching.venues.models import VenueBooking
from iepark.testing import ApiAccessSuite

from .factories import T, gym, next_weekday, request

# Nobody of these sees a student's request of the operator's gym: other students, other colleges'
# and enterprises' staff, the student's own teacher (not an administrator), another park.
OUTSIDERS = ("student_b", "college_b_admin", "hr_e1", "teacher_a", "committee", "mentor_e1", "other_admin", "outsider")


class TestVenueBookingAccess(ApiAccessSuite):
    basename = "venuebooking"
    readers = ("operator",)  # approves every room of the park
    readonly = ("park_admin", "college_a_admin")  # the park's overseer; the requester's college administrators
    writer = "student_a"  # the requester
    outsiders = OUTSIDERS
    page_list, page_detail, page_edit = "venuebooking_list", "venuebooking_detail", "venuebooking_edit"

    def own(self, world):
        return VenueBooking.objects.filter(purpose="Basketball match").first() or request(world)

    def create_payload(self, world):
        room = VenueBooking.objects.filter(purpose="Basketball match").values_list("room", flat=True).first()
        return {
            "room": room or gym(world, number="G2").pk,
            "date": next_weekday(3).isoformat(),
            "start_time": "18:00",
            "end_time": "19:30",
            "purpose": "Volleyball training",
            "attendees": 14,
        }

    def update_payload(self, world, obj):
        return {"purpose": "Basketball final", "attendees": 30}

    def foreign_payload(self, world):
        foreign = make_room(world, "X1", park=world.other_park, room_kind=RoomKind.GYMNASIUM)
        return dict(self.create_payload(world), room=foreign.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), start_time="20:00", end_time="19:00"), "end_time"

    def make_many(self, world, n, start):
        room = self.own(world).room
        for i in range(n):
            request(world, room=room, date=next_weekday(i % 7, 2), purpose=f"Training {start + i}")


def _post(api, user, booking, step, body=None):
    return api(user).post(f"/api/v1/venue-bookings/{booking.pk}/{step}/", body or {}, format="json")


def test_decisions_are_refused_to_everybody_but_the_approvers(world, api):
    booking = request(world)
    for step, body in (("approve", {}), ("reject", {"reason": "no"})):
        for who in ("student_a", "park_admin", "college_a_admin"):  # they see it, they do not approve it
            assert _post(api, world.users[who], booking, step, body).status_code == 403, (step, who)
        for who in OUTSIDERS:
            assert _post(api, world.users[who], booking, step, body).status_code == 404, (step, who)
        assert _post(api, None, booking, step, body).status_code in (401, 403)
    for who in OUTSIDERS:
        assert _post(api, world.users[who], booking, "cancel", {"reason": "x"}).status_code == 404, who
    assert _post(api, world.park_admin, booking, "cancel", {"reason": "x"}).status_code == 403
    booking.refresh_from_db()
    assert booking.status == "pending"


def test_the_whole_cycle_through_the_api(world, api):
    room = gym(world)
    created = api(world.student_a).post(
        "/api/v1/venue-bookings/",
        {
            "room": room.pk,
            "date": next_weekday(2).isoformat(),
            "start_time": "18:00",
            "end_time": "20:00",
            "purpose": "Class party",
            "attendees": 40,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "pending" and body["organisation"] == world.college_a.pk
    assert body["reference"].startswith("VB-") and body["requester"] == world.persons["student_a"].pk
    pk = body["id"]
    booking = VenueBooking.objects.get(pk=pk)
    bad = _post(api, world.operator, booking, "reject", {"reason": ""})
    assert bad.status_code == 400 and "reason" in bad.json()
    done = _post(api, world.operator, booking, "approve", {"note": "OK"})
    assert done.status_code == 200 and done.json()["status"] == "approved"
    again = _post(api, world.operator, booking, "approve")
    assert again.status_code == 400 and "status" in again.json()
    late = api(world.student_a).patch(f"/api/v1/venue-bookings/{pk}/", {"attendees": 5}, format="json")
    assert late.status_code == 400 and "status" in late.json()
    clash = api(world.student_b).post(
        "/api/v1/venue-bookings/",
        {
            "room": room.pk,
            "date": next_weekday(2).isoformat(),
            "start_time": "19:00",
            "end_time": "21:00",
            "purpose": "Dance rehearsal",
            "attendees": 10,
        },
        format="json",
    )
    assert clash.status_code == 400
    assert clash.json()["room"] == [f"Room {room} is taken 18:00–20:00 by the booking {booking.reference}."]
    cancelled = _post(api, world.operator, booking, "cancel", {"reason": "Heating failure"})
    assert cancelled.status_code == 200 and cancelled.json()["cancel_reason"] == "Heating failure"
    rows = api(world.student_a).get("/api/v1/venue-bookings/", {"status": "cancelled"}).json()["results"]
    assert [r["id"] for r in rows] == [pk]


def test_bad_input_through_the_api_names_the_field(world, api):
    room = gym(world)
    lab = make_room(world, "L1", room_kind=RoomKind.LAB)
    base = {
        "room": room.pk,
        "date": next_weekday(2).isoformat(),
        "start_time": "18:00",
        "end_time": "20:00",
        "purpose": "Match",
        "attendees": 10,
    }
    cases = [
        ({"room": 999999}, "room"),
        ({"room": lab.pk}, "room"),
        ({"date": "2020-01-06"}, "date"),
        ({"date": "2026-02-30"}, "date"),
        ({"attendees": 201}, "attendees"),
        ({"end_time": "17:00"}, "end_time"),
        ({"organisation": world.enterprise_1.pk}, "organisation"),
    ]
    for change, field in cases:
        response = api(world.student_a).post("/api/v1/venue-bookings/", dict(base, **change), format="json")
        assert response.status_code == 400 and field in response.json(), (change, response.content)
    assert not VenueBooking.objects.exists()


def test_free_rooms_endpoint(world, api):
    g = gym(world)
    m = make_room(world, "M1", room_kind=RoomKind.MEETING_ROOM, capacity=20)
    request(world, "operator", room=g, organisation=world.operator_org)
    query = {"date": next_weekday(2).isoformat(), "start_time": "18:30", "end_time": "19:00"}
    rows = api(world.student_a).get("/api/v1/venue-bookings/free-rooms/", query).json()
    assert [r["id"] for r in rows] == [m.pk] and rows[0]["capacity"] == 20
    rows = (
        api(world.student_a)
        .get("/api/v1/venue-bookings/free-rooms/", dict(query, start_time="20:00", end_time="21:00"))
        .json()
    )
    assert [r["id"] for r in rows] == [g.pk, m.pk]
    rows = (
        api(world.student_a)
        .get("/api/v1/venue-bookings/free-rooms/", dict(query, min_capacity=100, start_time="20:00", end_time="21:00"))
        .json()
    )
    assert [r["id"] for r in rows] == [g.pk]
    bad = api(world.student_a).get("/api/v1/venue-bookings/free-rooms/", dict(query, end_time="18:00"))
    assert bad.status_code == 400 and "end_time" in bad.json()
    assert api(world.users["other_admin"]).get("/api/v1/venue-bookings/free-rooms/", query).json() == []
    assert api(None).get("/api/v1/venue-bookings/free-rooms/", query).status_code in (401, 403)


def test_an_enterprise_sees_its_own_bookings_only(world, api):
    room = make_room(world, "M1", room_kind=RoomKind.MEETING_ROOM, capacity=20)
    theirs = request(world, "hr_e2", room=room, start_time=T("09:00"), end_time=T("10:00"), purpose="Interviews")
    mine = request(world, "mentor_e1", room=room, purpose="Mentor meeting")
    assert mine.organisation == world.enterprise_1
    ids = {r["id"] for r in api(world.hr_e1).get("/api/v1/venue-bookings/").json()["results"]}
    assert ids == {mine.pk}
    assert api(world.hr_e1).get(f"/api/v1/venue-bookings/{theirs.pk}/").status_code == 404
    services.booking_approve(actor=world.operator, booking=theirs)
    assert api(world.hr_e1).get(f"/api/v1/venue-bookings/{theirs.pk}/").status_code == 404


def test_the_operator_books_for_another_organisation_of_the_park(world, api):
    room = gym(world)
    payload = {
        "room": room.pk,
        "date": next_weekday(4).isoformat(),
        "start_time": "18:00",
        "end_time": "20:00",
        "purpose": "College B sports evening",
        "attendees": 80,
        "organisation": world.college_b.pk,
    }
    made = api(world.operator).post("/api/v1/venue-bookings/", payload, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["status"] == "approved" and made.json()["organisation"] == world.college_b.pk
    refused = api(world.operator).post(
        "/api/v1/venue-bookings/",
        dict(payload, organisation=world.other_college.pk, start_time="20:00", end_time="21:00"),
        format="json",
    )
    assert refused.status_code == 400 and "organisation" in refused.json()
