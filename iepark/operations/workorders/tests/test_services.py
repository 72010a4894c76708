"""Services of work orders: reporting, the desk's steps, the reporter's steps, escalation, preventive plans."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from iepark.core.tasks import job_start
from iepark.operations.models import DormBuilding, DormRoom
from iepark.operations.workorders import selectors, services
from iepark.operations.workorders.models import MaintenancePlan, ServiceLevel, WorkOrder, WorkOrderEvent
from iepark.testing import audit_count

from .factories import backdate, operator_person, report

pytestmark = pytest.mark.django_db


def _room(park, number="101"):
    building = DormBuilding.objects.filter(park=park).first() or DormBuilding.objects.create(
        park=park, name=f"楼{park.code}"
    )
    return DormRoom.objects.create(building=building, floor=1, number=number, gender="female", beds_count=4)


def _cycle_to_resolved(world, order):
    services.work_order_assign(actor=world.operator, order=order, assignee=operator_person(world))
    services.work_order_start(actor=world.operator, order=order)
    return services.work_order_resolve(actor=world.operator, order=order, note="Replaced the starter.")


def test_report_gets_a_reference_deadlines_a_timeline_and_audit(world):
    order = report(world)
    year = timezone.localtime(order.reported_at).year
    assert order.reference == f"WO-{year}-00001" and order.status == "new"
    assert order.reporter == world.persons["student_a"]
    assert order.response_due - order.reported_at == datetime.timedelta(hours=24)
    assert order.resolution_due - order.reported_at == datetime.timedelta(hours=72)
    assert report(world, title="Second").reference == f"WO-{year}-00002"
    assert audit_count(WorkOrder, "create", order.pk) == 1
    event = WorkOrderEvent.objects.get(order=order)
    assert event.kind == "reported" and event.to_status == "new" and event.actor == world.student_a


def test_deadlines_come_from_the_parks_service_level(world):
    services.service_level_set(
        actor=world.operator, park=world.park, urgency="high", response_hours=2, resolution_hours=10
    )
    order = report(world, urgency="high")
    assert order.response_due - order.reported_at == datetime.timedelta(hours=2)
    assert order.resolution_due - order.reported_at == datetime.timedelta(hours=10)
    # Changing the level later does not move the deadlines of orders already reported.
    services.service_level_set(
        actor=world.park_admin, park=world.park, urgency="high", response_hours=5, resolution_hours=9
    )
    order.refresh_from_db()
    assert order.response_due - order.reported_at == datetime.timedelta(hours=2)
    assert ServiceLevel.objects.filter(park=world.park).count() == 1


def test_service_level_refusals(world):
    with pytest.raises(ValidationError) as exc:
        services.service_level_set(
            actor=world.operator, park=world.park, urgency="low", response_hours=10, resolution_hours=5
        )
    assert "resolution_hours" in exc.value.message_dict
    for name in ("student_a", "committee", "other_admin"):
        with pytest.raises(PermissionDenied):
            services.service_level_set(
                actor=world.users[name], park=world.park, urgency="low", response_hours=1, resolution_hours=5
            )
    assert not ServiceLevel.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "other_admin"])
def test_people_outside_the_park_cannot_report(world, who):
    with pytest.raises(PermissionDenied):
        report(world, who=who)
    assert not WorkOrder.objects.exists()


def test_bad_reports_get_clear_errors_and_nothing_is_written(world):
    cases = [
        ({"location": "", "room": None}, "location", "Say where the fault is"),
        ({"category": "magic"}, "category", "Choose a category"),
        ({"urgency": "yesterday"}, "urgency", "Choose an urgency"),
        ({"title": "  "}, "title", "short title"),
        ({"room": _room(world.other_park)}, "room", "same park"),
        ({"place_kind": "gymnasium", "room": _room(world.park, "201")}, "room", "Dormitory"),
        ({"contact_phone": "12"}, "contact_phone", ""),
        ({"reported_at": timezone.now() + datetime.timedelta(days=2)}, "reported_at", "future"),
    ]
    for fields, name, text in cases:
        with pytest.raises(ValidationError) as exc:
            report(world, **fields)
        assert name in exc.value.message_dict, fields
        assert text in " ".join(exc.value.message_dict[name]), fields
    assert not WorkOrder.objects.exists() and not WorkOrderEvent.objects.exists()


def test_the_whole_cycle_with_rating(world):
    order = report(world)
    with pytest.raises(ValidationError) as exc:
        services.work_order_start(actor=world.operator, order=order)
    assert "Assign the order" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.work_order_assign(actor=world.operator, order=order, assignee=world.persons["park_admin"])
    assert "assignee" in exc.value.message_dict
    order = services.work_order_assign(actor=world.operator, order=order, assignee=operator_person(world), note="Today")
    assert order.status == "assigned" and order.assigned_at
    order = services.work_order_start(actor=world.operator, order=order)
    assert order.status == "in_progress" and order.started_at
    with pytest.raises(ValidationError) as exc:
        services.work_order_resolve(actor=world.operator, order=order, note=" ")
    assert "note" in exc.value.message_dict
    order = services.work_order_resolve(actor=world.operator, order=order, note="Replaced the starter.")
    assert order.status == "resolved" and order.resolution_note
    order = services.work_order_confirm(actor=world.student_a, order=order, rating=4, comment="Quick, thanks")
    assert order.status == "confirmed" and order.rating == 4 and order.rated_at
    kinds = list(WorkOrderEvent.objects.filter(order=order).values_list("kind", flat=True))
    assert kinds == ["reported", "assigned", "started", "resolved", "confirmed", "rated"]
    assert order.response_on_time and order.resolution_on_time
    with pytest.raises(ValidationError):
        services.work_order_rate(actor=world.student_a, order=order, rating=5)


def test_reopen_needs_a_reason_and_goes_back_to_the_assignee(world):
    order = _cycle_to_resolved(world, report(world))
    with pytest.raises(ValidationError) as exc:
        services.work_order_reopen(actor=world.student_a, order=order, reason="")
    assert "reason" in exc.value.message_dict
    order = services.work_order_reopen(actor=world.student_a, order=order, reason="Still flickering at night")
    assert order.status == "assigned" and order.reopen_count == 1 and order.resolved_at is None
    order = services.work_order_resolve(actor=world.operator, order=order, note="Replaced the ballast too.")
    order = services.work_order_rate(actor=world.student_a, order=order, rating="5")
    assert order.rating == 5 and order.status == "resolved"


def test_only_the_reporter_confirms_reopens_and_rates(world):
    order = _cycle_to_resolved(world, report(world))
    for who in ("operator", "park_admin"):
        for step in (
            lambda u: services.work_order_confirm(actor=u, order=order),
            lambda u: services.work_order_reopen(actor=u, order=order, reason="x"),
            lambda u: services.work_order_rate(actor=u, order=order, rating=3),
        ):
            with pytest.raises(PermissionDenied):
                step(world.users[who])
    for who in ("student_b", "outsider", "college_a_admin"):
        with pytest.raises(PermissionDenied):
            services.work_order_confirm(actor=world.users[who], order=order)
    for bad in (0, 6, "x", None, 2.5):
        with pytest.raises(ValidationError) as exc:
            services.work_order_rate(actor=world.student_a, order=order, rating=bad)
        assert "rating" in exc.value.message_dict
    order.refresh_from_db()
    assert order.status == "resolved" and order.rating is None


def test_reporters_and_others_cannot_run_the_desk(world):
    order = report(world)
    for who in ("student_a", "student_b", "committee", "other_admin", "college_a_admin"):
        user = world.users[who]
        with pytest.raises(PermissionDenied):
            services.work_order_assign(actor=user, order=order, assignee=operator_person(world))
        with pytest.raises(PermissionDenied):
            services.work_order_update(actor=user, order=order, data={"title": "changed"})
    order.refresh_from_db()
    assert order.status == "new" and order.title == "Light flickering"


def test_reporter_withdraws_only_a_new_report(world):
    first = report(world)
    services.work_order_cancel(actor=world.student_a, order=first, reason="Fixed itself")
    first.refresh_from_db()
    assert first.status == "cancelled"
    second = report(world, title="Door")
    services.work_order_assign(actor=world.operator, order=second, assignee=operator_person(world))
    with pytest.raises(ValidationError) as exc:
        services.work_order_cancel(actor=world.student_a, order=second, reason="never mind")
    assert "before it is assigned" in str(exc.value)
    with pytest.raises(PermissionDenied):
        services.work_order_cancel(actor=world.student_b, order=second, reason="x")
    with pytest.raises(ValidationError):
        services.work_order_cancel(actor=world.operator, order=second, reason="")
    services.work_order_cancel(actor=world.operator, order=second, reason="Duplicate of WO-1")
    with pytest.raises(ValidationError):
        services.work_order_assign(actor=world.operator, order=second, assignee=operator_person(world))


def test_overdue_is_live_and_the_tick_escalates_once_per_level(world):
    order = backdate(report(world), 30)  # response (24 h) missed, resolution (72 h) not yet
    row = selectors.work_order_list(user=world.operator).get(pk=order.pk)
    assert row.overdue and row.response_overdue and not row.resolution_overdue
    assert selectors.dashboard_figures(world.operator, world.park)["overdue"] == 1
    assert services.tick()["escalated"] == 1
    order.refresh_from_db()
    assert order.escalation_level == 1 and order.escalated_at
    assert services.tick()["escalated"] == 0
    backdate(order, 50)
    assert services.escalate_overdue() == 1
    order.refresh_from_db()
    assert order.escalation_level == 2
    assert WorkOrderEvent.objects.filter(order=order, kind="escalated").count() == 2
    assert selectors.dashboard_figures(world.park_admin, world.park)["escalated"] == 1
    # Starting the work ends the response delay but not the resolution one.
    services.work_order_assign(actor=world.operator, order=order, assignee=operator_person(world))
    services.work_order_start(actor=world.operator, order=order)
    row = selectors.work_order_list(user=world.operator).get(pk=order.pk)
    assert not row.response_overdue and row.resolution_overdue


def test_management_command_and_task(world, capsys, django_capture_on_commit_callbacks):
    backdate(report(world), 100)
    call_command("workorders_tick", park="p")
    assert "1 orders escalated" in capsys.readouterr().out
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=world.operator, kind="workorders.tick", park=world.park, params={"park": world.park.pk})
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result == {"escalated": 0, "created": 0}
    with pytest.raises(PermissionDenied):
        services.tick_start(actor=world.student_a, park=world.park)


def test_add_recurrence_keeps_month_ends():
    assert services.add_recurrence(datetime.date(2026, 1, 31), 1, "month") == datetime.date(2026, 2, 28)
    assert services.add_recurrence(datetime.date(2026, 11, 30), 3, "month") == datetime.date(2027, 2, 28)
    assert services.add_recurrence(datetime.date(2026, 1, 1), 2, "week") == datetime.date(2026, 1, 15)
    assert services.add_recurrence(datetime.date(2026, 1, 1), 10, "day") == datetime.date(2026, 1, 11)


def test_preventive_plans_create_orders_on_schedule_idempotently(world):
    today = timezone.localdate()
    plan = services.maintenance_plan_create(
        actor=world.operator,
        park=world.park,
        title="Monthly check of the gym ventilation",
        place_kind="gymnasium",
        location="Gymnasium",
        category="hvac",
        every=1,
        unit="week",
        next_due=today - datetime.timedelta(days=14),
        default_assignee=operator_person(world),
    )
    assert services.generate_preventive() == 3  # 14 days ago, 7 days ago, today
    assert services.generate_preventive() == 0
    orders = WorkOrder.objects.filter(plan=plan).order_by("plan_due_date")
    assert [o.plan_due_date for o in orders] == [today - datetime.timedelta(days=d) for d in (14, 7, 0)]
    assert all(o.source == "preventive" and o.status == "assigned" and o.reporter is None for o in orders)
    plan.refresh_from_db()
    assert plan.next_due == today + datetime.timedelta(days=7)
    # Moving the plan back does not duplicate an order of a date already done.
    services.maintenance_plan_update(actor=world.operator, plan=plan, data={"next_due": today})
    assert services.generate_preventive() == 0
    # The desk confirms preventive orders, which have no reporter.
    order = orders.last()
    services.work_order_resolve(actor=world.operator, order=order, note="Filters cleaned")
    services.work_order_confirm(actor=world.operator, order=order)
    with pytest.raises(PermissionDenied):
        services.work_order_confirm(actor=world.student_a, order=orders.first())


def test_plan_refusals(world):
    base = {
        "title": "Check",
        "place_kind": "public_area",
        "location": "Library",
        "category": "electrical",
        "every": 1,
        "unit": "month",
        "next_due": timezone.localdate(),
    }
    with pytest.raises(PermissionDenied):
        services.maintenance_plan_create(actor=world.student_a, park=world.park, **base)
    with pytest.raises(PermissionDenied):
        services.maintenance_plan_create(actor=world.operator, park=world.other_park, **base)
    for change, name in (
        ({"every": 0}, "every"),
        ({"unit": "year"}, "unit"),
        ({"next_due": timezone.localdate() + datetime.timedelta(days=3000)}, "next_due"),
        ({"default_assignee": world.persons["student_a"]}, "default_assignee"),
        ({"location": ""}, "location"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.maintenance_plan_create(actor=world.operator, park=world.park, **{**base, **change})
        assert name in exc.value.message_dict, change
    assert not MaintenancePlan.objects.exists()


def test_ratings_by_month_and_compliance(world):
    first = _cycle_to_resolved(world, report(world))
    services.work_order_confirm(actor=world.student_a, order=first, rating=5)
    second = _cycle_to_resolved(world, report(world, category="plumbing", title="Leak"))
    services.work_order_rate(actor=world.student_a, order=second, rating=2)
    month = timezone.localdate().replace(day=1)
    assert selectors.ratings_by_month(world.operator, world.park) == [{"month": month, "count": 2, "mean": 3.5}]
    assert selectors.ratings_by_month(world.student_a, world.park.pk)[0]["count"] == 2
    assert selectors.ratings_by_month(world.student_b, world.park) == []
    assert selectors.ratings_by_month(world.operator, world.other_park) == []
    assert selectors.ratings_by_month(world.operator, world.park, since=month + datetime.timedelta(days=40)) == []
    late = backdate(report(world, category="plumbing", title="Tap"), 80)
    figures = selectors.dashboard_figures(world.operator, world.park)
    assert figures["open"] == 1 and figures["overdue"] == 1 and figures["unrated_resolved"] == 0
    assert set(figures["links"]) >= {"open", "overdue", "escalated", "unrated_resolved"}
    plumbing = next(r for r in figures["compliance"] if r["category"] == "plumbing")
    assert (
        plumbing["total"] == 2 and plumbing["resolution_measured"] == 2 and plumbing["resolution_on_time_pct"] == 50.0
    )
    assert plumbing["mean_rating"] == 2.0 and plumbing["median_resolution_hours"] is not None
    assert {r["category"] for r in figures["compliance"]} == {"electrical", "plumbing"}
    assert late.pk
    assert selectors.dashboard_figures(world.student_b, world.park)["open"] == 0


def test_the_reporters_phone_is_masked_in_the_audit_trail(world):
    from iepark.core.models import AuditEvent

    order = report(world, contact_phone="13912345678")
    event = AuditEvent.objects.get(object_type="workorders.workorder", object_id=str(order.pk), action="create")
    assert "13912345678" not in str(event.changes)
    assert event.changes["contact_phone"][1].startswith("139") and "*" in event.changes["contact_phone"][1]
