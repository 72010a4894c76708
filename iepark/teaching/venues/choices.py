"""Enumerations of venue booking."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from iepark.teaching.choices import RoomKind


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


# Bookings that hold their room (or ask for it).
ACTIVE_STATUSES = (BookingStatus.PENDING, BookingStatus.APPROVED)

# The kinds of room anybody in the park may book outside the timetable. Labs and computer rooms are
# left out: their equipment is run by their college and lent only with a course (the timetable).
BOOKABLE_ROOM_KINDS = (
    RoomKind.GYMNASIUM,
    RoomKind.SPORTS_FIELD,
    RoomKind.MEETING_ROOM,
    RoomKind.TRAINING_ROOM,
    RoomKind.CLASSROOM,
)

STATUS_BADGES = {
    BookingStatus.PENDING: "warning",
    BookingStatus.APPROVED: "success",
    BookingStatus.REJECTED: "danger",
    BookingStatus.CANCELLED: "dark",
}

# How far ahead a venue can be booked (days).
MAX_DAYS_AHEAD = 366
