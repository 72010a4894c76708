"""
The analytics endpoints: access suites (one per router basename) and the figures through the API.

The endpoints are read-only lists of figures with a "detail" per enterprise (or
major): the suites' object is that enterprise, and a reader "sees" it when it
is among the enterprises the figures cover.
"""

from __future__ import annotations

import math
from fractions import Fraction

from django.urls import reverse

from iepark.careers.analytics.retention import DAYS_PER_MONTH
from iepark.testing import ApiAccessSuite

from .data import GRADUATION_YEAR, build_history, build_supply_and_demand, make_hires
from .fixtures import AS_OF

HISTORY_QUERY = {"as_of": AS_OF.isoformat(), "graduation_year": GRADUATION_YEAR}


def close(a, b) -> bool:
    return math.isclose(a, float(b), abs_tol=1e-4)


class OutcomesAccessSuite(ApiAccessSuite):
    """The employment figures' endpoints: E1's figures, seen by the zone, E1 and the colleges of its staff."""

    readers = ("committee", "park_admin", "coordinator", "hr_e1", "college_a_admin", "college_b_admin")
    outsiders = ("hr_e2", "student_b", "operator", "other_admin", "outsider")

    def own(self, world):
        if not hasattr(world, "_analytics_history"):
            world._analytics_history = build_history(world)
        return world.enterprise_1

    def make_many(self, world, n, start):
        make_hires(world, n, start)

    @staticmethod
    def _ids(response):
        return {row["id"] for row in response.json()["enterprises"]}


class TestRetentionAccess(OutcomesAccessSuite):
    basename = "analytics-retention"
    page_list = "outcomes_dashboard"


class TestCompetingRisksAccess(OutcomesAccessSuite):
    basename = "analytics-competing-risks"


class TestTurnoverAccess(OutcomesAccessSuite):
    basename = "analytics-turnover"


class TestSupplyDemandAccess(ApiAccessSuite):
    basename = "analytics-supply-demand"
    readers = ("committee", "park_admin", "coordinator", "hr_e1", "college_a_admin")
    outsiders = ("other_admin", "outsider")
    page_list = "supply_demand"

    def own(self, world):
        if not hasattr(world, "_analytics_demand"):
            world._analytics_demand = build_supply_and_demand(world)
        return world.major

    def make_many(self, world, n, start):
        from .data import make_student

        self.own(world)
        year = world._analytics_demand["year"]
        for i in range(n):
            make_student(world, world.college_a, 2000 + start + i, cohort=year - 3)

    @staticmethod
    def _ids(response):
        return {row["id"] for row in response.json()["majors"]}


# --- the figures through the API ----------------------------------------------------------------


def test_retention_curve_through_the_api_agrees_with_the_hand_computation(world, api):
    build_history(world)
    data = api(world.users["committee"]).get(reverse("analytics-retention-list"), HISTORY_QUERY).json()
    (group,) = data["groups"]  # one cohort
    assert (group["key"], group["n"], group["left"]) == (2020, 8, 5)
    by_day = {round(p["months"] * DAYS_PER_MONTH): p["survival"] for p in group["points"]}
    for day, survival in {59: Fraction(7, 8), 89: Fraction(3, 4), 181: Fraction(1, 2), 273: Fraction(1, 3)}.items():
        assert close(by_day[day], survival), day
    six, twelve, twenty_four = data["retention"]
    assert (six["eligible"], six["in_zone"], six["same_employer"]) == (8, 2, 0)
    assert (twelve["in_zone"], twelve["same_employer"], twenty_four["eligible"]) == (2, 1, 0)


def test_retention_by_order_class_and_employer_view(world, api):
    build_history(world)
    params = {**HISTORY_QUERY, "group_by": "order_class", "view": "employer"}
    data = api(world.users["committee"]).get(reverse("analytics-retention-list"), params).json()
    groups = {g["key"]: g for g in data["groups"]}
    # Tenures of B (E1 then E2) and E were hired through an order class.
    assert (groups[True]["n"], groups[True]["left"]) == (3, 2)
    assert groups[False]["n"] == 8


def test_competing_risks_through_the_api(world, api):
    build_history(world)
    data = api(world.users["committee"]).get(reverse("analytics-competing-risks-list"), HISTORY_QUERY).json()
    assert (data["n"], data["left_zone"], data["moved_in_zone"], data["still_employed"]) == (11, 5, 3, 3)
    last = data["points"][-1]
    assert close(last["left_zone"], Fraction(5, 11)) and close(last["moved_in_zone"], Fraction(3, 11))
    one = api(world.users["committee"]).get(
        reverse("analytics-competing-risks-detail", args=[world.enterprise_1.pk]), HISTORY_QUERY
    )
    e1 = one.json()
    # E1's tenures: F moved (58 d), A left (59 d), B moved (120 d), E moved (181 d), G and H still there.
    assert (e1["n"], e1["left_zone"], e1["moved_in_zone"]) == (6, 1, 3)
    assert close(e1["points"][-1]["moved_in_zone"], Fraction(1, 2)) and e1["enterprise"]["id"] == world.enterprise_1.pk


def test_turnover_through_the_api(world, api):
    build_history(world)
    data = api(world.users["committee"]).get(reverse("analytics-turnover-list"), HISTORY_QUERY).json()
    rows = {(r["enterprise_id"], r["year"]): r for r in data["rows"]}
    e1 = rows[(world.enterprise_1.pk, 2023)]
    assert (e1["separations"], e1["headcount_start"], e1["headcount_end"]) == (4, 5, 2)
    assert close(e1["rate"], Fraction(8, 7))
    assert rows[(world.enterprise_2.pk, 2023)]["rate"] == 2.0
    zone_2023 = next(row for row in data["zone"] if row["year"] == 2023)
    assert zone_2023["separations"] == 8 and close(zone_2023["rate"], Fraction(16, 11))  # 8 / (3.5 + 2)


def test_a_college_gets_only_its_own_graduates(world, api):
    build_history(world)
    url = reverse("analytics-retention-list")
    a = api(world.college_a_admin).get(url, HISTORY_QUERY).json()["groups"][0]
    b = api(world.college_b_admin).get(url, HISTORY_QUERY).json()["groups"][0]
    assert (a["n"], a["left"]) == (4, 2)  # A B E G: A and G left
    assert (b["n"], b["left"]) == (4, 3)  # C D F H: C D F left
    grouped = api(world.college_b_admin).get(url, {**HISTORY_QUERY, "group_by": "college"}).json()
    assert [g["key"] for g in grouped["groups"]] == [world.college_b.pk]
    # Filtering on another college is refused, not answered with its figures.
    refused = api(world.college_b_admin).get(url, {**HISTORY_QUERY, "college": world.college_a.pk})
    assert refused.status_code == 400 and "college" in refused.json()


def test_an_enterprise_gets_only_its_own_employees(world, api):
    build_history(world)
    data = api(world.hr_e2).get(reverse("analytics-competing-risks-list"), HISTORY_QUERY).json()
    # E2's tenures as E2 sees them: B (still there), C, D, F, G (left); it cannot see where they went.
    assert (data["n"], data["left_zone"], data["moved_in_zone"]) == (5, 4, 0)
    assert [e["id"] for e in data["enterprises"]] == [world.enterprise_2.pk]
    turnover = api(world.hr_e2).get(reverse("analytics-turnover-list"), HISTORY_QUERY).json()
    assert {r["enterprise_id"] for r in turnover["rows"]} == {world.enterprise_2.pk}
    for basename in ("analytics-retention", "analytics-competing-risks", "analytics-turnover"):
        assert api(world.hr_e2).get(reverse(f"{basename}-detail", args=[world.enterprise_1.pk])).status_code == 404


def test_outsiders_and_other_parks_get_nothing(world, api):
    build_history(world)
    for name in ("outsider", "other_admin"):
        client = api(world.users[name])
        retention = client.get(reverse("analytics-retention-list"), HISTORY_QUERY).json()
        assert retention["groups"] == [] and retention["retention"][0]["eligible"] == 0, name
        assert client.get(reverse("analytics-turnover-list"), HISTORY_QUERY).json()["rows"] == [], name
        detail = client.get(reverse("analytics-competing-risks-detail", args=[world.enterprise_1.pk]))
        assert detail.status_code == 404, name
        assert client.get(reverse("analytics-retention-detail", args=["x"])).status_code == 404, name


def test_anonymous_is_refused_everywhere(world, api):
    for basename in (
        "analytics-retention",
        "analytics-competing-risks",
        "analytics-turnover",
        "analytics-supply-demand",
    ):
        assert api().get(reverse(f"{basename}-list")).status_code == 401
        assert api().get(reverse(f"{basename}-detail", args=[world.enterprise_1.pk])).status_code == 401


def test_bad_filters_are_refused_naming_the_field(world, api):
    url = reverse("analytics-retention-list")
    response = api(world.users["committee"]).get(url, {"group_by": "shoe_size", "hired_from": 2024, "hired_to": 2020})
    assert response.status_code == 400
    assert {"group_by", "hired_to"} <= set(response.json())


def test_supply_and_demand_through_the_api(world, api):
    demand = build_supply_and_demand(world)
    data = api(world.users["committee"]).get(reverse("analytics-supply-demand-list"), {"horizon": 3}).json()
    (row,) = data["rows"]
    # Five of the six students (one withdrew), and the world's two students of the 2024 cohort.
    assert (row["year"], row["demand"], row["expected"], row["certified"]) == (demand["year"], 10, 7, 2)
    assert (row["gap"], row["status"], row["order_class_seats"]) == (3, "shortage", 3)
    (recommendation,) = data["recommendations"]
    # Over three years the plan asks 10 once: 10/3 a year against 7/3 graduates; no rate known yet.
    assert recommendation["status"] == "shortage" and recommendation["intake_change"] == 1
    assert recommendation["order_class_seats"] == 3
    skills = {s["skill"]: s for s in data["skills"]}
    assert skills["DCS操作"] == {"skill": "DCS操作", "demand": 10, "supply": 2}
    # A college sees its own students as supply; E1's HR sees its demand but no students.
    college_b = api(world.college_b_admin).get(reverse("analytics-supply-demand-list")).json()["rows"][0]
    assert (college_b["demand"], college_b["expected"]) == (10, 2)
    hr = api(world.hr_e1).get(reverse("analytics-supply-demand-list")).json()["rows"][0]
    assert (hr["demand"], hr["expected"]) == (10, 0)
    assert api(world.hr_e2).get(reverse("analytics-supply-demand-list")).json()["rows"] == []
