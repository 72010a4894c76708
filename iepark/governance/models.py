"""
Models of governance: the committee's policy documents, subsidy programmes and assessment runs.

A ``SubsidyProgramme`` has dated ``ProgrammeVersion`` rows, each holding its
``SubsidyRule`` rows (a kind, a payee and parameters: data, not code). An
``AssessmentRun`` computes a version over a period into ``AssessmentLine`` rows,
each naming the person, the rule, the payee and the records that qualified it;
payees raise ``Objection`` rows against lines, and a correction is a new run
(``previous`` points to the run it corrects). An approved run and its lines are
immutable: the services refuse changes, ``save``/``delete`` refuse them too, and
database triggers (migration 0002) refuse them at the lowest level.

Contact meetings, major issues and the committee's dashboard come later.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from iepark.core.models import CachedRelationCleanMixin, Job, Organisation, Park, Person, Student

from .choices import (
    LOCKED_RUN_STATUSES,
    Adjustment,
    ObjectionStatus,
    Payee,
    PolicyVisibility,
    RuleKind,
    RunStatus,
)


def _in_english() -> bool:
    return (get_language() or "").startswith("en")


class PolicyDocument(CachedRelationCleanMixin, models.Model):
    """A document the committee publishes: a policy, a notice, an implementing rule."""

    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="policy_documents", verbose_name=_("park"))
    title = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=200)
    document_number = models.CharField(
        _("document number"), max_length=100, blank=True, help_text=_("E.g. 准管发〔2026〕3号.")
    )
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(
        _("effective to"), null=True, blank=True, help_text=_("Empty: until further notice.")
    )
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    body = models.TextField(_("text"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=PolicyVisibility.choices, default=PolicyVisibility.INTERNAL
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-effective_from", "-pk"]
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="governance_policy_dates_ordered",
                violation_error_message=_("The end of the effective period cannot be before its start."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return (self.title_en if _in_english() and self.title_en else "") or self.title

    @property
    def is_public(self) -> bool:
        return self.visibility == PolicyVisibility.PUBLIC

    def clean(self) -> None:
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": _("The end of the effective period cannot be before its start.")})

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.park_id, None


class SubsidyProgramme(CachedRelationCleanMixin, models.Model):
    """A subsidy programme of the committee: dated versions of rules deciding who is paid how much."""

    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="subsidy_programmes", verbose_name=_("park"))
    name = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    policy = models.ForeignKey(
        PolicyDocument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("policy document"),
        help_text=_("The document the programme implements."),
    )
    amounts_are_examples = models.BooleanField(
        _("amounts are examples"),
        default=False,
        help_text=_("Shown on every page of the programme: the amounts still await confirmation."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["park", "name", "pk"]
        verbose_name = _("subsidy programme")
        verbose_name_plural = _("subsidy programmes")
        constraints = [models.UniqueConstraint(fields=["park", "name"], name="governance_programme_unique_name")]

    def __str__(self) -> str:
        return (self.name_en if _in_english() and self.name_en else "") or self.name

    def clean(self) -> None:
        if self.policy_id and self.park_id and self.policy.park_id != self.park_id:
            raise ValidationError({"policy": _("The policy document belongs to another park.")})

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.park_id, None


class ProgrammeVersion(CachedRelationCleanMixin, models.Model):
    """The rules of a programme in force from a date; frozen once an approved run used it."""

    programme = models.ForeignKey(
        SubsidyProgramme, on_delete=models.CASCADE, related_name="versions", verbose_name=_("programme")
    )
    number = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(
        _("effective to"), null=True, blank=True, help_text=_("Empty: until further notice.")
    )
    cap_per_payee_per_year = models.DecimalField(
        _("cap per payee per year, all rules (¥)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: no cap across the rules."),
    )
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    frozen = models.BooleanField(_("frozen"), default=False, help_text=_("Used by an approved run: no more changes."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["programme", "-number"]
        verbose_name = _("programme version")
        verbose_name_plural = _("programme versions")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="governance_version_unique_number"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="governance_version_dates_ordered",
                violation_error_message=_("The end of the effective period cannot be before its start."),
            ),
            models.CheckConstraint(
                condition=Q(cap_per_payee_per_year__isnull=True) | Q(cap_per_payee_per_year__gt=0),
                name="governance_version_cap_positive",
                violation_error_message=_("The cap must be more than zero (or empty for no cap)."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(programme)s, version %(number)s") % {"programme": self.programme, "number": self.number}

    def clean(self) -> None:
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": _("The end of the effective period cannot be before its start.")})
        if self.cap_per_payee_per_year is not None and self.cap_per_payee_per_year <= 0:
            raise ValidationError(
                {"cap_per_payee_per_year": _("The cap must be more than zero (or empty for no cap).")}
            )

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.programme.park_id, None

    def covers(self, start, end) -> bool:
        return self.effective_from <= start and (self.effective_to is None or end <= self.effective_to)


class SubsidyRule(CachedRelationCleanMixin, models.Model):
    """One rule of a programme version: a kind, the payee and the kind's parameters (validated per kind)."""

    version = models.ForeignKey(
        ProgrammeVersion, on_delete=models.CASCADE, related_name="rules", verbose_name=_("version")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    name = models.CharField(_("name"), max_length=200)
    payee = models.CharField(_("paid to"), max_length=20, choices=Payee.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    evidence_note = models.CharField(
        _("evidence required"), max_length=300, blank=True, help_text=_("What the payee must be able to show.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = _("subsidy rule")
        verbose_name_plural = _("subsidy rules")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from .rules import validate_params

        if self.kind and self.payee:
            self.params = validate_params(self.kind, self.payee, self.params)

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.version.programme.park_id, None

    @property
    def param_rows(self):
        from .rules import param_summary

        return param_summary(self.kind, self.params)


class LockedRunError(RuntimeError):
    """Raised on an attempt to change an approved (or paid) run or its lines."""


class AssessmentRun(CachedRelationCleanMixin, models.Model):
    """
    One computation of a programme version over a period, with its lines, totals and fingerprint.

    ``fingerprint`` is the SHA-256 of the canonical inputs (rules, period, the
    qualifying records, earlier payments, adjustments); ``lines_digest`` that of
    the serialized lines. Re-running on unchanged data gives both again.
    """

    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="assessment_runs", verbose_name=_("park"))
    version = models.ForeignKey(
        ProgrammeVersion, on_delete=models.PROTECT, related_name="runs", verbose_name=_("programme version")
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    series = models.PositiveIntegerField(_("series"), default=0, help_text=_("The first run of a correction chain."))
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("corrects"),
    )
    status = models.CharField(_("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.COMPUTING)
    note = models.CharField(_("note"), max_length=300, blank=True)
    adjustments = models.JSONField(_("adjustments"), default=list, blank=True)
    fingerprint = models.CharField(_("input fingerprint"), max_length=64, blank=True)
    lines_digest = models.CharField(_("lines fingerprint"), max_length=64, blank=True)
    inputs_summary = models.JSONField(_("inputs"), default=dict, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    total = models.DecimalField(_("total (¥)"), max_digits=14, decimal_places=2, default=Decimal("0"))
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = _("assessment run")
        verbose_name_plural = _("assessment runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="governance_run_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(programme)s %(start)s – %(end)s (revision %(revision)s)") % {
            "programme": self.version.programme,
            "start": self.period_start.isoformat(),
            "end": self.period_end.isoformat(),
            "revision": self.revision,
        }

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            stored = type(self).objects.filter(pk=self.pk).values("status").first()
            if stored and stored["status"] in LOCKED_RUN_STATUSES:
                allowed = {"status", "paid_at", "payment_reference", "updated_at"}
                fields = kwargs.get("update_fields")
                if not (stored["status"] == RunStatus.APPROVED and fields and set(fields) <= allowed):
                    raise LockedRunError("An approved assessment run cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_locked:
            raise LockedRunError("An approved assessment run cannot be deleted.")
        return super().delete(*args, **kwargs)

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.park_id, None

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_RUN_STATUSES


class AssessmentLine(models.Model):
    """One payment of a run: a person counted under a rule for a payee, with the records that qualified it."""

    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="lines", verbose_name=_("run"))
    key = models.CharField(_("key"), max_length=100)
    rule = models.ForeignKey(SubsidyRule, on_delete=models.PROTECT, related_name="lines", verbose_name=_("rule"))
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="+", verbose_name=_("graduate"))
    payee_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("payee")
    )
    payee_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("payee (person)")
    )
    qualifying_date = models.DateField(_("qualifying date"))
    base_amount = models.DecimalField(_("amount before caps (¥)"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("amount (¥)"), max_digits=12, decimal_places=2)
    capped = models.CharField(_("capped by"), max_length=20, blank=True)
    evidence = models.JSONField(_("evidence"), default=dict)
    adjustment = models.JSONField(_("adjustment"), null=True, blank=True)

    class Meta:
        ordering = ["run", "pk"]
        verbose_name = _("assessment line")
        verbose_name_plural = _("assessment lines")
        constraints = [
            models.UniqueConstraint(fields=["run", "key"], name="governance_line_unique_key"),
            models.CheckConstraint(
                condition=Q(payee_organisation__isnull=False) | Q(payee_person__isnull=False),
                name="governance_line_has_payee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student.person} · {self.rule} · ¥{self.amount}"

    def save(self, *args, **kwargs):
        if (
            self.pk is not None
            and AssessmentRun.objects.filter(pk=self.run_id, status__in=LOCKED_RUN_STATUSES).exists()
        ):
            raise LockedRunError("The lines of an approved assessment run cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if AssessmentRun.objects.filter(pk=self.run_id, status__in=LOCKED_RUN_STATUSES).exists():
            raise LockedRunError("The lines of an approved assessment run cannot be deleted.")
        return super().delete(*args, **kwargs)

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.run.park_id, self.payee_organisation_id

    @property
    def payee(self):
        return self.payee_organisation or self.payee_person


class Objection(CachedRelationCleanMixin, models.Model):
    """A payee's objection to a line of an open run, with its reason and the committee's decision."""

    line = models.ForeignKey(
        AssessmentLine, on_delete=models.CASCADE, related_name="objections", verbose_name=_("line")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("raised by")
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"))
    proposed_amount = models.DecimalField(
        _("amount the payee thinks right (¥)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    adjustment = models.CharField(_("adjustment"), max_length=20, choices=Adjustment.choices, blank=True)
    adjusted_amount = models.DecimalField(
        _("adjusted amount (¥)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    response = models.TextField(_("committee's response"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.CheckConstraint(
                condition=Q(proposed_amount__isnull=True) | Q(proposed_amount__gte=0),
                name="governance_objection_amount_positive",
                violation_error_message=_("An amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return _("Objection to %(line)s") % {"line": self.line}

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.line.run.park_id, self.organisation_id
