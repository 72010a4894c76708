"""The outcomes dashboard and supply-and-demand pages, their Excel downloads and menu entries."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from iepark.core import generic_views, policy

from .data import GRADUATION_YEAR, build_history, build_supply_and_demand, make_hires
from .fixtures import AS_OF

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
QUERY = {"as_of": AS_OF.isoformat(), "graduation_year": GRADUATION_YEAR}


def chart_data(response, element_id):
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', response.content.decode())
    return json.loads(match.group(1))


def figure(response, name):
    match = re.search(rf'data-figure="{name}">([^<]*)<', response.content.decode())
    return match.group(1).strip()


def test_dashboard_shows_the_hand_computed_figures(world, browser_client):
    build_history(world)
    response = browser_client(world.users["committee"]).get(reverse("outcomes_dashboard"), QUERY, **EN)
    assert response.status_code == 200
    # Placement of the class of 2023: A and B placed, C not yet, six without a destination.
    assert figure(response, "placement") == "22.2%"
    assert figure(response, "retained-6") == "25.0%" and figure(response, "retained-12") == "25.0%"
    assert figure(response, "retained-24") == "—"
    body = response.content.decode()
    assert "/static/vendor/echarts/echarts.min.js" in body and "cdn" not in body.lower()
    data = chart_data(response, "outcomes-chart-data")
    (curve,) = data["curves"]
    assert [p[1] for p in curve["points"]] == [1.0, 0.875, 0.75, 0.5, 0.3333, 0.3333]
    assert data["risks"][-1][2] == round(5 / 11, 4)  # left the zone
    assert 'id="turnover-table"' in body and "114.3%" in body  # E1 in 2023: 4 / 3.5


def test_dashboard_group_by_and_filters(world, browser_client):
    build_history(world)
    client = browser_client(world.users["committee"])
    response = client.get(reverse("outcomes_dashboard"), {**QUERY, "group_by": "college"}, **EN)
    labels = [c["label"] for c in chart_data(response, "outcomes-chart-data")["curves"]]
    assert labels == ["College A", "College B"]
    only_e2 = client.get(reverse("outcomes_dashboard"), {**QUERY, "enterprise": world.enterprise_2.pk}, **EN)
    assert [c["label"] for c in chart_data(only_e2, "outcomes-chart-data")["curves"]] == ["2020"]
    assert chart_data(only_e2, "outcomes-chart-data")["curves"][0]["points"][0][4] == 3  # C, D, G hired by E2


def test_dashboard_is_scoped_for_colleges_and_enterprises(world, browser_client):
    build_history(world)
    url = reverse("outcomes_dashboard")
    college_b = browser_client(world.college_b_admin).get(url, {**QUERY, "group_by": "college"}, **EN)
    assert [c["label"] for c in chart_data(college_b, "outcomes-chart-data")["curves"]] == ["College B"]
    hr = browser_client(world.hr_e2).get(url, {**QUERY, "group_by": "enterprise"}, **EN)
    assert [c["label"] for c in chart_data(hr, "outcomes-chart-data")["curves"]] == [str(world.enterprise_2)]
    # Another college's id in the query is not a choice: the page falls back to the defaults and says so.
    refused = browser_client(world.college_b_admin).get(url, {"college": world.college_a.pk}, **EN)
    assert refused.status_code == 200 and "is-invalid" in refused.content.decode()


@pytest.mark.parametrize("name", ["outsider", "other_admin", "student_a"])
def test_dashboard_of_someone_without_records_is_empty(world, browser_client, name):
    build_history(world)
    response = browser_client(world.users[name]).get(reverse("outcomes_dashboard"), QUERY, **EN)
    assert response.status_code == 200
    assert chart_data(response, "outcomes-chart-data")["curves"] == []
    assert "No employment records to show." in response.content.decode()


def test_pages_need_a_login(world, client):
    for name in ("outcomes_dashboard", "outcomes_dashboard_export", "supply_demand", "supply_demand_export"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_dashboard_queries_do_not_grow_with_the_records(world, browser_client):
    build_history(world)
    user = world.users["committee"]
    client = browser_client(user)
    client.get(reverse("outcomes_dashboard"), QUERY)

    def count():
        policy.forget_actor(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("outcomes_dashboard"), QUERY).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    make_hires(world, 30, 0)
    make_hires(world, 10, 100, employer=world.enterprise_2, college=world.college_b)
    assert count() == small


def test_dashboard_download_holds_the_figures(world, browser_client):
    from openpyxl import load_workbook

    build_history(world)
    response = browser_client(world.users["committee"]).get(reverse("outcomes_dashboard_export"), QUERY, **EN)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="outcomes-')
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Summary", "Retention by group", "Retention curves", "Competing risks", "Turnover"]
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Placement rate"] == round(2 / 9, 4)
    assert summary["Retained in the zone after 6 months"] == 0.25
    curves = list(workbook["Retention curves"].iter_rows(min_row=2, values_only=True))
    assert [row[2] for row in curves] == [1.0, 0.875, 0.75, 0.5, 0.3333, 0.3333]


def test_supply_and_demand_page_and_download(world, browser_client):
    from openpyxl import load_workbook

    demand = build_supply_and_demand(world)
    client = browser_client(world.users["committee"])
    response = client.get(reverse("supply_demand"), **EN)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="recommendations"' in body and "Shortage" in body
    assert figure(response, "seats") == "3"
    data = chart_data(response, "supply-chart-data")
    assert data["rows"] == [[demand["year"], str(world.major.name_en), 10, 7, 2]]
    download = client.get(reverse("supply_demand_export"), **EN)
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    rows = list(workbook["Supply and demand"].iter_rows(min_row=2, values_only=True))
    assert rows == [(demand["year"], world.major.name_en, 10, 7, 2, 3, 0.3, "Shortage", 3)]
    assert workbook["Recommendations"]["G2"].value == 1


def test_supply_and_demand_filters_are_validated(world, browser_client):
    response = browser_client(world.users["committee"]).get(reverse("supply_demand"), {"horizon": 7}, **EN)
    assert response.status_code == 200 and "is-invalid" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "sees"),
    [
        ("committee", True),
        ("park_admin", True),
        ("coordinator", True),
        ("college_a_admin", True),
        ("manager_a", True),
        ("hr_e1", True),
        ("teacher_a", False),
        ("student_a", False),
        ("mentor_e1", False),
        ("operator", False),
        ("outsider", False),
    ],
)
def test_menu_offers_the_insight_pages_to_the_roles_that_use_them(world, rf, name, sees):
    request = rf.get("/")
    request.user = world.users[name]
    links = {link.url for _group, items in generic_views.menu_for(request) for link in items}
    assert (reverse("outcomes_dashboard") in links) is sees
    assert (reverse("supply_demand") in links) is sees


def test_figures_link_to_the_filtered_records_list(world, api, browser_client):
    from urllib.parse import parse_qs, urlsplit

    from iepark.careers.outcomes.filtersets import EmploymentRecordFilterSet

    build_history(world)
    url = reverse("analytics-retention-list")
    data = api(world.users["committee"]).get(url, {**QUERY, "group_by": "enterprise"}).json()
    links = [group["records_url"] for group in data["groups"]]
    assert all(links)
    for link in links:
        parts = urlsplit(link)
        assert parts.path == reverse("employmentrecord_list")
        assert set(parse_qs(parts.query)) <= set(EmploymentRecordFilterSet.base_filters)
    assert browser_client(world.users["committee"]).get(links[0]).status_code == 200
    # The records list offers a college no employer filter: no link that would show an empty list.
    turnover = api(world.college_a_admin).get(reverse("analytics-turnover-list"), QUERY).json()
    assert turnover["rows"] and all(row["records_url"] is None for row in turnover["rows"])
