"""Who hears of a work order's steps: the assignee, the reporter, the park administrators, never the actor."""

from __future__ import annotations

from iepark.careers.models import Notification
from iepark.operations.workorders import services

from .factories import backdate, operator_person, report


def _texts(user) -> list[str]:
    return [n.text for n in Notification.objects.filter(recipient=user)]


def test_assignee_reporter_and_managers_are_told(world):
    order = report(world, title="Light flickering")
    operator, student, admin = world.users["operator"], world.users["student_a"], world.users["park_admin"]
    services.work_order_assign(actor=admin, order=order, assignee=operator_person(world))
    [assigned] = _texts(operator)
    assert order.reference in assigned and "assigned to you" in assigned

    services.work_order_start(actor=operator, order=order)
    services.work_order_resolve(actor=operator, order=order, note="New starter fitted")
    assert any("is resolved" in text for text in _texts(student))

    late = backdate(report(world, title="Blocked drain", category="plumbing"), 30)
    services.escalate_overdue()
    assert any(late.reference in text and "escalated to you" in text for text in _texts(admin))


def test_nobody_is_told_of_their_own_step(world):
    order = report(world)
    services.work_order_assign(actor=world.operator, order=order, assignee=operator_person(world))
    assert _texts(world.users["operator"]) == []


def test_urgent_report_alerts_the_operator_staff_only(world):
    report(world, urgency="critical", title="Gas smell")
    assert any("Gas smell" in text for text in _texts(world.users["operator"]))
    assert _texts(world.users["park_admin"]) == []
    report(world, urgency="low", title="Squeaky door")
    assert not any("Squeaky door" in text for text in _texts(world.users["operator"]))
