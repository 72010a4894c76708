"""Enumerations of contact meetings and major issues."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular")
    EXTRAORDINARY = "extraordinary", _("Extraordinary")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("status", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class IssueCategory(models.TextChoices):
    SAFETY = "safety", _("Safety")
    TEACHING = "teaching", _("Teaching")
    STUDENT_LIFE = "student_life", _("Student life")
    SERVICES = "services", _("Services")
    EMPLOYMENT = "employment", _("Employment")
    POLICY = "policy", _("Policy")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


# Most severe first (boards and sorting).
SEVERITY_ORDER = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3}


class IssueStatus(models.TextChoices):
    RAISED = "raised", _("Raised")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    UNDER_CONSULTATION = "consultation", _("Under consultation")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


# Issues still waiting for a decision (their resolution deadline runs).
OPEN_ISSUE_STATUSES = (
    IssueStatus.RAISED,
    IssueStatus.ACKNOWLEDGED,
    IssueStatus.UNDER_CONSULTATION,
    IssueStatus.REOPENED,
)
# Issues nobody has acknowledged yet (their acknowledgement deadline runs).
AWAITING_ACK = (IssueStatus.RAISED,)
# Issues not closed: shown on the board.
UNCLOSED_ISSUE_STATUSES = (*OPEN_ISSUE_STATUSES, IssueStatus.DECIDED)
BOARD_COLUMNS = (
    IssueStatus.RAISED,
    IssueStatus.REOPENED,
    IssueStatus.ACKNOWLEDGED,
    IssueStatus.UNDER_CONSULTATION,
    IssueStatus.DECIDED,
)


class EntryKind(models.TextChoices):
    """One line of an issue's consultation thread: what the parties said, and what happened."""

    COMMENT = "comment", _("Comment")
    PROPOSAL = "proposal", _("Proposal")
    RAISED = "raised", _("Raised")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closure confirmed")
    REOPENED = "reopened", _("Reopened")
    ESCALATED = "escalated", _("Escalated")
    EDITED = "edited", _("Edited")


# What the parties may write themselves (the rest is written by the services).
PARTY_ENTRY_KINDS = (EntryKind.COMMENT, EntryKind.PROPOSAL)

# (acknowledgement hours, resolution hours) when a park has not set its own deadlines.
DEFAULT_SEVERITY_DEADLINES: dict[str, tuple[int, int]] = {
    Severity.CRITICAL: (4, 24 * 3),
    Severity.HIGH: (24, 24 * 14),
    Severity.MEDIUM: (72, 24 * 30),
    Severity.LOW: (24 * 7, 24 * 60),
}

SEVERITY_BADGES = {
    Severity.CRITICAL: "danger",
    Severity.HIGH: "warning",
    Severity.MEDIUM: "info",
    Severity.LOW: "secondary",
}
ISSUE_STATUS_BADGES = {
    IssueStatus.RAISED: "secondary",
    IssueStatus.ACKNOWLEDGED: "info",
    IssueStatus.UNDER_CONSULTATION: "primary",
    IssueStatus.DECIDED: "success",
    IssueStatus.CLOSED: "dark",
    IssueStatus.REOPENED: "warning",
}
MEETING_STATUS_BADGES = {
    MeetingStatus.SCHEDULED: "primary",
    MeetingStatus.HELD: "success",
    MeetingStatus.CANCELLED: "dark",
}
ACTION_STATUS_BADGES = {
    ActionStatus.OPEN: "secondary",
    ActionStatus.IN_PROGRESS: "primary",
    ActionStatus.DONE: "success",
    ActionStatus.CANCELLED: "dark",
}
