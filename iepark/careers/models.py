"""
Careers: what the zone's enterprises need, what they offer, who applies and gets
hired, and who is still working in the zone later.

Demand plans (``DemandPlan``/``DemandLine``) state needs; postings (``Posting``)
are positions, vetted by the park before students see them, as is each
enterprise's public profile (``EmployerProfile``). Students apply
(``Application``), pick interview times (``Interview``) and answer offers
(``Offer``); a matching round (``MatchingRound`` and its lists) is the
alternative to free applications for a graduating cohort. Outcomes are
``EmploymentRecord`` rows (the settled truth), the claims of each source
(``EmploymentClaim``), the enterprises' monthly headcount confirmations and the
graduates' destinations (``GraduateDestination``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from iepark.core.choices import OrganisationKind
from iepark.core.models import CachedRelationCleanMixin, Job, Major, Organisation, Park, Student

from .choices import (
    ApplicationStatus,
    ClaimStatus,
    ContractType,
    DestinationCategory,
    InterviewStatus,
    LeaveReason,
    NotificationKind,
    OfferStatus,
    PayBand,
    PlanHorizon,
    PlanStatus,
    PostingKind,
    RecordSource,
    RoundStatus,
    ShiftPattern,
    TieBreaking,
    VettingStatus,
)


def _in_english() -> bool:
    return (get_language() or "").startswith("en")


def _require_enterprise(org: Organisation | None, field: str) -> None:
    if org is not None and org.kind != OrganisationKind.ENTERPRISE:
        raise ValidationError({field: _("This must be an enterprise.")}, code="not_enterprise")


class Vetted(models.Model):
    """Fields shared by what the park vets before students see it."""

    vetting_status = models.CharField(
        _("vetting status"), max_length=20, choices=VettingStatus.choices, default=VettingStatus.DRAFT
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    vetted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vetted by"),
    )
    vetted_at = models.DateTimeField(_("vetted at"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        if self.vetting_status == VettingStatus.REJECTED and not self.rejection_reason.strip():
            raise ValidationError({"rejection_reason": _("Give the reason for the rejection.")}, code="reason_required")


# ---------------------------------------------------------------------------
# Employers and their demand.
# ---------------------------------------------------------------------------


class EmployerProfile(CachedRelationCleanMixin, Vetted):
    """An enterprise's public face for students: vetted by the park before it is shown."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="employer_profile", verbose_name=_("enterprise")
    )
    summary = models.TextField(_("about the enterprise (Chinese)"))
    summary_en = models.TextField(_("about the enterprise (English)"), blank=True)
    employees = models.PositiveIntegerField(_("number of employees"), null=True, blank=True)
    benefits = models.TextField(_("benefits"), blank=True)
    benefits_en = models.TextField(_("benefits (English)"), blank=True)
    housing = models.TextField(_("housing"), blank=True)
    housing_en = models.TextField(_("housing (English)"), blank=True)
    commute = models.CharField(_("commute from the park"), max_length=200, blank=True)
    contact_email = models.EmailField(_("recruiting e-mail"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("employer profile")
        verbose_name_plural = _("employer profiles")

    def __str__(self) -> str:
        return str(self.organisation)

    def clean(self) -> None:
        super().clean()
        if self.organisation_id:
            _require_enterprise(self.organisation, "organisation")

    @property
    def display_summary(self) -> str:
        return self.summary_en if _in_english() and self.summary_en else self.summary


class DemandPlan(CachedRelationCleanMixin, models.Model):
    """An enterprise's statement of the posts it will need over a period."""

    enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="demand_plans", verbose_name=_("enterprise")
    )
    title = models.CharField(_("title"), max_length=200)
    horizon = models.CharField(_("horizon"), max_length=4, choices=PlanHorizon.choices, default=PlanHorizon.NEXT_YEAR)
    year_from = models.PositiveSmallIntegerField(_("first year"))
    year_to = models.PositiveSmallIntegerField(_("last year"))
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    notes = models.TextField(_("notes"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-year_from", "enterprise__name", "pk"]
        verbose_name = _("demand plan")
        verbose_name_plural = _("demand plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(year_to__gte=F("year_from")),
                name="demandplan_years_in_order",
                violation_error_message=_("The last year cannot be before the first year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.title} ({self.year_from}–{self.year_to})"

    def clean(self) -> None:
        if self.enterprise_id:
            _require_enterprise(self.enterprise, "enterprise")
        if self.year_from and self.year_to:
            span = 1 if self.horizon == PlanHorizon.NEXT_YEAR else 3
            if self.year_to - self.year_from + 1 > span:
                raise ValidationError(
                    {"year_to": _("This horizon covers at most %(n)d year(s).") % {"n": span}}, code="horizon"
                )

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.enterprise.park_id, self.enterprise_id


class DemandLine(CachedRelationCleanMixin, models.Model):
    """One post an enterprise needs in a year: how many people, with which major, certificates and skills."""

    plan = models.ForeignKey(DemandPlan, on_delete=models.CASCADE, related_name="lines", verbose_name=_("plan"))
    year = models.PositiveSmallIntegerField(_("year"))
    post = models.CharField(_("post"), max_length=200)
    major = models.ForeignKey(Major, on_delete=models.PROTECT, related_name="demand_lines", verbose_name=_("major"))
    certificates = models.CharField(_("required certificates"), max_length=300, blank=True)
    skills = models.CharField(_("required skills"), max_length=300, blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), validators=[MinValueValidator(1)])
    pay_min = models.PositiveIntegerField(_("monthly pay from (¥)"), null=True, blank=True)
    pay_max = models.PositiveIntegerField(_("monthly pay to (¥)"), null=True, blank=True)
    shift_pattern = models.CharField(_("shift pattern"), max_length=20, choices=ShiftPattern.choices, blank=True)
    location = models.CharField(_("location in the zone"), max_length=200, blank=True)
    housing_provided = models.BooleanField(_("housing provided"), default=False)

    class Meta:
        ordering = ["plan", "year", "post", "pk"]
        verbose_name = _("demand line")
        verbose_name_plural = _("demand lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(pay_min__isnull=True) | Q(pay_max__isnull=True) | Q(pay_max__gte=F("pay_min")),
                name="demandline_pay_in_order",
                violation_error_message=_("The pay range ends below where it starts."),
            ),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="demandline_headcount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.post} × {self.headcount} ({self.year})"

    def clean(self) -> None:
        if self.plan_id and self.year and not (self.plan.year_from <= self.year <= self.plan.year_to):
            raise ValidationError(
                {
                    "year": _("The year must lie within the plan's years (%(a)d–%(b)d).")
                    % {"a": self.plan.year_from, "b": self.plan.year_to}
                },
                code="year_outside_plan",
            )
        if self.plan_id and self.major_id and self.plan.enterprise.park_id != self.major.park_id:
            raise ValidationError({"major": _("The major belongs to another park.")}, code="park_mismatch")

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.plan.enterprise.park_id, self.plan.enterprise_id


class Posting(CachedRelationCleanMixin, Vetted):
    """A job, an internship or a block of order-class seats: a position students can apply or be matched to."""

    enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="postings", verbose_name=_("enterprise")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PostingKind.choices, default=PostingKind.JOB)
    title = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description (Chinese)"))
    description_en = models.TextField(_("description (English)"), blank=True)
    majors = models.ManyToManyField(Major, blank=True, related_name="postings", verbose_name=_("majors"))
    certificates = models.CharField(_("required certificates"), max_length=300, blank=True)
    skills = models.CharField(_("required skills"), max_length=300, blank=True)
    headcount = models.PositiveIntegerField(_("openings"), default=1, validators=[MinValueValidator(1)])
    pay_min = models.PositiveIntegerField(_("monthly pay from (¥)"), null=True, blank=True)
    pay_max = models.PositiveIntegerField(_("monthly pay to (¥)"), null=True, blank=True)
    shift_pattern = models.CharField(_("shift pattern"), max_length=20, choices=ShiftPattern.choices, blank=True)
    location = models.CharField(_("location in the zone"), max_length=200, blank=True)
    housing_provided = models.BooleanField(_("housing provided"), default=False)
    start_date = models.DateField(_("earliest start"), null=True, blank=True)
    closes_on = models.DateField(_("applications close"), null=True, blank=True)
    demand_line = models.ForeignKey(
        DemandLine,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="postings",
        verbose_name=_("demand line"),
    )
    is_public = models.BooleanField(_("shown on the public careers portal"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        constraints = [
            models.CheckConstraint(
                condition=Q(pay_min__isnull=True) | Q(pay_max__isnull=True) | Q(pay_max__gte=F("pay_min")),
                name="posting_pay_in_order",
                violation_error_message=_("The pay range ends below where it starts."),
            ),
        ]
        indexes = [models.Index(fields=["vetting_status", "closes_on"], name="posting_open_idx")]

    def __str__(self) -> str:
        return f"{self.display_title} · {self.enterprise}"

    @property
    def display_title(self) -> str:
        return self.title_en if _in_english() and self.title_en else self.title

    @property
    def display_description(self) -> str:
        return self.description_en if _in_english() and self.description_en else self.description

    def clean(self) -> None:
        super().clean()
        if self.enterprise_id:
            _require_enterprise(self.enterprise, "enterprise")
        if self.demand_line_id and self.enterprise_id and self.demand_line.plan.enterprise_id != self.enterprise_id:
            raise ValidationError({"demand_line": _("The demand line belongs to another enterprise.")})

    def is_open(self, today: datetime.date | None = None) -> bool:
        """Return whether students may apply now: approved and not past its closing date."""
        from django.utils import timezone

        today = today or timezone.localdate()
        return self.vetting_status == VettingStatus.APPROVED and (self.closes_on is None or self.closes_on >= today)

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.enterprise.park_id, self.enterprise_id


# ---------------------------------------------------------------------------
# Students' side: profile, applications, interviews, offers.
# ---------------------------------------------------------------------------


class StudentProfile(CachedRelationCleanMixin, models.Model):
    """What a student tells employers: certificates, skills, a short CV and job preferences."""

    student = models.OneToOneField(
        Student, on_delete=models.CASCADE, related_name="career_profile", verbose_name=_("student")
    )
    certificates = models.TextField(_("certificates"), blank=True)
    skills = models.TextField(_("skills"), blank=True)
    cv = models.TextField(_("short CV"), blank=True, max_length=4000)
    preferred_posts = models.CharField(_("preferred posts"), max_length=300, blank=True)
    preferred_places = models.CharField(_("preferred places"), max_length=300, blank=True)
    earliest_start = models.DateField(_("earliest start"), null=True, blank=True)
    open_to_offers = models.BooleanField(_("looking for work"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["student"]
        verbose_name = _("student career profile")
        verbose_name_plural = _("student career profiles")

    def __str__(self) -> str:
        return str(self.student)

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.student.college.park_id, self.student.college_id


class Application(CachedRelationCleanMixin, models.Model):
    """A student's application to a posting, moved through the pipeline by the enterprise."""

    posting = models.ForeignKey(
        Posting, on_delete=models.PROTECT, related_name="applications", verbose_name=_("posting")
    )
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="applications", verbose_name=_("student")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.APPLIED
    )
    cover_letter = models.TextField(_("cover letter"), blank=True, max_length=4000)
    enterprise_note = models.TextField(_("enterprise's note"), blank=True)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    matching_round = models.ForeignKey(
        "MatchingRound",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("matching round"),
    )
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["posting", "student"],
                name="application_once_per_posting",
                violation_error_message=_("This student has applied to this posting already."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.student.person} → {self.posting.display_title}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.posting.enterprise.park_id, self.posting.enterprise_id


class Interview(CachedRelationCleanMixin, models.Model):
    """A time the enterprise proposes for an interview; the student chooses one of them."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews", verbose_name=_("application")
    )
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=30, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    location = models.CharField(_("place or link"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=InterviewStatus.choices, default=InterviewStatus.PROPOSED
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("interview time")
        verbose_name_plural = _("interview times")

    def __str__(self) -> str:
        from django.utils import timezone

        return f"{timezone.localtime(self.starts_at):%Y-%m-%d %H:%M} · {self.location}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.application.audit_owner()


class Offer(CachedRelationCleanMixin, models.Model):
    """The enterprise's offer on an application, with a deadline for the student's answer."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="offer", verbose_name=_("application")
    )
    post = models.CharField(_("post"), max_length=200)
    monthly_pay = models.PositiveIntegerField(_("monthly pay (¥)"), null=True, blank=True)
    contract_type = models.CharField(
        _("contract type"), max_length=20, choices=ContractType.choices, default=ContractType.FIXED_TERM
    )
    start_date = models.DateField(_("start date"))
    deadline = models.DateField(_("answer by"))
    terms = models.TextField(_("terms"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=OfferStatus.choices, default=OfferStatus.PENDING)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return f"{self.post} · {self.application.student.person}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.application.audit_owner()


class Notification(models.Model):
    """An in-app message to one user; its text is rendered in the reader's language from ``kind`` and ``params``."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        from .notifications import render_text

        return render_text(self.kind, self.params)


# ---------------------------------------------------------------------------
# Matching rounds.
# ---------------------------------------------------------------------------


class MatchingRound(CachedRelationCleanMixin, models.Model):
    """A round in which a graduating cohort and the enterprises rank each other and a stable matching is computed."""

    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="matching_rounds", verbose_name=_("park"))
    name = models.CharField(_("name"), max_length=200)
    cohort_year = models.PositiveSmallIntegerField(_("cohort year of the students"))
    deadline = models.DateTimeField(_("lists due by"))
    offer_deadline = models.DateField(_("offers to be answered by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    seed = models.BigIntegerField(_("lottery seed"), null=True, blank=True)
    tie_breaking = models.CharField(
        _("tie-breaking"), max_length=20, choices=TieBreaking.choices, default=TieBreaking.SINGLE
    )
    job = models.ForeignKey(
        Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("run")
    )
    report = models.JSONField(_("report"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("matching round")
        verbose_name_plural = _("matching rounds")

    def __str__(self) -> str:
        return self.name


class RoundPosition(CachedRelationCleanMixin, models.Model):
    """A posting taking part in a round, with its capacity, and the enterprise's ranking of its applicants."""

    round = models.ForeignKey(
        MatchingRound, on_delete=models.CASCADE, related_name="positions", verbose_name=_("matching round")
    )
    posting = models.ForeignKey(
        Posting, on_delete=models.PROTECT, related_name="round_positions", verbose_name=_("posting")
    )
    capacity = models.PositiveIntegerField(_("seats"), validators=[MinValueValidator(0)])
    # Student ids best first; an inner list is a tie. Empty: every applicant acceptable, all tied.
    ranking = models.JSONField(_("ranking of applicants"), default=list, blank=True)
    ranking_submitted_at = models.DateTimeField(_("ranking submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["round", "posting__enterprise__name", "pk"]
        verbose_name = _("round position")
        verbose_name_plural = _("round positions")
        constraints = [
            models.UniqueConstraint(fields=["round", "posting"], name="roundposition_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.posting} ({self.capacity})"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.round.park_id, self.posting.enterprise_id


class RoundStudentList(CachedRelationCleanMixin, models.Model):
    """A student's ranked list of a round's positions (``RoundPosition`` ids, best first)."""

    round = models.ForeignKey(
        MatchingRound, on_delete=models.CASCADE, related_name="student_lists", verbose_name=_("matching round")
    )
    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="round_lists", verbose_name=_("student")
    )
    preferences = models.JSONField(_("ranked positions"), default=list)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["round", "student"]
        verbose_name = _("student's ranked list")
        verbose_name_plural = _("students' ranked lists")
        constraints = [models.UniqueConstraint(fields=["round", "student"], name="roundlist_once_per_student")]

    def __str__(self) -> str:
        return f"{self.student} · {self.round}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.round.park_id, self.student.college_id


class RoundMatch(CachedRelationCleanMixin, models.Model):
    """One student's result in a computed round, with the engine's explanation."""

    round = models.ForeignKey(
        MatchingRound, on_delete=models.CASCADE, related_name="matches", verbose_name=_("matching round")
    )
    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="round_matches", verbose_name=_("student")
    )
    position = models.ForeignKey(
        RoundPosition,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="matches",
        verbose_name=_("matched position"),
    )
    choice_rank = models.PositiveSmallIntegerField(_("choice obtained"), null=True, blank=True)
    explanation = models.JSONField(_("explanation"), default=list, blank=True)

    class Meta:
        ordering = ["round", "student"]
        verbose_name = _("round result")
        verbose_name_plural = _("round results")
        constraints = [models.UniqueConstraint(fields=["round", "student"], name="roundmatch_once_per_student")]

    def __str__(self) -> str:
        return f"{self.student} → {self.position.posting if self.position else '—'}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.round.park_id, self.student.college_id


# ---------------------------------------------------------------------------
# Outcomes: employment, the sources' claims, destinations.
# ---------------------------------------------------------------------------


class EmploymentRecord(CachedRelationCleanMixin, models.Model):
    """
    A graduate's spell with one employer: the settled record the retention figures read.

    ``employer`` is a zone enterprise of the graduate's park; an employer outside
    the zone is named in ``employer_name`` only. A graduate moving between zone
    enterprises has two records, the first ending with ``transferred``.
    """

    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="employment_records", verbose_name=_("graduate")
    )
    employer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employment_records",
        verbose_name=_("zone employer"),
    )
    employer_name = models.CharField(_("employer outside the zone"), max_length=200, blank=True)
    post = models.CharField(_("post"), max_length=200)
    start_date = models.DateField(_("start date"))
    contract_type = models.CharField(
        _("contract type"), max_length=20, choices=ContractType.choices, default=ContractType.FIXED_TERM
    )
    pay_band = models.CharField(_("pay band"), max_length=10, choices=PayBand.choices, blank=True)
    social_insurance_start = models.DateField(_("social insurance from"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    leave_reason = models.CharField(_("reason for leaving"), max_length=20, choices=LeaveReason.choices, blank=True)
    via_order_class = models.BooleanField(_("hired through an order class"), default=False)
    offer = models.OneToOneField(
        Offer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employment_record",
        verbose_name=_("offer"),
    )
    source = models.CharField(_("source"), max_length=20, choices=RecordSource.choices, default=RecordSource.MANUAL)
    last_confirmed = models.DateField(_("last confirmed by the employer"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("employment record")
        verbose_name_plural = _("employment records")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="employment_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(employer__isnull=False) | ~Q(employer_name=""),
                name="employment_has_employer",
                violation_error_message=_("Name the employer: a zone enterprise or one outside the zone."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True, leave_reason="") | Q(end_date__isnull=False),
                name="employment_reason_needs_end",
                violation_error_message=_("A reason for leaving needs an end date."),
            ),
        ]
        indexes = [models.Index(fields=["employer", "end_date"], name="employment_current_idx")]

    def __str__(self) -> str:
        return f"{self.student.person} · {self.employer_label} · {self.start_date:%Y-%m-%d}"

    @property
    def employer_label(self) -> str:
        return str(self.employer) if self.employer_id else self.employer_name

    @property
    def in_zone(self) -> bool:
        return self.employer_id is not None

    def clean(self) -> None:
        errors = {}
        if self.employer_id:
            if self.employer.kind != OrganisationKind.ENTERPRISE:
                errors["employer"] = _("This must be an enterprise.")
            elif self.student_id and self.employer.park_id != self.student.college.park_id:
                errors["employer"] = _("The employer is in another park; name it as an employer outside the zone.")
        if not self.employer_id and not self.employer_name.strip():
            errors["employer_name"] = _("Name the employer: a zone enterprise or one outside the zone.")
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.end_date and not self.leave_reason:
            errors["leave_reason"] = _("Give the reason for leaving.")
        if self.leave_reason and not self.end_date:
            errors["end_date"] = _("A reason for leaving needs an end date.")
        if self.social_insurance_start and self.start_date and self.social_insurance_start < self.start_date:
            errors["social_insurance_start"] = _("Social insurance cannot start before the employment.")
        if errors:
            raise ValidationError(errors)

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.student.college.park_id, self.employer_id or self.student.college_id


class EmploymentClaim(CachedRelationCleanMixin, models.Model):
    """
    What one source says about a graduate's employment on a date.

    A claim that agrees with the record is kept as evidence; one that disagrees
    is flagged for a person to settle (apply it to the record, or dismiss it).
    """

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="employment_claims", verbose_name=_("graduate")
    )
    record = models.ForeignKey(
        EmploymentRecord,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claims",
        verbose_name=_("employment record"),
    )
    source = models.CharField(_("source"), max_length=20, choices=RecordSource.choices)
    as_of = models.DateField(_("as of"))
    employed = models.BooleanField(_("employed"))
    employer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zone employer"),
    )
    employer_name = models.CharField(_("employer outside the zone"), max_length=200, blank=True)
    end_date = models.DateField(_("left on"), null=True, blank=True)
    leave_reason = models.CharField(_("reason for leaving"), max_length=20, choices=LeaveReason.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.AGREES)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("settled by"),
    )
    settlement_note = models.CharField(_("settlement note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        ordering = ["-as_of", "-pk"]
        verbose_name = _("employment claim")
        verbose_name_plural = _("employment claims")

    def __str__(self) -> str:
        return f"{self.student.person} · {self.get_source_display()} · {self.as_of:%Y-%m-%d}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.student.college.park_id, self.student.college_id


class HeadcountConfirmation(CachedRelationCleanMixin, models.Model):
    """An enterprise HR's monthly confirmation of which graduates are still employed."""

    enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="headcount_confirmations", verbose_name=_("enterprise")
    )
    month = models.DateField(_("month"))
    confirmed = models.PositiveIntegerField(_("confirmed still employed"), default=0)
    left = models.PositiveIntegerField(_("reported as left"), default=0)
    created_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)

    class Meta:
        ordering = ["-month", "enterprise__name"]
        verbose_name = _("headcount confirmation")
        verbose_name_plural = _("headcount confirmations")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "month"], name="headcount_once_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="headcount_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.month:%Y-%m}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.enterprise.park_id, self.enterprise_id


class GraduateDestination(CachedRelationCleanMixin, models.Model):
    """A graduate's destination (毕业去向) as known on a date; the latest one on or before a date counts."""

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="destinations", verbose_name=_("graduate")
    )
    category = models.CharField(_("destination"), max_length=30, choices=DestinationCategory.choices)
    as_of = models.DateField(_("as of"))
    employer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zone employer"),
    )
    detail = models.CharField(_("employer, school or other detail"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=RecordSource.choices, default=RecordSource.MANUAL)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-as_of", "-pk"]
        verbose_name = _("graduate destination")
        verbose_name_plural = _("graduate destinations")
        constraints = [
            models.UniqueConstraint(fields=["student", "as_of"], name="destination_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.student.person} · {self.get_category_display()} ({self.as_of:%Y-%m-%d})"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.student.college.park_id, self.student.college_id


# ---------------------------------------------------------------------------
# The public portal's page about life in the park.
# ---------------------------------------------------------------------------


class LivingSection(CachedRelationCleanMixin, models.Model):
    """One section of "living in the park" on the public careers portal (dormitories, canteen, clinic...)."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="living_sections", verbose_name=_("park"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    icon = models.CharField(_("icon"), max_length=40, default="house")
    title = models.CharField(_("title (Chinese)"), max_length=100)
    title_en = models.CharField(_("title (English)"), max_length=100, blank=True)
    body = models.TextField(_("text (Chinese)"))
    body_en = models.TextField(_("text (English)"), blank=True)

    class Meta:
        ordering = ["park", "order", "pk"]
        verbose_name = _("living-in-the-park section")
        verbose_name_plural = _("living-in-the-park sections")

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title_en if _in_english() and self.title_en else self.title

    @property
    def display_body(self) -> str:
        return self.body_en if _in_english() and self.body_en else self.body
