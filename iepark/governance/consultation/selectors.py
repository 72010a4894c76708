"""
Reads of contact meetings and major issues, always scoped by the acting user through the policy.

"Overdue" is computed in SQL against the current time (``issue_overdue_q``, ``action_overdue_q``),
so boards and figures are live between runs of the daily escalation.

Interface for the committee's dashboard: ``dashboard_figures(user, park)``.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import BooleanField, Case, Count, ExpressionWrapper, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from iepark.core import policy
from iepark.core.models import Organisation, Park, Person
from iepark.core.policy import Action, Actor

from .choices import (
    AWAITING_ACK,
    BOARD_COLUMNS,
    OPEN_ACTION_STATUSES,
    OPEN_ISSUE_STATUSES,
    SEVERITY_ORDER,
    UNCLOSED_ISSUE_STATUSES,
    MeetingStatus,
    Severity,
)
from .models import ActionItem, AgendaItem, Decision, Issue, IssueEntry, Meeting, MeetingParticipant, SeverityDeadline
from .policy import OFFICER_ROLES


def _user(actor: Any) -> Any:
    """Accept a user or a policy ``Actor`` (other apps may hold either)."""
    return actor.user if isinstance(actor, Actor) else actor


def _park_id(park: Park | int | None) -> int | None:
    return getattr(park, "pk", park)


# --- conditions ----------------------------------------------------------------------------------------


def ack_overdue_q(now: datetime.datetime | None = None) -> Q:
    return Q(status__in=AWAITING_ACK, acknowledge_due__lt=now or timezone.now())


def resolve_overdue_q(now: datetime.datetime | None = None) -> Q:
    return Q(status__in=OPEN_ISSUE_STATUSES, resolve_due__lt=now or timezone.now())


def issue_overdue_q(now: datetime.datetime | None = None) -> Q:
    """Open issues past their acknowledgement deadline (not acknowledged yet) or their resolution deadline."""
    now = now or timezone.now()
    return ack_overdue_q(now) | resolve_overdue_q(now)


def action_overdue_q(today: datetime.date | None = None) -> Q:
    return Q(status__in=OPEN_ACTION_STATUSES, due_date__lt=today or timezone.localdate())


def severity_rank() -> Case:
    return Case(*[When(severity=s, then=Value(r)) for s, r in SEVERITY_ORDER.items()], output_field=IntegerField())


# --- meetings ------------------------------------------------------------------------------------------


def meeting_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Meeting]:
    """Return the meetings ``user`` may see (or change), with participant and open action counts."""
    qs = Meeting.objects.select_related("park").annotate(
        participant_count=Count("participants", distinct=True),
        open_actions=Count("action_items", filter=Q(action_items__status__in=OPEN_ACTION_STATUSES), distinct=True),
    )
    return policy.restrict(qs, _user(user), action).order_by("-starts_at", "-pk")


def upcoming_meetings(*, user: Any) -> QuerySet[Meeting]:
    return (
        meeting_list(user=user)
        .filter(status=MeetingStatus.SCHEDULED, ends_at__gte=timezone.now())
        .order_by("starts_at", "pk")
    )


def participants(meeting: Meeting, *, user: Any) -> QuerySet[MeetingParticipant]:
    return policy.restrict(
        MeetingParticipant.objects.filter(meeting=meeting).select_related("person", "organisation"), _user(user)
    )


def agenda(meeting: Meeting, *, user: Any) -> QuerySet[AgendaItem]:
    return policy.restrict(AgendaItem.objects.filter(meeting=meeting).select_related("issue"), _user(user))


def agenda_item_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[AgendaItem]:
    return policy.restrict(AgendaItem.objects.select_related("meeting", "issue"), _user(user), action)


def decision_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Decision]:
    return policy.restrict(Decision.objects.select_related("meeting", "agenda_item"), _user(user), action)


def annotate_action_overdue(queryset: QuerySet, today: datetime.date | None = None) -> QuerySet:
    return queryset.annotate(overdue=ExpressionWrapper(action_overdue_q(today), output_field=BooleanField()))


def action_item_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[ActionItem]:
    """Return the action items ``user`` may see (or change), with a live ``overdue`` flag, overdue first."""
    qs = ActionItem.objects.select_related("meeting", "owner_organisation", "owner_person", "decision")
    qs = annotate_action_overdue(policy.restrict(qs, _user(user), action))
    return qs.order_by("-overdue", "due_date", "pk")


def my_action_items(*, user: Any, organisation: bool = False) -> QuerySet[ActionItem]:
    """Return the open-or-recent action items the user owns (``organisation``: their organisations own)."""
    from .policy import ORG_ADMIN_ROLES

    actor = policy.actor_for(_user(user))
    if organisation:
        orgs = actor.orgs(ORG_ADMIN_ROLES) | actor.orgs(OFFICER_ROLES)
        q = Q(owner_organisation_id__in=orgs)
    else:
        q = Q(owner_person_id=actor.person_id) if actor.person_id else Q(pk__in=[])
    return action_item_list(user=user).filter(q)


def overdue_actions_by_owner(*, user: Any, park: Park | int | None = None) -> list[dict[str, Any]]:
    """Return the overdue action items visible to ``user`` grouped by owner organisation (most first)."""
    qs = action_item_list(user=user).filter(action_overdue_q())
    if park is not None:
        qs = qs.filter(meeting__park_id=_park_id(park))
    groups: dict[int, dict[str, Any]] = {}
    for item in qs:
        group = groups.setdefault(item.owner_organisation_id, {"organisation": item.owner_organisation, "items": []})
        group["items"].append(item)
    return sorted(groups.values(), key=lambda g: (-len(g["items"]), str(g["organisation"])))


# --- issues --------------------------------------------------------------------------------------------


def annotate_issue_overdue(queryset: QuerySet, now: datetime.datetime | None = None) -> QuerySet:
    """Annotate ``ack_overdue``, ``resolve_overdue``, ``overdue`` and ``severity_rank`` (one query)."""
    now = now or timezone.now()
    return queryset.annotate(
        ack_overdue=ExpressionWrapper(ack_overdue_q(now), output_field=BooleanField()),
        resolve_overdue=ExpressionWrapper(resolve_overdue_q(now), output_field=BooleanField()),
        overdue=ExpressionWrapper(issue_overdue_q(now), output_field=BooleanField()),
        severity_rank=severity_rank(),
    )


def issue_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Issue]:
    """Return the issues ``user`` may see (or change), with their live overdue flags."""
    qs = Issue.objects.select_related("park", "raising_organisation", "raised_by", "escalated_to", "decision_meeting")
    return annotate_issue_overdue(policy.restrict(qs, _user(user), action))


def issue_board(queryset: QuerySet[Issue]) -> list[dict[str, Any]]:
    """Split unclosed issues into the board's status columns, each sorted overdue first, by severity, oldest first."""
    rows = list(
        queryset.filter(status__in=UNCLOSED_ISSUE_STATUSES)
        .prefetch_related("affected_organisations")
        .order_by("-overdue", "severity_rank", "raised_at", "pk")[:500]
    )
    columns = []
    for status in BOARD_COLUMNS:
        items = [i for i in rows if i.status == status]
        columns.append({"status": status, "label": status.label, "issues": items})
    return columns


def issue_entries(issue: Issue, *, user: Any) -> QuerySet[IssueEntry]:
    return policy.restrict(
        IssueEntry.objects.filter(issue=issue).select_related("organisation", "author"), _user(user)
    ).order_by("at", "pk")


def severity_deadline_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[SeverityDeadline]:
    return policy.restrict(SeverityDeadline.objects.select_related("park"), _user(user), action)


def officer_parks(*, user: Any) -> QuerySet[Park]:
    """Return the parks whose meetings and issues ``user`` organises (all for a superuser)."""
    actor = policy.actor_for(_user(user))
    if actor.is_superuser:
        return Park.objects.all()
    return Park.objects.filter(pk__in=actor.parks(OFFICER_ROLES))


def party_organisations(*, user: Any, park: Park | int | None = None) -> QuerySet[Organisation]:
    """Return the organisations of the parks the user belongs to (affected parties, action owners)."""
    actor = policy.actor_for(_user(user))
    qs = Organisation.objects.filter(is_active=True)
    if park is not None:
        qs = qs.filter(park_id=_park_id(park))
    elif not actor.is_superuser:
        qs = qs.filter(park_id__in=actor.parks())
    return qs.order_by("kind", "name")


def invitable_people(park: Park | int | list[int]) -> QuerySet[Person]:
    """Return the people holding a current staff role in an organisation of ``park`` (possible participants)."""
    from iepark.core.choices import Role
    from iepark.core.models import Membership

    parks = park if isinstance(park, list | tuple | set) else [_park_id(park)]
    today = timezone.localdate()
    members = (
        Membership.objects.filter(organisation__park_id__in=parks, start_date__lte=today)
        .exclude(role=Role.STUDENT)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values("person_id")
    )
    return Person.objects.filter(pk__in=members).order_by("name", "pk")


# --- figures -------------------------------------------------------------------------------------------


def issue_list_url(**filters: Any) -> str:
    url = reverse("issue_list")
    return f"{url}?{urlencode(filters, doseq=True)}" if filters else url


def action_list_url(**filters: Any) -> str:
    url = reverse("actionitem_list")
    return f"{url}?{urlencode(filters)}" if filters else url


def dashboard_figures(user: Any, park: Park | int) -> dict[str, Any]:
    """
    Return the committee's dashboard figures of meetings and major issues of ``park`` visible to ``user``.

    Keys: ``open_issues`` (int: issues not yet decided), ``open_issues_by_severity`` ({severity: int},
    every severity, most severe first), ``overdue_issues`` (int), ``escalated_issues`` (int),
    ``awaiting_closure`` (decided, not yet confirmed), ``overdue_actions`` (int), ``open_actions`` (int),
    ``next_meeting`` (a ``Meeting`` or None), and ``links``: the same keys → the list pages with those
    filters applied (``next_meeting`` → its page, or the meetings list).
    """
    park_id = _park_id(park)
    now = timezone.now()
    issues = policy.restrict(Issue.objects.filter(park_id=park_id), _user(user))
    figures = issues.aggregate(
        open_issues=Count("pk", filter=Q(status__in=OPEN_ISSUE_STATUSES)),
        overdue_issues=Count("pk", filter=issue_overdue_q(now)),
        escalated_issues=Count("pk", filter=Q(status__in=OPEN_ISSUE_STATUSES, escalated_at__isnull=False)),
        awaiting_closure=Count("pk", filter=Q(status="decided")),
        **{f"sev_{s}": Count("pk", filter=Q(status__in=OPEN_ISSUE_STATUSES, severity=s)) for s in Severity.values},
    )
    actions = policy.restrict(ActionItem.objects.filter(meeting__park_id=park_id), _user(user)).aggregate(
        overdue_actions=Count("pk", filter=action_overdue_q(timezone.localdate(now))),
        open_actions=Count("pk", filter=Q(status__in=OPEN_ACTION_STATUSES)),
    )
    result: dict[str, Any] = {
        "open_issues": int(figures["open_issues"] or 0),
        "open_issues_by_severity": {s: int(figures[f"sev_{s}"] or 0) for s in Severity.values},
        "overdue_issues": int(figures["overdue_issues"] or 0),
        "escalated_issues": int(figures["escalated_issues"] or 0),
        "awaiting_closure": int(figures["awaiting_closure"] or 0),
        "overdue_actions": int(actions["overdue_actions"] or 0),
        "open_actions": int(actions["open_actions"] or 0),
    }
    upcoming = (
        policy.restrict(Meeting.objects.filter(park_id=park_id), _user(user))
        .filter(status=MeetingStatus.SCHEDULED, starts_at__gt=now)
        .order_by("starts_at", "pk")
        .first()
    )
    result["next_meeting"] = upcoming
    result["links"] = {
        "open_issues": issue_list_url(park=park_id, open="true"),
        "open_issues_by_severity": {s: issue_list_url(park=park_id, open="true", severity=s) for s in Severity.values},
        "overdue_issues": issue_list_url(park=park_id, overdue="true"),
        "escalated_issues": issue_list_url(park=park_id, escalated="true", open="true"),
        "awaiting_closure": issue_list_url(park=park_id, status="decided"),
        "overdue_actions": action_list_url(park=park_id, overdue="true"),
        "open_actions": action_list_url(park=park_id, open="true"),
        "next_meeting": reverse("meeting_detail", args=[upcoming.pk]) if upcoming else reverse("meeting_list"),
    }
    return result


def issues_from_source(source: Any, *, user: Any) -> QuerySet[Issue]:
    """The issues raised from ``source`` (e.g. a safety finding) that ``user`` may see."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(source)
    return issue_list(user=user).filter(source_type=content_type, source_id=str(source.pk))


def source_has_issue(source: Any) -> bool:
    """Whether an issue was ever raised from ``source`` (whoever may see it: to raise a source only once)."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(source)
    return Issue.objects.filter(source_type=content_type, source_id=str(source.pk)).exists()
