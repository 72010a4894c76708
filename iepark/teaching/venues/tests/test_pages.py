"""Pages of venue booking: find and book, the approvers' queue and decisions, calendars, fixed query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from iepark.teaching.choices import RoomKind
from iepark.teaching.tests.factories import make_room
from iepark.teaching.venues import services
from iepark.teaching.venues.models import VenueBooking

from .factories import T, gym, meeting_room, next_weekday, published_timetable, request

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_find_a_free_venue_then_book_it(world, browser_client):
    g = gym(world)
    m = meeting_room(world)
    make_room(world, "L1", room_kind=RoomKind.LAB)
    request(world, "operator", room=g, organisation=world.operator_org)
    client = browser_client(world.student_a)
    assert client.get(reverse("venue_find")).status_code == 200
    day = next_weekday(2).isoformat()
    page = client.get(reverse("venue_find"), {"date": day, "start_time": "18:30", "end_time": "19:30"}, **EN)
    html = page.content.decode()
    assert f'data-room="{m.pk}"' in html and f'data-room="{g.pk}"' not in html
    book = f"{reverse('venuebooking_create')}?date={day}&amp;start_time=18%3A30&amp;end_time=19%3A30&amp;room={m.pk}"
    assert book in html
    form = client.get(f"{reverse('venuebooking_create')}?date={day}&start_time=18:30&end_time=19:30&room={m.pk}")
    assert form.status_code == 200 and f'value="{day}"' in form.content.decode()
    response = client.post(
        reverse("venuebooking_create"),
        {
            "room": m.pk,
            "date": day,
            "start_time": "18:30",
            "end_time": "19:30",
            "attendees": 12,
            "purpose": "Study group",
            "organisation": world.college_a.pk,
        },
    )
    booking = VenueBooking.objects.get(purpose="Study group")
    assert response.status_code == 302 and response["Location"] == reverse("venuebooking_detail", args=[booking.pk])
    assert booking.status == "pending"
    mine = client.get(reverse("venuebooking_mine")).content.decode()
    assert booking.reference in mine and "Study group" in mine


def test_find_with_bad_times_shows_the_error(world, browser_client):
    client = browser_client(world.student_a)
    page = client.get(
        reverse("venue_find"), {"date": next_weekday(2).isoformat(), "start_time": "19:00", "end_time": "18:00"}, **EN
    )
    assert page.status_code == 200 and "The booking must end after it starts." in page.content.decode()


def test_a_refused_request_shows_why_on_the_form(world, browser_client):
    g = gym(world)
    published_timetable(world, g, day_of_week=2, period=5)
    client = browser_client(world.student_a)
    response = client.post(
        reverse("venuebooking_create"),
        {
            "room": g.pk,
            "date": next_weekday(2).isoformat(),
            "start_time": "14:00",
            "end_time": "15:00",
            "attendees": 500,
            "purpose": "Match",
            "organisation": world.college_a.pk,
        },
        **EN,
    )
    html = response.content.decode()
    assert response.status_code == 200 and "holds at most 200 people" in html
    response = client.post(
        reverse("venuebooking_create"),
        {
            "room": g.pk,
            "date": next_weekday(2).isoformat(),
            "start_time": "14:00",
            "end_time": "15:00",
            "attendees": 50,
            "purpose": "Match",
            "organisation": world.college_a.pk,
        },
        **EN,
    )
    assert "by the published timetable: course PE101" in response.content.decode()
    assert not VenueBooking.objects.exists()


def test_the_approver_decides_from_the_queue_and_the_page(world, browser_client):
    a = request(world, purpose="Match A")
    b = request(world, "student_b", purpose="Match B")
    student = browser_client(world.student_a)
    assert student.get(reverse("venuebooking_queue")).status_code == 403
    detail = student.get(reverse("venuebooking_detail", args=[a.pk])).content.decode()
    assert reverse("venuebooking_step", args=[a.pk, "approve"]) not in detail
    assert reverse("venuebooking_step", args=[a.pk, "cancel"]) in detail
    assert student.post(reverse("venuebooking_step", args=[a.pk, "approve"])).status_code == 403
    assert browser_client(world.student_b).post(reverse("venuebooking_step", args=[a.pk, "approve"])).status_code == 404
    assert VenueBooking.objects.get(pk=a.pk).status == "pending"

    desk = browser_client(world.operator)
    queue = desk.get(reverse("venuebooking_queue")).content.decode()
    assert "Match A" in queue and "Match B" in queue
    response = desk.post(
        reverse("venuebooking_step", args=[a.pk, "approve"]), {"return_url": reverse("venuebooking_queue")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("venuebooking_queue")
    assert VenueBooking.objects.get(pk=a.pk).status == "approved"
    detail = desk.get(reverse("venuebooking_detail", args=[b.pk]), **EN).content.decode()
    assert "This time is no longer free" in detail and a.reference in detail
    response = desk.post(reverse("venuebooking_step", args=[b.pk, "approve"]), follow=True, **EN)
    assert f"by the booking {a.reference}" in response.content.decode()
    desk.post(reverse("venuebooking_step", args=[b.pk, "reject"]), {"reason": ""})
    assert VenueBooking.objects.get(pk=b.pk).status == "pending"
    desk.post(reverse("venuebooking_step", args=[b.pk, "reject"]), {"reason": "Taken"})
    assert VenueBooking.objects.get(pk=b.pk).status == "rejected"
    history = desk.get(reverse("venuebooking_history", args=[b.pk]))
    assert history.status_code == 200
    assert browser_client(world.student_b).get(reverse("venuebooking_history", args=[a.pk])).status_code == 404


def test_edit_while_pending_only(world, browser_client):
    booking = request(world)
    client = browser_client(world.student_a)
    url = reverse("venuebooking_edit", args=[booking.pk])
    assert client.get(url).status_code == 200
    data = {
        "room": booking.room_id,
        "date": booking.date.isoformat(),
        "start_time": "19:00",
        "end_time": "20:30",
        "attendees": 22,
        "purpose": "Basketball final",
        "organisation": world.college_a.pk,
    }
    assert client.post(url, data).status_code == 302
    booking.refresh_from_db()
    assert booking.purpose == "Basketball final" and booking.time_label == "19:00–20:30"
    services.booking_approve(actor=world.operator, booking=booking)
    assert client.get(url).status_code == 403


def test_room_calendar_shows_what_takes_the_room_to_whom(world, browser_client):
    g = gym(world)
    published_timetable(world, g, day_of_week=2, period=5)
    request(world, "operator", room=g, organisation=world.operator_org, purpose="Staff party")
    request(world, "student_b", room=g, start_time=T("20:00"), end_time=T("21:00"), purpose="Dance rehearsal")
    url = f"{reverse('venue_room_calendar', args=[g.pk])}?week={next_weekday(2).isoformat()}"
    student = browser_client(world.student_a).get(url, **EN).content.decode()
    assert "PE101" in student and "Taken" in student
    assert "Staff party" not in student and "Dance rehearsal" not in student
    desk = browser_client(world.operator).get(url, **EN).content.decode()
    assert "Staff party" in desk and "Dance rehearsal" in desk
    assert browser_client(world.users["other_admin"]).get(url).status_code == 404


def test_menu_shows_the_queue_to_approvers_only(world, browser_client):
    queue = reverse("venuebooking_queue")
    assert queue in browser_client(world.operator).get(reverse("venuebooking_mine")).content.decode()
    student = browser_client(world.student_a).get(reverse("venuebooking_mine")).content.decode()
    assert queue not in student and reverse("venue_find") in student


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_lists_and_calendars_run_a_fixed_number_of_queries(world, browser_client):
    g = gym(world)
    m = meeting_room(world)
    published_timetable(world, g, day_of_week=2, period=5)
    day = next_weekday(2)
    client = browser_client(world.operator)
    student = browser_client(world.student_a)
    urls = {
        "list": (client, reverse("venuebooking_list")),
        "queue": (client, reverse("venuebooking_queue")),
        "mine": (student, reverse("venuebooking_mine")),
        "calendar": (student, f"{reverse('venue_room_calendar', args=[g.pk])}?week={day.isoformat()}"),
        "find": (student, f"{reverse('venue_find')}?date={day.isoformat()}&start_time=08:00&end_time=22:00"),
    }

    def add(n, offset):
        for i in range(n):
            hour = 15 + (i + offset) % 7
            room = g if i % 2 else m
            request(world, room=room, date=day, start_time=T(f"{hour:02d}:00"), end_time=T(f"{hour:02d}:30"))
            if i % 3 == 0:
                request(
                    world,
                    "operator",
                    room=room,
                    date=next_weekday(5),
                    organisation=world.operator_org,
                    start_time=T(f"{hour:02d}:00"),
                    end_time=T(f"{hour:02d}:20"),
                )

    add(2, 0)
    small = {name: _count(c, url) for name, (c, url) in urls.items()}
    add(9, 3)
    make_room(world, "M9", room_kind=RoomKind.MEETING_ROOM)
    large = {name: _count(c, url) for name, (c, url) in urls.items()}
    assert large == small


def test_home_counts_the_requests_to_approve(world, browser_client):
    request(world)
    request(world, "student_b", purpose="Match B")
    home = browser_client(world.operator).get(reverse("home")).content.decode()
    assert reverse("venuebooking_queue") in home
    assert reverse("venuebooking_queue") not in browser_client(world.student_a).get(reverse("home")).content.decode()
