"""
Pages of the analytics: the outcomes dashboard and supply against demand, with their Excel downloads.

Both pages are open to every signed-in user and show the figures of the rows
the policy lets them see (the menu offers them to the roles that use them).
They read through ``figures``, like the API.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iepark.core import generic_views as generic
from iepark.core.choices import Role
from iepark.core.policy import Actor

from ..policy import ZONE_READ_ROLES
from . import exports, figures, selectors, supply
from .forms import ZONE, OutcomeFilterForm, SupplyDemandForm

INSIGHT_ROLES = ZONE_READ_ROLES | {Role.COLLEGE_ADMIN, Role.STUDENT_MANAGER, Role.ENTERPRISE_HR}


def sees_insight(actor: Actor) -> bool:
    return bool(actor.roles & INSIGHT_ROLES)


generic.register_menu_items(
    "insight",
    gettext_lazy("Insight"),
    [
        generic.MenuItem(gettext_lazy("Outcomes dashboard"), "outcomes_dashboard", "graph-up-arrow", sees_insight),
        generic.MenuItem(gettext_lazy("Supply and demand"), "supply_demand", "bar-chart-line", sees_insight),
    ],
    weight=40,
)


def _bound(form_class: type, request: HttpRequest) -> tuple[Any, Any]:
    """Return the filter form over the query string and its query (the defaults where the filters are invalid)."""
    form = form_class(request.GET, user=request.user)
    if form.is_valid():
        return form, form.query()
    fallback = form_class({}, user=request.user)
    fallback.is_valid()
    return form, fallback.query()


def percent(value: float | None) -> str:
    """Return a share as a percentage with one decimal ("—" when undefined)."""
    return "—" if value is None else f"{value * 100:.1f}%"


def _with_displays(share: dict[str, Any]) -> dict[str, Any]:
    return {
        **share,
        "in_zone_display": percent(share["in_zone_share"]),
        "same_employer_display": percent(share["same_employer_share"]),
    }


def _turnover_table(turnover: dict[str, Any]) -> list[dict[str, Any]]:
    """Return one row per enterprise with a cell (or None) per year."""
    by_enterprise: dict[Any, dict[str, Any]] = {}
    cells: dict[Any, dict[int, dict[str, Any]]] = defaultdict(dict)
    for row in turnover["rows"]:
        by_enterprise.setdefault(
            row["enterprise_id"], {"name": row["enterprise"], "id": row["enterprise_id"], "url": row["records_url"]}
        )
        cells[row["enterprise_id"]][row["year"]] = {**row, "rate_display": percent(row["rate"])}
    return [
        {**entry, "cells": [cells[key].get(year) for year in turnover["years"]]} for key, entry in by_enterprise.items()
    ]


def _chart_labels() -> dict[str, str]:
    return {
        "months": _("Months since hire"),
        "staying": _("Still employed"),
        "band": _("%(level)s confidence band") % {"level": "95%"},
        "left_zone": _("Left the zone"),
        "moved_in_zone": _("Moved to another zone enterprise"),
        "still_with_employer": _("Still with the employer"),
        "at_risk": _("At risk"),
        "demand": _("Demand"),
        "expected": _("Expected graduates"),
        "certified": _("With certificates"),
        "gap": _("Gap"),
    }


@login_required
def outcomes_dashboard(request: HttpRequest) -> HttpResponse:
    """Show placement, retention (shares, Kaplan–Meier curves, competing risks) and turnover."""
    form, query = _bound(OutcomeFilterForm, request)
    data = figures.outcomes(user=request.user, query=query)
    retention = data["retention"]
    chart = {
        "labels": _chart_labels(),
        "curves": [
            {
                "label": group["label"],
                "points": [[p["months"], p["survival"], p["lower"], p["upper"], p["at_risk"]] for p in group["points"]],
            }
            for group in retention["groups"]
        ],
        "risks": [
            [p["months"], p["staying"], p["left_zone"], p["moved_in_zone"]] for p in data["competing_risks"]["points"]
        ],
    }
    zone_turnover = {row["year"]: row for row in data["turnover"]["zone"]}
    headline = data["turnover_headline"]
    context = {
        "form": form,
        "show_park": form.fields["park"].queryset.count() > 1,
        "query": query,
        "data": data,
        "placement": {**data["placement"], "rate_display": percent(data["placement"]["rate"])},
        "retention": retention,
        "shares": [_with_displays(share) for share in retention["retention"]],
        "groups": [
            {**group, "retention": [_with_displays(share) for share in group["retention"]]}
            for group in retention["groups"]
        ],
        "group_label": dict(form.fields["group_by"].choices).get(query.group_by, ""),
        "zone_view": query.view == ZONE,
        "risks": data["competing_risks"],
        "risk_enterprises": list(form.fields["risks_enterprise"].queryset),
        "turnover": data["turnover"],
        "turnover_headline": {**headline, "rate_display": percent(headline["rate"])} if headline else None,
        "turnover_table": _turnover_table(data["turnover"]),
        "zone_turnover": [
            {**zone_turnover[year], "rate_display": percent(zone_turnover[year]["rate"])}
            if year in zone_turnover
            else None
            for year in data["turnover"]["years"]
        ],
        "chart": chart,
        "export_url": reverse("outcomes_dashboard_export") + ("?" + request.GET.urlencode() if request.GET else ""),
        "destinations_url": figures.page_url(
            "graduatedestination_list",
            graduation_year=query.graduation_year,
            college=query.college.pk if query.college else None,
            latest="true",
        ),
    }
    return render(request, "careers/analytics/outcomes_dashboard.html", context)


@login_required
def outcomes_dashboard_export(request: HttpRequest) -> HttpResponse:
    """Download the dashboard's figures (same filters) as an Excel workbook."""
    _form, query = _bound(OutcomeFilterForm, request)
    return exports.outcomes_response(figures.outcomes(user=request.user, query=query))


@login_required
def supply_demand(request: HttpRequest) -> HttpResponse:
    """Show demand against supply per major and year, the gaps and the recommendations."""
    form, query = _bound(SupplyDemandForm, request)
    data = figures.supply_demand(user=request.user, query=query)
    rows = [
        {**row, "status_label": exports.status_label(row["status"]), "gap_share_display": percent(row["gap_share"])}
        for row in data["rows"]
    ]
    recommendations = [{**row, "status_label": exports.status_label(row["status"])} for row in data["recommendations"]]
    rates = data["rates"]
    chart = {
        "labels": _chart_labels(),
        "years": data["years"],
        "majors": [m["name"] for m in data["majors"]],
        "rows": [[r["year"], r["major"], r["demand"], r["expected"], r["certified"]] for r in data["rows"]],
    }
    context = {
        "form": form,
        "query": query,
        "data": data,
        "rows": rows,
        "recommendations": recommendations,
        "rates": {
            **rates,
            "rate_display": percent(rates["rate"]),
            "placement_display": percent(rates["placement"]),
            "retention_display": percent(rates["retention_12"]),
        },
        "show_park": form.fields["park"].queryset.count() > 1,
        "programme_years": selectors.programme_years(),
        "threshold_percent": round(supply.THRESHOLD * 100),
        "chart": chart,
        "export_url": reverse("supply_demand_export") + ("?" + request.GET.urlencode() if request.GET else ""),
    }
    return render(request, "careers/analytics/supply_demand.html", context)


@login_required
def supply_demand_export(request: HttpRequest) -> HttpResponse:
    """Download supply against demand (same filters) as an Excel workbook."""
    _form, query = _bound(SupplyDemandForm, request)
    return exports.supply_demand_response(figures.supply_demand(user=request.user, query=query))
