"""The work orders of the demo park: built through the services, in every state, deterministic."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from iepark.core.demo.builder import DEMO_EXTENSIONS
from iepark.operations.workorders import demo, selectors
from iepark.operations.workorders.models import MaintenancePlan, ServiceLevel, WorkOrder
from iepark.testing import audit_count


def _build(world) -> list[str]:
    said: list[str] = []
    admin = get_user_model().objects.filter(username="demo-admin").first() or get_user_model().objects.create_superuser(
        "demo-admin", password="x"
    )
    demo.build(world.park, actor=admin, seed=7, say=said.append)
    return said


def test_demo_is_registered():
    assert demo.build in DEMO_EXTENSIONS


def test_demo_builds_orders_in_every_state(world):
    said = _build(world)
    orders = WorkOrder.objects.filter(park=world.park)
    statuses = set(orders.values_list("status", flat=True))
    assert {"new", "assigned", "resolved", "confirmed", "cancelled"} <= statuses
    assert orders.filter(source="reported").count() == 40 and said
    assert orders.filter(rating__isnull=False).count() >= 5
    assert orders.filter(escalation_level__gt=0).exists() and orders.filter(reopen_count=1).exists()
    assert orders.filter(source="preventive").exists()
    assert MaintenancePlan.objects.filter(park=world.park).count() == 3
    assert ServiceLevel.objects.filter(park=world.park).count() == 2
    assert audit_count(WorkOrder, "create") == orders.count()
    figures = selectors.dashboard_figures(world.operator, world.park)
    assert figures["overdue"] >= 2 and figures["compliance"]
    assert selectors.ratings_by_month(world.operator, world.park)
    # Once per park: building again adds nothing.
    before = orders.count()
    _build(world)
    assert WorkOrder.objects.filter(park=world.park).count() == before


def test_demo_is_deterministic_for_a_seed(world):
    _build(world)
    first = list(WorkOrder.objects.order_by("number").values_list("title", "status", "urgency", "rating"))
    WorkOrder.objects.all().delete()
    MaintenancePlan.objects.all().delete()
    ServiceLevel.objects.all().delete()
    _build(world)
    second = list(WorkOrder.objects.order_by("number").values_list("title", "status", "urgency", "rating"))
    assert [row[:3] for row in first] == [row[:3] for row in second]
    assert first == second


def test_demo_pages_render(world, browser_client):
    from django.urls import reverse

    _build(world)
    desk = browser_client(world.operator)
    for order in WorkOrder.objects.filter(park=world.park):
        assert desk.get(reverse("workorder_detail", args=[order.pk])).status_code == 200, order.reference
    for name in ("workorder_list", "workorder_compliance", "maintenanceplan_list", "workorder_service_levels"):
        assert desk.get(reverse(name)).status_code == 200, name
    assert desk.get(reverse("workorder_list"), {"overdue": "true", "status": ["new", "assigned"]}).status_code == 200
    reporter = WorkOrder.objects.filter(park=world.park, reporter__user__isnull=False).first()
    if reporter is not None:
        mine = browser_client(reporter.reporter.user).get(reverse("workorder_mine"))
        assert mine.status_code == 200 and reporter.reference in mine.content.decode()
