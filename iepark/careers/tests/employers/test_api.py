"""Tests of the employers' API: each workflow step through the endpoints, for the right and the wrong party."""

from __future__ import annotations

from iepark.careers.choices import PlanStatus, VettingStatus
from iepark.careers.models import Posting
from iepark.careers.testing import make_employer, make_posting
from iepark.core.models import AuditEvent

from .helpers import NEXT_YEAR, make_line, make_plan


def _ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def _step(client, kind: str, obj, step: str, data=None):
    return client.post(f"/api/v1/{kind}/{obj.pk}/{step}/", data or {}, format="json")


def test_posting_path_through_the_api(world, api):
    make_employer(world.enterprise_1)
    hr, committee, student = api(world.hr_e1), api(world.users["committee"]), api(world.users["student_a"])
    response = hr.post(
        "/api/v1/postings/",
        {
            "enterprise": world.enterprise_1.pk,
            "kind": "internship",
            "title": "化学检验员（顶岗实习）",
            "description": "取样分析。",
            "majors": [world.major.pk],
            "headcount": 5,
            "vetting_status": "approved",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["vetting_status"] == "draft" and body["majors"] == [world.major.pk] and body["is_open"] is False
    posting = Posting.objects.get(pk=body["id"])
    assert student.get(f"/api/v1/postings/{posting.pk}/").status_code == 404

    assert _step(hr, "postings", posting, "submit").json()["vetting_status"] == "submitted"
    assert student.get(f"/api/v1/postings/{posting.pk}/").status_code == 404
    response = _step(committee, "postings", posting, "approve")
    assert response.status_code == 200 and response.json()["vetting_status"] == "approved"
    assert posting.pk in _ids(student.get("/api/v1/postings/", {"open": "true"}))
    assert student.get(f"/api/v1/postings/{posting.pk}/").json()["is_open"] is True

    assert _step(hr, "postings", posting, "close").json()["vetting_status"] == "closed"
    assert student.get(f"/api/v1/postings/{posting.pk}/").status_code == 404


def test_rejection_without_a_reason_is_refused_and_nothing_written(world, api):
    posting = make_posting(world, status=VettingStatus.SUBMITTED)
    committee = api(world.users["committee"])
    before = AuditEvent.objects.count()
    for data in ({}, {"reason": ""}, {"reason": "   "}):
        response = _step(committee, "postings", posting, "reject", data)
        assert response.status_code == 400 and "reason" in response.json(), response.content
    assert AuditEvent.objects.count() == before
    response = _step(committee, "postings", posting, "reject", {"reason": "缺少安全培训说明。"})
    assert response.status_code == 200
    assert (
        response.json()["rejection_reason"] == "缺少安全培训说明。" and response.json()["vetting_status"] == "rejected"
    )


def test_bad_transitions_answer_400_with_the_field(world, api):
    posting = make_posting(world)
    hr, committee = api(world.hr_e1), api(world.users["committee"])
    for client, step in ((committee, "approve"), (hr, "submit")):
        response = _step(client, "postings", posting, step)
        assert response.status_code == 400 and "vetting_status" in response.json(), step
    closed = make_posting(world, status=VettingStatus.CLOSED, title="关闭")
    assert _step(hr, "postings", closed, "close").status_code == 400
    posting.refresh_from_db()
    assert posting.vetting_status == VettingStatus.APPROVED


def test_workflow_steps_of_the_wrong_party_are_refused(world, api):
    submitted = make_posting(world, status=VettingStatus.SUBMITTED)
    draft = make_posting(world, status=VettingStatus.DRAFT, title="草稿")
    approved = make_posting(world, title="已批准")
    before = AuditEvent.objects.count()
    cases = [
        ("hr_e1", submitted, "approve", 403),  # an enterprise does not vet itself
        ("mentor_e1", submitted, "approve", 403),
        ("student_a", approved, "reject", 403),
        ("hr_e2", approved, "close", 403),
        ("mentor_e1", draft, "submit", 403),
        ("hr_e2", draft, "submit", 404),  # not even visible
        ("committee", draft, "approve", 404),
        ("other_admin", submitted, "approve", 404),
        ("other_admin", approved, "reject", 404),
        ("outsider", approved, "close", 404),
    ]
    for name, posting, step, status in cases:
        response = _step(api(world.users[name]), "postings", posting, step, {"reason": "x"})
        assert response.status_code == status, (name, step, response.content)
    assert _step(api(), "postings", approved, "close").status_code == 401
    assert AuditEvent.objects.count() == before


def test_students_do_not_see_unvetted_postings_or_those_of_unvetted_employers(world, api):
    submitted = make_posting(world, status=VettingStatus.SUBMITTED)
    rejected = make_posting(world, status=VettingStatus.REJECTED, title="退回", rejection_reason="x")
    unvetted_employer = make_posting(world, world.enterprise_2, employer_status=VettingStatus.REJECTED)
    shown = make_posting(world, title="可见")
    student = api(world.users["student_b"])
    assert _ids(student.get("/api/v1/postings/", {"page_size": 100})) == {shown.pk}
    for hidden in (submitted, rejected, unvetted_employer):
        assert student.get(f"/api/v1/postings/{hidden.pk}/").status_code == 404
    # E2's profile is rejected: students do not see it either; its HR does.
    profile = world.enterprise_2.employer_profile
    assert student.get(f"/api/v1/employer-profiles/{profile.pk}/").status_code == 404
    assert api(world.hr_e2).get(f"/api/v1/employer-profiles/{profile.pk}/").status_code == 200


def test_profile_workflow_through_the_api(world, api):
    hr, committee = api(world.hr_e1), api(world.users["committee"])
    response = hr.post("/api/v1/employer-profiles/", {"organisation": world.enterprise_1.pk, "summary": "简介"})
    assert response.status_code == 201 and response.json()["vetting_status"] == "draft"
    profile = world.enterprise_1.employer_profile
    assert _step(committee, "employer-profiles", profile, "approve").status_code == 400  # a draft: not submitted
    assert _step(hr, "employer-profiles", profile, "submit").json()["vetting_status"] == "submitted"
    assert _step(hr, "employer-profiles", profile, "approve").status_code == 403
    assert _step(api(world.users["other_admin"]), "employer-profiles", profile, "approve").status_code == 404
    response = _step(committee, "employer-profiles", profile, "reject", {"reason": ""})
    assert response.status_code == 400 and "reason" in response.json()
    response = _step(committee, "employer-profiles", profile, "reject", {"reason": "缺少住宿说明。"})
    assert response.json()["vetting_status"] == "rejected"
    _step(hr, "employer-profiles", profile, "submit")
    assert _step(committee, "employer-profiles", profile, "approve").json()["vetting_status"] == "approved"
    # Changing an approved profile's content sends it back.
    response = hr.patch(f"/api/v1/employer-profiles/{profile.pk}/", {"summary": "新简介"}, format="json")
    assert response.json()["vetting_status"] == "submitted"
    # The organisation of a profile does not move.
    hr.patch(f"/api/v1/employer-profiles/{profile.pk}/", {"organisation": world.enterprise_2.pk}, format="json")
    profile.refresh_from_db()
    assert profile.organisation == world.enterprise_1


def test_plan_workflow_through_the_api(world, api):
    hr = api(world.hr_e1)
    response = hr.post(
        "/api/v1/demand-plans/",
        {"enterprise": world.enterprise_1.pk, "title": "三年规划", "horizon": "3y", "year_from": NEXT_YEAR},
        format="json",
    )
    assert response.status_code == 201 and response.json()["year_to"] == NEXT_YEAR + 2
    plan_id = response.json()["id"]
    response = hr.post(f"/api/v1/demand-plans/{plan_id}/submit/")
    assert response.status_code == 400 and "lines" in response.json()
    response = hr.post(
        "/api/v1/demand-lines/",
        {"plan": plan_id, "year": NEXT_YEAR + 1, "post": "集控值班员", "major": world.major.pk, "headcount": 4},
        format="json",
    )
    assert response.status_code == 201, response.content
    response = hr.post(f"/api/v1/demand-plans/{plan_id}/submit/")
    body = response.json()
    assert body["status"] == "submitted" and body["line_count"] == 1 and body["lines"][0]["post"] == "集控值班员"
    assert api(world.users["college_a_admin"]).get(f"/api/v1/demand-plans/{plan_id}/").status_code == 200
    line_id = body["lines"][0]["id"]
    response = hr.patch(f"/api/v1/demand-lines/{line_id}/", {"headcount": 8}, format="json")
    assert response.status_code == 400 and "status" in response.json()
    assert api(world.users["committee"]).post(f"/api/v1/demand-plans/{plan_id}/reopen/").status_code == 403
    assert api(world.hr_e2).post(f"/api/v1/demand-plans/{plan_id}/reopen/").status_code == 404
    assert hr.post(f"/api/v1/demand-plans/{plan_id}/reopen/").json()["status"] == "draft"
    assert hr.patch(f"/api/v1/demand-lines/{line_id}/", {"headcount": 8}, format="json").status_code == 200


def test_zone_demand_endpoint(world, api):
    plan = make_plan(world, status=PlanStatus.SUBMITTED)
    make_line(plan, world.major, headcount=12)
    url = "/api/v1/demand-plans/zone-demand/"
    body = api(world.users["coordinator"]).get(url).json()
    assert body["rows"] == [{"year": NEXT_YEAR, "major_id": world.major.pk, "major": "煤化工技术", "headcount": 12}]
    assert body["by_enterprise"][0]["enterprise_id"] == world.enterprise_1.pk
    assert api(world.users["coordinator"]).get(url, {"park": world.other_park.pk}).json()["rows"] == []
    assert api(world.users["coordinator"]).get(url, {"park": world.park.pk}).json()["rows"] == body["rows"]
    for name in ("student_a", "other_admin", "hr_e2"):
        assert api(world.users[name]).get(url).json()["rows"] == [], name
    assert api().get(url).status_code == 401


def test_posting_filters_in_the_api(world, api):
    job = make_posting(world, title="锅炉运行值班员", pay_min=6500, pay_max=9500, housing_provided=True)
    internship = make_posting(world, title="实习生", kind="internship", pay_min=3000, pay_max=4500)
    student = api(world.users["student_a"])
    assert _ids(student.get("/api/v1/postings/", {"kind": "internship"})) == {internship.pk}
    assert _ids(student.get("/api/v1/postings/", {"pay_at_least": 6000})) == {job.pk}
    assert _ids(student.get("/api/v1/postings/", {"q": "锅炉"})) == {job.pk}
    assert _ids(student.get("/api/v1/postings/", {"housing_provided": "true"})) == {job.pk}
    assert _ids(student.get("/api/v1/postings/", {"major": world.major.pk})) == {job.pk, internship.pk}
