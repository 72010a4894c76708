"""
Models of maintenance work orders.

A ``WorkOrder`` is one fault to fix in a park, reported by anybody in the park
(or created by a preventive ``MaintenancePlan``). Its response and resolution
deadlines are fixed when it is reported, from the park's ``ServiceLevel`` for
its urgency (or the defaults). ``WorkOrderEvent`` rows are its timeline.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iepark.core.models import Park, Person
from iepark.operations.models import DormRoom

from .choices import (
    AWAITING_RESPONSE,
    OPEN_STATUSES,
    FaultCategory,
    PlaceKind,
    RecurrenceUnit,
    TimelineKind,
    Urgency,
    WorkOrderSource,
    WorkOrderStatus,
)


class ServiceLevel(models.Model):
    """How fast a park's operator answers and fixes faults of one urgency (hours)."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="work_order_levels", verbose_name=_("park"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    response_hours = models.PositiveIntegerField(
        _("response time (hours)"),
        validators=[MinValueValidator(1), MaxValueValidator(24 * 90)],
        help_text=_("Time from the report until someone starts the work."),
    )
    resolution_hours = models.PositiveIntegerField(
        _("resolution time (hours)"),
        validators=[MinValueValidator(1), MaxValueValidator(24 * 365)],
        help_text=_("Time from the report until the fault is fixed."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["park", "urgency"]
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        constraints = [
            models.UniqueConstraint(fields=["park", "urgency"], name="workorders_one_level_per_urgency"),
            models.CheckConstraint(
                condition=Q(resolution_hours__gte=models.F("response_hours")),
                name="workorders_level_resolution_after_response",
                violation_error_message=_("The resolution time cannot be shorter than the response time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_urgency_display()}: {self.response_hours} h / {self.resolution_hours} h"

    def clean(self) -> None:
        super().clean()
        if self.response_hours and self.resolution_hours and self.resolution_hours < self.response_hours:
            raise ValidationError(
                {"resolution_hours": _("The resolution time cannot be shorter than the response time.")}
            )

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.park_id, None


class MaintenancePlan(models.Model):
    """A preventive task repeated on a schedule (e.g. a monthly check), creating a work order each time it is due."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="maintenance_plans", verbose_name=_("park"))
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    place_kind = models.CharField(_("kind of place"), max_length=20, choices=PlaceKind.choices)
    room = models.ForeignKey(
        DormRoom, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("dormitory room")
    )
    location = models.CharField(_("location"), max_length=200, blank=True, help_text=_("Building, floor, room."))
    category = models.CharField(_("category"), max_length=20, choices=FaultCategory.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    every = models.PositiveSmallIntegerField(
        _("every"), default=1, validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    unit = models.CharField(_("unit"), max_length=10, choices=RecurrenceUnit.choices, default=RecurrenceUnit.MONTH)
    next_due = models.DateField(_("next due date"))
    default_assignee = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default assignee"),
        help_text=_("Operator staff member the created orders go to."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["park", "next_due", "title", "pk"]
        verbose_name = _("maintenance plan")
        verbose_name_plural = _("maintenance plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(every__gte=1),
                name="workorders_plan_every_positive",
                violation_error_message=_("Every must be at least 1."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.park_id, None

    @property
    def recurrence_label(self) -> str:
        return _("every %(n)s %(unit)s") % {"n": self.every, "unit": self.get_unit_display()}


class WorkOrder(models.Model):
    """One fault to fix: where, what, how urgent, who reported it, who fixes it, and its deadlines."""

    # The reporter's phone is personal data: masked in the audit trail.
    AUDIT_MASKED = {"contact_phone": "phone"}

    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="work_orders", verbose_name=_("park"))
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    reference = models.CharField(_("reference"), max_length=20)
    source = models.CharField(
        _("source"), max_length=12, choices=WorkOrderSource.choices, default=WorkOrderSource.REPORTED
    )
    plan = models.ForeignKey(
        MaintenancePlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("maintenance plan"),
    )
    plan_due_date = models.DateField(_("planned date"), null=True, blank=True)
    place_kind = models.CharField(_("kind of place"), max_length=20, choices=PlaceKind.choices)
    room = models.ForeignKey(
        DormRoom,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("dormitory room"),
    )
    location = models.CharField(_("location"), max_length=200, blank=True, help_text=_("Building, floor, room."))
    category = models.CharField(_("category"), max_length=20, choices=FaultCategory.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    reporter = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_work_orders",
        verbose_name=_("reported by"),
    )
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    assignee = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_work_orders",
        verbose_name=_("assignee"),
    )
    status = models.CharField(_("status"), max_length=12, choices=WorkOrderStatus.choices, default=WorkOrderStatus.NEW)
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    response_due = models.DateTimeField(_("response due"))
    resolution_due = models.DateTimeField(_("resolution due"))
    resolution_note = models.TextField(_("resolution note"), blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(_("rating comment"), blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(
        _("escalation level"),
        default=0,
        help_text=_("1: the response deadline was missed; 2: the resolution deadline was missed."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        constraints = [
            models.UniqueConstraint(fields=["park", "year", "number"], name="workorders_unique_number"),
            models.UniqueConstraint(
                fields=["plan", "plan_due_date"],
                condition=Q(plan__isnull=False),
                name="workorders_one_order_per_plan_date",
                violation_error_message=_("This plan already has an order for that date."),
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="workorders_rating_range",
                violation_error_message=_("A rating is between 1 and 5."),
            ),
            models.CheckConstraint(
                condition=Q(resolution_due__gte=models.F("response_due")),
                name="workorders_deadlines_in_order",
                violation_error_message=_("The resolution deadline cannot come before the response deadline."),
            ),
        ]
        indexes = [models.Index(fields=["park", "status"]), models.Index(fields=["park", "rated_at"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.park_id, None

    @property
    def place_label(self) -> str:
        parts = [str(self.get_place_kind_display())]
        if self.room_id:
            parts.append(str(self.room))
        if self.location:
            parts.append(self.location)
        return " · ".join(parts)

    @property
    def stars(self) -> str:
        return "★" * self.rating + "☆" * (5 - self.rating) if self.rating else ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def response_overdue_at(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status in AWAITING_RESPONSE and self.response_due < now

    def resolution_overdue_at(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status in OPEN_STATUSES and self.resolution_due < now

    @property
    def response_on_time(self) -> bool | None:
        if self.started_at is None:
            return None
        return self.started_at <= self.response_due

    @property
    def resolution_on_time(self) -> bool | None:
        if self.resolved_at is None:
            return None
        return self.resolved_at <= self.resolution_due


class WorkOrderEvent(models.Model):
    """One line of an order's timeline: who did what, when, from which status to which, with a note."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events", verbose_name=_("work order"))
    kind = models.CharField(_("what"), max_length=12, choices=TimelineKind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_label = models.CharField(_("by"), max_length=150, blank=True)
    from_status = models.CharField(_("from"), max_length=12, choices=WorkOrderStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=WorkOrderStatus.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["order", "at", "pk"]
        verbose_name = _("work order event")
        verbose_name_plural = _("work order events")

    def __str__(self) -> str:
        return f"{self.order.reference} {self.get_kind_display()}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.order.park_id, None
