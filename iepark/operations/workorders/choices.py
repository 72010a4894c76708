"""Enumerations of maintenance work orders."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlaceKind(models.TextChoices):
    ROOM = "room", _("Room")
    DORMITORY = "dormitory", _("Dormitory")
    TRAINING_ROOM = "training_room", _("Training room")
    GYMNASIUM = "gymnasium", _("Gymnasium")
    PUBLIC_AREA = "public_area", _("Public area")


class FaultCategory(models.TextChoices):
    ELECTRICAL = "electrical", _("Electrical")
    PLUMBING = "plumbing", _("Plumbing")
    HVAC = "hvac", _("Heating and ventilation")
    FURNITURE = "furniture", _("Furniture")
    NETWORK = "network", _("Network")
    EQUIPMENT = "equipment", _("Teaching or training equipment")


class Urgency(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class WorkOrderStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (WorkOrderStatus.NEW, WorkOrderStatus.ASSIGNED, WorkOrderStatus.IN_PROGRESS)
# Before these, the order has had no response yet (nobody has started the work).
AWAITING_RESPONSE = (WorkOrderStatus.NEW, WorkOrderStatus.ASSIGNED)
DONE_STATUSES = (WorkOrderStatus.RESOLVED, WorkOrderStatus.CONFIRMED)


class WorkOrderSource(models.TextChoices):
    REPORTED = "reported", _("Reported")
    PREVENTIVE = "preventive", _("Preventive plan")


class RecurrenceUnit(models.TextChoices):
    DAY = "day", _("days")
    WEEK = "week", _("weeks")
    MONTH = "month", _("months")


class TimelineKind(models.TextChoices):
    """What one line of an order's timeline records (status changes and other steps)."""

    REPORTED = "reported", _("Reported")
    ASSIGNED = "assigned", _("Assigned")
    STARTED = "started", _("Started")
    RESOLVED = "resolved", _("Resolved")
    CONFIRMED = "confirmed", _("Confirmed")
    REOPENED = "reopened", _("Reopened")
    RATED = "rated", _("Rated")
    CANCELLED = "cancelled", _("Cancelled")
    ESCALATED = "escalated", _("Escalated")
    EDITED = "edited", _("Edited")


# Response and resolution times (hours) when a park has not set its own service level.
DEFAULT_SERVICE_LEVELS: dict[str, tuple[int, int]] = {
    Urgency.CRITICAL: (1, 8),
    Urgency.HIGH: (4, 24),
    Urgency.NORMAL: (24, 72),
    Urgency.LOW: (72, 168),
}

STATUS_BADGES = {
    WorkOrderStatus.NEW: "secondary",
    WorkOrderStatus.ASSIGNED: "info",
    WorkOrderStatus.IN_PROGRESS: "primary",
    WorkOrderStatus.RESOLVED: "success",
    WorkOrderStatus.CONFIRMED: "success",
    WorkOrderStatus.CANCELLED: "dark",
}
URGENCY_BADGES = {
    Urgency.LOW: "secondary",
    Urgency.NORMAL: "info",
    Urgency.HIGH: "warning",
    Urgency.CRITICAL: "danger",
}
