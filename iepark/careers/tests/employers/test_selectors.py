"""Tests of the employers' reads: who sees which postings, the vetting queue, and the zone's demand roll-up."""

from __future__ import annotations

import datetime

from django.utils import timezone, translation

from iepark.careers.choices import PlanStatus, VettingStatus
from iepark.careers.employers import selectors
from iepark.careers.testing import make_employer, make_posting
from iepark.core.models import Major

from .helpers import NEXT_YEAR, make_line, make_plan


def _open_ids(user):
    return set(selectors.open_posting_list(user=user).values_list("pk", flat=True))


def test_students_see_only_open_vetted_postings_of_vetted_employers(world):
    today = timezone.localdate()
    shown = make_posting(world, title="可见")
    unvetted = make_posting(world, status=VettingStatus.SUBMITTED, title="待审")
    draft = make_posting(world, status=VettingStatus.DRAFT, title="草稿")
    rejected = make_posting(world, status=VettingStatus.REJECTED, title="退回", rejection_reason="x")
    closed = make_posting(world, status=VettingStatus.CLOSED, title="关闭")
    past = make_posting(world, title="已截止", closes_on=today - datetime.timedelta(days=1))
    last_day = make_posting(world, title="今天截止", closes_on=today)
    # E2's posting is approved, but E2's employer profile awaits vetting.
    of_unvetted_employer = make_posting(world, world.enterprise_2, employer_status=VettingStatus.SUBMITTED)
    for name in ("student_a", "student_b", "teacher_a", "hr_e2"):
        assert _open_ids(world.users[name]) == {shown.pk, last_day.pk}, name
    visible = set(selectors.posting_list(user=world.users["student_a"]).values_list("pk", flat=True))
    assert visible == {shown.pk, past.pk, last_day.pk}
    for hidden in (unvetted, draft, rejected, closed, of_unvetted_employer):
        assert hidden.pk not in visible
    # Once the employer's profile is approved, its approved posting shows.
    make_employer(world.enterprise_2)
    assert of_unvetted_employer.pk in _open_ids(world.users["student_a"])
    assert _open_ids(world.users["other_admin"]) == set() and _open_ids(world.users["outsider"]) == set()


def test_the_enterprise_sees_all_its_postings_and_the_park_none_of_its_drafts(world):
    draft = make_posting(world, status=VettingStatus.DRAFT)
    submitted = make_posting(world, status=VettingStatus.SUBMITTED, title="待审")
    hr = set(selectors.posting_list(user=world.hr_e1).values_list("pk", flat=True))
    committee = set(selectors.posting_list(user=world.users["committee"]).values_list("pk", flat=True))
    assert hr == {draft.pk, submitted.pk}
    assert committee == {submitted.pk}


def test_the_vetting_queue_holds_what_awaits_the_park(world):
    waiting = make_employer(world.enterprise_2, status=VettingStatus.SUBMITTED)
    posting = make_posting(world, status=VettingStatus.SUBMITTED)
    make_posting(world, title="已批准")
    for name in ("park_admin", "committee", "coordinator", "college_a_admin"):
        user = world.users[name]
        assert list(selectors.vetting_queue_profiles(user=user)) == [waiting], name
        assert list(selectors.vetting_queue_postings(user=user)) == [posting], name
    for name in ("hr_e1", "student_a", "other_admin"):
        assert not selectors.vetting_queue_postings(user=world.users[name]).exists(), name
        assert not selectors.vetting_queue_profiles(user=world.users[name]).exists(), name


def _demand_scene(world):
    second = Major.objects.create(park=world.park, code="530204", name="火电厂集控运行", name_en="Power plant control")
    # E1: a three-year plan, then a yearly plan submitted later, which replaces its first year.
    long_plan = make_plan(world, years=(NEXT_YEAR, NEXT_YEAR + 2), status=PlanStatus.SUBMITTED)
    make_line(long_plan, world.major, year=NEXT_YEAR, headcount=100)
    make_line(long_plan, world.major, year=NEXT_YEAR + 1, headcount=10)
    make_line(long_plan, second, year=NEXT_YEAR + 2, headcount=4)
    year_plan = make_plan(world, status=PlanStatus.SUBMITTED)
    year_plan.submitted_at = long_plan.submitted_at + datetime.timedelta(days=30)
    year_plan.save()
    make_line(year_plan, world.major, headcount=6)
    make_line(year_plan, world.major, headcount=2, post="仪表维修工")
    # E2: a submitted plan, and a draft that does not count.
    e2 = make_plan(world, world.enterprise_2, status=PlanStatus.SUBMITTED)
    make_line(e2, second, headcount=5)
    make_line(e2, world.major, headcount=3)
    make_line(make_plan(world, world.enterprise_2, years=(NEXT_YEAR + 1, NEXT_YEAR + 1)), second, headcount=50)
    return second


def test_zone_demand_rolls_submitted_plans_up_by_year_and_major(world):
    second = _demand_scene(world)
    with translation.override("zh-hans"):
        rows = selectors.zone_demand(world.users["committee"])
    with translation.override("en"):
        english = selectors.zone_demand(world.users["committee"])
    # 430101 sorts before 530204 within a year.
    assert rows == [
        {"year": NEXT_YEAR, "major_id": world.major.pk, "major": "煤化工技术", "headcount": 6 + 2 + 3},
        {"year": NEXT_YEAR, "major_id": second.pk, "major": "火电厂集控运行", "headcount": 5},
        {"year": NEXT_YEAR + 1, "major_id": world.major.pk, "major": "煤化工技术", "headcount": 10},
        {"year": NEXT_YEAR + 2, "major_id": second.pk, "major": "火电厂集控运行", "headcount": 4},
    ]
    assert english[0]["major"] == "Coal chemical technology"
    by_enterprise = selectors.zone_demand_by_enterprise(world.users["committee"])
    totals = {(r["enterprise_id"], r["year"]): r["headcount"] for r in by_enterprise}
    assert totals == {
        (world.enterprise_1.pk, NEXT_YEAR): 8,
        (world.enterprise_1.pk, NEXT_YEAR + 1): 10,
        (world.enterprise_1.pk, NEXT_YEAR + 2): 4,
        (world.enterprise_2.pk, NEXT_YEAR): 8,
    }


def test_zone_demand_follows_the_policy(world):
    _demand_scene(world)
    full = selectors.zone_demand(world.users["committee"])
    for name in ("park_admin", "coordinator", "college_a_admin", "college_b_admin"):
        assert selectors.zone_demand(world.users[name]) == full, name
    assert selectors.zone_demand(world.users["committee"], park=world.park) == full
    assert selectors.zone_demand(world.users["committee"], park=world.other_park.pk) == []
    for name in ("student_a", "teacher_a", "mentor_e1", "operator", "other_admin", "outsider"):
        assert selectors.zone_demand(world.users[name]) == [], name
    # An enterprise's HR sees its own demand only.
    assert sum(r["headcount"] for r in selectors.zone_demand(world.hr_e2)) == 8


def test_pivot_gives_one_row_per_major_with_a_cell_per_year(world):
    rows = [
        {"year": 2027, "major_id": 1, "major": "A", "headcount": 3},
        {"year": 2028, "major_id": 2, "major": "B", "headcount": 9},
        {"year": 2028, "major_id": 1, "major": "A", "headcount": 1},
    ]
    years, table = selectors.pivot(rows, "major_id", "major")
    assert years == [2027, 2028]
    assert table == [
        {"id": 2, "label": "B", "cells": [0, 9], "total": 9},
        {"id": 1, "label": "A", "cells": [3, 1], "total": 4},
    ]
