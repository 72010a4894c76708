"""Enumerations of the careers app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VettingStatus(models.TextChoices):
    """Where an employer profile or a posting stands in the park's vetting."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting vetting")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CLOSED = "closed", _("Closed")


class PlanHorizon(models.TextChoices):
    NEXT_YEAR = "1y", _("Next year")
    THREE_YEARS = "3y", _("Next three years")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class ShiftPattern(models.TextChoices):
    DAY = "day", _("Day shift")
    TWO_SHIFTS = "two_shifts", _("Two shifts")
    THREE_SHIFTS = "three_shifts", _("Three shifts")
    FOUR_TEAMS_THREE_SHIFTS = "four_three", _("Four teams, three shifts")
    ROTATION = "rotation", _("Rotation (on site / off site)")


class PostingKind(models.TextChoices):
    JOB = "job", _("Job")
    INTERNSHIP = "internship", _("Internship")
    ORDER_SEAT = "order_seat", _("Order-class seats")


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SCREENED = "screened", _("Screened")
    INTERVIEW = "interview", _("Interview")
    OFFER = "offer", _("Offer made")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REJECTED = "rejected", _("Not selected")
    WITHDRAWN = "withdrawn", pgettext_lazy("application or offer", "Withdrawn")


# The pipeline: which status may follow which, and who moves it (enterprise or student).
OPEN_APPLICATION_STATUSES = frozenset(
    {ApplicationStatus.APPLIED, ApplicationStatus.SCREENED, ApplicationStatus.INTERVIEW, ApplicationStatus.OFFER}
)
ENTERPRISE_TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationStatus.APPLIED: frozenset({ApplicationStatus.SCREENED, ApplicationStatus.REJECTED}),
    ApplicationStatus.SCREENED: frozenset(
        {ApplicationStatus.INTERVIEW, ApplicationStatus.OFFER, ApplicationStatus.REJECTED}
    ),
    ApplicationStatus.INTERVIEW: frozenset({ApplicationStatus.OFFER, ApplicationStatus.REJECTED}),
}


class InterviewStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CHOSEN = "chosen", _("Chosen")
    NOT_CHOSEN = "not_chosen", _("Not chosen")
    CANCELLED = "cancelled", _("Cancelled")


class OfferStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", pgettext_lazy("application or offer", "Withdrawn")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for lists")
    CLOSED = "closed", _("Closed")
    RUNNING = "running", _("Running")
    COMPUTED = "computed", _("Computed, under review")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class TieBreaking(models.TextChoices):
    SINGLE = "single", _("One lottery for all positions")
    MULTIPLE = "multiple", _("One lottery per position")


class ContractType(models.TextChoices):
    OPEN_ENDED = "open_ended", _("Open-ended labour contract")
    FIXED_TERM = "fixed_term", _("Fixed-term labour contract")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship contract")
    DISPATCH = "dispatch", _("Labour dispatch")
    INTERNSHIP = "internship", _("Internship agreement")
    FLEXIBLE = "flexible", _("Flexible employment")


class PayBand(models.TextChoices):
    BELOW_4K = "lt4k", _("Below ¥4,000 a month")
    FROM_4K = "4k-6k", _("¥4,000–6,000 a month")
    FROM_6K = "6k-8k", _("¥6,000–8,000 a month")
    FROM_8K = "8k-12k", _("¥8,000–12,000 a month")
    ABOVE_12K = "gte12k", _("¥12,000 a month or more")


class LeaveReason(models.TextChoices):
    RESIGNED = "resigned", _("Resigned")
    DISMISSED = "dismissed", _("Dismissed")
    CONTRACT_ENDED = "contract_ended", _("Contract ended")
    TRANSFERRED = "transferred", _("Transferred within the zone")


class RecordSource(models.TextChoices):
    OFFER = "offer", _("Accepted offer")
    ENTERPRISE = "enterprise", _("Enterprise headcount confirmation")
    COLLEGE_SURVEY = "college_survey", _("College graduate survey")
    STUDENT = "student", _("Student's own report")
    MANUAL = "manual", _("Entered by staff")


class ClaimStatus(models.TextChoices):
    AGREES = "agrees", _("Agrees with the record")
    CONFLICT = "conflict", _("Disagrees: to settle")
    APPLIED = "applied", _("Settled: record corrected")
    DISMISSED = "dismissed", _("Settled: claim dismissed")


class DestinationCategory(models.TextChoices):
    """The official graduate destination categories (毕业去向)."""

    FURTHER_STUDY = "further_study", _("Further study")
    CONTRACT_EMPLOYMENT = "contract_employment", _("Contract employment")
    FLEXIBLE_EMPLOYMENT = "flexible_employment", _("Flexible employment")
    SELF_EMPLOYMENT = "self_employment", _("Self-employment")
    NOT_PLACED = "not_placed", _("Not yet placed")


class NotificationKind(models.TextChoices):
    POSTING_SUBMITTED = "posting_submitted", _("Posting awaits vetting")
    POSTING_VETTED = "posting_vetted", _("Posting vetted")
    EMPLOYER_SUBMITTED = "employer_submitted", _("Employer profile awaits vetting")
    EMPLOYER_VETTED = "employer_vetted", _("Employer profile vetted")
    APPLICATION_RECEIVED = "application_received", _("New application")
    APPLICATION_MOVED = "application_moved", _("Application status changed")
    APPLICATION_WITHDRAWN = "application_withdrawn", _("Application withdrawn")
    INTERVIEW_PROPOSED = "interview_proposed", _("Interview times proposed")
    INTERVIEW_CHOSEN = "interview_chosen", _("Interview time chosen")
    INTERVIEW_CANCELLED = "interview_cancelled", _("Interview time cancelled")
    OFFER_MADE = "offer_made", _("Offer made")
    OFFER_ANSWERED = "offer_answered", _("Offer answered")
    ROUND_OPENED = "round_opened", _("Matching round opened")
    ROUND_PUBLISHED = "round_published", _("Matching round results published")
    CLAIM_CONFLICT = "claim_conflict", _("Employment sources disagree")
