"""
Models of park operations.

Sections: service points, dormitories (buildings, rooms, beds, assignments and
allocation runs). Work orders, inspections and satisfaction surveys (issue 6)
are still to come and will be added here.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from iepark.core.choices import Gender
from iepark.core.models import Job, Organisation, Park, Student
from iepark.core.validators import validate_phone

from . import hours
from .choices import (
    OPEN_TRANSFER_STATUSES,
    SERVICE_POINT_ICONS,
    AllocationStatus,
    CheckoutCondition,
    DormGenderPolicy,
    ServicePointKind,
    TransferStatus,
    Weekday,
)


def _in_english() -> bool:
    return (get_language() or "").startswith("en")


def _localized(obj: models.Model, name: str) -> str:
    """Return ``obj.<name>_en`` in English when filled in, else the Chinese ``obj.<name>``."""
    english = getattr(obj, f"{name}_en", "") if _in_english() else ""
    return english or getattr(obj, name, "")


# --- service points -----------------------------------------------------------------------------


class ServicePoint(models.Model):
    """A place serving everybody in the park: a canteen, the supermarket, the clinic, a barber shop..."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="service_points", verbose_name=_("park"))
    kind = models.CharField(_("kind"), max_length=20, choices=ServicePointKind.choices)
    name = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    place = models.CharField(_("place (Chinese)"), max_length=200, blank=True, help_text=_("Building, floor or area."))
    place_en = models.CharField(_("place (English)"), max_length=200, blank=True)
    hours_note = models.CharField(
        _("note on opening hours (Chinese)"),
        max_length=300,
        blank=True,
        help_text=_("E.g. “Closed during the Spring Festival holiday”."),
    )
    hours_note_en = models.CharField(_("note on opening hours (English)"), max_length=300, blank=True)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True, validators=[validate_phone])
    operator = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_points",
        verbose_name=_("operator"),
        help_text=_("The organisation running the service point, if it is in the park's register."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive points are hidden from the portal.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["park", "kind", "name", "pk"]
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        constraints = [models.UniqueConstraint(fields=["park", "name"], name="operations_service_point_unique_name")]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        super().clean()
        if self.operator_id and self.park_id and self.operator.park_id != self.park_id:
            raise ValidationError({"operator": _("The operator must be an organisation of the same park.")})

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.park_id, self.operator_id

    @property
    def display_name(self) -> str:
        return _localized(self, "name")

    @property
    def display_place(self) -> str:
        return _localized(self, "place")

    @property
    def display_hours_note(self) -> str:
        return _localized(self, "hours_note")

    @property
    def icon(self) -> str:
        return SERVICE_POINT_ICONS.get(self.kind, "shop")


class OpeningPeriod(models.Model):
    """One period a service point is open on a weekday (past midnight when it closes before it opens)."""

    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, related_name="periods", verbose_name=_("service point")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"), help_text=_("A time before the opening time means the next day."))

    class Meta:
        ordering = ["service_point", "weekday", "opens", "pk"]
        verbose_name = _("opening period")
        verbose_name_plural = _("opening periods")

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.service_point.park_id, self.service_point.operator_id

    def as_period(self) -> hours.Period:
        return hours.Period(self.weekday, self.opens, self.closes)


class ServiceNotice(models.Model):
    """A dated notice of a service point ("closed for maintenance on Saturday"), optionally closing it."""

    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, related_name="notices", verbose_name=_("service point")
    )
    title = models.CharField(_("title (Chinese)"), max_length=150)
    title_en = models.CharField(_("title (English)"), max_length=150, blank=True)
    body = models.TextField(_("text (Chinese)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Empty: until further notice."))
    closes_point = models.BooleanField(
        _("closed on these days"),
        default=False,
        help_text=_("The service point counts as closed all day on every day the notice is valid."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-valid_from", "-pk"]
        verbose_name = _("service notice")
        verbose_name_plural = _("service notices")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="operations_notice_dates_in_order",
                violation_error_message=_("The notice cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.display_title

    def clean(self) -> None:
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The notice cannot end before it starts.")})

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.service_point.park_id, self.service_point.operator_id

    @property
    def display_title(self) -> str:
        return _localized(self, "title")

    @property
    def display_body(self) -> str:
        return _localized(self, "body")

    def is_current(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.valid_from <= today and (self.valid_to is None or self.valid_to >= today)


# --- dormitories ---------------------------------------------------------------------------------


class DormBuilding(models.Model):
    """A dormitory building of the park."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="dorm_buildings", verbose_name=_("park"))
    name = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    gender_policy = models.CharField(
        _("gender policy"),
        max_length=10,
        choices=DormGenderPolicy.choices,
        default=DormGenderPolicy.MIXED,
        help_text=_("A building for one gender only takes rooms of that gender."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["park", "name", "pk"]
        verbose_name = _("dormitory building")
        verbose_name_plural = _("dormitory buildings")
        constraints = [models.UniqueConstraint(fields=["park", "name"], name="operations_dorm_building_unique_name")]

    def __str__(self) -> str:
        return self.display_name

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.park_id, None

    @property
    def display_name(self) -> str:
        return _localized(self, "name")


class DormRoom(models.Model):
    """A room of a dormitory building: one gender, a number of beds (created with the room)."""

    building = models.ForeignKey(
        DormBuilding, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("building")
    )
    floor = models.SmallIntegerField(_("floor"))
    number = models.CharField(_("room number"), max_length=20)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    beds_count = models.PositiveSmallIntegerField(
        _("beds"), default=4, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    accessible = models.BooleanField(_("accessible"), default=False)
    facilities = models.CharField(
        _("facilities"), max_length=300, blank=True, help_text=_("E.g. bathroom, desk, air conditioning.")
    )
    monthly_fee = models.DecimalField(_("monthly fee (yuan)"), max_digits=8, decimal_places=2, default=0)
    in_service = models.BooleanField(
        _("in service"),
        default=True,
        help_text=_("A room out of service takes no new students (for repairs, or instead of deleting it)."),
    )

    class Meta:
        ordering = ["building", "floor", "number", "pk"]
        verbose_name = _("dormitory room")
        verbose_name_plural = _("dormitory rooms")
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="operations_dorm_room_unique_number"),
            models.CheckConstraint(
                condition=models.Q(beds_count__gte=1, beds_count__lte=12),
                name="operations_dorm_room_beds_range",
                violation_error_message=_("A room has between 1 and 12 beds."),
            ),
            models.CheckConstraint(
                condition=models.Q(monthly_fee__gte=0),
                name="operations_dorm_room_fee_not_negative",
                violation_error_message=_("The monthly fee cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.building} {self.number}"

    def clean(self) -> None:
        super().clean()
        policy = self.building.gender_policy if self.building_id else DormGenderPolicy.MIXED
        if self.gender and policy != DormGenderPolicy.MIXED and policy != self.gender:
            raise ValidationError({"gender": _("The building takes rooms of the other gender only.")})

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.building.park_id, None


class Bed(models.Model):
    """A bed of a room."""

    room = models.ForeignKey(DormRoom, on_delete=models.CASCADE, related_name="beds", verbose_name=_("room"))
    label = models.CharField(_("label"), max_length=10)
    in_service = models.BooleanField(
        _("in service"), default=True, help_text=_("A bed out of service takes no new student.")
    )

    class Meta:
        ordering = ["room", "label", "pk"]
        verbose_name = _("bed")
        verbose_name_plural = _("beds")
        constraints = [models.UniqueConstraint(fields=["room", "label"], name="operations_bed_unique_label")]

    def __str__(self) -> str:
        return f"{self.room}-{self.label}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.room.building.park_id, None


class AllocationRun(models.Model):
    """A run of the allocation engine over a park's free beds and a list of students, with its summary."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="allocation_runs", verbose_name=_("park"))
    seed = models.PositiveIntegerField(_("seed"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=AllocationStatus.choices, default=AllocationStatus.QUEUED
    )
    students = models.JSONField(_("students"), default=list, blank=True, help_text=_("Ids of the students to place."))
    weights = models.JSONField(_("weights"), default=dict, blank=True)
    job = models.ForeignKey(
        Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("job")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    placed = models.PositiveIntegerField(_("placed"), default=0)
    unplaced = models.PositiveIntegerField(_("unplaced"), default=0)
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")

    def __str__(self) -> str:
        return _("Allocation run %(number)s") % {"number": self.pk}

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.park_id, None


class BedAssignment(models.Model):
    """A student's stay in a bed: current while ``end_date`` is empty."""

    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("bed"))
    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="bed_assignments", verbose_name=_("student")
    )
    start_date = models.DateField(_("check-in date"))
    end_date = models.DateField(_("check-out date"), null=True, blank=True)
    allocated_by_run = models.ForeignKey(
        AllocationRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("allocation run"),
    )
    inspection_note = models.TextField(_("room inspection on check-out"), blank=True)
    checkout_condition = models.CharField(
        _("condition on check-out"), max_length=10, choices=CheckoutCondition.choices, blank=True
    )
    damage_description = models.TextField(_("damage found"), blank=True)

    class Meta:
        ordering = ["bed", "-start_date", "-pk"]
        verbose_name = _("bed assignment")
        verbose_name_plural = _("bed assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["bed"],
                condition=models.Q(end_date__isnull=True),
                name="operations_one_current_student_per_bed",
                violation_error_message=_("This bed is already taken."),
            ),
            models.UniqueConstraint(
                fields=["student"],
                condition=models.Q(end_date__isnull=True),
                name="operations_one_current_bed_per_student",
                violation_error_message=_("This student already has a bed."),
            ),
            models.CheckConstraint(
                condition=~models.Q(checkout_condition=CheckoutCondition.DAMAGE) | ~models.Q(damage_description=""),
                name="operations_assignment_damage_described",
                violation_error_message=_("Describe the damage found."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="operations_assignment_dates_in_order",
                violation_error_message=_("The check-out cannot be before the check-in."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} → {self.bed}"

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The check-out cannot be before the check-in.")})

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.bed.room.building.park_id, self.student.college_id

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class HousingWish(models.Model):
    """A student's recorded housing wishes: an accessibility need and a roommate request, read by allocation runs."""

    student = models.OneToOneField(
        Student, on_delete=models.CASCADE, related_name="housing_wish", verbose_name=_("student")
    )
    needs_accessible = models.BooleanField(
        _("needs an accessible room"),
        default=False,
        help_text=_("Allocation places the student only in an accessible room."),
    )
    accessibility_note = models.CharField(
        _("accessibility needs"),
        max_length=500,
        blank=True,
        help_text=_("What the student needs (e.g. wheelchair access, a lower bed); seen by dormitory staff."),
    )
    roommate = models.ForeignKey(
        Student,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roommate_requests",
        verbose_name=_("requested roommate"),
        help_text=_("Honoured when the two students ask for each other and are of one gender."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("updated by")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["student", "pk"]
        verbose_name = _("housing wish")
        verbose_name_plural = _("housing wishes")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(roommate=models.F("student")),
                name="operations_wish_not_own_roommate",
                violation_error_message=_("A student cannot ask to room with themselves."),
            )
        ]

    def __str__(self) -> str:
        return _("Housing wishes of %(student)s") % {"student": self.student}

    def clean(self) -> None:
        super().clean()
        if self.roommate_id and self.roommate_id == self.student_id:
            raise ValidationError({"roommate": _("A student cannot ask to room with themselves.")})

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.student.college.park_id, self.student.college_id

    @property
    def is_mutual(self) -> bool:
        """Whether the requested roommate asked for this student too."""
        if not self.roommate_id:
            return False
        theirs = HousingWish.objects.filter(student_id=self.roommate_id).values_list("roommate_id", flat=True).first()
        return theirs == self.student_id


class RoomTransferRequest(models.Model):
    """A student's request to move to another bed: approved by their student manager, carried out by the operator."""

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="room_transfers", verbose_name=_("student")
    )
    assignment = models.ForeignKey(
        BedAssignment,
        on_delete=models.PROTECT,
        related_name="transfer_requests",
        verbose_name=_("current stay"),
    )
    reason = models.TextField(_("reason"))
    preferred_building = models.ForeignKey(
        DormBuilding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("preferred building"),
    )
    preferred_room = models.ForeignKey(
        DormRoom, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("preferred room")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TransferStatus.choices, default=TransferStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    new_assignment = models.ForeignKey(
        BedAssignment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("new stay"),
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moved by"),
    )
    done_at = models.DateTimeField(_("moved"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("requested by")
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("room transfer request")
        verbose_name_plural = _("room transfer requests")
        constraints = [
            models.UniqueConstraint(
                fields=["student"],
                condition=models.Q(status__in=OPEN_TRANSFER_STATUSES),
                name="operations_one_open_transfer_per_student",
                violation_error_message=_("The student already has a transfer request in progress."),
            )
        ]

    def __str__(self) -> str:
        return _("Room transfer of %(student)s") % {"student": self.student}

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.student.college.park_id, self.student.college_id

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TRANSFER_STATUSES
