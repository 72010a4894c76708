"""Enumerations of security and fire safety."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaKind(models.TextChoices):
    DORMITORY = "dormitory", _("Dormitory")
    CLASSROOM = "classroom", _("Classroom")
    TRAINING_ROOM = "training_room", _("Training room")
    LAB = "lab", _("Laboratory")
    GYMNASIUM = "gymnasium", _("Gymnasium")
    CANTEEN = "canteen", _("Canteen")
    PUBLIC_AREA = "public_area", _("Public area")
    OFFICE = "office", _("Office")
    WAREHOUSE = "warehouse", _("Warehouse")
    OTHER = "other", _("Other area")


class InspectionKind(models.TextChoices):
    SECURITY = "security", _("Security")
    FIRE = "fire", _("Fire safety")
    BOTH = "both", _("Security and fire safety")


class RecurrenceUnit(models.TextChoices):
    DAY = "day", _("days")
    WEEK = "week", _("weeks")
    MONTH = "month", _("months")


class RoundStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class AnswerResult(models.TextChoices):
    OK = "ok", _("OK")
    FINDING = "finding", _("Finding")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


# Days the owner gets to rectify a finding, by severity, when the inspector gives no deadline.
DEFAULT_DEADLINE_DAYS: dict[str, int] = {
    Severity.LOW: 30,
    Severity.MEDIUM: 14,
    Severity.HIGH: 7,
    Severity.CRITICAL: 1,
}
# Findings of these severities are "serious" (candidates for a governance major issue).
SERIOUS_SEVERITIES = (Severity.HIGH, Severity.CRITICAL)


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    REPORTED_DONE = "reported_done", _("Reported done")
    CLOSED = "closed", _("Closed")


class EquipmentKind(models.TextChoices):
    EXTINGUISHER = "extinguisher", _("Fire extinguisher")
    HYDRANT = "hydrant", _("Fire hydrant")
    ALARM = "alarm", _("Fire alarm")
    EMERGENCY_LIGHTING = "emergency_lighting", _("Emergency lighting")
    OTHER = "other", _("Other equipment")


# Days between two routine checks of each kind of equipment (editable per item).
DEFAULT_CHECK_INTERVAL_DAYS: dict[str, int] = {
    EquipmentKind.EXTINGUISHER: 30,
    EquipmentKind.HYDRANT: 30,
    EquipmentKind.ALARM: 90,
    EquipmentKind.EMERGENCY_LIGHTING: 30,
    EquipmentKind.OTHER: 90,
}


class EquipmentStatus(models.TextChoices):
    IN_SERVICE = "in_service", _("In service")
    OUT_OF_SERVICE = "out_of_service", _("Out of service")
    RETIRED = "retired", _("Retired")


class CheckResult(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
