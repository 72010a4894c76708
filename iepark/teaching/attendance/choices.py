"""Choices of attendance."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


# "Late" counts as attended; excused sessions are left out of the rate (see docs/attendance.md).
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
COUNTED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT)

STATUS_BADGES = {
    AttendanceStatus.PRESENT: "success",
    AttendanceStatus.LATE: "warning",
    AttendanceStatus.ABSENT: "danger",
    AttendanceStatus.EXCUSED: "info",
}


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


LEAVE_BADGES = {
    LeaveStatus.PENDING: "warning",
    LeaveStatus.APPROVED: "success",
    LeaveStatus.REJECTED: "danger",
    LeaveStatus.WITHDRAWN: "secondary",
}

DEFAULT_THRESHOLD = 80
