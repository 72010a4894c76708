"""Reads of career profiles, applications, interviews, offers and notifications, scoped through the policy."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, CharField, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from iepark.core import policy
from iepark.core.models import AuditEvent
from iepark.core.policy import Action

from ..choices import ApplicationStatus, InterviewStatus, OfferStatus, RoundStatus
from ..models import Application, Interview, Notification, Offer, Posting, RoundMatch, StudentProfile


def offer_status_expression(prefix: str = "", today: datetime.date | None = None) -> Case:
    """Return the SQL for an offer's status as it stands today (pending past the deadline: expired)."""
    today = today or timezone.localdate()
    return Case(
        When(
            **{f"{prefix}status": OfferStatus.PENDING, f"{prefix}deadline__lt": today},
            then=Value(OfferStatus.EXPIRED),
        ),
        default=F(f"{prefix}status"),
        output_field=CharField(),
    )


def student_profile_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[StudentProfile]:
    qs = StudentProfile.objects.select_related("student__person", "student__college", "student__major")
    return policy.restrict(qs, user, action)


def application_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Application]:
    qs = Application.objects.select_related(
        "posting__enterprise",
        "student__person",
        "student__college",
        "student__major",
        "matching_round",
    )
    return policy.restrict(qs, user, action)


def interview_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Interview]:
    qs = Interview.objects.select_related(
        "application__posting__enterprise", "application__student__person", "application__student__college"
    )
    return policy.restrict(qs, user, action)


def offer_list(*, user: Any, action: Action = Action.VIEW, today: datetime.date | None = None) -> QuerySet[Offer]:
    """Return the offers ``user`` may see, each annotated with ``effective_status``."""
    qs = Offer.objects.select_related(
        "application__posting__enterprise",
        "application__student__person",
        "application__student__college",
        "employment_record",
    ).annotate(effective_status=offer_status_expression(today=today))
    return policy.restrict(qs, user, action)


def notification_list(*, user: Any) -> QuerySet[Notification]:
    """Return ``user``'s notifications, unread first, newest first."""
    unread_first = Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
    return policy.restrict(Notification.objects.all(), user).order_by(unread_first, "-created_at", "-pk")


def pipeline_counts(applications: QuerySet[Application]) -> dict[str, int]:
    """Return the number of ``applications`` per status (every status present, one query)."""
    rows = applications.order_by().values("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(ApplicationStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def pending_interviews(*, user: Any, student_id: int) -> QuerySet[Interview]:
    """Return the proposed interview times waiting for the student's choice (future ones only)."""
    return interview_list(user=user).filter(
        application__student_id=student_id,
        application__status=ApplicationStatus.INTERVIEW,
        status=InterviewStatus.PROPOSED,
        starts_at__gt=timezone.now(),
    )


def application_timeline(application: Application) -> QuerySet[AuditEvent]:
    """Return the audit events of an application, its interview times and its offer, newest first."""
    interview_ids = [str(pk) for pk in application.interviews.values_list("pk", flat=True)]
    offer_ids = [str(pk) for pk in Offer.objects.filter(application=application).values_list("pk", flat=True)]
    q = Q(object_type="careers.application", object_id=str(application.pk))
    if interview_ids:
        q |= Q(object_type="careers.interview", object_id__in=interview_ids)
    if offer_ids:
        q |= Q(object_type="careers.offer", object_id__in=offer_ids)
    return AuditEvent.objects.filter(q).select_related("actor").order_by("-timestamp", "-pk")


def posting_visible(*, user: Any) -> QuerySet[Posting]:
    """Return the postings ``user`` may see (to apply to one, or to show its pipeline)."""
    return policy.restrict(Posting.objects.select_related("enterprise"), user)


def published_round_matches(*, user: Any, student_id: int) -> QuerySet[RoundMatch]:
    """Return the student's results in published matching rounds (for "my career")."""
    qs = RoundMatch.objects.filter(student_id=student_id, round__status=RoundStatus.PUBLISHED).select_related("round")
    return policy.restrict(qs, user)
