"""Tests of the employers' pages: workflow buttons and steps, the vetting queue, inline plan lines, zone demand."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from iepark.careers.choices import PlanStatus, VettingStatus
from iepark.careers.employers import views
from iepark.careers.models import DemandLine, EmployerProfile, Posting
from iepark.careers.testing import make_employer, make_posting

from .helpers import NEXT_YEAR, make_line, make_plan

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "demand-lines"}


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def as_user(world, browser_client):
    """Return a logged-in test client for a persona name."""
    return lambda name: browser_client(world.users[name])


def _posting_form(world, **overrides):
    data = {
        "enterprise": world.enterprise_1.pk,
        "kind": "job",
        "title": "仪表维修工",
        "title_en": "Instrument technician",
        "description": "负责装置仪表维护。",
        "description_en": "Maintain the plant's instruments.",
        "majors": [world.major.pk],
        "headcount": 4,
        "pay_min": 6000,
        "pay_max": 8000,
        "shift_pattern": "day",
        "location": "五彩湾园区",
        "housing_provided": "on",
        "is_public": "on",
    }
    data.update(overrides)
    return data


# --- postings: the whole path through the pages -------------------------------------------------


@override_settings(ROOT_URLCONF="iepark.careers.tests.employers.urls_with_apply")
def test_posting_path_from_draft_to_a_students_apply_button(world, as_user):
    make_employer(world.enterprise_1)
    hr, committee, student = as_user("hr_e1"), as_user("committee"), as_user("student_a")
    response = hr.post(reverse("posting_create"), _posting_form(world))
    assert response.status_code == 302, text(response)
    posting = Posting.objects.get()
    assert posting.vetting_status == VettingStatus.DRAFT and list(posting.majors.all()) == [world.major]
    detail = reverse("posting_detail", args=[posting.pk])
    assert f'action="{reverse("posting_submit", args=[posting.pk])}"' in text(hr.get(detail))
    assert student.get(detail).status_code == 404  # a draft is the enterprise's own

    hr.post(reverse("posting_submit", args=[posting.pk]))
    posting.refresh_from_db()
    assert posting.vetting_status == VettingStatus.SUBMITTED
    queue = text(committee.get(reverse("vetting_queue")))
    assert reverse("posting_approve", args=[posting.pk]) in queue
    assert "submit/" not in text(committee.get(detail))  # the park vets; the enterprise submits

    response = committee.post(reverse("posting_approve", args=[posting.pk]), {"return_url": reverse("vetting_queue")})
    assert response.status_code == 302 and response["Location"] == reverse("vetting_queue")
    posting.refresh_from_db()
    assert posting.vetting_status == VettingStatus.APPROVED

    browse = text(student.get(reverse("posting_browse"), **EN))
    apply = reverse("application_create_for", args=[posting.pk])
    assert "Instrument technician" in browse and f'href="{apply}"' in browse
    assert f'href="{apply}"' in text(student.get(detail, **EN))
    assert f'href="{apply}"' not in text(hr.get(reverse("posting_browse")))  # only students apply

    hr.post(reverse("posting_close", args=[posting.pk]))
    posting.refresh_from_db()
    assert posting.vetting_status == VettingStatus.CLOSED
    assert "Instrument technician" not in text(student.get(reverse("posting_browse"), **EN))


@override_settings(ROOT_URLCONF="iepark.careers.tests.employers.urls_without_apply")
def test_no_apply_link_without_the_applications_pages(world):
    assert views.apply_url(make_posting(world)) is None


def test_rejecting_on_a_page_needs_a_reason_and_shows_it_to_the_enterprise(world, as_user):
    posting = make_posting(world, status=VettingStatus.SUBMITTED)
    committee = as_user("committee")
    response = committee.post(reverse("posting_reject", args=[posting.pk]), {"reason": "  "}, follow=True, **EN)
    assert "Give the reason for the rejection." in text(response)
    posting.refresh_from_db()
    assert posting.vetting_status == VettingStatus.SUBMITTED
    committee.post(reverse("posting_reject", args=[posting.pk]), {"reason": "请写明薪资范围。"})
    posting.refresh_from_db()
    assert posting.vetting_status == VettingStatus.REJECTED
    page = text(as_user("hr_e1").get(reverse("posting_detail", args=[posting.pk]), **EN))
    assert "请写明薪资范围。" in page and "Submit for vetting" in page


def test_bad_steps_on_pages_are_refused_with_a_message(world, as_user):
    posting = make_posting(world)
    response = as_user("committee").post(reverse("posting_approve", args=[posting.pk]), follow=True, **EN)
    assert "Only a posting awaiting vetting can be approved" in text(response)
    assert as_user("student_a").post(reverse("posting_approve", args=[posting.pk])).status_code == 403
    assert as_user("hr_e2").post(reverse("posting_close", args=[posting.pk])).status_code == 403
    assert as_user("other_admin").post(reverse("posting_close", args=[posting.pk])).status_code == 404
    assert as_user("student_a").get(reverse("posting_approve", args=[posting.pk])).status_code == 405
    posting.refresh_from_db()
    assert posting.vetting_status == VettingStatus.APPROVED


def test_workflow_buttons_follow_the_policy(world, as_user):
    posting = make_posting(world, status=VettingStatus.SUBMITTED)
    url = reverse("posting_detail", args=[posting.pk])
    approve = reverse("posting_approve", args=[posting.pk])
    assert approve in text(as_user("committee").get(url))
    assert approve in text(as_user("college_b_admin").get(url))
    hr_page = text(as_user("hr_e1").get(url))
    assert approve not in hr_page and reverse("posting_close", args=[posting.pk]) in hr_page


def test_editing_an_approved_posting_on_its_page_sends_it_back_to_vetting(world, as_user):
    posting = make_posting(world)
    response = as_user("hr_e1").post(
        reverse("posting_edit", args=[posting.pk]), _posting_form(world, title="化工操作工（夜班）"), follow=True, **EN
    )
    assert "goes back to the park for vetting" in text(response)
    posting.refresh_from_db()
    assert posting.vetting_status == VettingStatus.SUBMITTED and posting.title == "化工操作工（夜班）"


def test_posting_form_offers_only_the_users_enterprise_and_parks_majors(world, as_user):
    page = text(as_user("hr_e1").get(reverse("posting_create")))
    assert world.enterprise_2.name not in page
    assert f'value="{world.other_major.pk}"' not in page
    response = as_user("hr_e1").post(reverse("posting_create"), _posting_form(world, enterprise=world.enterprise_2.pk))
    assert response.status_code == 200 and not Posting.objects.exists()
    assert as_user("student_a").get(reverse("posting_create")).status_code == 403


def test_browse_filters_and_keeps_its_query_count(world, as_user):
    make_posting(world, title="化工总控工", housing_provided=True, pay_max=9000)
    make_posting(world, title="化学检验员", housing_provided=False, pay_max=6000, kind="internship")
    student = as_user("student_a")
    url = reverse("posting_browse")
    assert "化学检验员" not in text(student.get(url, {"q": "总控"}))
    page = text(student.get(url, {"pay_at_least": 8000}))
    assert "化工总控工" in page and "化学检验员" not in page
    page = text(student.get(url, {"kind": "internship"}))
    assert "化学检验员" in page and "化工总控工" not in page
    assert "化学检验员" not in text(student.get(url, {"housing_provided": "true"}))
    partial = student.get(url, {"q": "总控"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="posting-cards")
    assert "<html" not in text(partial) and "化工总控工" in text(partial)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert student.get(url).status_code == 200
        return len(ctx.captured_queries)

    queries()  # warm the session and caches
    small = queries()
    for i in range(8):
        make_posting(world, title=f"岗位{i}")
    assert queries() == small


def test_list_page_query_count_does_not_grow(world, as_user):
    hr = as_user("hr_e1")
    for i in range(2):
        make_posting(world, title=f"岗位{i}")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert hr.get(reverse("posting_list")).status_code == 200
        return len(ctx.captured_queries)

    queries()  # warm the session and caches
    small = queries()
    for i in range(8):
        make_posting(world, title=f"更多{i}")
    assert queries() == small


# --- employer profiles -----------------------------------------------------------------------


def test_my_employer_profile_leads_hr_to_create_then_to_its_profile(world, as_user):
    hr = as_user("hr_e1")
    response = hr.get(reverse("employerprofile_mine"))
    assert response["Location"] == reverse("employerprofile_create") + f"?organisation={world.enterprise_1.pk}"
    response = hr.post(
        response["Location"],
        {"organisation": world.enterprise_1.pk, "summary": "煤化工企业", "contact_email": "hr@example.com"},
    )
    assert response.status_code == 302
    profile = EmployerProfile.objects.get()
    assert profile.organisation == world.enterprise_1 and profile.vetting_status == VettingStatus.DRAFT
    assert hr.get(reverse("employerprofile_mine"))["Location"] == reverse("employerprofile_detail", args=[profile.pk])
    hr.post(reverse("employerprofile_submit", args=[profile.pk]))
    profile.refresh_from_db()
    assert profile.vetting_status == VettingStatus.SUBMITTED
    # The profile form offers the HR's own enterprise only.
    assert as_user("hr_e2").post(
        reverse("employerprofile_create"), {"organisation": world.enterprise_1.pk, "summary": "x"}
    ).status_code in (200, 403)
    assert EmployerProfile.objects.count() == 1


def test_vetting_queue_approves_and_rejects_profiles(world, as_user):
    first = make_employer(world.enterprise_1, status=VettingStatus.SUBMITTED)
    second = make_employer(world.enterprise_2, status=VettingStatus.SUBMITTED)
    coordinator = as_user("coordinator")
    page = text(coordinator.get(reverse("vetting_queue")))
    assert world.enterprise_1.name in page and world.enterprise_2.name in page
    coordinator.post(reverse("employerprofile_approve", args=[first.pk]))
    coordinator.post(reverse("employerprofile_reject", args=[second.pk]), {"reason": "缺少营业执照信息。"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.vetting_status == VettingStatus.APPROVED
    assert (second.vetting_status, second.rejection_reason) == (VettingStatus.REJECTED, "缺少营业执照信息。")
    page = text(coordinator.get(reverse("vetting_queue")))
    assert reverse("employerprofile_approve", args=[first.pk]) not in page
    assert reverse("employerprofile_approve", args=[second.pk]) not in page
    for name in ("hr_e1", "student_a", "mentor_e1", "operator"):
        assert as_user(name).get(reverse("vetting_queue")).status_code == 403, name


def test_edited_approved_profile_goes_back_to_vetting_with_a_message(world, as_user):
    profile = make_employer(world.enterprise_1)
    response = as_user("hr_e1").post(
        reverse("employerprofile_edit", args=[profile.pk]), {"summary": "新的简介"}, follow=True, **EN
    )
    assert "goes back to the park for vetting" in text(response)
    profile.refresh_from_db()
    assert profile.vetting_status == VettingStatus.SUBMITTED


# --- demand plans: inline lines ------------------------------------------------------------------


def _line_form(world, **overrides):
    data = {"year": NEXT_YEAR, "post": "锅炉运行值班员", "major": world.major.pk, "headcount": 6}
    data.update(overrides)
    return data


def test_plan_page_adds_edits_and_deletes_lines_inline(world, as_user):
    plan = make_plan(world)
    hr = as_user("hr_e1")
    detail = reverse("demandplan_detail", args=[plan.pk])
    assert reverse("demandline_create", args=[plan.pk]) in text(hr.get(detail))
    form = hr.get(reverse("demandline_create", args=[plan.pk]), **HTMX)
    assert "<html" not in text(form) and 'name="post"' in text(form)

    response = hr.post(reverse("demandline_create", args=[plan.pk]), _line_form(world), **HTMX)
    assert response.status_code == 200 and "锅炉运行值班员" in text(response) and 'name="post"' not in text(response)
    line = DemandLine.objects.get()

    response = hr.post(reverse("demandline_create", args=[plan.pk]), _line_form(world, headcount=0), **HTMX)
    assert 'name="post"' in text(response) and "is-invalid" in text(response)
    assert DemandLine.objects.count() == 1

    hr.post(reverse("demandline_edit", args=[line.pk]), _line_form(world, headcount=9), **HTMX)
    line.refresh_from_db()
    assert line.headcount == 9

    response = hr.post(reverse("demandline_delete", args=[line.pk]), **HTMX)
    assert response.status_code == 200 and not DemandLine.objects.exists()

    # Without htmx the same URLs are plain pages and redirects.
    response = hr.post(reverse("demandline_create", args=[plan.pk]), _line_form(world))
    assert response.status_code == 302 and response["Location"].startswith(detail)


def test_plan_lines_are_locked_once_submitted_and_refused_to_others(world, as_user):
    plan = make_plan(world)
    line = make_line(plan, world.major)
    hr = as_user("hr_e1")
    hr.post(reverse("demandplan_submit", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    page = text(hr.get(reverse("demandplan_detail", args=[plan.pk])))
    assert reverse("demandline_edit", args=[line.pk]) not in page
    assert reverse("demandplan_reopen", args=[plan.pk]) in page
    response = hr.post(reverse("demandline_edit", args=[line.pk]), _line_form(world, headcount=99), **HTMX, **EN)
    assert "reopen it before changing it" in text(response)
    line.refresh_from_db()
    assert line.headcount == 5
    assert as_user("committee").post(reverse("demandline_delete", args=[line.pk])).status_code == 403
    assert as_user("hr_e2").post(reverse("demandline_delete", args=[line.pk])).status_code == 404
    assert as_user("hr_e2").post(reverse("demandline_create", args=[plan.pk]), _line_form(world)).status_code == 404
    hr.post(reverse("demandplan_reopen", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_plan_created_on_its_page_covers_its_horizon(world, as_user):
    response = as_user("hr_e1").post(
        reverse("demandplan_create"),
        {"enterprise": world.enterprise_1.pk, "title": "三年规划", "horizon": "3y", "year_from": NEXT_YEAR},
    )
    assert response.status_code == 302
    plan = world.enterprise_1.demand_plans.get()
    assert (plan.year_from, plan.year_to) == (NEXT_YEAR, NEXT_YEAR + 2)
    assert response["Location"] == reverse("demandplan_detail", args=[plan.pk])


# --- zone demand -------------------------------------------------------------------------------


def _submitted_demand(world):
    plan = make_plan(world, status=PlanStatus.SUBMITTED)
    make_line(plan, world.major, headcount=17)
    make_line(make_plan(world, world.enterprise_2), world.major, headcount=40)  # a draft: not counted


def test_zone_demand_page_shows_table_chart_and_export(world, as_user):
    _submitted_demand(world)
    committee = as_user("committee")
    page = text(committee.get(reverse("zone_demand"), **EN))
    assert "echarts.min.js" in page and 'id="zone-demand-data"' in page
    assert "Coal chemical technology" in page and ">17<" in page and ">57<" not in page
    response = committee.get(reverse("zone_demand_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]][1] == NEXT_YEAR
    assert [c.value for c in sheet[2]][1:] == [17, 17]
    assert [c.value for c in workbook.worksheets[1][2]][0] == world.enterprise_1.name


def test_zone_demand_is_for_the_zones_readers(world, as_user):
    _submitted_demand(world)
    for name in ("park_admin", "coordinator", "college_a_admin"):
        assert as_user(name).get(reverse("zone_demand")).status_code == 200, name
    for name in ("student_a", "teacher_a", "mentor_e1", "hr_e1", "operator", "outsider"):
        assert as_user(name).get(reverse("zone_demand")).status_code == 403, name
        assert as_user(name).get(reverse("zone_demand_export")).status_code == 403, name
    assert ">17<" not in text(as_user("other_admin").get(reverse("zone_demand")))


def test_menu_shows_each_role_its_careers_links(world, as_user):
    def links(name: str) -> set[str]:
        page = text(as_user(name).get(reverse("home")))
        urls = [
            "/open-postings/",
            "/postings/",
            "/vetting/",
            "/demand-plans/",
            "/zone-demand/",
            "/employer-profiles/mine/",
        ]
        return {url for url in urls if f'href="{url}"' in page}

    assert links("student_a") == {"/open-postings/"}
    assert links("hr_e1") == {"/open-postings/", "/postings/", "/demand-plans/", "/employer-profiles/mine/"}
    assert links("committee") == {"/open-postings/", "/vetting/", "/demand-plans/", "/zone-demand/"}
    assert links("college_a_admin") == {"/open-postings/", "/vetting/", "/zone-demand/"}
    assert links("outsider") == set()


PERSONAS = ["park_admin", "committee", "college_a_admin", "student_a", "hr_e1", "hr_e2", "mentor_e1", "other_admin"]


def test_every_page_answers_every_persona_without_error(world, as_user):
    profile = make_employer(world.enterprise_1, status=VettingStatus.SUBMITTED)
    posting = make_posting(world, status=VettingStatus.REJECTED, rejection_reason="薪资不明确")
    plan = make_plan(world, status=PlanStatus.SUBMITTED)
    line = make_line(plan, world.major)
    urls = [
        reverse("posting_browse"),
        reverse("posting_list"),
        reverse("posting_create"),
        reverse("posting_detail", args=[posting.pk]),
        reverse("posting_edit", args=[posting.pk]),
        reverse("posting_history", args=[posting.pk]),
        reverse("posting_delete", args=[posting.pk]),
        reverse("employerprofile_list"),
        reverse("employerprofile_mine"),
        reverse("employerprofile_detail", args=[profile.pk]),
        reverse("employerprofile_history", args=[profile.pk]),
        reverse("demandplan_list"),
        reverse("demandplan_create"),
        reverse("demandplan_detail", args=[plan.pk]),
        reverse("demandplan_history", args=[plan.pk]),
        reverse("demandline_detail", args=[line.pk]),
        reverse("demandline_edit", args=[line.pk]),
        reverse("vetting_queue"),
        reverse("zone_demand"),
    ]
    for name in PERSONAS:
        client = as_user(name)
        for url in urls:
            status = client.get(url, **EN).status_code
            assert status in (200, 302, 403, 404), (name, url, status)
