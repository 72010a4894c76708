"""Assessment runs: what is paid and why, reproducibility, statuses, immutability, objections and corrections."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from iepark.core.audit import verify_chain
from iepark.core.models import AuditEvent
from iepark.governance import rules, services
from iepark.governance.choices import ObjectionStatus, RunStatus
from iepark.governance.models import AssessmentLine, AssessmentRun, LockedRunError

from .factories import D, hire, make_graduate, make_programme, period_2025, standard_data


def _run(world, version, **period):
    return services.assessment_start(
        actor=world.users["committee"], version=version, run_now=True, **(period or period_2025())
    )


def _approve(world, run):
    services.run_review(actor=world.users["committee"], run=run)
    return services.run_approve(actor=world.users["committee"], run=AssessmentRun.objects.get(pk=run.pk))


def test_retention_lines_name_the_person_rule_and_records(world):
    data = standard_data(world)
    version = make_programme(world)
    run = _run(world, version)
    assert run.status == RunStatus.DRAFT
    lines = {line.student_id: line for line in run.lines.all()}
    g1, g2, g3, g4 = data["students"]
    assert set(lines) == {g1.pk, g2.pk}  # g3 left before 12 months, g4 has no insurance
    assert lines[g1.pk].amount == Decimal("3000.00") and lines[g1.pk].payee_organisation == world.college_a
    assert lines[g2.pk].amount == Decimal("5000.00")  # order-class hire by the sponsor
    evidence = lines[g1.pk].evidence
    assert evidence["employment_records"] == [data["records"]["g1"].pk]
    assert evidence["social_insurance_start"] == "2024-07-01" and evidence["still_employed_on"] == "2025-07-01"
    assert run.total == Decimal("8000.00") and run.line_count == 2
    warnings = {w["code"]: w for w in run.warnings}
    assert warnings["employment_without_insurance"]["count"] == 1
    # Certificates and apprenticeships are not in the platform yet: the run says so instead of paying zero silently.
    assert "certificate_data_missing" in warnings and "apprenticeship_data_missing" in warnings
    assert run.inputs_summary["certificates"] is None


def test_graduate_hire_pays_the_enterprise_once_per_graduate(world):
    g1 = make_graduate(world, 1)  # graduates in 2024
    g2 = make_graduate(world, 2, cohort=2019)  # graduated in 2022: not a graduate of the current year
    hire(g1, world.enterprise_1, D(2024, 7, 1), insured=D(2024, 7, 1))
    hire(g1, world.enterprise_2, D(2024, 8, 1), insured=D(2024, 8, 1))  # counted once per rule and period
    hire(g2, world.enterprise_1, D(2024, 7, 1), insured=D(2024, 7, 1))
    version = make_programme(world)
    run = _run(world, version, period_start=D(2024, 1, 1), period_end=D(2024, 12, 31))
    hires = list(run.lines.filter(rule__kind="graduate_hire"))
    assert len(hires) == 1
    assert hires[0].student == g1 and hires[0].payee_organisation == world.enterprise_1
    assert hires[0].amount == Decimal("1500.00") and hires[0].qualifying_date == D(2024, 10, 1)


def test_caps_per_payee_per_year(world):
    for n in range(1, 4):
        hire(make_graduate(world, n), world.enterprise_1, D(2024, 7, 1), insured=D(2024, 7, 1))
    params = {"months": 12, "amount": "3000", "cap_per_payee_per_year": "7000"}
    version = make_programme(world, with_all_kinds=False, params=params)
    run = _run(world, version)
    amounts = sorted(run.lines.values_list("amount", flat=True))
    assert amounts == [Decimal("1000.00"), Decimal("3000.00"), Decimal("3000.00")]
    assert run.total == Decimal("7000.00")
    assert run.lines.filter(capped="rule").count() == 1


def test_rerun_on_unchanged_data_is_byte_identical(world):
    standard_data(world)
    version = make_programme(world)
    first = _run(world, version)
    second = _run(world, version)
    assert first.fingerprint == second.fingerprint and len(first.fingerprint) == 64
    strip = [dict(line.canonical()) for line in services.stored_lines(first)]
    again = [dict(line.canonical()) for line in services.stored_lines(second)]
    assert services.canonical_json(strip) == services.canonical_json(again)
    assert first.lines_digest == second.lines_digest
    outcome = services.run_verify(actor=world.users["committee"], run=first)
    assert outcome["same_inputs"] and outcome["same_lines"]


def test_verify_notices_changed_data(world):
    data = standard_data(world)
    run = _run(world, make_programme(world))
    record = data["records"]["g1"]
    record.end_date, record.leave_reason = D(2025, 2, 1), "resigned"
    record.save()
    outcome = services.run_verify(actor=world.users["committee"], run=run)
    assert not outcome["same_inputs"] and not outcome["same_lines"]


def test_statuses_and_immutability(world):
    standard_data(world)
    version = make_programme(world)
    run = _run(world, version)
    with pytest.raises(ValidationError, match="Only a reviewed run can be approved"):
        services.run_approve(actor=world.users["committee"], run=run)
    run = _approve(world, run)
    assert run.status == RunStatus.APPROVED
    version.refresh_from_db()
    assert version.frozen
    with pytest.raises(ValidationError, match="frozen"):
        services.rule_update(actor=world.users["committee"], rule=version.rules.first(), data={"name": "改"})
    with pytest.raises(ValidationError, match="approved run"):
        services.run_delete(actor=world.users["committee"], run=run)
    line = run.lines.first()
    line.amount = Decimal("1")
    with pytest.raises(LockedRunError):
        line.save()
    # The database itself refuses (even a raw queryset update, which skips save()).
    with pytest.raises(DatabaseError), transaction.atomic():
        AssessmentLine.objects.filter(pk=line.pk).update(amount=Decimal("1"))
    with pytest.raises(DatabaseError), transaction.atomic():
        AssessmentRun.objects.filter(pk=run.pk).update(total=Decimal("1"))
    assert AssessmentLine.objects.get(pk=line.pk).amount != Decimal("1")
    paid = services.run_mark_paid(actor=world.users["committee"], run=run, payment_reference="财付2025-17")
    assert paid.status == RunStatus.PAID and paid.payment_reference == "财付2025-17"
    # The approval is in the hash chain, with the fingerprint and the lines' digest.
    approved = [e for e in AuditEvent.objects.filter(object_id=str(run.pk)) if "approved" in e.changes]
    assert approved and approved[0].changes["approved"]["lines_digest"] == run.lines_digest
    assert verify_chain() is None


def test_approved_run_blocks_a_second_payment_for_the_period(world):
    standard_data(world)
    version = make_programme(world)
    _approve(world, _run(world, version))
    with pytest.raises(ValidationError, match="would pay twice"):
        _run(world, version, period_start=D(2025, 6, 1), period_end=D(2025, 12, 31))


def test_earlier_payments_of_the_year_count_once(world):
    data = standard_data(world)
    g1, g2 = data["students"][:2]
    # g1 also took a second job a month later: it reaches 12 months in the second half of the year.
    hire(g1, world.enterprise_2, D(2024, 8, 1), insured=D(2024, 8, 1))
    version = make_programme(world)
    first = _approve(world, _run(world, version, period_start=D(2025, 1, 1), period_end=D(2025, 7, 10)))
    assert set(first.lines.values_list("student_id", flat=True)) == {g1.pk}
    later = _run(world, version, period_start=D(2025, 7, 11), period_end=D(2025, 12, 31))
    assert set(later.lines.values_list("student_id", flat=True)) == {g2.pk}
    assert later.inputs_summary["prior_payments"] == 1


def test_objection_accepted_and_correction_with_diff(world):
    data = standard_data(world)
    version = make_programme(world)
    run = _run(world, version)
    g1, g2 = data["students"][:2]
    line = run.lines.get(student=g1)
    # College B cannot object to college A's line; HR of an enterprise neither.
    for persona in ("college_b_admin", "hr_e1"):
        with pytest.raises(PermissionDenied):
            services.objection_raise(actor=world.users[persona], line=line, reason="不对")
    with pytest.raises(ValidationError, match="Say why"):
        services.objection_raise(actor=world.college_a_admin, line=line, reason="  ")
    objection = services.objection_raise(
        actor=world.college_a_admin, line=line, reason="该生为订单班学生", proposed_amount=Decimal("5000")
    )
    assert objection.organisation == world.college_a
    with pytest.raises(ValidationError, match="already open"):
        services.objection_raise(actor=world.college_a_admin, line=line, reason="再次")
    with pytest.raises(ValidationError, match="objections before correcting"):
        services.run_correct(actor=world.users["committee"], run=run, run_now=True)
    with pytest.raises(PermissionDenied):
        services.objection_resolve(actor=world.college_a_admin, objection=objection, accept=True, response="x")
    with pytest.raises(ValidationError) as exc:
        services.objection_resolve(
            actor=world.users["committee"], objection=objection, accept=True, response="核实", adjustment="set_amount"
        )
    assert "adjusted_amount" in exc.value.message_dict
    services.objection_resolve(
        actor=world.users["committee"],
        objection=objection,
        accept=True,
        response="核实为订单班",
        adjustment="set_amount",
        adjusted_amount=Decimal("5000"),
    )
    # Meanwhile the careers data changed: g2 left early (recorded at the source).
    record = data["records"]["g2"]
    record.end_date, record.leave_reason = D(2025, 1, 31), "resigned"
    record.save()
    correction = services.run_correct(actor=world.users["committee"], run=run, run_now=True)
    run.refresh_from_db()
    assert run.status == RunStatus.SUPERSEDED and correction.revision == 2 and correction.previous == run
    assert correction.lines.get(student=g1).amount == Decimal("5000.00")
    assert correction.lines.get(student=g1).adjustment["objection"] == objection.pk
    diff = services_diff(run, correction)
    assert (diff["added"], diff["removed"], diff["changed"]) == (0, 1, 1)
    assert diff["delta"] == Decimal("-3000.00")


def services_diff(old, new):
    from iepark.governance.selectors import run_diff

    return run_diff(old, new)


def test_objections_after_approval_are_refused(world):
    standard_data(world)
    run = _approve(world, _run(world, make_programme(world)))
    with pytest.raises(ValidationError, match="only before approval"):
        services.objection_raise(actor=world.college_a_admin, line=run.lines.first(), reason="晚了")


def test_approval_waits_for_open_objections(world):
    standard_data(world)
    run = _run(world, make_programme(world))
    services.objection_raise(actor=world.college_a_admin, line=run.lines.first(), reason="有误")
    services.run_review(actor=world.users["committee"], run=run)
    with pytest.raises(ValidationError, match="still open"):
        services.run_approve(actor=world.users["committee"], run=AssessmentRun.objects.get(pk=run.pk))
    objection = run.lines.first().objections.get()
    services.objection_resolve(actor=world.users["committee"], objection=objection, accept=False, response="数据无误")
    assert objection.__class__.objects.get(pk=objection.pk).status == ObjectionStatus.REJECTED
    assert (
        services.run_approve(actor=world.users["committee"], run=AssessmentRun.objects.get(pk=run.pk)).status
        == RunStatus.APPROVED
    )


def test_period_is_checked(world):
    version = make_programme(world)
    with pytest.raises(ValidationError, match="one calendar year"):
        _run(world, version, period_start=D(2024, 7, 1), period_end=D(2025, 6, 30))
    with pytest.raises(ValidationError, match="lies outside"):
        _run(world, version, period_start=D(2019, 1, 1), period_end=D(2019, 12, 31))
    with pytest.raises(PermissionDenied):
        services.assessment_start(actor=world.college_a_admin, version=version, **period_2025())


def test_run_as_a_background_job(world, django_capture_on_commit_callbacks):
    standard_data(world)
    version = make_programme(world)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.assessment_start(actor=world.users["committee"], version=version, **period_2025())
    run.refresh_from_db()
    assert run.job is not None and run.job.status == "succeeded"
    assert run.status == RunStatus.DRAFT and run.line_count == 2
    assert run.job.result["fingerprint"] == run.fingerprint


def test_engine_is_pure_and_orders_lines():
    fact = rules.EmploymentFact(1, 10, 20, 30, 40, "2024-01-31", None, "2024-01-31", False, "fixed_term", 2024)
    spec = rules.RuleSpec(
        5, "retention", "college", rules.validate_params("retention", "college", {"months": 1, "amount": "10"})
    )
    inputs = rules.Inputs("2024-01-01", "2024-12-31", [spec], None, [fact], None, None)
    result = rules.compute(inputs)
    assert [line.qualifying_date for line in result.lines] == ["2024-02-29"]  # one month after Jan 31 in a leap year
    assert result.lines[0].payee == "org:30"
    assert rules.months_between(datetime.date(2024, 1, 31), datetime.date(2024, 2, 29)) == 1


def test_a_run_cancelled_before_it_started_is_marked_failed(world, django_capture_on_commit_callbacks):
    from iepark.core.tasks import job_cancel

    standard_data(world)
    version = make_programme(world)
    run = services.assessment_start(actor=world.users["committee"], version=version, **period_2025())
    job_cancel(actor=world.users["committee"], job=run.job)
    run = services.run_reconcile(run=AssessmentRun.objects.get(pk=run.pk))
    assert run.status == RunStatus.FAILED and run.line_count == 0
    services.run_delete(actor=world.users["committee"], run=run)
    assert not AssessmentRun.objects.filter(pk=run.pk).exists()


def test_objections_notify_the_committee_and_then_the_objector(world):
    from iepark.careers.models import Notification

    def texts(name):
        return [n.text for n in Notification.objects.filter(recipient=world.users[name])]

    data = standard_data(world)
    run = _run(world, make_programme(world))
    line = run.lines.get(student=data["students"][0])
    objection = services.objection_raise(actor=world.college_a_admin, line=line, reason="该生为订单班学生")
    assert any("please decide" in t for t in texts("committee"))
    assert texts("college_b_admin") == []
    services.objection_resolve(actor=world.users["committee"], objection=objection, accept=False, response="已核实")
    assert any("was decided: Rejected" in t for t in texts("college_a_admin"))


def test_only_the_raiser_or_the_committee_withdraws_an_objection(world, api):
    from iepark.core.choices import Role
    from iepark.testing import _persona

    colleague = _persona(world, "college_a_admin2", world.park, world.college_a, Role.COLLEGE_ADMIN, 77)
    data = standard_data(world)
    run = _run(world, make_programme(world))
    line = run.lines.get(student=data["students"][0])
    objection = services.objection_raise(actor=world.college_a_admin, line=line, reason="该生为订单班学生")
    with pytest.raises(PermissionDenied):
        services.objection_withdraw(actor=colleague.user, objection=objection)
    assert api(colleague.user).post(f"/api/v1/objections/{objection.pk}/withdraw/").status_code == 403
    objection.refresh_from_db()
    assert objection.status == "open"
    services.objection_withdraw(actor=world.college_a_admin, objection=objection)
    objection.refresh_from_db()
    assert objection.status == "withdrawn"
