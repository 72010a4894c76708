"""Rules of inspections, rectifications and the fire equipment register, through the services."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from iepark.core.models import AuditEvent
from iepark.operations.safety import selectors, services
from iepark.operations.safety.choices import RectificationStatus, RoundStatus
from iepark.operations.safety.models import (
    ChecklistItem,
    EquipmentCheck,
    FireEquipment,
    InspectionRound,
    RectificationTask,
    ReInspection,
)
from iepark.testing import audit_count

from .factories import make_equipment, make_finding, make_round, make_template

TODAY = timezone.localdate
D = datetime.timedelta


def _messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- templates -------------------------------------------------------------------------------------------


def test_template_with_checklist_is_audited_and_items_move(world):
    template = make_template(world, items=3)
    items = list(template.items.order_by("position"))
    assert [i.position for i in items] == [1, 2, 3]
    assert audit_count(ChecklistItem, "create") == 3
    services.checklist_item_move(actor=world.operator, item=items[2], offset=-1)
    assert list(template.items.order_by("position").values_list("pk", flat=True)) == [
        items[0].pk,
        items[2].pk,
        items[1].pk,
    ]
    with pytest.raises(PermissionDenied):
        services.checklist_item_create(actor=world.users["committee"], template=template, text="x")
    with pytest.raises(PermissionDenied):
        services.template_create(actor=world.college_a_admin, park=world.park, name="x", area_kind="lab", kind="fire")


def test_used_template_and_answered_item_cannot_be_deleted(world):
    inspection = make_round(world)
    item = inspection.template.items.first()
    services.round_answer(actor=world.operator, inspection=inspection, item=item, result="ok")
    with pytest.raises(ValidationError, match="deactivate it instead"):
        services.template_delete(actor=world.operator, template=inspection.template)
    with pytest.raises(ValidationError, match="deactivate it instead"):
        services.checklist_item_delete(actor=world.operator, item=item)


# --- schedules and the tick ----------------------------------------------------------------------------------


def test_advance_handles_month_ends():
    assert services.advance(datetime.date(2026, 1, 31), 1, "month") == datetime.date(2026, 2, 28)
    assert services.advance(datetime.date(2026, 11, 30), 3, "month") == datetime.date(2027, 2, 28)
    assert services.advance(datetime.date(2026, 1, 1), 2, "week") == datetime.date(2026, 1, 15)
    assert services.advance(datetime.date(2026, 1, 1), 10, "day") == datetime.date(2026, 1, 11)


def test_tick_creates_one_round_per_due_schedule_idempotently(world):
    template = make_template(world)
    today = TODAY()
    schedule = services.schedule_create(
        actor=world.operator,
        template=template,
        place="1号公寓楼",
        owner=world.college_a,
        inspector=world.persons["operator"],
        every=1,
        unit="week",
        next_date=today - D(days=15),  # three occurrences missed: -15, -8, -1
    )
    later = services.schedule_create(
        actor=world.operator, template=template, place="2号楼", every=1, unit="day", next_date=today + D(days=2)
    )
    created = services.rounds_generate()
    assert [r.scheduled_date for r in created] == [today - D(days=1)]
    inspection = created[0]
    assert inspection.owner == world.college_a and inspection.inspector == world.persons["operator"]
    schedule.refresh_from_db()
    assert schedule.next_date == today + D(days=6)
    assert services.rounds_generate() == []
    out = io.StringIO()
    call_command("safety_tick", stdout=out)
    assert "0 inspection round(s) created" in out.getvalue()
    call_command("safety_tick", "--date", (today + D(days=2)).isoformat(), stdout=out)
    assert InspectionRound.objects.filter(schedule=later, scheduled_date=today + D(days=2)).exists()
    assert InspectionRound.objects.count() == 2


def test_tick_runs_as_a_background_task(world, settings, django_capture_on_commit_callbacks):
    from iepark.core.models import Job
    from iepark.core.tasks import job_start

    settings.IEPARK_TASK_RUNNER = "sync"
    services.schedule_create(
        actor=world.operator, template=make_template(world), place="A", every=1, unit="month", next_date=TODAY()
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=world.operator, kind="safety.tick", park=world.park, params={"park": world.park.pk})
    job = Job.objects.get(pk=job.pk)
    assert job.status == "succeeded" and len(job.result["created"]) == 1


def test_schedule_refuses_foreign_building_and_owner(world):
    from iepark.operations.tests.factories import make_building

    other_building = make_building(world.other_park, "外园楼")
    with pytest.raises(ValidationError) as exc:
        services.schedule_create(
            actor=world.operator,
            template=make_template(world),
            place="x",
            building=other_building,
            every=1,
            unit="week",
            next_date=TODAY(),
        )
    assert "building" in exc.value.message_dict


# --- rounds ------------------------------------------------------------------------------------------------------


def test_round_is_answered_and_completed_only_when_every_item_is(world):
    inspection = make_round(world)
    items = list(inspection.template.items.order_by("position"))
    services.round_answer(actor=world.operator, inspection=inspection, item=items[0], result="ok")
    inspection.refresh_from_db()
    assert inspection.status == RoundStatus.IN_PROGRESS and inspection.inspector == world.persons["operator"]
    with pytest.raises(ValidationError, match="2 not answered"):
        services.round_complete(actor=world.operator, inspection=inspection)
    services.round_answer(actor=world.operator, inspection=inspection, item=items[1], result="not_applicable")
    services.round_answer(actor=world.operator, inspection=inspection, item=items[2], result="finding")
    with pytest.raises(ValidationError, match="Record the finding"):
        services.round_complete(actor=world.operator, inspection=inspection)
    make_finding(world, inspection, item=items[2])
    services.round_complete(actor=world.operator, inspection=inspection, note="整体良好")
    inspection.refresh_from_db()
    assert inspection.status == RoundStatus.COMPLETED and inspection.completed_at and inspection.note == "整体良好"
    with pytest.raises(ValidationError, match="completed"):
        services.round_answer(actor=world.operator, inspection=inspection, item=items[0], result="finding")
    with pytest.raises(ValidationError, match="completed"):
        make_finding(world, inspection)


def test_answer_to_an_item_of_another_template_is_refused(world):
    inspection = make_round(world)
    other = make_template(world, "其他模板")
    with pytest.raises(ValidationError) as exc:
        services.round_answer(actor=world.operator, inspection=inspection, item=other.items.first(), result="ok")
    assert "item" in exc.value.message_dict


def test_committee_reads_but_cannot_take_a_round(world):
    inspection = make_round(world)
    assert selectors.round_list(user=world.users["committee"]).filter(pk=inspection.pk).exists()
    with pytest.raises(PermissionDenied):
        services.round_start(actor=world.users["committee"], inspection=inspection)
    assert not selectors.round_list(user=world.college_a_admin).exists()


# --- findings and rectification -----------------------------------------------------------------------------------


def test_finding_gets_a_task_for_the_area_owner_with_a_deadline_from_its_severity(world):
    inspection = make_round(world)
    item = inspection.template.items.first()
    finding = make_finding(world, inspection, item=item, severity="critical")
    task = finding.task
    assert task.owner == world.college_a and task.status == RectificationStatus.OPEN
    assert task.deadline == finding.found_on + D(days=1)
    assert inspection.answers.get(item=item).result == "finding"
    assert audit_count(RectificationTask, "create") == 1
    # Without an area owner, the operating company rectifies.
    bare = make_round(world, inspection.template, owner=world.operator_org, place="公共区域")
    bare.owner = None
    bare.save(update_fields=["owner"])
    assert make_finding(world, bare, severity="low").task.owner == world.operator_org


def test_impossible_finding_dates_are_refused_with_nothing_written(world):
    inspection = make_round(world)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        make_finding(world, inspection, deadline=TODAY() - D(days=1))
    assert exc.value.message_dict["deadline"] == ["The deadline cannot be before the finding was made."]
    with pytest.raises(ValidationError) as exc:
        make_finding(world, inspection, found_on=TODAY() + D(days=1))
    assert "found_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        make_finding(world, inspection, owner=world.other_college)
    assert "owner" in exc.value.message_dict
    assert AuditEvent.objects.count() == before
    assert not inspection.findings.exists()


def test_owner_reports_done_and_reinspection_closes_or_reopens(world):
    finding = make_finding(world, severity="high")
    task = finding.task
    with pytest.raises(PermissionDenied):
        services.task_report_done(actor=world.college_b_admin, task=task, note="done")
    with pytest.raises(PermissionDenied):
        services.task_report_done(actor=world.teacher_a, task=task, note="done")
    with pytest.raises(ValidationError) as exc:
        services.task_report_done(actor=world.college_a_admin, task=task, note="  ")
    assert "note" in exc.value.message_dict
    services.task_report_done(actor=world.college_a_admin, task=task, note="已更换灭火器")
    task.refresh_from_db()
    assert task.status == RectificationStatus.REPORTED_DONE and task.reported_on == TODAY()
    with pytest.raises(ValidationError, match="Only an open"):
        services.task_report_done(actor=world.college_a_admin, task=task, note="again")
    # The owner cannot re-inspect their own work.
    with pytest.raises(PermissionDenied):
        services.task_reinspect(actor=world.college_a_admin, task=task, passed=True)
    with pytest.raises(ValidationError) as exc:
        services.task_reinspect(actor=world.operator, task=task, passed=False)
    assert "new_deadline" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.task_reinspect(actor=world.operator, task=task, passed=False, new_deadline=TODAY())
    assert "new_deadline" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.task_reinspect(actor=world.operator, task=task, passed=True, inspected_on=finding.found_on - D(days=1))
    assert "inspected_on" in exc.value.message_dict
    services.task_reinspect(
        actor=world.operator, task=task, passed=False, note="仍有杂物", new_deadline=TODAY() + D(days=3)
    )
    task.refresh_from_db()
    assert task.status == RectificationStatus.OPEN and task.deadline == TODAY() + D(days=3)
    services.task_report_done(actor=world.college_a_admin, task=task, note="已清理")
    services.task_reinspect(actor=world.park_admin, task=task, passed=True)
    task.refresh_from_db()
    assert task.status == RectificationStatus.CLOSED and task.closed_on == TODAY()
    assert ReInspection.objects.filter(task=task).count() == 2
    with pytest.raises(ValidationError, match="already closed"):
        services.task_reinspect(actor=world.operator, task=task, passed=True)
    with pytest.raises(ValidationError, match="closed"):
        services.finding_update(actor=world.operator, finding=finding, data={"severity": "low"})


def test_the_responsible_person_may_report_done(world):
    finding = make_finding(world, owner_person=world.persons["teacher_a"])
    assert selectors.task_list(user=world.teacher_a).filter(pk=finding.task.pk).exists()
    services.task_report_done(actor=world.teacher_a, task=finding.task, note="已处理")


def test_overdue_and_serious_findings_are_computed_in_sql(world):
    inspection = make_round(world, days_ago=20)
    late = make_finding(world, inspection, severity="high", found_on=TODAY() - D(days=20))
    fine = make_finding(world, inspection, severity="low", found_on=TODAY() - D(days=20))
    reported = make_finding(world, inspection, severity="critical", found_on=TODAY() - D(days=20))
    services.task_report_done(actor=world.college_a_admin, task=reported.task, note="done")
    overdue = selectors.task_list(user=world.operator).filter(is_overdue=True)
    assert set(overdue.values_list("finding_id", flat=True)) == {late.pk}
    assert not fine.task.deadline < TODAY()
    serious = selectors.serious_findings(user=world.users["committee"], park=world.park)
    assert set(serious.values_list("pk", flat=True)) == {late.pk, reported.pk}
    assert not selectors.serious_findings(user=world.hr_e1).exists()


# --- fire equipment ---------------------------------------------------------------------------------------------


def test_equipment_dates_default_from_the_kind_and_bad_dates_are_refused(world):
    item = make_equipment(world, last_checked_on=TODAY() - D(days=10))
    assert item.check_interval_days == 30 and item.next_check_due == TODAY() + D(days=20)
    alarm = make_equipment(world, "BJ-1", kind="alarm", installed_on=TODAY() - D(days=5))
    assert alarm.next_check_due == TODAY() + D(days=85)
    cases = [
        ({"last_checked_on": TODAY() - D(days=5), "next_check_due": TODAY() - D(days=6)}, "next_check_due"),
        ({"installed_on": TODAY() - D(days=5), "last_checked_on": TODAY() - D(days=6)}, "last_checked_on"),
        ({"installed_on": TODAY() - D(days=5), "expiry_date": TODAY() - D(days=6)}, "expiry_date"),
        ({"last_checked_on": TODAY() + D(days=1)}, "last_checked_on"),
    ]
    for n, (fields, name) in enumerate(cases):
        with pytest.raises(ValidationError) as exc:
            make_equipment(world, f"BAD-{n}", **fields)
        assert name in exc.value.message_dict, fields
    with pytest.raises(ValidationError) as exc:
        make_equipment(world, "MHQ-001")
    assert "Another item of the park has this code." in _messages(exc.value)
    make_equipment(world, "MHQ-001", park=world.other_park)  # codes are unique per park only


def test_checks_move_the_dates_and_failures_take_items_out_of_service(world):
    item = make_equipment(world, installed_on=TODAY() - D(days=100), last_checked_on=TODAY() - D(days=40))
    with pytest.raises(ValidationError) as exc:
        services.equipment_check(actor=world.operator, equipment=item, result="pass", checked_on=TODAY() - D(days=41))
    assert "checked_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.equipment_check(
            actor=world.operator, equipment=item, result="pass", next_check_due=TODAY() - D(days=1)
        )
    assert "next_check_due" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.equipment_check(actor=world.users["committee"], equipment=item, result="pass")
    services.equipment_check(actor=world.operator, equipment=item, result="fail", note="压力不足")
    item.refresh_from_db()
    assert item.status == "out_of_service" and item.last_checked_on == TODAY()
    assert item.next_check_due == TODAY() + D(days=30)
    services.equipment_check(actor=world.operator, equipment=item, result="pass", next_check_due=TODAY() + D(days=7))
    item.refresh_from_db()
    assert item.status == "in_service" and item.next_check_due == TODAY() + D(days=7)
    assert EquipmentCheck.objects.filter(equipment=item).count() == 2
    with pytest.raises(ValidationError, match="retire it instead"):
        services.equipment_delete(actor=world.operator, equipment=item)
    services.equipment_update(actor=world.operator, equipment=item, data={"status": "retired"})
    with pytest.raises(ValidationError, match="retired"):
        services.equipment_check(actor=world.operator, equipment=item, result="pass")


def test_due_overdue_expired_lists_and_dashboard_figures(world):
    make_equipment(world, "DUE", last_checked_on=TODAY() - D(days=20))  # due in 10 days
    make_equipment(world, "LATE", last_checked_on=TODAY() - D(days=40))  # 10 days overdue
    make_equipment(
        world,
        "OLD",
        kind="alarm",
        installed_on=TODAY() - D(days=4000),
        last_checked_on=TODAY() - D(days=1),
        expiry_date=TODAY() - D(days=1),
    )
    make_equipment(world, "FINE", kind="alarm", last_checked_on=TODAY() - D(days=1))
    gone = make_equipment(world, "GONE", last_checked_on=TODAY() - D(days=60))
    services.equipment_update(actor=world.operator, equipment=gone, data={"status": "retired"})
    rows = selectors.equipment_list(user=world.operator)
    assert set(rows.filter(is_due=True).values_list("code", flat=True)) == {"DUE"}
    assert set(rows.filter(is_overdue=True).values_list("code", flat=True)) == {"LATE"}
    assert set(rows.filter(is_expired=True).values_list("code", flat=True)) == {"OLD"}

    inspection = make_round(world, days_ago=15)
    make_finding(world, inspection, severity="high", found_on=TODAY() - D(days=15))
    make_finding(world, inspection, severity="low")
    make_round(world, inspection.template, place="今天的检查")
    make_round(world, inspection.template, place="明天的检查", days_ago=-1)

    figures = selectors.dashboard_figures(world.operator, world.park)
    assert figures["open_findings"] == 2
    assert figures["open_findings_by_severity"] == {"low": 1, "medium": 0, "high": 1, "critical": 0}
    assert figures["overdue_rectifications"] == 1
    assert (figures["equipment_due"], figures["equipment_overdue"], figures["equipment_expired"]) == (1, 1, 1)
    assert figures["rounds_due"] == 2
    assert figures["links"]["equipment_overdue"].startswith("/fire-equipment/?overdue=true")
    assert set(figures["links"]) >= {
        "open_findings",
        "open_findings_by_severity",
        "overdue_rectifications",
        "equipment_due",
        "equipment_overdue",
        "equipment_expired",
        "rounds_due",
    }
    from iepark.core.policy import actor_for

    assert selectors.dashboard_figures(actor_for(world.users["committee"]), world.park)["open_findings"] == 2
    nothing = selectors.dashboard_figures(world.hr_e1, world.park)
    assert nothing["open_findings"] == 0 and nothing["equipment_due"] == 0 and nothing["rounds_due"] == 0
    assert selectors.dashboard_figures(world.other_admin, world.park)["equipment_overdue"] == 0


def test_dashboard_links_apply_their_filters(world, browser_client):
    make_equipment(world, "LATE", last_checked_on=TODAY() - D(days=40))
    make_equipment(world, "FINE", last_checked_on=TODAY() - D(days=1))
    links = selectors.dashboard_figures(world.operator, world.park)["links"]
    page = browser_client(world.operator).get(links["equipment_overdue"]).content.decode()
    assert "LATE" in page and "FINE" not in page


def test_equipment_register_is_invisible_to_others(world):
    make_equipment(world)
    for name in ("hr_e1", "college_a_admin", "student_a", "other_admin", "outsider"):
        assert not selectors.equipment_list(user=world.users[name]).exists(), name
    assert FireEquipment.objects.count() == 1


def test_owners_and_inspectors_hear_of_the_rectification_steps(world):
    from iepark.careers.models import Notification

    def texts(name):
        return [n.text for n in Notification.objects.filter(recipient=world.users[name])]

    finding = make_finding(world, severity="high", description="灭火器压力不足")
    task = finding.task
    assert any("灭火器压力不足" in t and "rectify" in t for t in texts("college_a_admin"))
    assert texts("college_b_admin") == []
    services.task_report_done(actor=world.college_a_admin, task=task, note="已更换灭火器")
    assert any("re-inspect" in t for t in texts("operator"))
    services.task_reinspect(
        actor=world.operator, task=task, passed=False, note="仍有杂物", new_deadline=TODAY() + D(days=3)
    )
    assert any("failed" in t for t in texts("college_a_admin"))
