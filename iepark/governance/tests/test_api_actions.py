"""The governance API's own actions: who may review, approve, pay, verify, correct, resolve and withdraw."""

from __future__ import annotations

from iepark.core.models import AuditEvent
from iepark.governance import services
from iepark.governance.choices import ObjectionStatus, RunStatus
from iepark.governance.models import AssessmentRun, Objection

from .factories import make_programme, period_2025, standard_data

OTHERS = (
    "college_a_admin",
    "college_b_admin",
    "hr_e1",
    "student_a",
    "coordinator",
    "operator",
    "other_admin",
    "outsider",
)


def _run(world):
    standard_data(world)
    return services.assessment_start(
        actor=world.users["committee"], version=make_programme(world), run_now=True, **period_2025()
    )


def test_run_actions_are_the_committees(world, api):
    run = _run(world)
    before = AuditEvent.objects.count()
    for action in ("review", "approve", "pay", "verify", "correct"):
        url = f"/api/v1/assessment-runs/{run.pk}/{action}/"
        for persona in OTHERS:
            assert api(world.users[persona]).post(url, {}, format="json").status_code in (403, 404), (action, persona)
        assert api().post(url, {}, format="json").status_code in (401, 403)
    assert api(world.college_a_admin).get(f"/api/v1/assessment-runs/{run.pk}/export/").status_code == 404
    assert AuditEvent.objects.count() == before
    committee = api(world.users["committee"])
    assert committee.post(f"/api/v1/assessment-runs/{run.pk}/approve/").status_code == 400  # not reviewed yet
    assert committee.post(f"/api/v1/assessment-runs/{run.pk}/review/").json()["status"] == RunStatus.REVIEWED
    verify = committee.post(f"/api/v1/assessment-runs/{run.pk}/verify/").json()
    assert verify["same_inputs"] and verify["same_lines"]
    assert committee.post(f"/api/v1/assessment-runs/{run.pk}/approve/").json()["status"] == RunStatus.APPROVED
    paid = committee.post(f"/api/v1/assessment-runs/{run.pk}/pay/", {"payment_reference": "ZF-9"}, format="json").json()
    assert paid["status"] == RunStatus.PAID and paid["payment_reference"] == "ZF-9"
    assert committee.delete(f"/api/v1/assessment-runs/{run.pk}/").status_code == 400
    export = committee.get(f"/api/v1/assessment-runs/{run.pk}/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_lines_are_scoped_to_the_payee(world, api):
    run = _run(world)
    rows = api(world.college_a_admin).get("/api/v1/assessment-lines/", {"run": run.pk}).json()["results"]
    assert len(rows) == 2 and all(r["payee_organisation"] == world.college_a.pk for r in rows)
    assert rows[0]["explanation"] and rows[0]["evidence"]["employment_records"]
    assert api(world.college_b_admin).get("/api/v1/assessment-lines/").json()["results"] == []
    assert api(world.hr_e1).get("/api/v1/assessment-lines/").json()["results"] == []


def test_objection_actions(world, api):
    run = _run(world)
    line = run.lines.order_by("pk").first()
    raised = api(world.college_a_admin).post(
        "/api/v1/objections/", {"line": line.pk, "reason": "金额不对"}, format="json"
    )
    assert raised.status_code == 201, raised.content
    pk = raised.json()["id"]
    resolve = f"/api/v1/objections/{pk}/resolve/"
    body = {"accept": True, "response": "同意", "adjustment": "exclude"}
    assert api(world.college_a_admin).post(resolve, body, format="json").status_code == 403
    for persona in ("college_b_admin", "hr_e1", "other_admin"):
        assert api(world.users[persona]).post(resolve, body, format="json").status_code == 404, persona
        assert api(world.users[persona]).post(f"/api/v1/objections/{pk}/withdraw/").status_code == 404, persona
    bad = api(world.users["committee"]).post(
        resolve, {"accept": True, "response": "", "adjustment": "exclude"}, format="json"
    )
    assert bad.status_code == 400 and "response" in bad.json()
    ok = api(world.users["committee"]).post(resolve, body, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == ObjectionStatus.ACCEPTED
    correct = api(world.users["committee"]).post(f"/api/v1/assessment-runs/{run.pk}/correct/", {}, format="json")
    assert correct.status_code == 201
    correction = AssessmentRun.objects.get(pk=correct.json()["id"])
    services.assessment_compute(run=correction)
    correction.refresh_from_db()
    assert correction.line_count == run.line_count - 1 and correction.adjustments[0]["action"] == "exclude"


def test_objections_after_approval_are_refused_by_the_api(world, api):
    run = _run(world)
    services.run_review(actor=world.users["committee"], run=run)
    services.run_approve(actor=world.users["committee"], run=AssessmentRun.objects.get(pk=run.pk))
    line = run.lines.order_by("pk").first()
    response = api(world.college_a_admin).post(
        "/api/v1/objections/", {"line": line.pk, "reason": "晚了"}, format="json"
    )
    assert response.status_code == 400 and "line" in response.json()
    assert not Objection.objects.exists()


def test_rule_parameters_refused_with_the_parameter_named(world, api):
    version = make_programme(world, with_all_kinds=False)
    response = api(world.users["committee"]).post(
        "/api/v1/subsidy-rules/",
        {
            "version": version.pk,
            "kind": "retention",
            "name": "x",
            "payee": "college",
            "params": {"months": 6, "amount": "100", "min_insured_months": 8},
        },
        format="json",
    )
    assert response.status_code == 400 and "min_insured_months" in response.json()["params"][0]
