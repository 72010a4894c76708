"""
Writes of park operations. Every write checks the policy, validates, saves and
records its audit event in one transaction; nothing else saves these models.

Sections: service points (their opening hours and notices).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from iepark.core import policy
from iepark.core.audit import audited_create, audited_delete, audited_update
from iepark.core.models import Park
from iepark.core.policy import Action

from . import hours
from .choices import Weekday
from .models import OpeningPeriod, ServiceNotice, ServicePoint

SERVICE_POINT_FIELDS = [
    "kind",
    "name",
    "name_en",
    "place",
    "place_en",
    "hours_note",
    "hours_note_en",
    "phone",
    "operator",
    "is_active",
]
SERVICE_NOTICE_FIELDS = ["title", "title_en", "body", "body_en", "valid_from", "valid_to", "closes_point"]

PeriodInput = hours.Period | Mapping[str, Any]


def _only(data: Mapping[str, Any], names: list[str]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in data.items() if k in names}


# --- opening hours ---------------------------------------------------------------------------------


def _time(value: Any, name: str) -> datetime.time:
    if isinstance(value, datetime.time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(value, str):
        try:
            return datetime.time.fromisoformat(value.strip()).replace(second=0, microsecond=0)
        except ValueError:
            pass
    raise ValidationError(
        {"periods": _("Give the %(name)s time of each period as HH:MM.") % {"name": name}}, code="bad_time"
    )


def clean_periods(periods: Iterable[PeriodInput]) -> list[hours.Period]:
    """Return ``periods`` as sorted ``hours.Period`` rows; refuse bad weekdays or times and overlaps."""
    labels = {"opens": _("opening"), "closes": _("closing")}
    result = set()
    for row in periods:
        if isinstance(row, hours.Period):
            weekday, opens, closes = row.weekday, row.opens, row.closes
        else:
            weekday, opens, closes = row.get("weekday"), row.get("opens"), row.get("closes")
        if weekday not in Weekday.values:
            raise ValidationError({"periods": _("Each period needs a weekday.")}, code="bad_weekday")
        result.add(hours.Period(int(weekday), _time(opens, labels["opens"]), _time(closes, labels["closes"])))
    clashes = hours.overlapping(result)
    if clashes:
        first, second = clashes[0]
        raise ValidationError(
            {
                "periods": _("Opening periods overlap: %(first)s and %(second)s.")
                % {"first": _period_label(first), "second": _period_label(second)}
            },
            code="overlap",
        )
    return sorted(result)


def _period_label(period: hours.Period) -> str:
    return f"{Weekday(period.weekday).label} {period.opens:%H:%M}–{period.closes:%H:%M}"


def _write_periods(*, actor: Any, service_point: ServicePoint, periods: list[hours.Period]) -> None:
    """Replace the point's periods with ``periods``: only the removed and added rows are written."""
    existing = {p.as_period(): p for p in service_point.periods.all()}
    wanted = set(periods)
    for period, row in existing.items():
        if period not in wanted:
            audited_delete(actor=actor, instance=row)
    for period in sorted(wanted - set(existing)):
        audited_create(
            actor=actor,
            instance=OpeningPeriod(
                service_point=service_point, weekday=period.weekday, opens=period.opens, closes=period.closes
            ),
        )


def service_point_set_hours(*, actor: Any, service_point: ServicePoint, periods: Iterable[PeriodInput]) -> ServicePoint:
    """Set the weekly opening periods of ``service_point`` (all of them: missing ones are removed)."""
    policy.require(actor, Action.CHANGE, service_point)
    cleaned = clean_periods(periods)
    with transaction.atomic():
        _write_periods(actor=actor, service_point=service_point, periods=cleaned)
    return service_point


# --- service points --------------------------------------------------------------------------------


def service_point_create(
    *, actor: Any, park: Park, periods: Iterable[PeriodInput] | None = None, **fields: Any
) -> ServicePoint:
    """Add a service point to ``park``, with its weekly opening periods."""
    point = ServicePoint(park=park, **_only(fields, SERVICE_POINT_FIELDS))
    if not policy.can_add(actor, point):
        raise PermissionDenied
    cleaned = clean_periods(periods or [])
    with transaction.atomic():
        audited_create(actor=actor, instance=point)
        _write_periods(actor=actor, service_point=point, periods=cleaned)
    return point


def service_point_update(
    *, actor: Any, service_point: ServicePoint, data: Mapping[str, Any], periods: Iterable[PeriodInput] | None = None
) -> ServicePoint:
    """Change a service point (it stays in its park); ``periods``, when given, replace its opening periods."""
    policy.require(actor, Action.CHANGE, service_point)
    cleaned = clean_periods(periods) if periods is not None else None
    with transaction.atomic():
        audited_update(actor=actor, instance=service_point, data=_only(data, SERVICE_POINT_FIELDS))
        if cleaned is not None:
            _write_periods(actor=actor, service_point=service_point, periods=cleaned)
    return service_point


def service_point_delete(*, actor: Any, service_point: ServicePoint) -> None:
    """Delete a service point with its periods and notices (each deletion audited)."""
    policy.require(actor, Action.DELETE, service_point)
    with transaction.atomic():
        for notice in service_point.notices.all():
            audited_delete(actor=actor, instance=notice)
        for period in service_point.periods.all():
            audited_delete(actor=actor, instance=period)
        audited_delete(actor=actor, instance=service_point)


# --- notices -----------------------------------------------------------------------------------------


def service_notice_create(*, actor: Any, service_point: ServicePoint, **fields: Any) -> ServiceNotice:
    """Post a notice on ``service_point`` (e.g. "closed for maintenance on Saturday")."""
    notice = ServiceNotice(service_point=service_point, **_only(fields, SERVICE_NOTICE_FIELDS))
    if not policy.can_add(actor, notice):
        raise PermissionDenied
    return audited_create(actor=actor, instance=notice)


def service_notice_update(*, actor: Any, notice: ServiceNotice, data: Mapping[str, Any]) -> ServiceNotice:
    """Change a notice's texts, dates or closing (it stays on its service point)."""
    policy.require(actor, Action.CHANGE, notice)
    return audited_update(actor=actor, instance=notice, data=_only(data, SERVICE_NOTICE_FIELDS))


def service_notice_delete(*, actor: Any, notice: ServiceNotice) -> None:
    policy.require(actor, Action.DELETE, notice)
    audited_delete(actor=actor, instance=notice)
