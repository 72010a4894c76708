"""The committee's dashboard: the figures on a small world, their links, who may open it, and its query count."""

from __future__ import annotations

import html
from decimal import Decimal

import pytest
from django.urls import reverse

from iepark.core.models import Major, Organisation, Person, Student
from iepark.governance import services
from iepark.governance.consultation.tests.factories import action, issue, meeting
from iepark.governance.dashboard import dashboard_data
from iepark.governance.models import AssessmentRun
from iepark.testing import make_national_id, make_uscc

from .factories import make_programme, period_2025, standard_data

PAGE = "governance_dashboard"


def _student(world, n: int, *, college=None, major=None, status: str = "enrolled") -> Student:
    person = Person.objects.create(
        park=world.park, name=f"在园学生{n}", name_en=f"Student {n}", national_id=make_national_id(600 + n)
    )
    return Student.objects.create(
        person=person,
        college=college or world.college_a,
        major=major or world.major,
        student_number=f"D{n:04d}",
        cohort_year=2025,
        status=status,
    )


def _cells(students):
    """Yield ``(college id, cell)`` of the college × major table (each cell has ``major_id``, ``n``, ``link``)."""
    for major in students["majors"]:
        for cell in major["cells"]:
            yield cell["college_id"], {**cell, "major_id": major["id"]}


def _approved_run(world) -> AssessmentRun:
    committee = world.users["committee"]
    run = services.assessment_start(actor=committee, version=make_programme(world), run_now=True, **period_2025())
    services.run_review(actor=committee, run=run)
    return services.run_approve(actor=committee, run=AssessmentRun.objects.get(pk=run.pk))


@pytest.fixture
def zone(world):
    """
    A small zone: current students of two colleges and two majors (plus some who do not count),
    four graduates hired by zone enterprises in 2024 (``standard_data``), an approved assessment run
    paying ¥8,000 to college A, an open major issue and an overdue action item.
    """
    welding = Major.objects.create(park=world.park, code="460110", name="焊接技术", name_en="Welding")
    _student(world, 1)  # college A, coal chemistry (with world.a_student: 2)
    _student(world, 2, major=welding, status="on_internship")  # college A, welding
    _student(world, 3, status="withdrawn")  # does not count
    _student(world, 4, status="graduated")  # does not count
    standard_data(world)  # four graduates (status "graduated"): not current students either
    run = _approved_run(world)
    raised = issue(world, severity="high")
    past = meeting(world, days=-20)
    late = action(world, past, days=5)  # due 15 days ago
    return {"welding": welding, "run": run, "issue": raised, "action": late}


def test_figures_on_a_small_zone(world, zone):
    data = dashboard_data(world.users["committee"], world.park)

    students = data["students"]
    assert students["total"] == 4  # A: a_student, 1, 2; B: b_student
    by_college = {c["id"]: c for c in students["colleges"]}
    assert by_college[world.college_a.pk]["total"] == 3 and by_college[world.college_b.pk]["total"] == 1
    cells = {(college, cell["major_id"]): cell["n"] for college, cell in _cells(students)}
    assert cells[(world.college_a.pk, world.major.pk)] == 2
    assert cells[(world.college_a.pk, zone["welding"].pk)] == 1
    assert cells[(world.college_b.pk, zone["welding"].pk)] == 0
    assert {m["id"]: m["total"] for m in students["majors"]} == {world.major.pk: 3, zone["welding"].pk: 1}

    graduates = data["graduates"]
    assert graduates["delivered"] == 4
    delivered = {c["id"]: c["delivered"] for c in graduates["colleges"]}
    assert delivered == {world.college_a.pk: 3, world.college_b.pk: 1}
    # g1 and g2 stay insured in the zone; g3 left in March 2025; g4 was never insured.
    retention = {s["months"]: (s["eligible"], s["in_zone"], s["in_zone_pct"]) for s in graduates["retention"]}
    assert retention == {6: (4, 3, 75.0), 12: (4, 2, 50.0), 24: (4, 2, 50.0)}

    subsidies = data["subsidies"]
    assert subsidies["approved"] == Decimal("8000.00") and subsidies["paid"] == 0 and subsidies["lines"] == 2
    [programme] = subsidies["programmes"]
    assert programme["approved"] == Decimal("8000.00") and programme["runs"] == 1
    [payee] = subsidies["payees"]
    assert payee["name"] == world.college_a.name_en or payee["name"] == world.college_a.name
    assert payee["approved"] == Decimal("8000.00")

    issues = data["issues"]
    assert issues["open_issues"] == 1 and issues["open_issues_by_severity"]["high"] == 1
    assert issues["overdue_actions"] == 1 and issues["open_actions"] == 1
    assert data["certificates"] is None

    # Once paid, the run's amount moves from "approved" to "paid".
    services.run_mark_paid(actor=world.users["committee"], run=zone["run"], payment_reference="ZF-1")
    subsidies = dashboard_data(world.users["committee"], world.park)["subsidies"]
    assert subsidies["approved"] == 0 and subsidies["paid"] == Decimal("8000.00")


def test_committee_page_shows_the_figures_and_their_links(world, zone, browser_client):
    client = browser_client(world.users["committee"])
    response = client.get(reverse(PAGE), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    for heading in (
        "Students in the park",
        "Graduates in zone enterprises",
        "Subsidies",
        "Major issues and action items",
        "Service satisfaction",
        "Not available until certification lands",
    ):
        assert heading in page, heading
    assert 'id="dash-data"' in page and "echarts.min.js" in page
    data = response.context["students"]
    # The college × major cell links to the students list filtered to those students, and that list shows them.
    cell = next(
        cell for college, cell in _cells(data) if college == world.college_a.pk and cell["major_id"] == world.major.pk
    )
    assert html.escape(cell["link"]) in page
    listing = client.get(cell["link"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "A001" in listing and "D0001" in listing
    assert "D0002" not in listing and "D0003" not in listing and "B001" not in listing
    # The subsidy figures link to the runs and lines they count.
    subsidies = response.context["subsidies"]
    assert html.escape(subsidies["links"]["approved"]) in page
    runs = client.get(subsidies["programmes"][0]["approved_link"], HTTP_ACCEPT_LANGUAGE="en")
    assert runs.status_code == 200 and reverse("assessmentrun_detail", args=[zone["run"].pk]) in runs.content.decode()
    lines = client.get(subsidies["payees"][0]["link"], HTTP_ACCEPT_LANGUAGE="en")
    assert lines.status_code == 200
    assert "Graduate 1" in lines.content.decode() and "Graduate 3" not in lines.content.decode()
    # The issue and action figures link to their filtered lists.
    issues = response.context["issues"]
    assert html.escape(issues["links"]["overdue_actions"]) in page
    overdue = client.get(issues["links"]["overdue_actions"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert zone["action"].title in overdue
    assert html.escape(issues["links"]["open_issues"]) in page
    assert zone["issue"].title in client.get(issues["links"]["open_issues"]).content.decode()
    # Graduates: the delivered figure opens the zone's employment records.
    graduates = response.context["graduates"]
    assert html.escape(graduates["links"]["delivered"]) in page
    assert client.get(graduates["links"]["delivered"]).status_code == 200


def test_park_admin_and_superuser_open_it(world, zone, browser_client, django_user_model):
    assert browser_client(world.users["park_admin"]).get(reverse(PAGE)).status_code == 200
    root = django_user_model.objects.create_superuser("root", password="root-password-1")
    response = browser_client(root).get(reverse(PAGE), {"park": world.park.pk})
    assert response.status_code == 200 and response.context["park"] == world.park
    assert response.context["students"]["total"] == 4


@pytest.mark.parametrize(
    "persona",
    ["student_a", "college_a_admin", "teacher_a", "manager_a", "coordinator", "hr_e1", "operator", "outsider"],
)
def test_other_parties_are_refused(world, browser_client, persona):
    assert browser_client(world.users[persona]).get(reverse(PAGE)).status_code == 403


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse(PAGE))
    assert response.status_code == 302 and "login" in response["Location"]


def test_another_park_sees_nothing_of_this_one(world, zone, browser_client):
    other = world.users["other_admin"]
    data = dashboard_data(other, world.park)
    assert data["students"]["total"] == 0 and data["students"]["colleges"] == []
    assert data["graduates"]["delivered"] == 0
    assert data["subsidies"]["approved"] == 0 and data["subsidies"]["paid"] == 0
    assert data["issues"]["open_issues"] == 0 and data["issues"]["overdue_actions"] == 0
    # Asking for park P by id shows the admin's own park instead.
    response = browser_client(other).get(reverse(PAGE), {"park": world.park.pk})
    assert response.status_code == 200 and response.context["park"] == world.other_park
    assert response.context["students"]["total"] == 0


def test_query_count_is_bounded(world, zone, browser_client, django_assert_max_num_queries):
    client = browser_client(world.users["committee"])
    client.get(reverse(PAGE))  # warm caches (sessions, content types)
    with django_assert_max_num_queries(30) as small:
        assert client.get(reverse(PAGE)).status_code == 200
    # More colleges, majors and students do not add queries.
    extra_college = Organisation.objects.create(
        park=world.park, kind=world.college_a.kind, name="第三学院", name_en="College C", uscc=make_uscc(99)
    )
    extra_major = Major.objects.create(park=world.park, code="460111", name="机电", name_en="Mechatronics")
    for n in range(10, 25):
        _student(world, n, college=extra_college if n % 2 else world.college_b, major=extra_major)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse(PAGE))
    assert response.context["students"]["total"] == 4 + 15
