"""
The operator's dashboard: the park's operations at a glance, each figure linking to the list it counts.

It reads every area through that area's own ``selectors.dashboard_figures`` (work orders, safety,
surveys) and the dormitories' occupancy, all scoped by the policy: a figure counts only rows the
reader may see. Park administrators, the operating company's staff and committee officers of the
park open it; with several parks, ``?park=<id>`` chooses one.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iepark.core import generic_views as generic
from iepark.core import policy
from iepark.core.choices import Role
from iepark.core.models import Park
from iepark.core.policy import Actor

from . import selectors
from .safety import selectors as safety_selectors
from .safety.choices import Severity
from .safety.tables import SEVERITY_COLOURS, coloured
from .surveys import selectors as survey_selectors
from .surveys.choices import ServiceArea
from .workorders import selectors as workorder_selectors

DASHBOARD_ROLES = frozenset({Role.PARK_ADMIN, Role.OPERATOR_STAFF, Role.COMMITTEE_OFFICER})


def sees_dashboard(actor: Actor) -> bool:
    return actor.is_superuser or bool(actor.parks(DASHBOARD_ROLES))


generic.register_menu_items(
    "operations",
    gettext_lazy("Operations"),
    [generic.MenuItem(gettext_lazy("Operations dashboard"), "operations_dashboard", "speedometer2", sees_dashboard)],
    weight=35,
)


def _parks(actor: Actor) -> list[Park]:
    parks = Park.objects.order_by("name")
    return list(parks if actor.is_superuser else parks.filter(pk__in=actor.parks(DASHBOARD_ROLES)))


def occupancy_figures(user: Any, park: Park) -> dict[str, Any]:
    """Beds, taken and free in the park, per building (for the chart) and in all."""
    rows = selectors.occupancy(user=user, park=park)
    buildings: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = buildings.setdefault(row["building"].pk, {"name": str(row["building"]), "beds": 0, "taken": 0})
        entry["beds"] += row["beds"]
        entry["taken"] += row["taken"]
    beds = sum(b["beds"] for b in buildings.values())
    taken = sum(b["taken"] for b in buildings.values())
    return {
        "beds": beds,
        "taken": taken,
        "free": beds - taken,
        "rate": round(100 * taken / beds, 1) if beds else None,
        "buildings": list(buildings.values()),
        "link": f"{reverse('dormbuilding_list')}?park={park.pk}",
    }


def dashboard_data(user: Any, park: Park) -> dict[str, Any]:
    """Every area's figures for ``park`` as ``user`` may see them."""
    surveys = survey_selectors.dashboard_figures(user, park)
    rate = surveys.get("mean_response_rate")
    surveys["response_rate_pct"] = None if rate is None else round(100 * rate, 1)
    surveys["latest_labelled"] = [
        (ServiceArea(area).label if area in ServiceArea.values else area, mean)
        for area, mean in surveys.get("latest_satisfaction", {}).items()
    ]

    safety = safety_selectors.dashboard_figures(user, park)
    by_severity, severity_links = safety.get("open_findings_by_severity", {}), safety["links"].get("by_severity", {})
    safety["severity_rows"] = [
        (
            coloured(severity, Severity(severity).label, SEVERITY_COLOURS),
            by_severity.get(severity, 0),
            severity_links.get(severity),
        )
        for severity in reversed(Severity.values)
    ]
    return {
        "workorders": workorder_selectors.dashboard_figures(user, park),
        "safety": safety,
        "surveys": surveys,
        "satisfaction": survey_selectors.satisfaction_series(user, park, months=12),
        "dorms": occupancy_figures(user, park),
    }


def _charts(data: dict[str, Any]) -> dict[str, Any]:
    """The chart series, as plain JSON for ECharts."""
    compliance = data["workorders"].get("compliance", [])
    months = sorted({row["month"] for row in data["satisfaction"]})
    areas: dict[str, dict[str, Any]] = {}
    for row in data["satisfaction"]:
        series = areas.setdefault(row["area"], {"name": str(row["label"]), "values": {}})
        series["values"][row["month"]] = row["mean"]
    return {
        "compliance": {
            "categories": [str(row["label"]) for row in compliance],
            "response": [row["response_on_time_pct"] for row in compliance],
            "resolution": [row["resolution_on_time_pct"] for row in compliance],
            "response_label": _("Responded on time (%)"),
            "resolution_label": _("Resolved on time (%)"),
        },
        "satisfaction": {
            "months": [m.strftime("%Y-%m") for m in months],
            "series": [{"name": s["name"], "data": [s["values"].get(m) for m in months]} for s in areas.values()],
        },
        "occupancy": {
            "buildings": [b["name"] for b in data["dorms"]["buildings"]],
            "taken": [b["taken"] for b in data["dorms"]["buildings"]],
            "free": [b["beds"] - b["taken"] for b in data["dorms"]["buildings"]],
            "taken_label": _("Taken"),
            "free_label": _("Free"),
        },
    }


@login_required
def operations_dashboard(request: HttpRequest) -> HttpResponse:
    actor = policy.actor_for(request.user)
    if not sees_dashboard(actor):
        raise PermissionDenied
    parks = _parks(actor)
    if not parks:
        raise PermissionDenied
    chosen = request.GET.get("park")
    park = next((p for p in parks if str(p.pk) == chosen), parks[0])
    data = dashboard_data(request.user, park)
    return render(
        request,
        "operations/dashboard.html",
        {"park": park, "parks": parks, "charts": _charts(data), **data},
    )
