"""
Models of security and fire safety.

Inspections: a park's ``InspectionTemplate`` (a checklist per kind of area) has
ordered ``ChecklistItem`` rows; an ``InspectionSchedule`` creates an
``InspectionRound`` of a template every N days, weeks or months; a round's
inspector answers each item (``RoundAnswer``: ok, finding or not applicable)
and records ``Finding`` rows (severity, place, photos). Each finding has one
``RectificationTask`` for its owner organisation, with a deadline; the owner
reports it done and a ``ReInspection`` closes it (passed) or reopens it with a
new deadline (failed).

Fire equipment: the park's ``FireEquipment`` register with its check dates and
expiry, and the ``EquipmentCheck`` records that move those dates.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from iepark.core.models import CachedRelationCleanMixin, Organisation, Park, Person
from iepark.operations.models import DormBuilding

from .choices import (
    AnswerResult,
    AreaKind,
    CheckResult,
    EquipmentKind,
    EquipmentStatus,
    InspectionKind,
    RectificationStatus,
    RecurrenceUnit,
    RoundStatus,
    Severity,
)

# --- inspections ------------------------------------------------------------------------------------


class InspectionTemplate(CachedRelationCleanMixin, models.Model):
    """A checklist for one kind of area (dormitories, training rooms...), for security, fire safety or both."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="+", verbose_name=_("park"))
    name = models.CharField(_("name"), max_length=150)
    area_kind = models.CharField(_("kind of area"), max_length=20, choices=AreaKind.choices)
    kind = models.CharField(_("inspection kind"), max_length=10, choices=InspectionKind.choices)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["park", "name", "pk"]
        verbose_name = _("inspection template")
        verbose_name_plural = _("inspection templates")
        constraints = [
            models.UniqueConstraint(
                fields=["park", "name"],
                name="safety_template_unique_name",
                violation_error_message=_("The park already has a template of this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.park_id, None


class ChecklistItem(CachedRelationCleanMixin, models.Model):
    """One point of a template's checklist, in ``position`` order."""

    template = models.ForeignKey(
        InspectionTemplate, on_delete=models.CASCADE, related_name="items", verbose_name=_("template")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text = models.CharField(_("check"), max_length=300)
    guidance = models.TextField(_("guidance"), blank=True, help_text=_("What to look at and what counts as a finding."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["template", "position", "pk"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.template.park_id, None


class InspectionSchedule(CachedRelationCleanMixin, models.Model):
    """A recurring inspection of one place with one template: a round every N days, weeks or months."""

    template = models.ForeignKey(
        InspectionTemplate, on_delete=models.PROTECT, related_name="schedules", verbose_name=_("template")
    )
    place = models.CharField(_("place"), max_length=200)
    building = models.ForeignKey(
        DormBuilding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dormitory building"),
    )
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area owner"),
        help_text=_("The organisation that rectifies findings here (e.g. the college using the rooms)."),
    )
    every = models.PositiveSmallIntegerField(
        _("every"), default=1, validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    unit = models.CharField(_("unit"), max_length=10, choices=RecurrenceUnit.choices, default=RecurrenceUnit.WEEK)
    next_date = models.DateField(_("next round"))
    inspector = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("default inspector")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["next_date", "place", "pk"]
        verbose_name = _("inspection schedule")
        verbose_name_plural = _("inspection schedules")
        constraints = [
            models.CheckConstraint(
                condition=Q(every__gte=1),
                name="safety_schedule_every_positive",
                violation_error_message=_("Repeat at least every 1 day, week or month."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.template} · {self.place}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.template.park_id, self.owner_id


class InspectionRound(CachedRelationCleanMixin, models.Model):
    """One inspection of a place with a template's checklist: scheduled → in progress → completed."""

    template = models.ForeignKey(
        InspectionTemplate, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("template")
    )
    schedule = models.ForeignKey(
        InspectionSchedule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rounds",
        verbose_name=_("schedule"),
    )
    place = models.CharField(_("place"), max_length=200)
    building = models.ForeignKey(
        DormBuilding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dormitory building"),
    )
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area owner"),
        help_text=_("The organisation that rectifies findings here (e.g. the college using the rooms)."),
    )
    scheduled_date = models.DateField(_("scheduled for"))
    inspector = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("inspector")
    )
    status = models.CharField(_("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.SCHEDULED)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-scheduled_date", "-pk"]
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "scheduled_date"],
                name="safety_one_round_per_schedule_date",
                violation_error_message=_("This schedule already has a round on that date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.place} · {self.scheduled_date:%Y-%m-%d}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.template.park_id, self.owner_id


class RoundAnswer(CachedRelationCleanMixin, models.Model):
    """The inspector's answer to one checklist item in one round."""

    round = models.ForeignKey(
        InspectionRound, on_delete=models.CASCADE, related_name="answers", verbose_name=_("round")
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("checklist item")
    )
    result = models.CharField(_("result"), max_length=16, choices=AnswerResult.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    answered_at = models.DateTimeField(_("answered"), auto_now=True)

    class Meta:
        ordering = ["round", "item__position", "pk"]
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "item"],
                name="safety_one_answer_per_item",
                violation_error_message=_("This item is already answered in the round."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_result_display()}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.round.template.park_id, self.round.owner_id


class Finding(CachedRelationCleanMixin, models.Model):
    """Something wrong found in a round (against a checklist item or not), with its severity and photos."""

    round = models.ForeignKey(
        InspectionRound, on_delete=models.PROTECT, related_name="findings", verbose_name=_("round")
    )
    item = models.ForeignKey(
        ChecklistItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checklist item"),
    )
    description = models.TextField(_("description"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    place = models.CharField(_("exact place"), max_length=200, blank=True, help_text=_("E.g. room 305, east stairs."))
    found_on = models.DateField(_("found on"))
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-found_on", "-pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        text = self.description if len(self.description) <= 60 else self.description[:59] + "…"
        return f"#{self.pk} {text}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.round.template.park_id, self.round.owner_id


class RectificationTask(CachedRelationCleanMixin, models.Model):
    """What the owner organisation must put right for one finding, by a deadline: open → reported done → closed."""

    finding = models.OneToOneField(Finding, on_delete=models.CASCADE, related_name="task", verbose_name=_("finding"))
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner"))
    owner_person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("responsible person")
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=16, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    reported_on = models.DateField(_("reported done on"), null=True, blank=True)
    report_note = models.TextField(_("what was done"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("rectification task")
        verbose_name_plural = _("rectification tasks")

    def __str__(self) -> str:
        return _("Rectification of finding #%(number)s") % {"number": self.finding_id}

    def clean(self) -> None:
        super().clean()
        if self.deadline and self.finding_id and self.deadline < self.finding.found_on:
            raise ValidationError({"deadline": _("The deadline cannot be before the finding was made.")})
        if self.owner_id and self.finding_id and self.owner.park_id != self.finding.round.template.park_id:
            raise ValidationError({"owner": _("The owner must be an organisation of the same park.")})
        if (
            self.owner_person_id
            and self.finding_id
            and self.owner_person.park_id != self.finding.round.template.park_id
        ):
            raise ValidationError({"owner_person": _("The responsible person must belong to the same park.")})

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.owner.park_id, self.owner_id


class ReInspection(CachedRelationCleanMixin, models.Model):
    """A check of a rectification: passed closes the task, failed reopens it with a new deadline."""

    task = models.ForeignKey(
        RectificationTask, on_delete=models.CASCADE, related_name="reinspections", verbose_name=_("rectification task")
    )
    inspected_on = models.DateField(_("re-inspected on"))
    inspector = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("inspector")
    )
    passed = models.BooleanField(_("passed"))
    note = models.TextField(_("note"), blank=True)
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["task", "-inspected_on", "-pk"]
        verbose_name = _("re-inspection")
        verbose_name_plural = _("re-inspections")
        constraints = [
            models.CheckConstraint(
                condition=Q(passed=True, new_deadline__isnull=True)
                | Q(passed=False, new_deadline__isnull=False, new_deadline__gt=F("inspected_on")),
                name="safety_reinspection_deadline",
                violation_error_message=_(
                    "A failed re-inspection needs a new deadline after its date; a passed one none."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.inspected_on:%Y-%m-%d}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.task.owner.park_id, self.task.owner_id


# --- fire equipment ---------------------------------------------------------------------------------


class FireEquipment(CachedRelationCleanMixin, models.Model):
    """One item of the park's fire equipment register, with its check dates and expiry."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="+", verbose_name=_("park"))
    kind = models.CharField(_("kind"), max_length=20, choices=EquipmentKind.choices)
    code = models.CharField(_("code"), max_length=40, help_text=_("The label on the equipment, unique in the park."))
    description = models.CharField(_("description"), max_length=200, blank=True, help_text=_("E.g. 4 kg dry powder."))
    location = models.CharField(_("location"), max_length=200)
    building = models.ForeignKey(
        DormBuilding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dormitory building"),
    )
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    last_checked_on = models.DateField(_("last checked on"), null=True, blank=True)
    next_check_due = models.DateField(_("next check due"), null=True, blank=True)
    check_interval_days = models.PositiveSmallIntegerField(
        _("check interval (days)"),
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("Days from one check to the next; empty takes the usual interval of the kind."),
    )
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=EquipmentStatus.choices, default=EquipmentStatus.IN_SERVICE
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["park", "code", "pk"]
        verbose_name = _("fire equipment")
        verbose_name_plural = _("fire equipment")
        constraints = [
            models.UniqueConstraint(
                fields=["park", "code"],
                name="safety_equipment_unique_code",
                violation_error_message=_("Another item of the park has this code."),
            ),
            models.CheckConstraint(
                condition=Q(next_check_due__isnull=True)
                | Q(last_checked_on__isnull=True)
                | Q(next_check_due__gt=F("last_checked_on")),
                name="safety_equipment_next_after_last",
                violation_error_message=_("The next check must be after the last check."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.get_kind_display()}"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.last_checked_on and self.next_check_due and self.next_check_due <= self.last_checked_on:
            errors["next_check_due"] = _("The next check must be after the last check.")
        if self.installed_on and self.last_checked_on and self.last_checked_on < self.installed_on:
            errors["last_checked_on"] = _("The last check cannot be before the installation.")
        if self.installed_on and self.expiry_date and self.expiry_date <= self.installed_on:
            errors["expiry_date"] = _("The expiry date must be after the installation.")
        if self.building_id and self.park_id and self.building.park_id != self.park_id:
            errors["building"] = _("The building must be in the same park.")
        if errors:
            raise ValidationError(errors)

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.park_id, None


class EquipmentCheck(CachedRelationCleanMixin, models.Model):
    """A routine check of one item of fire equipment: it moves the item's last and next check dates."""

    equipment = models.ForeignKey(
        FireEquipment, on_delete=models.CASCADE, related_name="checks", verbose_name=_("equipment")
    )
    checked_on = models.DateField(_("checked on"))
    inspector = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("inspector")
    )
    result = models.CharField(_("result"), max_length=10, choices=CheckResult.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-checked_on", "-pk"]
        verbose_name = _("equipment check")
        verbose_name_plural = _("equipment checks")

    def __str__(self) -> str:
        return f"{self.equipment.code} · {self.checked_on:%Y-%m-%d}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.equipment.park_id, None
