"""
Models of contact meetings and major issues.

A ``Meeting`` brings the parties of a park together (the Management Committee, the
colleges, the enterprises and the operating company): its ``MeetingParticipant`` rows
name the people and the party each represents; ``AgendaItem`` rows (which may link an
``Issue``), ``Decision`` rows and ``ActionItem`` rows (owner organisation and person, due
date, status) record what was discussed, decided and who does what by when.

An ``Issue`` is a major problem raised by a party: its acknowledgement and resolution
deadlines are fixed when it is raised, from the park's ``SeverityDeadline`` (or the
defaults). ``IssueEntry`` rows are its consultation thread (comments, proposals) and its
timeline (acknowledged, decided, escalated, closed, reopened).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iepark.core.models import Organisation, Park, Person

from .choices import (
    AWAITING_ACK,
    OPEN_ACTION_STATUSES,
    OPEN_ISSUE_STATUSES,
    ActionStatus,
    EntryKind,
    IssueCategory,
    IssueStatus,
    MeetingKind,
    MeetingStatus,
    Severity,
)


class SeverityDeadline(models.Model):
    """How fast a park's issues of one severity must be acknowledged and resolved (hours)."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="issue_deadlines", verbose_name=_("park"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    acknowledge_hours = models.PositiveIntegerField(
        _("acknowledgement time (hours)"),
        validators=[MinValueValidator(1), MaxValueValidator(24 * 90)],
        help_text=_("Time from raising the issue until the committee acknowledges it."),
    )
    resolve_hours = models.PositiveIntegerField(
        _("resolution time (hours)"),
        validators=[MinValueValidator(1), MaxValueValidator(24 * 365)],
        help_text=_("Time from raising the issue until a decision is recorded."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["park", "severity"]
        verbose_name = _("issue deadline")
        verbose_name_plural = _("issue deadlines")
        constraints = [
            models.UniqueConstraint(fields=["park", "severity"], name="consultation_one_deadline_per_severity"),
            models.CheckConstraint(
                condition=Q(resolve_hours__gte=F("acknowledge_hours")),
                name="consultation_resolve_after_acknowledge",
                violation_error_message=_("The resolution time cannot be shorter than the acknowledgement time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_severity_display()}: {self.acknowledge_hours} h / {self.resolve_hours} h"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.park_id, None


class Meeting(models.Model):
    """A regular or extraordinary contact meeting of the parties of a park."""

    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="contact_meetings", verbose_name=_("park"))
    kind = models.CharField(_("kind"), max_length=15, choices=MeetingKind.choices, default=MeetingKind.REGULAR)
    title = models.CharField(_("title"), max_length=150)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_recorded_at = models.DateTimeField(_("minutes recorded"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    reminded_at = models.DateTimeField(
        _("reminder sent"), null=True, blank=True, help_text=_("When the participants were reminded (once).")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("contact meeting")
        verbose_name_plural = _("contact meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="consultation_meeting_ends_after_start",
                violation_error_message=_("A meeting must end after it starts."),
            )
        ]
        indexes = [models.Index(fields=["park", "status", "starts_at"])]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.starts_at):%Y-%m-%d} {self.title}" if self.starts_at else self.title

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.park_id, None


class MeetingParticipant(models.Model):
    """One person invited to a meeting, and the party (organisation) they represent."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participants", verbose_name=_("meeting")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "organisation__kind", "organisation__name", "person__name", "pk"]
        verbose_name = _("meeting participant")
        verbose_name_plural = _("meeting participants")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="consultation_participant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.organisation})"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.meeting.park_id, self.organisation_id


class Issue(models.Model):
    """A major issue raised by a party: what, how severe, whom it affects, its deadlines and its outcome."""

    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="major_issues", verbose_name=_("park"))
    reference = models.CharField(_("reference"), max_length=20)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"))
    category = models.CharField(_("category"), max_length=15, choices=IssueCategory.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    status = models.CharField(_("status"), max_length=15, choices=IssueStatus.choices, default=IssueStatus.RAISED)
    raising_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="raised_issues", verbose_name=_("raised by (party)")
    )
    raised_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("raised by")
    )
    affected_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="affecting_issues", verbose_name=_("affected parties")
    )
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    acknowledge_due = models.DateTimeField(_("acknowledgement due"))
    resolve_due = models.DateTimeField(_("resolution due"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    decision_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decided_issues",
        verbose_name=_("decided at meeting"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="escalated_issues",
        verbose_name=_("escalated to meeting"),
    )
    escalation_note = models.CharField(_("escalation note"), max_length=300, blank=True)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("source type")
    )
    source_id = models.CharField(_("source id"), max_length=40, blank=True)
    source_label = models.CharField(_("source"), max_length=300, blank=True)
    source_url = models.CharField(_("source link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = _("major issue")
        verbose_name_plural = _("major issues")
        constraints = [
            models.UniqueConstraint(fields=["park", "year", "number"], name="consultation_issue_unique_number"),
            models.CheckConstraint(
                condition=Q(resolve_due__gte=F("acknowledge_due")),
                name="consultation_issue_deadlines_in_order",
                violation_error_message=_("The resolution deadline cannot come before the acknowledgement deadline."),
            ),
        ]
        indexes = [models.Index(fields=["park", "status"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.park_id, self.raising_organisation_id

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ISSUE_STATUSES

    def overdue_at(self, now=None) -> bool:
        now = now or timezone.now()
        return (self.status in AWAITING_ACK and self.acknowledge_due < now) or (
            self.status in OPEN_ISSUE_STATUSES and self.resolve_due < now
        )

    @property
    def age_days(self) -> int:
        return max(0, (timezone.now() - self.raised_at).days)


class IssueEntry(models.Model):
    """One line of an issue's thread: a party's comment or proposal, or a step of its life."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="entries", verbose_name=_("issue"))
    kind = models.CharField(_("kind"), max_length=15, choices=EntryKind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_label = models.CharField(_("by"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("party")
    )
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["issue", "at", "pk"]
        verbose_name = _("issue entry")
        verbose_name_plural = _("issue entries")

    def __str__(self) -> str:
        return f"{self.issue.reference} {self.get_kind_display()}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.issue.park_id, self.organisation_id


class AgendaItem(models.Model):
    """One point of a meeting's agenda, possibly about a major issue (escalated ones are marked)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("meeting"))
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    issue = models.ForeignKey(
        Issue, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items", verbose_name=_("issue")
    )
    escalated = models.BooleanField(
        _("escalated"), default=False, help_text=_("Added automatically because the issue was overdue.")
    )

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.meeting.park_id, None


class Decision(models.Model):
    """What a meeting decided (on an agenda item, possibly settling a major issue)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting"))
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("agenda item"),
    )
    text = models.TextField(_("decision"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.text[:80]

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.meeting.park_id, None


class ActionItem(models.Model):
    """Something a party agreed at a meeting to do by a date: owner organisation and person, status."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("meeting")
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("decision"),
    )
    title = models.CharField(_("action"), max_length=200)
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner organisation")
    )
    owner_person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("owner")
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    note = models.TextField(_("progress note"), blank=True)
    reminded_due_at = models.DateTimeField(_("due-soon reminder sent"), null=True, blank=True)
    reminded_overdue_at = models.DateTimeField(_("overdue reminder sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return self.title

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.meeting.park_id, self.owner_organisation_id

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES
