"""Enumerations of teaching: agreements, cohorts, rooms, courses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementType(models.TextChoices):
    SCHOOL_ENTERPRISE = "school_enterprise", _("School–enterprise")
    SCHOOL_SCHOOL = "school_school", _("School–school")


class AgreementScope(models.TextChoices):
    ORDER_CLASS = "order_class", _("Order class")
    AGREEMENT_CLASS = "agreement_class", _("Agreement class")
    TRAINING_BASE = "training_base", _("Training base")
    INTERNSHIP = "internship", _("Internship")
    RESEARCH = "research", _("Research and development")
    STAFF_TRAINING = "staff_training", _("Staff training")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


# The steps an agreement may take by hand (expiry follows from the end date).
AGREEMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    AgreementStatus.DRAFT: frozenset({AgreementStatus.SIGNED, AgreementStatus.TERMINATED}),
    AgreementStatus.SIGNED: frozenset({AgreementStatus.ACTIVE, AgreementStatus.TERMINATED}),
    AgreementStatus.ACTIVE: frozenset({AgreementStatus.TERMINATED}),
    AgreementStatus.EXPIRED: frozenset(),
    AgreementStatus.TERMINATED: frozenset(),
}


class CohortType(models.TextChoices):
    REGULAR = "regular", _("Regular class")
    ORDER_CLASS = "order_class", _("Order class")
    AGREEMENT_CLASS = "agreement_class", _("Agreement class")


class RoomKind(models.TextChoices):
    CLASSROOM = "classroom", _("Classroom")
    TRAINING_ROOM = "training_room", _("Training room")
    LAB = "lab", _("Laboratory")
    COMPUTER_ROOM = "computer_room", _("Computer room")
    GYMNASIUM = "gymnasium", _("Gymnasium")
    SPORTS_FIELD = "sports_field", _("Sports field")
    MEETING_ROOM = "meeting_room", _("Meeting room")


# Room kinds a practical course can be taught in.
PRACTICAL_ROOM_KINDS = frozenset(
    {RoomKind.TRAINING_ROOM, RoomKind.LAB, RoomKind.COMPUTER_ROOM, RoomKind.GYMNASIUM, RoomKind.SPORTS_FIELD}
)


class CourseType(models.TextChoices):
    THEORY = "theory", _("Theory")
    PRACTICAL = "practical", _("Practical")


class DayOfWeek(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class TimetableStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
