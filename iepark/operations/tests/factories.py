"""Test data of park operations, written directly (fixtures bypass services; service tests use services)."""

from __future__ import annotations

import datetime
from typing import Any

from iepark.operations.choices import ServicePointKind
from iepark.operations.models import OpeningPeriod, ServiceNotice, ServicePoint

# A Monday and the days after it (2025-03-03 is a Monday).
MONDAY = datetime.date(2025, 3, 3)


def t(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def at(day: datetime.date, time: str) -> datetime.datetime:
    """Return a naive park-local moment (``hours.local`` takes naive as Beijing time)."""
    return datetime.datetime.combine(day, t(time))


def make_point(park, name: str = "第一食堂", *, periods=(), **fields: Any) -> ServicePoint:
    fields.setdefault("kind", ServicePointKind.CANTEEN)
    point = ServicePoint(park=park, name=name, **fields)
    point.full_clean()
    point.save()
    for weekday, opens, closes in periods:
        OpeningPeriod.objects.create(service_point=point, weekday=weekday, opens=t(opens), closes=t(closes))
    return point


def make_notice(point: ServicePoint, *, valid_from: datetime.date, valid_to=None, **fields: Any) -> ServiceNotice:
    fields.setdefault("title", "通知")
    return ServiceNotice.objects.create(service_point=point, valid_from=valid_from, valid_to=valid_to, **fields)
