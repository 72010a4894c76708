"""
The figures of the outcomes dashboard and of supply against demand, as JSON-ready dicts.

The one path of the pages, their Excel downloads and the API: read through
``selectors`` (scoped by the policy), compute with ``retention`` and
``supply`` (no Django), label the groups in the reader's language.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from iepark.core.models import Organisation

from . import retention, selectors, supply
from .forms import EMPLOYER, OutcomeQuery, SupplyQuery, latest_graduation_year
from .retention import CAUSES, LEFT_ZONE, MOVED_IN_ZONE, History, Selection
from .selectors import Labels

DIGITS = 4
TURNOVER_YEARS = 5


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, DIGITS)


def page_url(name: str, **params: Any) -> str | None:
    """Return the page ``name`` with the query ``params`` (None values dropped), or None if there is no such page."""
    try:
        url = reverse(name)
    except NoReverseMatch:
        return None
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return f"{url}?{query}" if query else url


def records_url(records: Records, **params: Any) -> str | None:
    """
    Return the employment records list filtered by ``params`` (``outcomes`` FilterSet's names), or None.

    None too when the filter names an employer the list's employer filter does not offer the reader (it offers
    the enterprises the reader may see, so a college cannot filter its graduates' records by employer).
    """
    employer = params.get("employer")
    if employer is not None and employer not in records.linkable_employers:
        return None
    return page_url("employmentrecord_list", **params)


@dataclass
class Records:
    """The employment history a figure reads (as known on the as-of date), with the names of its groups."""

    history: History
    labels: Labels
    linkable_employers: set[int]


def load(*, user: Any, query: OutcomeQuery) -> Records:
    employments, labels = selectors.employments(user=user, **query.person_filters())
    linkable = set(selectors.visible_enterprise_ids(user=user))
    return Records(History(employments, query.as_of), labels, linkable)


def selection(query: OutcomeQuery, enterprise: Organisation | None = None) -> Selection:
    enterprise = enterprise or query.enterprise
    return Selection(
        enterprise=enterprise.pk if enterprise is not None else None,
        hired_from=query.hired_from,
        hired_to=query.hired_to,
    )


def group_label(group_by: str | None, key: Hashable, labels: Labels) -> str:
    """Return the display name of a group."""
    if group_by is None:
        return _("All")
    if group_by == "order_class":
        return _("Order class") if key else _("Not order class")
    if key is None:
        return "—"
    names = {"college": labels.colleges, "major": labels.majors, "enterprise": labels.enterprises}.get(group_by)
    return names.get(key, str(key)) if names is not None else str(key)


def _group_records_params(group_by: str | None, key: Hashable, query: OutcomeQuery) -> dict[str, Any]:
    params = _person_params(query)
    if group_by == "cohort" and key is not None:
        params["cohort_year"] = key
    elif group_by in ("college", "major") and key is not None:
        params[group_by] = key
    elif group_by == "enterprise" and key is not None:
        params["employer"] = key
    elif group_by == "order_class":
        params["via_order_class"] = "true" if key else "false"
    return params


def _person_params(query: OutcomeQuery) -> dict[str, Any]:
    return {
        "cohort_year": query.cohort,
        "college": query.college.pk if query.college else None,
        "major": query.major.pk if query.major else None,
        "employer": query.enterprise.pk if query.enterprise else None,
    }


def enterprises(records: Records) -> list[dict[str, Any]]:
    """Return the zone enterprises the records cover, by name."""
    return [{"id": pk, "name": name} for pk, name in sorted(records.labels.enterprises.items(), key=lambda kv: kv[1])]


# ---------------------------------------------------------------------------
# Outcomes.
# ---------------------------------------------------------------------------


def share_dict(share: retention.RetentionShare) -> dict[str, Any]:
    return {
        "months": share.months,
        "eligible": share.eligible,
        "in_zone": share.in_zone,
        "in_zone_share": _round(share.in_zone_share),
        "same_employer": share.same_employer,
        "same_employer_share": _round(share.same_employer_share),
    }


def curve_points(curve: retention.Curve) -> list[dict[str, Any]]:
    return [
        {
            "months": _round(p.time),
            "survival": _round(p.survival),
            "lower": _round(p.lower),
            "upper": _round(p.upper),
            "at_risk": p.at_risk,
            "left": p.events,
            "censored": p.censored,
        }
        for p in curve.points
    ]


def retention_figures(
    *, records: Records, query: OutcomeQuery, enterprise: Organisation | None = None
) -> dict[str, Any]:
    """
    Return the retention shares (overall and per group) and the Kaplan–Meier curves per group.

    The zone view follows each person's first zone spell (the event: leaving the
    zone); the employer view every tenure (the event: leaving the employer).
    """
    chosen = selection(query, enterprise)
    observe = retention.employer_observations if query.view == EMPLOYER else retention.zone_observations
    observations = observe(records.history, group_by=query.group_by, selection=chosen)
    curves = retention.kaplan_meier_by_group(observations)
    shares = retention.retention_shares(records.history, selection=chosen, group_by=query.group_by)
    overall = retention.overall_shares(shares) or retention.retention_shares(records.history, selection=chosen)[None]
    return {
        "as_of": query.as_of,
        "view": query.view,
        "group_by": query.group_by,
        "retention": [share_dict(s) for s in overall],
        "groups": [
            {
                "key": curve.key,
                "label": group_label(query.group_by, curve.key, records.labels),
                "n": curve.n,
                "left": curve.events,
                "median_months": _round(curve.median),
                "retention": [share_dict(s) for s in shares.get(curve.key, [])],
                "records_url": records_url(records, **_group_records_params(query.group_by, curve.key, query)),
                "points": curve_points(curve),
            }
            for curve in curves
        ],
    }


def competing_risks_figures(
    *, records: Records, query: OutcomeQuery, enterprise: Organisation | None = None
) -> dict[str, Any]:
    """
    Return how tenures end: cumulative incidence of leaving the zone and of moving to another zone enterprise.

    For one enterprise (``enterprise``, else the query's chart enterprise, else
    its "hired by" enterprise) or, without one, for all the tenures the records hold.
    """
    enterprise = enterprise or query.risks_enterprise or query.enterprise
    chosen = selection(query, enterprise)
    observations = retention.employer_observations(records.history, selection=chosen)
    result = retention.competing_risks(observations)
    left, moved = CAUSES.index(LEFT_ZONE), CAUSES.index(MOVED_IN_ZONE)
    return {
        "as_of": query.as_of,
        "enterprise": {"id": enterprise.pk, "name": str(enterprise)} if enterprise is not None else None,
        "n": result.n,
        "left_zone": result.events[LEFT_ZONE],
        "moved_in_zone": result.events[MOVED_IN_ZONE],
        "still_employed": result.n - result.events[LEFT_ZONE] - result.events[MOVED_IN_ZONE],
        "records_url": records_url(
            records, **{**_person_params(query), "employer": enterprise.pk if enterprise else None}
        ),
        "points": [
            {
                "months": _round(p.time),
                "staying": _round(p.survival),
                "left_zone": _round(p.incidence[left]),
                "moved_in_zone": _round(p.incidence[moved]),
                "at_risk": p.at_risk,
            }
            for p in result.points
        ],
    }


def turnover_figures(
    *, records: Records, query: OutcomeQuery, enterprise: Organisation | None = None
) -> dict[str, Any]:
    """Return turnover per enterprise per year over the last ``TURNOVER_YEARS`` years, and the zone's totals."""
    years = list(range(query.as_of.year - TURNOVER_YEARS + 1, query.as_of.year + 1))
    enterprise = enterprise or query.enterprise
    rows = retention.turnover(records.history, years=years)
    if enterprise is not None:
        rows = [row for row in rows if row.employer == enterprise.pk]
    totals: dict[int, list[float]] = defaultdict(lambda: [0, 0.0])
    for row in rows:
        totals[row.year][0] += row.separations
        totals[row.year][1] += row.average_headcount
    labels = records.labels.enterprises
    return {
        "as_of": query.as_of,
        "years": years,
        "rows": [
            {
                "enterprise_id": row.employer,
                "enterprise": labels.get(row.employer, str(row.employer)),
                "year": row.year,
                "separations": row.separations,
                "headcount_start": row.headcount_start,
                "headcount_end": row.headcount_end,
                "average_headcount": row.average_headcount,
                "rate": _round(row.rate),
                "records_url": records_url(records, **{**_person_params(query), "employer": row.employer}),
            }
            for row in sorted(rows, key=lambda r: (labels.get(r.employer, ""), r.employer, r.year))
        ],
        "zone": [
            {
                "year": year,
                "separations": int(separations),
                "average_headcount": average,
                "rate": _round(separations / average) if average else None,
            }
            for year, (separations, average) in sorted(totals.items())
        ],
    }


def placement_figures(*, user: Any, query: OutcomeQuery) -> dict[str, Any]:
    """
    Return the placement rate of the query's graduation year (``outcomes.selectors.placement``).

    With a college chosen, that college's figures; the other filters do not apply
    (placement is about a graduating class, whoever employs it).
    """
    result = selectors.placement(user=user, graduation_year=query.graduation_year, as_of=query.as_of, park=query.park)
    figures = result
    if query.college is not None:
        figures = next(
            (row for row in result["colleges"] if row["college_id"] == query.college.pk),
            {"graduates": 0, "placed": 0, "not_placed": 0, "rate": None},
        )
    return {
        "graduation_year": query.graduation_year,
        "as_of": query.as_of,
        "college": str(query.college) if query.college is not None else None,
        "graduates": figures["graduates"],
        "placed": figures["placed"],
        "not_placed": figures["not_placed"],
        "rate": _round(figures["rate"]),
    }


def outcomes(*, user: Any, query: OutcomeQuery) -> dict[str, Any]:
    """Return every figure of the outcomes dashboard."""
    records = load(user=user, query=query)
    turnover = turnover_figures(records=records, query=query)
    return {
        "as_of": query.as_of,
        "placement": placement_figures(user=user, query=query),
        "retention": retention_figures(records=records, query=query),
        "competing_risks": competing_risks_figures(records=records, query=query),
        "turnover": turnover,
        "turnover_headline": _turnover_headline(turnover, query.as_of),
        "enterprises": enterprises(records),
        "records_url": records_url(records, **_person_params(query)),
    }


def _turnover_headline(turnover: dict[str, Any], as_of: datetime.date) -> dict[str, Any] | None:
    """Return the zone's turnover of the last full year when it had staff, else of this year so far."""
    by_year = {row["year"]: row for row in turnover["zone"]}
    for year in (as_of.year - 1, as_of.year):
        row = by_year.get(year)
        if row and row["average_headcount"]:
            return {**row, "year_to_date": year == as_of.year}
    return None


# ---------------------------------------------------------------------------
# Supply against demand.
# ---------------------------------------------------------------------------


def supply_demand(*, user: Any, query: SupplyQuery, major_id: int | None = None) -> dict[str, Any]:
    """
    Return demand against supply per year and major, the gaps, and the recommendations.

    ``rates`` says which share of graduates the zone keeps (the latest
    placement rate x retention in the zone 12 months after hire), used to turn a
    shortage into an intake change (see ``supply``).
    """
    years = query.years
    demand: dict[tuple[int, int], int] = defaultdict(int)
    majors: dict[int, dict[str, Any]] = {}
    for row in selectors.zone_demand(user=user, park=query.park):
        if row["year"] in years:
            demand[(row["year"], row["major_id"])] += row["headcount"]
            majors.setdefault(row["major_id"], {"id": row["major_id"], "name": row["major"], "code": ""})
    graduates: dict[tuple[int, int], dict[str, Any]] = {}
    for row in selectors.expected_graduates(user=user, years=years, park=query.park):
        graduates[(row["year"], row["major_id"])] = row
        majors[row["major_id"]] = {"id": row["major_id"], "name": row["major"], "code": row["code"]}
    if major_id is not None:
        majors = {k: v for k, v in majors.items() if k == major_id}
    rates = _keep_rates(user=user, query=query)
    gaps: list[tuple[int, int, supply.Gap]] = []
    for year in years:
        for major in majors:
            graduating = graduates.get((year, major), {})
            gap = supply.Gap(
                demand.get((year, major), 0), graduating.get("expected", 0), graduating.get("certified", 0)
            )
            if gap.demand or gap.supply:
                gaps.append((year, major, gap))
    ordered = sorted(majors.values(), key=lambda m: (m["code"], str(m["name"]), m["id"]))
    averages = supply.average_gaps(gaps, years)
    return {
        "as_of": query.as_of,
        "years": years,
        "threshold": supply.THRESHOLD,
        "rates": rates,
        "majors": ordered,
        "rows": [
            {
                "year": year,
                "major_id": major,
                "major": majors[major]["name"],
                "demand": gap.demand,
                "expected": gap.supply,
                "certified": gap.certified,
                "gap": gap.gap,
                "gap_share": _round(gap.share),
                "status": gap.status,
                "order_class_seats": gap.order_class_seats,
            }
            for year, major, gap in sorted(gaps, key=lambda item: (item[0], ordered.index(majors[item[1]])))
        ],
        "recommendations": [
            {
                "major_id": m["id"],
                "major": m["name"],
                "average_demand": _round(averages[m["id"]].demand),
                "average_expected": _round(averages[m["id"]].supply),
                "average_gap": _round(averages[m["id"]].gap),
                "status": averages[m["id"]].status,
                "order_class_seats": sum(g.order_class_seats for _y, k, g in gaps if k == m["id"]),
                "intake_change": averages[m["id"]].intake_change(rates["rate"]),
            }
            for m in ordered
            if m["id"] in averages
        ],
        "skills": _skills(user=user, query=query) if major_id is None else [],
    }


def _keep_rates(*, user: Any, query: SupplyQuery) -> dict[str, Any]:
    """Return the placement rate of the latest graduates, the 12-month zone retention and their product."""
    graduation_year = latest_graduation_year(user, query.as_of)
    placed = selectors.placement(user=user, graduation_year=graduation_year, as_of=query.as_of, park=query.park)
    employments, _labels = selectors.employments(user=user, park=query.park)
    shares = retention.retention_shares(History(employments, query.as_of), months=(12,))[None][0]
    rate = supply.keep_rate(placed["rate"], shares.in_zone_share)
    return {
        "placement_year": graduation_year,
        "placement": _round(placed["rate"]),
        "graduates": placed["graduates"],
        "retention_12": _round(shares.in_zone_share),
        "retention_eligible": shares.eligible,
        "rate": _round(rate),
        "applied_rate": _round(supply.effective_rate(rate)),
    }


def _skills(*, user: Any, query: SupplyQuery) -> list[dict[str, Any]]:
    lines = [
        (line["year"], f"{line['skills']}\n{line['certificates']}", line["headcount"])
        for line in selectors.demand_skill_lines(user=user, years=query.years, park=query.park)
    ]
    if not lines:
        return []
    profiles = selectors.graduate_profiles(user=user, years=query.years, park=query.park)
    return supply.skills_demand(lines, profiles)
