"""Services of venue booking: the life of a request, who may do what, and every refusal with its reason."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from iepark.careers.models import Notification
from iepark.teaching.choices import RoomKind, TimetableStatus
from iepark.teaching.models import Room
from iepark.teaching.tests.factories import make_room
from iepark.teaching.venues import selectors, services
from iepark.teaching.venues.models import VenueBooking
from iepark.testing import audit_count

from .factories import T, gym, meeting_room, next_weekday, published_timetable, request, unavailable


def _texts(user) -> list[str]:
    return [n.text for n in Notification.objects.filter(recipient=user)]


def _errors(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- the life of a request -------------------------------------------------------------------------------


def test_a_student_requests_and_the_operator_approves(world):
    room = gym(world)
    booking = request(world, room=room)
    assert booking.status == "pending" and booking.organisation == world.college_a
    assert booking.requester == world.persons["student_a"] and booking.park == world.park
    assert audit_count(booking, "create", booking.pk) == 1
    [told] = _texts(world.operator)
    assert booking.reference in told and "awaits approval" in told
    assert _texts(world.student_a) == []

    services.booking_approve(actor=world.operator, booking=booking, note="Enjoy")
    booking.refresh_from_db()
    assert booking.status == "approved" and booking.decided_by == world.persons["operator"]
    assert booking.decided_at is not None and booking.decision_note == "Enjoy"
    assert audit_count(booking, "update", booking.pk) == 1
    assert any("is approved" in t for t in _texts(world.student_a))


def test_an_approver_booking_is_approved_at_once_and_nobody_is_asked(world):
    booking = request(world, "operator", organisation=world.operator_org)
    assert booking.status == "approved" and booking.decided_by == world.persons["operator"]
    assert Notification.objects.count() == 0


def test_the_owner_organisations_admins_approve_their_rooms(world):
    room = make_room(world, "T1", room_kind=RoomKind.TRAINING_ROOM, capacity=30, owner=world.college_a)
    booking = request(world, "hr_e1", room=room)
    assert booking.organisation == world.enterprise_1
    assert world.college_a_admin in [n.recipient for n in Notification.objects.filter(kind="venues.requested")]
    for who in ("college_b_admin", "student_a", "hr_e2", "teacher_a"):
        with pytest.raises(PermissionDenied):
            services.booking_approve(actor=world.users[who], booking=booking)
    services.booking_approve(actor=world.college_a_admin, booking=booking)
    booking.refresh_from_db()
    assert booking.status == "approved"


def test_the_operator_approves_every_room_of_the_park_but_not_of_another(world):
    room = make_room(world, "T2", room_kind=RoomKind.TRAINING_ROOM, owner=world.college_b)
    booking = request(world, room=room)
    with pytest.raises(PermissionDenied):
        services.booking_approve(actor=world.users["other_admin"], booking=booking)
    services.booking_approve(actor=world.operator, booking=booking)
    assert VenueBooking.objects.get(pk=booking.pk).status == "approved"


def test_reject_needs_a_reason_and_tells_the_requester(world):
    booking = request(world)
    with pytest.raises(ValidationError) as excinfo:
        services.booking_reject(actor=world.operator, booking=booking, reason="  ")
    assert "reason" in _errors(excinfo)
    with pytest.raises(PermissionDenied):
        services.booking_reject(actor=world.student_b, booking=booking, reason="no")
    services.booking_reject(actor=world.operator, booking=booking, reason="The floor is being varnished")
    booking.refresh_from_db()
    assert booking.status == "rejected" and booking.decision_note == "The floor is being varnished"
    assert any("rejected: The floor is being varnished" in t for t in _texts(world.student_a))
    with pytest.raises(ValidationError) as excinfo:
        services.booking_approve(actor=world.operator, booking=booking)
    assert "status" in _errors(excinfo)


def test_the_requester_cancels_an_approver_cancels_with_a_reason(world):
    mine = request(world)
    with pytest.raises(PermissionDenied):
        services.booking_cancel(actor=world.student_b, booking=mine)
    with pytest.raises(ValidationError) as excinfo:
        services.booking_cancel(actor=world.operator, booking=mine, reason="x")
    assert "status" in _errors(excinfo)  # a pending request is rejected, not cancelled, by an approver
    services.booking_cancel(actor=world.student_a, booking=mine)
    mine.refresh_from_db()
    assert mine.status == "cancelled" and mine.cancelled_at is not None
    with pytest.raises(ValidationError) as excinfo:
        services.booking_cancel(actor=world.student_a, booking=mine)
    assert "status" in _errors(excinfo)

    approved = request(world, start_time=T("10:00"), end_time=T("11:00"))
    services.booking_approve(actor=world.operator, booking=approved)
    with pytest.raises(ValidationError) as excinfo:
        services.booking_cancel(actor=world.operator, booking=approved)
    assert "reason" in _errors(excinfo)
    services.booking_cancel(actor=world.operator, booking=approved, reason="Fire drill in the gym")
    approved.refresh_from_db()
    assert approved.status == "cancelled" and approved.cancel_reason == "Fire drill in the gym"
    assert any("cancelled: Fire drill in the gym" in t for t in _texts(world.student_a))


def test_a_pending_request_is_changed_then_frozen_once_decided(world):
    booking = request(world)
    services.booking_update(
        actor=world.student_a, booking=booking, data={"start_time": T("19:00"), "end_time": T("21:00")}
    )
    booking.refresh_from_db()
    assert booking.time_label == "19:00–21:00"
    assert audit_count(booking, "update", booking.pk) == 1
    with pytest.raises(PermissionDenied):
        services.booking_update(actor=world.student_b, booking=booking, data={"attendees": 3})
    with pytest.raises(ValidationError) as excinfo:
        services.booking_update(actor=world.student_a, booking=booking, data={"attendees": 5000})
    assert "attendees" in _errors(excinfo)
    services.booking_approve(actor=world.operator, booking=booking)
    with pytest.raises(ValidationError) as excinfo:
        services.booking_update(actor=world.student_a, booking=booking, data={"attendees": 3})
    assert "status" in _errors(excinfo)


# --- bad input ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"start_time": T("20:00"), "end_time": T("18:00")}, "end_time", "must end after it starts"),
        ({"start_time": T("18:00"), "end_time": T("18:00")}, "end_time", "must end after it starts"),
        ({"date": datetime.date(2020, 1, 6)}, "date", "The date has passed"),
        ({"date": datetime.date.today() + datetime.timedelta(days=800)}, "date", "at most 366 days ahead"),
        ({"attendees": 201}, "attendees", "holds at most 200 people"),
        ({"attendees": 0}, "attendees", "at least one"),
        ({"purpose": "  "}, "purpose", "what the venue is for"),
    ],
)
def test_bad_input_names_the_field(world, fields, field, text):
    with pytest.raises(ValidationError) as excinfo:
        request(world, **fields)
    messages = _errors(excinfo)
    assert field in messages and text in " ".join(messages[field]), messages
    assert not VenueBooking.objects.exists()


def test_rooms_that_cannot_be_booked(world):
    lab = make_room(world, "L1", room_kind=RoomKind.LAB)
    with pytest.raises(ValidationError) as excinfo:
        request(world, room=lab)
    assert "laboratory cannot be booked" in _errors(excinfo)["room"][0]
    closed = gym(world, number="G9", is_active=False)
    with pytest.raises(ValidationError) as excinfo:
        request(world, room=closed)
    assert "not in use" in _errors(excinfo)["room"][0]
    foreign = make_room(world, "X1", park=world.other_park, room_kind=RoomKind.GYMNASIUM)
    with pytest.raises(ValidationError) as excinfo:
        request(world, room=foreign)
    assert "Choose a room" in _errors(excinfo)["room"][0]
    assert not VenueBooking.objects.exists()


def test_one_books_only_for_ones_own_organisation(world):
    with pytest.raises(ValidationError) as excinfo:
        request(world, organisation=world.enterprise_1)
    assert "organisation you belong to" in _errors(excinfo)["organisation"][0]
    with pytest.raises(ValidationError) as excinfo:
        request(world, "operator", organisation=world.other_college)
    assert "room's park" in _errors(excinfo)["organisation"][0]
    # An approver books on behalf of another organisation of the park.
    assert request(world, "operator", organisation=world.college_b).organisation == world.college_b


def test_people_outside_the_park_cannot_book(world):
    room = gym(world)
    for who in ("other_admin", "outsider"):
        with pytest.raises((PermissionDenied, ValidationError)):
            request(world, who, room=room)
    assert not VenueBooking.objects.exists()


# --- no double booking --------------------------------------------------------------------------------------


def test_an_approved_booking_takes_the_room(world):
    room = gym(world)
    first = request(world, "operator", room=room, organisation=world.operator_org)
    with pytest.raises(ValidationError) as excinfo:
        request(world, room=room, start_time=T("19:30"), end_time=T("21:00"))
    [message] = _errors(excinfo)["room"]
    assert message == f"Room {room} is taken 18:00–20:00 by the booking {first.reference}."
    # Back to back is fine.
    assert request(world, room=room, start_time=T("20:00"), end_time=T("21:00")).status == "pending"


def test_pending_requests_overlap_until_one_is_approved(world):
    room = gym(world)
    a = request(world, room=room)
    b = request(world, "student_b", room=room, start_time=T("19:00"), end_time=T("21:00"))
    services.booking_approve(actor=world.operator, booking=a)
    with pytest.raises(ValidationError) as excinfo:
        services.booking_approve(actor=world.operator, booking=b)
    assert f"by the booking {a.reference}" in _errors(excinfo)["room"][0]
    b.refresh_from_db()
    assert b.status == "pending"
    services.booking_cancel(actor=world.student_a, booking=a)
    services.booking_approve(actor=world.operator, booking=b)
    assert VenueBooking.objects.get(pk=b.pk).status == "approved"


def test_the_published_timetable_takes_the_room(world):
    room = gym(world)
    published_timetable(world, room, day_of_week=2, period=5)  # Wednesdays 14:00–14:45
    with pytest.raises(ValidationError) as excinfo:
        request(world, room=room, start_time=T("13:00"), end_time=T("14:30"))
    [message] = _errors(excinfo)["room"]
    assert message == f"Room {room} is taken 14:00–14:45 by the published timetable: course PE101 Physical education."
    # Another weekday, or after the lecture, is free.
    assert request(world, room=room, date=next_weekday(3), start_time=T("14:00"), end_time=T("15:00"))
    assert request(world, room=room, start_time=T("14:45"), end_time=T("16:00"))


def test_a_pending_request_is_refused_at_approval_when_the_timetable_was_published_since(world):
    room = gym(world)
    booking = request(world, room=room, start_time=T("14:00"), end_time=T("15:00"))
    published_timetable(world, room, day_of_week=2, period=5)
    with pytest.raises(ValidationError) as excinfo:
        services.booking_approve(actor=world.operator, booking=booking)
    assert "by the published timetable: course PE101" in _errors(excinfo)["room"][0]


def test_only_the_published_timetable_on_teaching_dates_counts(world):
    room = gym(world)
    day = next_weekday(2)
    term, run = published_timetable(world, room, day_of_week=2, period=5)
    run.status = TimetableStatus.DRAFT
    run.save()
    assert request(world, room=room, start_time=T("14:00"), end_time=T("15:00")).status == "pending"
    run.status = TimetableStatus.PUBLISHED
    run.save()
    term.holidays = [day.isoformat()]
    term.save()
    assert selectors.conflicts(room.pk, day, T("14:00"), T("15:00")) == []
    term.holidays = []
    term.save()
    assert [b.kind for b in selectors.conflicts(room.pk, day, T("14:00"), T("15:00"))] == ["timetable"]
    # Outside the term's dates nothing is taught.
    later = term.end_date + datetime.timedelta(days=7 - term.end_date.weekday() + 2)
    assert later.weekday() == 2 and selectors.conflicts(room.pk, later, T("14:00"), T("15:00")) == []


def test_unavailable_times_take_the_room(world):
    room = meeting_room(world)
    unavailable(room, day_of_week=2, first=1, last=2, reason="Weekly staff meeting")
    with pytest.raises(ValidationError) as excinfo:
        request(world, room=room, start_time=T("09:00"), end_time=T("10:00"))
    [message] = _errors(excinfo)["room"]
    assert message == f"Room {room} is unavailable 08:00–09:40: Weekly staff meeting."
    assert request(world, room=room, start_time=T("09:40"), end_time=T("10:30"))


def test_unavailability_dates_bound_it(world):
    room = meeting_room(world)
    row = unavailable(room, day_of_week=2, first=1, last=2)
    row.end_date = timezone.localdate() - datetime.timedelta(days=1)
    row.save()
    assert request(world, room=room, start_time=T("08:00"), end_time=T("09:00")).status == "pending"


def test_free_rooms_leave_out_taken_ones_and_filter(world):
    from iepark.teaching.tests.factories import make_feature

    projector = make_feature(world.park, "投影")
    g = gym(world)
    m = meeting_room(world, features=[projector])
    small = meeting_room(world, number="M502", capacity=8)
    make_room(world, "L1", room_kind=RoomKind.LAB)
    day = next_weekday(2)

    def free(**kw):
        rows = selectors.free_rooms(user=world.student_a, day=day, start=T("18:00"), end=T("19:00"), **kw)
        return [r.room for r in rows]

    assert free() == [g, m, small]  # the lab is not bookable
    assert free(room_kind=RoomKind.MEETING_ROOM, min_capacity=10) == [m]
    assert free(features=[projector]) == [m]
    request(world, "operator", room=g, organisation=world.operator_org)
    assert g not in free()
    pending = request(world, room=m)
    rows = selectors.free_rooms(user=world.student_a, day=day, start=T("18:00"), end=T("19:00"))
    assert {r.room: r.pending for r in rows}[m] == 1 and pending.status == "pending"
    assert selectors.free_rooms(user=world.users["other_admin"], day=day, start=T("18:00"), end=T("19:00")) == []


def test_room_week_hides_other_peoples_details(world):
    room = gym(world)
    published_timetable(world, room, day_of_week=2, period=5)
    approved = request(world, "operator", room=room, organisation=world.operator_org, purpose="Staff party")
    request(world, "student_b", room=room, start_time=T("20:00"), end_time=T("21:00"), purpose="Secret plan")
    monday = next_weekday(0)
    wednesday = dict(selectors.room_week(user=world.student_a, room=room, monday=monday))[next_weekday(2)]
    assert [s.kind for s in wednesday] == ["timetable", "booking"]
    assert wednesday[1].details_visible is False  # taken, without the purpose or the person
    mine = dict(selectors.room_week(user=world.student_b, room=room, monday=monday))[next_weekday(2)]
    assert [s.kind for s in mine] == ["timetable", "booking", "pending"] and mine[2].details_visible
    desk = dict(selectors.room_week(user=world.operator, room=room, monday=monday))[next_weekday(2)]
    assert desk[1].details_visible and desk[1].booking == approved


def test_who_sees_which_booking(world):
    room = gym(world)
    booking = request(world, room=room)

    def sees(who):
        return selectors.booking_list(user=world.users[who]).filter(pk=booking.pk).exists()

    for who in ("student_a", "operator", "park_admin", "college_a_admin"):
        assert sees(who), who
    for who in ("student_b", "college_b_admin", "hr_e1", "teacher_a", "committee", "other_admin", "outsider"):
        assert not sees(who), who
    assert list(selectors.approval_queue(user=world.operator)) == [booking]
    assert list(selectors.approval_queue(user=world.college_a_admin)) == []  # not the room's owner
    assert list(selectors.my_bookings(user=world.student_a)) == [booking]
    assert Room.objects.filter(pk=room.pk).exists()


def test_past_bookings_stay_as_they_were(world):
    past = timezone.localdate() - datetime.timedelta(days=3)
    approved = request(world, "operator", organisation=world.operator_org)
    pending = request(world, start_time=T("08:00"), end_time=T("09:00"))
    VenueBooking.objects.filter(pk__in=[approved.pk, pending.pk]).update(date=past)  # time passes
    approved.refresh_from_db()
    pending.refresh_from_db()
    assert not services.may_cancel(world.operator, approved)
    with pytest.raises(ValidationError) as excinfo:
        services.booking_cancel(actor=world.operator, booking=approved, reason="late")
    assert "has ended" in _errors(excinfo)["status"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.booking_approve(actor=world.operator, booking=pending)
    assert "date" in _errors(excinfo)
    services.booking_cancel(actor=world.student_a, booking=pending)  # a stale request is withdrawn
    assert VenueBooking.objects.get(pk=pending.pk).status == "cancelled"


def test_a_room_taken_out_of_use_is_not_approved(world):
    room = gym(world)
    booking = request(world, room=room)
    Room.objects.filter(pk=room.pk).update(is_active=False)
    with pytest.raises(ValidationError) as excinfo:
        services.booking_approve(actor=world.operator, booking=booking)
    assert "not in use" in _errors(excinfo)["room"][0]
