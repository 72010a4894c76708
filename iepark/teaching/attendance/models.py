"""
Models of attendance: a session is one lecture of a published timetable on one date (created when
attendance is first taken), with one record per student of its roster; students' leave requests; the
park's attendance threshold.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from iepark.core.models import Park, Student
from iepark.teaching.models import Cohort, Course, TimetableEntry

from .choices import DEFAULT_THRESHOLD, AttendanceStatus, LeaveStatus


class AttendanceSetting(models.Model):
    """A park's attendance settings: the rate under which a student is listed (per cent)."""

    park = models.OneToOneField(
        Park, on_delete=models.CASCADE, related_name="attendance_setting", verbose_name=_("park")
    )
    threshold = models.PositiveSmallIntegerField(
        _("attendance threshold (%)"),
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Students whose attendance rate is below this are listed for their student managers."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("attendance setting")
        verbose_name_plural = _("attendance settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=1, threshold__lte=100),
                name="attendance_threshold_range",
                violation_error_message=_("The threshold is a percentage from 1 to 100."),
            )
        ]

    def __str__(self) -> str:
        return str(_("Attendance settings of %(park)s") % {"park": self.park})

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.park_id, None


class AttendanceSession(models.Model):
    """One lecture (timetable entry) on one date; created when its attendance is first taken."""

    entry = models.ForeignKey(
        TimetableEntry, on_delete=models.PROTECT, related_name="attendance_sessions", verbose_name=_("lecture")
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="attendance_sessions", verbose_name=_("course")
    )
    date = models.DateField(_("date"))
    period = models.PositiveSmallIntegerField(_("period"), validators=[MinValueValidator(1)])
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken by"),
    )
    taken_at = models.DateTimeField(_("taken"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-date", "period", "pk"]
        verbose_name = _("attendance session")
        verbose_name_plural = _("attendance sessions")
        constraints = [
            models.UniqueConstraint(fields=["entry", "date"], name="attendance_session_once"),
        ]
        indexes = [models.Index(fields=["course", "date"], name="attendance_session_course")]

    def __str__(self) -> str:
        return f"{self.course.code} · {self.date:%Y-%m-%d} · {self.start_time:%H:%M}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.course.term.park_id, self.course.college_id


class AttendanceRecord(models.Model):
    """A student's attendance at a session: present, late, absent or excused, with an optional note."""

    session = models.ForeignKey(
        AttendanceSession, on_delete=models.CASCADE, related_name="records", verbose_name=_("session")
    )
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="attendance_records", verbose_name=_("student")
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.PROTECT,
        related_name="attendance_records",
        verbose_name=_("cohort"),
        help_text=_("The cohort through which the student was on the session's roster."),
    )
    status = models.CharField(_("status"), max_length=10, choices=AttendanceStatus.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    leave = models.ForeignKey(
        "LeaveRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("leave"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["session", "student__student_number", "pk"]
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        constraints = [
            models.UniqueConstraint(fields=["session", "student"], name="attendance_record_once"),
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatus.values),
                name="attendance_record_status",
                violation_error_message=_("Choose present, late, absent or excused."),
            ),
        ]
        indexes = [models.Index(fields=["student", "status"], name="attendance_record_student")]

    def __str__(self) -> str:
        return f"{self.student} · {self.session}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.cohort.college.park_id, self.student.college_id


class LeaveRequest(models.Model):
    """A student's request for leave, from a date (and period) to a date (and period), decided by a student manager."""

    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="leave_requests", verbose_name=_("student")
    )
    start_date = models.DateField(_("from"))
    start_period = models.PositiveSmallIntegerField(
        _("from period"), null=True, blank=True, help_text=_("Empty: from the start of the day.")
    )
    end_date = models.DateField(_("until"))
    end_period = models.PositiveSmallIntegerField(
        _("to period"), null=True, blank=True, help_text=_("Empty: to the end of the day.")
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date"))
                | Q(end_date=F("start_date"), start_period__isnull=True)
                | Q(end_date=F("start_date"), end_period__isnull=True)
                | Q(end_date=F("start_date"), end_period__gte=F("start_period")),
                name="attendance_leave_in_order",
                violation_error_message=_("The leave cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=(Q(start_period__isnull=True) | Q(start_period__gte=1))
                & (Q(end_period__isnull=True) | Q(end_period__gte=1)),
                name="attendance_leave_periods",
                violation_error_message=_("Periods are counted from 1."),
            ),
        ]
        indexes = [models.Index(fields=["student", "status", "start_date"], name="attendance_leave_student")]

    def __str__(self) -> str:
        return str(_("Leave of %(student)s, %(span)s") % {"student": self.student, "span": self.span_label()})

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.student.college.park_id, self.student.college_id

    def span_label(self) -> str:
        start = f"{self.start_date:%Y-%m-%d}" if self.start_date else "?"
        end = f"{self.end_date:%Y-%m-%d}" if self.end_date else "?"
        if self.start_period:
            start += " " + str(_("period %(n)s") % {"n": self.start_period})
        if self.end_period:
            end += " " + str(_("period %(n)s") % {"n": self.end_period})
        return start if start == end else f"{start} – {end}"

    def covers(self, date: datetime.date, period: int) -> bool:
        """Return whether the leave covers the lecture at ``period`` on ``date``."""
        if (date, period) < (self.start_date, self.start_period or 0):
            return False
        return (date, period) <= (self.end_date, self.end_period or 99)

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date:
            start = (self.start_date, self.start_period or 0)
            end = (self.end_date, self.end_period or 99)
            if end < start:
                field = "end_date" if self.end_date < self.start_date else "end_period"
                raise ValidationError({field: _("The leave cannot end before it starts.")})
        if self.status != LeaveStatus.PENDING and not self.decided_at and self.status != LeaveStatus.WITHDRAWN:
            raise ValidationError(_("A decided request needs the time of the decision."))
