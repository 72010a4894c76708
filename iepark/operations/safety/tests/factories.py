"""Builders of safety test data (through the services, as the operator of the test park)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from iepark.operations.safety import services
from iepark.operations.safety.models import FireEquipment, InspectionRound, InspectionTemplate

TODAY = timezone.localdate


def superuser() -> Any:
    User = get_user_model()
    return User.objects.filter(username="safety-root").first() or User.objects.create_superuser(
        "safety-root", password="x"
    )


def make_template(world: Any, name: str = "宿舍安全检查", *, park=None, items: int = 3) -> InspectionTemplate:
    park = park or world.park
    actor = world.operator if park == world.park else superuser()
    return services.template_create(
        actor=actor,
        park=park,
        name=name,
        area_kind="dormitory",
        kind="both",
        items=[{"text": f"检查项{i + 1}", "guidance": ""} for i in range(items)],
    )


def make_round(world: Any, template: InspectionTemplate | None = None, *, owner=None, days_ago: int = 0, **extra):
    template = template or make_template(world)
    actor = world.operator if template.park_id == world.park.pk else superuser()
    return services.round_create(
        actor=actor,
        template=template,
        place=extra.pop("place", "1号公寓楼"),
        scheduled_date=TODAY() - datetime.timedelta(days=days_ago),
        owner=owner if owner is not None else (world.college_a if template.park_id == world.park.pk else None),
        **extra,
    )


def make_finding(world: Any, inspection: InspectionRound | None = None, *, severity: str = "high", **extra):
    inspection = inspection or make_round(world)
    actor = world.operator if inspection.template.park_id == world.park.pk else superuser()
    return services.finding_create(
        actor=actor,
        inspection=inspection,
        description=extra.pop("description", "灭火器压力不足"),
        severity=severity,
        **extra,
    )


def make_equipment(world: Any, code: str = "MHQ-001", *, park=None, **extra) -> FireEquipment:
    park = park or world.park
    actor = world.operator if park == world.park else superuser()
    extra.setdefault("kind", "extinguisher")
    extra.setdefault("location", "1号公寓楼一层东")
    return services.equipment_create(actor=actor, park=park, code=code, **extra)
