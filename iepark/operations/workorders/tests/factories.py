"""Helpers building work orders through the services (tests of services use services)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from iepark.operations.workorders import services
from iepark.operations.workorders.models import WorkOrder


def report(world, who: str = "student_a", **fields: Any) -> WorkOrder:
    data = {
        "park": world.park,
        "place_kind": "public_area",
        "location": "Teaching building 2, 3rd floor corridor",
        "category": "electrical",
        "title": "Light flickering",
        "urgency": "normal",
    }
    data.update(fields)
    return services.work_order_report(actor=world.users[who], **data)


def backdate(order: WorkOrder, hours: float) -> WorkOrder:
    """Move the order's report and deadlines ``hours`` into the past (a row written directly: a fixture)."""
    delta = datetime.timedelta(hours=hours)
    WorkOrder.objects.filter(pk=order.pk).update(
        reported_at=order.reported_at - delta,
        response_due=order.response_due - delta,
        resolution_due=order.resolution_due - delta,
    )
    order.refresh_from_db()
    return order


def operator_person(world):
    return world.persons["operator"]


def now() -> datetime.datetime:
    return timezone.now()
