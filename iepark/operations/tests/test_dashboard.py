"""The operator's dashboard: each area's figures for the chosen park, scoped, each linking to its list."""

from __future__ import annotations

import html

from django.urls import reverse

from iepark.operations.dashboard import dashboard_data
from iepark.operations.safety.tests.factories import make_equipment, make_finding
from iepark.operations.workorders.tests.factories import backdate, report

from .factories import make_assignment, make_building, make_room, make_students


def _some_operations(world):
    late = backdate(report(world, title="Leaking pipe", category="plumbing"), hours=24 * 10)
    report(world, title="Broken chair", category="furniture")
    make_finding(world, severity="critical")
    make_equipment(world, "MHQ-900")
    room = make_room(make_building(world.park), "101", beds=2)
    [student] = make_students(world, 1)
    make_assignment(student, room.beds.first())
    return late


def test_operator_sees_every_area_of_the_park(world, browser_client):
    late = _some_operations(world)
    data = dashboard_data(world.users["operator"], world.park)
    assert data["workorders"]["open"] == 2
    assert data["workorders"]["overdue"] == 1
    assert data["safety"]["open_findings"] == 1
    assert data["dorms"]["beds"] == 2 and data["dorms"]["taken"] == 1 and data["dorms"]["rate"] == 50.0

    response = browser_client(world.users["operator"]).get(reverse("operations_dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Deadline compliance by category" in page
    # Each figure links to the list it counts: the overdue link lists the late order.
    overdue_link = data["workorders"]["links"]["overdue"]
    assert html.escape(overdue_link) in page
    listing = browser_client(world.users["operator"]).get(overdue_link, HTTP_ACCEPT_LANGUAGE="en")
    assert late.reference in listing.content.decode()


def test_committee_reads_it_but_other_parties_are_refused(world, browser_client):
    _some_operations(world)
    assert browser_client(world.users["committee"]).get(reverse("operations_dashboard")).status_code == 200
    for name in ("student_a", "college_a_admin", "hr_e1", "teacher_a", "outsider"):
        assert browser_client(world.users[name]).get(reverse("operations_dashboard")).status_code == 403, name


def test_other_park_sees_nothing_of_this_one(world):
    _some_operations(world)
    data = dashboard_data(world.users["other_admin"], world.park)
    assert data["workorders"]["open"] == 0
    assert data["safety"]["open_findings"] == 0
    assert data["dorms"]["beds"] == 0


def test_the_dashboard_runs_a_fixed_number_of_queries(world, browser_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _some_operations(world)
    client = browser_client(world.users["operator"])
    client.get(reverse("operations_dashboard"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("operations_dashboard")).status_code == 200
        return len(captured)

    from iepark.operations.safety.models import Finding

    inspection = Finding.objects.first().round
    before = queries()
    for i in range(5):
        report(world, title=f"Fault {i}", category="network")
        make_finding(world, inspection, severity="low", description=f"问题{i}")
    assert queries() == before
