"""
The Management Committee's dashboard: the zone at a glance, each figure linking to the list it counts.

It reads every area through that area's own selectors, scoped by the policy for the reader (a figure
counts only rows the reader may see):

- students in the park by college and major: ``core.selectors.student_list``, current students only
  (enrolled, in the park, on internship), grouped in SQL;
- graduates delivered to zone enterprises and their retention at 6/12/24 months: the careers
  analytics' ``figures`` (the outcomes dashboard's own path), grouped by college, with the placement
  of the latest graduating class;
- subsidies approved and paid, by programme and by payee: ``governance.selectors.line_list``;
- open major issues and overdue action items: ``consultation.selectors.dashboard_figures``;
- service satisfaction: ``operations.surveys.selectors.satisfaction_series`` and ``dashboard_figures``;
- certificate pass rates: no certification capability yet, so the page says so (no made-up number).

Committee officers and park administrators of the park (and superusers) open it; with several
parks, ``?park=<id>`` chooses one.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iepark.careers.analytics import figures as career_figures
from iepark.careers.analytics.forms import ZONE, OutcomeQuery, latest_graduation_year
from iepark.careers.analytics.selectors import display_name
from iepark.core import generic_views as generic
from iepark.core import policy
from iepark.core import selectors as core_selectors
from iepark.core.choices import Role, StudentStatus
from iepark.core.models import Park
from iepark.core.policy import Actor
from iepark.core.views import register_home_card
from iepark.operations.surveys import selectors as survey_selectors
from iepark.operations.surveys.choices import ServiceArea

from . import selectors
from .choices import RunStatus
from .consultation import selectors as consultation_selectors
from .consultation.choices import Severity

DASHBOARD_ROLES = frozenset({Role.PARK_ADMIN, Role.COMMITTEE_OFFICER})
# Students who are the park's now: not graduated, not withdrawn.
CURRENT_STUDENT_STATUSES = (StudentStatus.ENROLLED, StudentStatus.IN_PARK, StudentStatus.ON_INTERNSHIP)
SETTLED_RUN_STATUSES = (RunStatus.APPROVED, RunStatus.PAID)
# How many payees the chart and table show (the rest are summed into one row).
TOP_PAYEES = 12


def sees_dashboard(actor: Actor) -> bool:
    return actor.is_superuser or bool(actor.parks(DASHBOARD_ROLES))


generic.register_menu_items(
    "governance",
    gettext_lazy("Governance"),
    [generic.MenuItem(gettext_lazy("Committee dashboard"), "governance_dashboard", "speedometer", sees_dashboard)],
    weight=40,
)


def _current_students(*, user: Any):
    return core_selectors.student_list(user=user).filter(status__in=CURRENT_STUDENT_STATUSES)


register_home_card(
    gettext_lazy("Students in the park (committee dashboard)"),
    "speedometer",
    "governance_dashboard",
    sees_dashboard,
    _current_students,
)


def dashboard_parks(actor: Actor) -> list[Park]:
    parks = Park.objects.order_by("name")
    return list(parks if actor.is_superuser else parks.filter(pk__in=actor.parks(DASHBOARD_ROLES)))


def _url(name: str, *args: Any, **params: Any) -> str:
    """Return the page ``name`` with the query ``params`` (lists repeat the key; None values dropped)."""
    url = reverse(name, args=args)
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")}, doseq=True)
    return f"{url}?{query}" if query else url


def _name(name: str | None, name_en: str | None) -> str:
    return display_name(name or "", name_en or "")


# --- students ----------------------------------------------------------------------------------------


def student_figures(user: Any, park: Park) -> dict[str, Any]:
    """
    Current students of ``park`` by college and major (one query), each count linking to the students list.

    ``colleges`` (largest first) and ``majors`` (by code) carry their totals and links; each major has one
    cell per college, in the colleges' order; ``cells`` maps ``(college id, major id)`` to the count.
    """
    current = list(CURRENT_STUDENT_STATUSES)
    rows = (
        core_selectors.student_list(user=user)
        .filter(college__park=park, status__in=current)
        .order_by()
        .values(
            "college_id",
            "college__name",
            "college__name_en",
            "major_id",
            "major__code",
            "major__name",
            "major__name_en",
        )
        .annotate(n=Count("pk", distinct=True))
    )
    colleges: dict[int, dict[str, Any]] = {}
    majors: dict[int, dict[str, Any]] = {}
    cells: dict[tuple[int, int], int] = {}
    for row in rows:
        college = colleges.setdefault(
            row["college_id"],
            {
                "id": row["college_id"],
                "name": _name(row["college__name"], row["college__name_en"]),
                "total": 0,
                "link": _url("student_list", college=row["college_id"], status=current),
            },
        )
        major = majors.setdefault(
            row["major_id"],
            {
                "id": row["major_id"],
                "code": row["major__code"],
                "name": _name(row["major__name"], row["major__name_en"]),
                "total": 0,
            },
        )
        college["total"] += row["n"]
        major["total"] += row["n"]
        cells[(row["college_id"], row["major_id"])] = row["n"]
    college_list = sorted(colleges.values(), key=lambda c: (-c["total"], c["name"]))
    major_list = sorted(majors.values(), key=lambda m: (m["code"] or "", m["name"]))
    for major in major_list:
        major["link"] = _url("student_list", major=major["id"], status=current)
        major["cells"] = [
            {
                "college_id": college["id"],
                "n": cells.get((college["id"], major["id"]), 0),
                "link": _url("student_list", college=college["id"], major=major["id"], status=current),
            }
            for college in college_list
        ]
    return {
        "total": sum(c["total"] for c in college_list),
        "colleges": college_list,
        "majors": major_list,
        "cells": cells,
        "link": _url("student_list", status=current),
    }


# --- graduates in zone enterprises ------------------------------------------------------------------------


def graduate_figures(user: Any, park: Park) -> dict[str, Any]:
    """
    Graduates hired into zone enterprises (their first zone spell) by college, and retention at 6/12/24 months.

    Read through the careers analytics (``figures.load`` and ``retention_figures``: the outcomes dashboard's
    definitions), zone view, grouped by college; the placement of the latest graduating class as well.
    """
    today = timezone.localdate()
    query = OutcomeQuery(
        as_of=today,
        graduation_year=latest_graduation_year(user, today),
        park=park,
        group_by="college",
        view=ZONE,
    )
    records = career_figures.load(user=user, query=query)
    retention = career_figures.retention_figures(records=records, query=query)
    placement = career_figures.placement_figures(user=user, query=query)
    colleges = [
        {
            "id": group["key"],
            "name": group["label"],
            "delivered": group["n"],
            "left": group["left"],
            "retention": [{**share, "in_zone_pct": _pct(share["in_zone_share"])} for share in group["retention"]],
            "link": career_figures.page_url("employmentrecord_list", in_zone="true", college=group["key"]),
        }
        for group in retention["groups"]
    ]
    colleges.sort(key=lambda c: (-c["delivered"], c["name"]))
    return {
        "as_of": today,
        "delivered": sum(c["delivered"] for c in colleges),
        "colleges": colleges,
        "retention": [
            {
                **share,
                "in_zone_pct": _pct(share["in_zone_share"]),
                "same_employer_pct": _pct(share["same_employer_share"]),
            }
            for share in retention["retention"]
        ],
        "placement": {**placement, "rate_pct": _pct(placement["rate"])},
        "links": {
            "delivered": career_figures.page_url("employmentrecord_list", in_zone="true"),
            "retention": career_figures.page_url("outcomes_dashboard", park=park.pk, group_by="college", view=ZONE),
            "placement": career_figures.page_url(
                "graduatedestination_list", graduation_year=query.graduation_year, latest="true"
            ),
        },
    }


def _pct(share: float | None) -> float | None:
    return None if share is None else round(100 * share, 1)


# --- subsidies -------------------------------------------------------------------------------------------


def subsidy_figures(user: Any, park: Park) -> dict[str, Any]:
    """
    Subsidies of approved and paid runs of ``park``: per programme (approved, paid) and per payee (2 queries).

    A run approved and not yet paid counts as approved; a paid run as paid (the two never overlap).
    """
    lines = selectors.line_list(user=user).filter(run__park=park, run__status__in=list(SETTLED_RUN_STATUSES))
    programmes: dict[int, dict[str, Any]] = {}
    for row in (
        lines.order_by()
        .values(
            "run__version__programme_id",
            "run__version__programme__name",
            "run__version__programme__name_en",
            "run__status",
        )
        .annotate(amount=Sum("amount"), lines=Count("pk"), runs=Count("run_id", distinct=True))
    ):
        pk = row["run__version__programme_id"]
        entry = programmes.setdefault(
            pk,
            {
                "id": pk,
                "name": _name(row["run__version__programme__name"], row["run__version__programme__name_en"]),
                "approved": Decimal("0"),
                "paid": Decimal("0"),
                "lines": 0,
                "runs": 0,
                "link": _url("assessmentrun_list", status=list(SETTLED_RUN_STATUSES), programme=pk),
                "approved_link": _url("assessmentrun_list", status=RunStatus.APPROVED, programme=pk),
                "paid_link": _url("assessmentrun_list", status=RunStatus.PAID, programme=pk),
            },
        )
        entry[row["run__status"]] += row["amount"] or Decimal("0")
        entry["lines"] += row["lines"]
        entry["runs"] += row["runs"]
    programme_list = sorted(programmes.values(), key=lambda p: (-(p["approved"] + p["paid"]), p["name"]))

    payees: dict[tuple[Any, Any], dict[str, Any]] = defaultdict(
        lambda: {"approved": Decimal("0"), "paid": Decimal("0")}
    )
    for row in (
        lines.order_by()
        .values(
            "payee_organisation_id",
            "payee_organisation__name",
            "payee_organisation__name_en",
            "payee_person_id",
            "payee_person__name",
            "payee_person__name_en",
            "run__status",
        )
        .annotate(amount=Sum("amount"), lines=Count("pk"))
    ):
        key = (row["payee_organisation_id"], row["payee_person_id"])
        entry = payees[key]
        if "name" not in entry:
            org = row["payee_organisation_id"]
            entry.update(
                name=_name(row["payee_organisation__name"], row["payee_organisation__name_en"])
                if org
                else _name(row["payee_person__name"], row["payee_person__name_en"]),
                is_person=org is None,
                lines=0,
                link=_url("assessmentline_list", run_status=list(SETTLED_RUN_STATUSES), payee=org)
                if org
                else _url(
                    "assessmentline_list",
                    run_status=list(SETTLED_RUN_STATUSES),
                    q=row["payee_person__name"] or "",
                ),
            )
        entry[row["run__status"]] += row["amount"] or Decimal("0")
        entry["lines"] += row["lines"]
    payee_list = sorted(payees.values(), key=lambda p: (-(p["approved"] + p["paid"]), p["name"] or ""))
    others = payee_list[TOP_PAYEES:]
    payee_list = payee_list[:TOP_PAYEES]
    if others:
        payee_list.append(
            {
                "name": _("%(count)s other payees") % {"count": len(others)},
                "is_person": False,
                "approved": sum((p["approved"] for p in others), Decimal("0")),
                "paid": sum((p["paid"] for p in others), Decimal("0")),
                "lines": sum(p["lines"] for p in others),
                "link": _url("assessmentline_list", run_status=list(SETTLED_RUN_STATUSES)),
            }
        )
    approved = sum((p["approved"] for p in programme_list), Decimal("0"))
    paid = sum((p["paid"] for p in programme_list), Decimal("0"))
    return {
        "approved": approved,
        "paid": paid,
        "total": approved + paid,
        "lines": sum(p["lines"] for p in programme_list),
        "programmes": programme_list,
        "payees": payee_list,
        "links": {
            "approved": _url("assessmentrun_list", status=RunStatus.APPROVED),
            "paid": _url("assessmentrun_list", status=RunStatus.PAID),
            "lines": _url("assessmentline_list", run_status=list(SETTLED_RUN_STATUSES)),
        },
    }


# --- issues and actions, satisfaction ---------------------------------------------------------------------


def issue_figures(user: Any, park: Park) -> dict[str, Any]:
    figures = consultation_selectors.dashboard_figures(user, park)
    links = figures["links"]["open_issues_by_severity"]
    figures["severity_rows"] = [
        {
            "value": severity,
            "label": Severity(severity).label,
            "count": figures["open_issues_by_severity"].get(severity, 0),
            "link": links.get(severity),
        }
        for severity in Severity.values
    ]
    return figures


def satisfaction_figures(user: Any, park: Park) -> dict[str, Any]:
    surveys = survey_selectors.dashboard_figures(user, park)
    rate = surveys.get("mean_response_rate")
    surveys["response_rate_pct"] = None if rate is None else round(100 * rate, 1)
    surveys["latest_labelled"] = [
        (ServiceArea(area).label if area in ServiceArea.values else area, mean)
        for area, mean in surveys.get("latest_satisfaction", {}).items()
    ]
    surveys["series"] = survey_selectors.satisfaction_series(user, park, months=12)
    return surveys


# --- the page --------------------------------------------------------------------------------------------


def dashboard_data(user: Any, park: Park) -> dict[str, Any]:
    """Every figure of the committee's dashboard for ``park`` as ``user`` may see them."""
    return {
        "students": student_figures(user, park),
        "graduates": graduate_figures(user, park),
        "subsidies": subsidy_figures(user, park),
        "issues": issue_figures(user, park),
        "satisfaction": satisfaction_figures(user, park),
        # No certification capability yet: the template says so instead of showing a number.
        "certificates": None,
    }


def _bar_height(bars: int, *, legend: bool = False) -> int:
    """Return the pixel height of a horizontal bar chart of ``bars`` bars (at least 160)."""
    return max(160, 40 + 32 * bars + (40 if legend else 0))


def _charts(data: dict[str, Any]) -> dict[str, Any]:
    """The chart series, as plain JSON for ECharts."""
    students = data["students"]
    graduates = data["graduates"]
    subsidies = data["subsidies"]
    months = sorted({row["month"] for row in data["satisfaction"]["series"]})
    areas: dict[str, dict[str, Any]] = {}
    for row in data["satisfaction"]["series"]:
        series = areas.setdefault(row["area"], {"name": str(row["label"]), "values": {}})
        series["values"][row["month"]] = row["mean"]
    return {
        "students": {
            "height": _bar_height(len(students["colleges"]), legend=True),
            "colleges": [c["name"] for c in students["colleges"]],
            "series": [{"name": m["name"], "data": [cell["n"] for cell in m["cells"]]} for m in students["majors"]],
        },
        "graduates": {
            "height": _bar_height(len(graduates["colleges"])),
            "colleges": [c["name"] for c in graduates["colleges"]],
            "delivered": [c["delivered"] for c in graduates["colleges"]],
            "delivered_label": _("Hired into the zone"),
            "months": [_("%(months)s months") % {"months": s["months"]} for s in graduates["retention"]],
            "in_zone": [s["in_zone_pct"] for s in graduates["retention"]],
            "same_employer": [s["same_employer_pct"] for s in graduates["retention"]],
            "in_zone_label": _("Still in the zone (%)"),
            "same_employer_label": _("Still with the employer (%)"),
        },
        "subsidies": {
            "programmes_height": _bar_height(len(subsidies["programmes"]), legend=True),
            "payees_height": _bar_height(len(subsidies["payees"]), legend=True),
            "programmes": [p["name"] for p in subsidies["programmes"]],
            "programme_approved": [float(p["approved"]) for p in subsidies["programmes"]],
            "programme_paid": [float(p["paid"]) for p in subsidies["programmes"]],
            "payees": [p["name"] for p in subsidies["payees"]],
            "payee_approved": [float(p["approved"]) for p in subsidies["payees"]],
            "payee_paid": [float(p["paid"]) for p in subsidies["payees"]],
            "approved_label": _("Approved, not yet paid (¥)"),
            "paid_label": _("Paid (¥)"),
        },
        "issues": {
            "severities": [str(r["label"]) for r in data["issues"]["severity_rows"]],
            "counts": [r["count"] for r in data["issues"]["severity_rows"]],
            "label": _("Open issues"),
        },
        "satisfaction": {
            "months": [m.strftime("%Y-%m") for m in months],
            "series": [{"name": s["name"], "data": [s["values"].get(m) for m in months]} for s in areas.values()],
        },
    }


@login_required
def governance_dashboard(request: HttpRequest) -> HttpResponse:
    actor = policy.actor_for(request.user)
    if not sees_dashboard(actor):
        raise PermissionDenied
    parks = dashboard_parks(actor)
    if not parks:
        raise PermissionDenied
    chosen = request.GET.get("park")
    park = next((p for p in parks if str(p.pk) == chosen), parks[0])
    data = dashboard_data(request.user, park)
    return render(
        request,
        "governance/dashboard.html",
        {"park": park, "parks": parks, "charts": _charts(data), **data},
    )
