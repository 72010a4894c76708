"""Test data of venue booking: rooms, terms and timetables written directly; bookings through the services."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from iepark.teaching.choices import RoomKind, TimetableStatus
from iepark.teaching.models import Room, RoomUnavailability, TimetableEntry, TimetableRun
from iepark.teaching.tests.factories import make_cohort, make_course, make_room, make_term
from iepark.teaching.venues import services
from iepark.teaching.venues.models import VenueBooking


def next_weekday(weekday: int, weeks_ahead: int = 1) -> datetime.date:
    """The date of ``weekday`` (0 = Monday) in the week ``weeks_ahead`` weeks from now (always in the future)."""
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(weeks=weeks_ahead)
    return monday + datetime.timedelta(days=weekday)


def T(text: str) -> datetime.time:  # noqa: N802 - reads like a literal
    return datetime.time.fromisoformat(text)


def gym(world, **fields: Any) -> Room:
    fields.setdefault("capacity", 200)
    fields.setdefault("building", "体育馆")
    return make_room(world, fields.pop("number", "G1"), room_kind=RoomKind.GYMNASIUM, **fields)


def meeting_room(world, **fields: Any) -> Room:
    fields.setdefault("capacity", 30)
    fields.setdefault("building", "综合楼")
    return make_room(world, fields.pop("number", "M501"), room_kind=RoomKind.MEETING_ROOM, **fields)


def request(world, who: str = "student_a", room: Room | None = None, **fields: Any) -> VenueBooking:
    data = {
        "room": room or Room.objects.filter(park=world.park, number="G1").first() or gym(world),
        "date": next_weekday(2),
        "start_time": T("18:00"),
        "end_time": T("20:00"),
        "purpose": "Basketball match",
        "attendees": 20,
    }
    data.update(fields)
    return services.booking_request(actor=world.users[who], **data)


def published_timetable(world, room: Room, *, day_of_week: int = 2, period: int = 5, term=None):
    """A term covering the coming weeks with a published timetable putting a course in ``room``."""
    if term is None:
        start = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday() + 7)
        term = make_term(
            world.park, name="当前学期", start_date=start, end_date=start + datetime.timedelta(days=18 * 7 - 3)
        )
    cohort = make_cohort(world)
    course = make_course(world, "PE101", term=term, name="体育", name_en="Physical education", cohorts=[cohort])
    run = TimetableRun.objects.create(term=term, status=TimetableStatus.PUBLISHED)
    TimetableEntry.objects.create(run=run, course=course, room=room, day_of_week=day_of_week, period=period)
    return term, run


def unavailable(room: Room, *, day_of_week: int = 2, first: int = 1, last: int = 2, reason: str = "Maintenance"):
    return RoomUnavailability.objects.create(
        room=room, day_of_week=day_of_week, first_period=first, last_period=last, reason=reason
    )


START_OF_MEMBERSHIPS = datetime.date(2020, 1, 1)
