"""
Reads of employer profiles, demand plans and postings, always scoped by the acting user through the policy.

``zone_demand`` rolls the submitted demand plans up by year and major (the
analytics use it for supply against demand). When an enterprise has several
submitted plans covering the same year, the one submitted last is its
statement for that year: a yearly plan submitted after a three-year plan
refines that plan's first year instead of adding to it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language

from iepark.core import policy
from iepark.core.models import Park
from iepark.core.policy import Action

from ..choices import PlanStatus, VettingStatus
from ..models import DemandLine, DemandPlan, EmployerProfile, Posting
from ..policy import VETTER_ROLES, visible_posting_q


def employer_profile_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[EmployerProfile]:
    qs = EmployerProfile.objects.select_related("organisation", "organisation__park", "vetted_by")
    return policy.restrict(qs, user, action)


def demand_plan_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[DemandPlan]:
    qs = policy.restrict(
        DemandPlan.objects.select_related("enterprise", "enterprise__park", "enterprise__employer_profile"),
        user,
        action,
    )
    # A query with aggregates drops the model's default ordering: restate it.
    return qs.annotate(line_count=Count("lines"), headcount_total=Sum("lines__headcount")).order_by(
        *DemandPlan._meta.ordering
    )


def demand_line_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[DemandLine]:
    qs = DemandLine.objects.select_related("plan", "plan__enterprise", "major")
    return policy.restrict(qs, user, action)


def posting_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Posting]:
    qs = Posting.objects.select_related(
        "enterprise", "enterprise__park", "enterprise__employer_profile", "demand_line"
    ).prefetch_related("majors")
    return policy.restrict(qs, user, action)


def open_posting_q(today: datetime.date | None = None, prefix: str = "") -> Q:
    """Return the postings students may apply to now: vetted, of a vetted employer, not past their closing date."""
    today = today or timezone.localdate()
    return visible_posting_q(prefix) & (
        Q(**{f"{prefix}closes_on__isnull": True}) | Q(**{f"{prefix}closes_on__gte": today})
    )


def open_posting_list(*, user: Any, today: datetime.date | None = None) -> QuerySet[Posting]:
    """Return the open postings ``user`` may see (the students' browse list), soonest closing first."""
    return posting_list(user=user).filter(open_posting_q(today)).order_by("closes_on", "-created_at", "-pk")


def _vetted_parks(user: Any) -> set[int] | None:
    """Return the parks ``user`` vets (None: every park, for a superuser)."""
    actor = policy.actor_for(user)
    if actor.is_superuser:
        return None
    return actor.parks(VETTER_ROLES)


def vetting_queue_profiles(*, user: Any) -> QuerySet[EmployerProfile]:
    """Return the employer profiles awaiting the vetting of ``user``, oldest first."""
    qs = employer_profile_list(user=user).filter(vetting_status=VettingStatus.SUBMITTED)
    parks = _vetted_parks(user)
    if parks is not None:
        qs = qs.filter(organisation__park__in=parks)
    return qs.order_by("updated_at", "pk")


def vetting_queue_postings(*, user: Any) -> QuerySet[Posting]:
    """Return the postings awaiting the vetting of ``user``, oldest first."""
    qs = posting_list(user=user).filter(vetting_status=VettingStatus.SUBMITTED)
    parks = _vetted_parks(user)
    if parks is not None:
        qs = qs.filter(enterprise__park__in=parks)
    return qs.order_by("updated_at", "pk")


# --- the zone's demand ------------------------------------------------------------------


def _park_id(park: Park | int | None) -> int | None:
    if park is None:
        return None
    return park.pk if isinstance(park, Park) else int(park)


def _label(name: str, name_en: str) -> str:
    return name_en if (get_language() or "").startswith("en") and name_en else name


def _effective_rows(user: Any, park: Park | int | None) -> list[dict[str, Any]]:
    """
    Return the demand that counts, as rows per enterprise, year and major (headcount summed in SQL).

    For each enterprise and year, only the lines of the submitted plan that was
    submitted last among those covering that year count.
    """
    park_id = _park_id(park)
    plans = policy.restrict(DemandPlan.objects.filter(status=PlanStatus.SUBMITTED), user)
    if park_id is not None:
        plans = plans.filter(enterprise__park_id=park_id)
    earliest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    latest: dict[tuple[int, int], tuple[datetime.datetime, int]] = {}
    for pk, enterprise_id, year_from, year_to, submitted_at in plans.values_list(
        "pk", "enterprise_id", "year_from", "year_to", "submitted_at"
    ):
        rank = (submitted_at or earliest, pk)
        for year in range(year_from, year_to + 1):
            key = (enterprise_id, year)
            if key not in latest or rank > latest[key]:
                latest[key] = rank
    winners = {key: rank[1] for key, rank in latest.items()}
    if not winners:
        return []
    lines = policy.restrict(DemandLine.objects.filter(plan_id__in=set(winners.values())), user)
    grouped = (
        lines.values(
            "plan_id",
            "plan__enterprise_id",
            "plan__enterprise__name",
            "plan__enterprise__name_en",
            "year",
            "major_id",
            "major__code",
            "major__name",
            "major__name_en",
        )
        .annotate(headcount=Sum("headcount"))
        .order_by()
    )
    return [row for row in grouped if winners.get((row["plan__enterprise_id"], row["year"])) == row["plan_id"]]


def zone_demand(user: Any, park: Park | int | None = None) -> list[dict[str, Any]]:
    """
    Return the zone's demand by year and major: ``[{"year", "major_id", "major", "headcount"}]``.

    Only submitted plans the user may see count (``park`` narrows them to one
    park); rows are ordered by year, then major code.
    """
    totals: dict[tuple[int, int], int] = defaultdict(int)
    majors: dict[int, tuple[str, str]] = {}
    for row in _effective_rows(user, park):
        totals[(row["year"], row["major_id"])] += row["headcount"] or 0
        majors[row["major_id"]] = (row["major__code"], _label(row["major__name"], row["major__name_en"]))
    ordered = sorted(totals.items(), key=lambda item: (item[0][0], majors[item[0][1]][0], item[0][1]))
    return [
        {"year": year, "major_id": major_id, "major": majors[major_id][1], "headcount": headcount}
        for (year, major_id), headcount in ordered
    ]


def zone_demand_by_enterprise(user: Any, park: Park | int | None = None) -> list[dict[str, Any]]:
    """Return the same demand per enterprise and year: ``[{"year", "enterprise_id", "enterprise", "headcount"}]``."""
    totals: dict[tuple[int, int], int] = defaultdict(int)
    names: dict[int, str] = {}
    for row in _effective_rows(user, park):
        totals[(row["plan__enterprise_id"], row["year"])] += row["headcount"] or 0
        names[row["plan__enterprise_id"]] = _label(row["plan__enterprise__name"], row["plan__enterprise__name_en"])
    ordered = sorted(totals.items(), key=lambda item: (names[item[0][0]], item[0][0], item[0][1]))
    return [
        {"year": year, "enterprise_id": enterprise_id, "enterprise": names[enterprise_id], "headcount": headcount}
        for (enterprise_id, year), headcount in ordered
    ]


def pivot(rows: list[dict[str, Any]], key: str, label: str) -> tuple[list[int], list[dict[str, Any]]]:
    """
    Return the years and one row per ``key`` (major or enterprise) with its headcount per year and total.

    Each returned row is ``{"id", "label", "cells": [headcount per year], "total"}``; the largest total comes first.
    """
    years = sorted({row["year"] for row in rows})
    table: dict[Any, dict[str, Any]] = {}
    for row in rows:
        entry = table.setdefault(row[key], {"id": row[key], "label": row[label], "by_year": defaultdict(int)})
        entry["by_year"][row["year"]] += row["headcount"]
    result = []
    for entry in table.values():
        cells = [entry["by_year"].get(year, 0) for year in years]
        result.append({"id": entry["id"], "label": entry["label"], "cells": cells, "total": sum(cells)})
    result.sort(key=lambda entry: (-entry["total"], str(entry["label"])))
    return years, result
