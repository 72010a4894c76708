"""Reads of the core models, always scoped by the acting user through the policy."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

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
