"""Enumerations of governance: rule kinds, payees, certificate levels, statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RuleKind(models.TextChoices):
    RETENTION = "retention", _("Graduate retained in a zone enterprise (to the sending college)")
    CERTIFICATE = "certificate", _("Graduate with a skill certificate employed in the zone (by level)")
    GRADUATE_HIRE = "graduate_hire", _("Hire of a graduate of the current year (to the enterprise)")
    APPRENTICE = "apprentice", _("Apprentice under a labour contract (per year, to the enterprise)")


class Payee(models.TextChoices):
    COLLEGE = "college", _("Sending college")
    EMPLOYER = "employer", _("Employer")
    GRADUATE = "graduate", _("Graduate")


class CertificateLevel(models.TextChoices):
    """The 1+X levels and their vocational-qualification equivalents (初级=五级, 中级=四级, 高级=三级)."""

    JUNIOR = "junior", _("Junior (初级, level 5)")
    INTERMEDIATE = "intermediate", _("Intermediate (中级, level 4)")
    SENIOR = "senior", _("Senior (高级, level 3)")


class RunStatus(models.TextChoices):
    COMPUTING = "computing", _("Computing")
    FAILED = "failed", _("Failed")
    DRAFT = "draft", _("Draft")
    REVIEWED = "reviewed", _("Reviewed")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    SUPERSEDED = "superseded", _("Superseded by a correction")


# Statuses whose lines the payees see (and may object to while the run is open).
VISIBLE_RUN_STATUSES = (RunStatus.DRAFT, RunStatus.REVIEWED, RunStatus.APPROVED, RunStatus.PAID, RunStatus.SUPERSEDED)
OPEN_RUN_STATUSES = (RunStatus.DRAFT, RunStatus.REVIEWED)
# An approved or paid run is immutable: its lines and amounts never change again.
LOCKED_RUN_STATUSES = (RunStatus.APPROVED, RunStatus.PAID)


class ObjectionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("status", "Open")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Adjustment(models.TextChoices):
    """What an accepted objection does to its line in the correction."""

    NONE = "none", _("No change to the amount (the data were corrected at the source)")
    EXCLUDE = "exclude", _("Remove the line")
    SET_AMOUNT = "set_amount", _("Set the line's amount")


class PolicyVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal (park members only)")
