"""Enumerations shared across the park: organisation kinds, roles, statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    COMMITTEE = "committee", _("Management committee")
    INDUSTRIAL_COLLEGE = "industrial_college", _("Modern industrial college")
    COOPERATIVE_COLLEGE = "cooperative_college", _("Cooperative college")
    ENTERPRISE = "enterprise", _("Enterprise")
    OPERATOR = "operator", _("Operating company")
    EVALUATION_ORG = "evaluation_org", _("Evaluation organisation")


COLLEGE_KINDS = frozenset({OrganisationKind.INDUSTRIAL_COLLEGE, OrganisationKind.COOPERATIVE_COLLEGE})


class Industry(models.TextChoices):
    COAL_MINING = "coal_mining", _("Coal mining")
    COAL_POWER = "coal_power", _("Coal power")
    COAL_CHEMICAL = "coal_chemical", _("Coal chemical")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    PARK_ADMIN = "park_admin", _("Park administrator")
    COMMITTEE_OFFICER = "committee_officer", _("Committee officer")
    COLLEGE_COORDINATOR = "college_coordinator", _("Industrial-college coordinator")
    COLLEGE_ADMIN = "college_admin", _("College administrator")
    TEACHER = "teacher", _("Teacher")
    STUDENT_MANAGER = "student_manager", _("Student manager")
    ENTERPRISE_HR = "enterprise_hr", _("Enterprise HR")
    ENTERPRISE_MENTOR = "enterprise_mentor", _("Enterprise mentor")
    OPERATOR_STAFF = "operator_staff", _("Operator staff")
    STUDENT = "student", _("Student")


# Which organisation kinds a role can be held in. Park administrators work for
# the committee, the industrial college or the operating company.
ROLE_ORGANISATION_KINDS: dict[str, frozenset[str]] = {
    Role.PARK_ADMIN: frozenset(
        {OrganisationKind.COMMITTEE, OrganisationKind.INDUSTRIAL_COLLEGE, OrganisationKind.OPERATOR}
    ),
    Role.COMMITTEE_OFFICER: frozenset({OrganisationKind.COMMITTEE}),
    Role.COLLEGE_COORDINATOR: frozenset({OrganisationKind.INDUSTRIAL_COLLEGE}),
    Role.COLLEGE_ADMIN: COLLEGE_KINDS,
    Role.TEACHER: COLLEGE_KINDS,
    Role.STUDENT_MANAGER: COLLEGE_KINDS,
    Role.ENTERPRISE_HR: frozenset({OrganisationKind.ENTERPRISE}),
    Role.ENTERPRISE_MENTOR: frozenset({OrganisationKind.ENTERPRISE}),
    Role.OPERATOR_STAFF: frozenset({OrganisationKind.OPERATOR}),
    Role.STUDENT: COLLEGE_KINDS,
}


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class StudentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    IN_PARK = "in_park", _("In park")
    ON_INTERNSHIP = "on_internship", _("On internship")
    GRADUATED = "graduated", _("Graduated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
