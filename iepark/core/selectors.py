"""Reads of the core models, always scoped by the acting user through the policy."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from . import policy
from .models import AuditEvent, Job, Major, Membership, Organisation, Park, Person, Student, Teacher
from .policy import Action


def park_list(*, user: Any) -> QuerySet[Park]:
    return policy.restrict(Park.objects.all(), user)


def organisation_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Organisation]:
    return policy.restrict(Organisation.objects.select_related("park"), user, action)


def person_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Person]:
    qs = Person.objects.select_related("park", "user", "student", "teacher")
    return policy.annotate_personal_data(policy.restrict(qs, user, action), user)


def membership_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Membership]:
    return policy.restrict(Membership.objects.select_related("person", "organisation"), user, action)


def major_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Major]:
    return policy.restrict(Major.objects.select_related("park"), user, action)


def student_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Student]:
    qs = Student.objects.select_related("person", "person__park", "college", "major")
    return policy.annotate_personal_data(policy.restrict(qs, user, action), user, prefix="person__")


def teacher_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Teacher]:
    qs = Teacher.objects.select_related("person", "person__park", "organisation", "major")
    return policy.annotate_personal_data(policy.restrict(qs, user, action), user, prefix="person__")


def audit_event_list(*, user: Any) -> QuerySet[AuditEvent]:
    return policy.restrict(AuditEvent.objects.select_related("actor"), user)


def job_list(*, user: Any) -> QuerySet[Job]:
    return policy.restrict(Job.objects.all(), user)


def role_users(
    roles: Iterable[str], *, park: Park | int | None = None, organisation: Organisation | int | None = None
) -> list[Any]:
    """
    Return the active logins holding a current membership with one of ``roles``, in ``park`` or ``organisation``.

    For addressing notifications (who to tell), not for deciding access: that is the policy's.
    """
    today = timezone.localdate()
    memberships = Membership.objects.filter(role__in=list(roles), start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    if park is not None:
        memberships = memberships.filter(organisation__park=park)
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    User = get_user_model()
    return list(User.objects.filter(is_active=True, person__memberships__in=memberships).distinct().order_by("pk"))
