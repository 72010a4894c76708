"""
Reads of maintenance work orders, always scoped by the acting user through the policy.

"Overdue" is computed in SQL against the current time (``overdue_q``), so lists
and figures are live between runs of the daily escalation.

Interfaces other apps rely on: ``ratings_by_month`` (the surveys app's
"maintenance" satisfaction) and ``dashboard_figures`` (the operator's dashboard).
"""

from __future__ import annotations

import datetime
import statistics
from typing import Any
from urllib.parse import urlencode

from django.db.models import Avg, BooleanField, Count, DateField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from iepark.core import policy
from iepark.core.choices import Role
from iepark.core.models import Park, Person
from iepark.core.policy import Action, Actor

from .choices import AWAITING_RESPONSE, DONE_STATUSES, OPEN_STATUSES, FaultCategory, WorkOrderStatus
from .models import MaintenancePlan, ServiceLevel, WorkOrder, WorkOrderEvent


def _user(actor: Any) -> Any:
    """Accept a user or a policy ``Actor`` (other apps may hold either)."""
    return actor.user if isinstance(actor, Actor) else actor


def _park_id(park: Park | int | None) -> int | None:
    return getattr(park, "pk", park)


# --- conditions ----------------------------------------------------------------------------------------


def response_overdue_q(now: datetime.datetime | None = None, prefix: str = "") -> Q:
    now = now or timezone.now()
    return Q(**{f"{prefix}status__in": AWAITING_RESPONSE, f"{prefix}response_due__lt": now})


def resolution_overdue_q(now: datetime.datetime | None = None, prefix: str = "") -> Q:
    now = now or timezone.now()
    return Q(**{f"{prefix}status__in": OPEN_STATUSES, f"{prefix}resolution_due__lt": now})


def overdue_q(now: datetime.datetime | None = None) -> Q:
    """Open orders past their response deadline (not started yet) or their resolution deadline."""
    now = now or timezone.now()
    return response_overdue_q(now) | resolution_overdue_q(now)


def unrated_done_q() -> Q:
    return Q(status__in=DONE_STATUSES, rating__isnull=True, reporter__isnull=False)


def annotate_overdue(queryset: QuerySet, now: datetime.datetime | None = None) -> QuerySet:
    """Annotate ``response_overdue``, ``resolution_overdue`` and ``overdue`` (one query for the whole list)."""
    now = now or timezone.now()
    return queryset.annotate(
        response_overdue=ExpressionWrapper(response_overdue_q(now), output_field=BooleanField()),
        resolution_overdue=ExpressionWrapper(resolution_overdue_q(now), output_field=BooleanField()),
        overdue=ExpressionWrapper(overdue_q(now), output_field=BooleanField()),
    )


# --- lists ---------------------------------------------------------------------------------------------


def work_order_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[WorkOrder]:
    """Return the orders ``user`` may see (or change), with their live overdue flags."""
    qs = WorkOrder.objects.select_related("park", "room__building", "reporter", "assignee", "plan")
    return annotate_overdue(policy.restrict(qs, _user(user), action))


def my_reports(*, user: Any) -> QuerySet[WorkOrder]:
    """Return the orders the user reported themselves, newest first."""
    actor = policy.actor_for(_user(user))
    if not actor.person_id:
        return WorkOrder.objects.none()
    return work_order_list(user=user).filter(reporter_id=actor.person_id).order_by("-reported_at", "-pk")


def timeline(order: WorkOrder, *, user: Any) -> QuerySet[WorkOrderEvent]:
    return policy.restrict(WorkOrderEvent.objects.filter(order=order).select_related("actor"), _user(user)).order_by(
        "at", "pk"
    )


def service_level_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[ServiceLevel]:
    return policy.restrict(ServiceLevel.objects.select_related("park"), _user(user), action)


def maintenance_plan_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[MaintenancePlan]:
    qs = MaintenancePlan.objects.select_related("park", "room__building", "default_assignee").annotate(
        orders_count=Count("orders")
    )
    # Grouped queries ignore the model's default ordering: give it explicitly (stable pages).
    return policy.restrict(qs, _user(user), action).order_by("park", "next_due", "title", "pk")


def operator_staff(park: Park | int | list[int]) -> QuerySet[Person]:
    """Return the people holding a current operator staff role in ``park`` (or parks): the possible assignees."""
    today = timezone.localdate()
    from iepark.core.models import Membership

    parks = park if isinstance(park, list | tuple | set) else [_park_id(park)]
    members = (
        Membership.objects.filter(role=Role.OPERATOR_STAFF, organisation__park_id__in=parks, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values("person_id")
    )
    return Person.objects.filter(pk__in=members).order_by("name", "pk")


def desk_parks(*, user: Any) -> QuerySet[Park]:
    """Return the parks whose orders ``user`` runs (operator staff, park administrators; all for a superuser)."""
    from .policy import DESK_ROLES

    actor = policy.actor_for(_user(user))
    if actor.is_superuser:
        return Park.objects.all()
    return Park.objects.filter(pk__in=actor.parks(DESK_ROLES))


# --- figures -------------------------------------------------------------------------------------------


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _hours(delta: datetime.timedelta) -> float:
    return delta.total_seconds() / 3600.0


def compliance(
    actor: Any,
    park: Park | int | None = None,
    *,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> list[dict[str, Any]]:
    """
    Return per category the deadline compliance of the orders reported in the period (cancelled ones left out).

    Response is on time when the work started by the response deadline; resolution when the fix was
    recorded by the resolution deadline. An order counts once measured: when its step happened, or its
    deadline has passed without it (late). Each row: category, label, total, response_measured,
    response_on_time, response_on_time_pct, resolution_measured, resolution_on_time,
    resolution_on_time_pct, median_response_hours, median_resolution_hours, rated, mean_rating.
    """
    now = now or timezone.now()
    qs = policy.restrict(WorkOrder.objects.all(), _user(actor)).exclude(status=WorkOrderStatus.CANCELLED)
    if park is not None:
        qs = qs.filter(park_id=_park_id(park))
    if since:
        qs = qs.filter(reported_at__date__gte=since)
    if until:
        qs = qs.filter(reported_at__date__lte=until)
    response_measured = Q(started_at__isnull=False) | response_overdue_q(now)
    resolution_measured = Q(resolved_at__isnull=False) | resolution_overdue_q(now)
    rows = {
        row["category"]: row
        for row in qs.values("category").annotate(
            total=Count("pk"),
            response_measured=Count("pk", filter=response_measured),
            response_on_time=Count("pk", filter=Q(started_at__lte=F("response_due"))),
            resolution_measured=Count("pk", filter=resolution_measured),
            resolution_on_time=Count("pk", filter=Q(resolved_at__lte=F("resolution_due"))),
            rated=Count("rating"),
            mean_rating=Avg("rating"),
        )
    }
    durations: dict[str, tuple[list[float], list[float]]] = {}
    for category, reported, started, resolved in qs.filter(
        Q(started_at__isnull=False) | Q(resolved_at__isnull=False)
    ).values_list("category", "reported_at", "started_at", "resolved_at"):
        response, resolution = durations.setdefault(category, ([], []))
        if started:
            response.append(_hours(started - reported))
        if resolved:
            resolution.append(_hours(resolved - reported))
    result = []
    for value, label in FaultCategory.choices:
        row = rows.get(value)
        if row is None:
            continue
        response, resolution = durations.get(value, ([], []))
        result.append(
            {
                "category": value,
                "label": str(label),
                "total": row["total"],
                "response_measured": row["response_measured"],
                "response_on_time": row["response_on_time"],
                "response_on_time_pct": _pct(row["response_on_time"], row["response_measured"]),
                "resolution_measured": row["resolution_measured"],
                "resolution_on_time": row["resolution_on_time"],
                "resolution_on_time_pct": _pct(row["resolution_on_time"], row["resolution_measured"]),
                "median_response_hours": round(statistics.median(response), 1) if response else None,
                "median_resolution_hours": round(statistics.median(resolution), 1) if resolution else None,
                "rated": row["rated"],
                "mean_rating": round(float(row["mean_rating"]), 2) if row["mean_rating"] is not None else None,
            }
        )
    return result


def compliance_total(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the all-categories line of ``compliance`` rows (medians are not additive: left out)."""
    total = {k: sum(r[k] for r in rows) for k in ("total", "response_measured", "response_on_time")}
    total.update({k: sum(r[k] for r in rows) for k in ("resolution_measured", "resolution_on_time", "rated")})
    total["response_on_time_pct"] = _pct(total["response_on_time"], total["response_measured"])
    total["resolution_on_time_pct"] = _pct(total["resolution_on_time"], total["resolution_measured"])
    rated = [(r["mean_rating"], r["rated"]) for r in rows if r["mean_rating"] is not None]
    weight = sum(n for _m, n in rated)
    total["mean_rating"] = round(sum(m * n for m, n in rated) / weight, 2) if weight else None
    return total


def ratings_by_month(
    actor: Any, park: Park | int, *, since: datetime.date | None = None, until: datetime.date | None = None
) -> list[dict[str, Any]]:
    """
    Return the reporters' ratings of the park's orders visible to ``actor``, by month of rating.

    ``[{"month": date (first day), "count": int, "mean": float}]`` sorted by month; ``since`` and
    ``until`` (dates, inclusive) bound the day of rating.
    """
    qs = policy.restrict(WorkOrder.objects.filter(park_id=_park_id(park), rating__isnull=False), _user(actor))
    qs = qs.filter(rated_at__isnull=False)
    if since:
        qs = qs.filter(rated_at__date__gte=since)
    if until:
        qs = qs.filter(rated_at__date__lte=until)
    rows = (
        qs.annotate(month=TruncMonth("rated_at", output_field=DateField()))
        .values("month")
        .annotate(count=Count("pk"), mean=Avg("rating"))
        .order_by("month")
    )
    result = []
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        result.append({"month": month.replace(day=1), "count": row["count"], "mean": round(float(row["mean"]), 2)})
    return result


def list_url(**filters: Any) -> str:
    """Return the dispatch list's URL with ``filters`` applied."""
    url = reverse("workorder_list")
    return f"{url}?{urlencode(filters)}" if filters else url


def dashboard_figures(actor: Any, park: Park | int) -> dict[str, Any]:
    """
    Return the operator's dashboard figures of ``park`` (orders visible to ``actor``).

    Keys: ``open``, ``overdue``, ``escalated``, ``unrated_resolved`` (ints), ``compliance`` (per-category
    rows of ``compliance``), and ``links``: the same keys → the list pages with those filters applied.
    """
    park_id = _park_id(park)
    now = timezone.now()
    qs = policy.restrict(WorkOrder.objects.filter(park_id=park_id), _user(actor))
    figures = qs.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=overdue_q(now)),
        escalated=Count("pk", filter=Q(status__in=OPEN_STATUSES, escalation_level__gt=0)),
        unrated_resolved=Count("pk", filter=unrated_done_q()),
    )
    result: dict[str, Any] = {k: int(v or 0) for k, v in figures.items()}
    result["compliance"] = compliance(actor, park_id, now=now)
    result["links"] = {
        "open": list_url(park=park_id, open="true"),
        "overdue": list_url(park=park_id, overdue="true"),
        "escalated": list_url(park=park_id, escalated="true", open="true"),
        "unrated_resolved": list_url(park=park_id, unrated="true"),
        "compliance": reverse("workorder_compliance") + f"?park={park_id}",
    }
    return result
