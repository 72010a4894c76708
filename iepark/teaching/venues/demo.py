"""
The venue bookings of the demo park, written through this app's services (deterministic for a day).

Requests by the park's students, teachers and enterprise staff of the gymnasium, the sports field,
the meeting room and a training room in the coming days: some approved by the operating company's
staff, some pending in the approval queue, one rejected with its reason and one cancelled by its
requester. A time that the published timetable (or another booking) already takes is moved to
the next day, so the demo never breaks the "no double booking" rule it shows.
"""

from __future__ import annotations

import contextlib
import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from iepark.core.choices import Role
from iepark.core.selectors import role_users
from iepark.teaching.choices import RoomKind
from iepark.teaching.models import Room

from . import services
from .models import VenueBooking

# (room kind, days ahead, start, end, purpose, people, requester role, outcome)
PLAN: list[tuple[str, int, str, str, str, int, str, str]] = [
    (RoomKind.GYMNASIUM, 2, "18:30", "20:30", "篮球友谊赛（煤化工2401班 对 2402班）", 40, Role.STUDENT, "approved"),
    (RoomKind.SPORTS_FIELD, 5, "09:00", "11:30", "园区运动会开幕式彩排", 300, Role.TEACHER, "approved"),
    (RoomKind.MEETING_ROOM, 1, "18:00", "19:30", "订单班企业宣讲会", 35, Role.ENTERPRISE_HR, "approved"),
    (RoomKind.GYMNASIUM, 3, "19:00", "21:00", "羽毛球社团训练", 24, Role.STUDENT, "pending"),
    (RoomKind.MEETING_ROOM, 4, "18:30", "20:00", "校企合作座谈会", 30, Role.TEACHER, "pending"),
    (RoomKind.SPORTS_FIELD, 6, "16:00", "18:00", "足球训练", 30, Role.STUDENT, "pending"),
    (RoomKind.TRAINING_ROOM, 6, "09:00", "12:00", "技能大赛集训（周末）", 20, Role.TEACHER, "rejected"),
    (RoomKind.MEETING_ROOM, 8, "18:00", "19:00", "学生会例会", 15, Role.STUDENT, "cancelled"),
]


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def build(park: Any, *, actor: Any, seed: int = 0, say: Any = None) -> None:
    """Add the demo park's venue bookings (once per park)."""
    say = say or (lambda message: None)
    if VenueBooking.objects.filter(park=park).exists():
        return
    rooms = {
        kind: Room.objects.filter(park=park, room_kind=kind, is_active=True).order_by("building", "number").first()
        for kind in {row[0] for row in PLAN}
    }
    approvers = role_users([Role.OPERATOR_STAFF], park=park) or [actor]
    today = timezone.localdate()
    made = 0
    for i, (kind, ahead, start, end, purpose, people, role, outcome) in enumerate(PLAN):
        room = rooms.get(kind)
        if room is None:
            continue
        users = role_users([role], park=park)
        requester = users[i % len(users)] if users else actor
        booking = None
        for shift in range(10):
            try:
                booking = services.booking_request(
                    actor=requester,
                    room=room,
                    date=today + datetime.timedelta(days=ahead + shift),
                    start_time=_time(start),
                    end_time=_time(end),
                    purpose=purpose,
                    attendees=min(people, room.capacity),
                )
                break
            except ValidationError:
                continue
        if booking is None:
            continue
        made += 1
        approver = approvers[i % len(approvers)]
        if outcome == "approved" and booking.status == "pending":
            with contextlib.suppress(ValidationError):  # the time was taken meanwhile: it stays pending
                services.booking_approve(actor=approver, booking=booking, note="")
        elif outcome == "rejected" and booking.status == "pending":
            services.booking_reject(actor=approver, booking=booking, reason="该实训室当天设备检修，请改约下周。")
        elif outcome == "cancelled":
            services.booking_cancel(actor=requester, booking=booking, reason="活动延期")
    say(f"venues: {made} venue bookings")
