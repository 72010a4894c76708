"""
Access rules of the operations models, registered in the one policy (``iepark.core.policy``).

Service points: everybody in the park sees them; park administrators and the
operating company's staff (operator staff of the park) add, change and delete
them, their opening hours and notices. The public portal shows active points
and their notices valid today.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from iepark.core.choices import Role
from iepark.core.policy import Action, Actor, _in_parks, add_rule, public_rule, rule

from .models import OpeningPeriod, ServiceNotice, ServicePoint

# Who keeps the park's service points.
SERVICE_KEEPER_ROLES = frozenset({Role.PARK_ADMIN, Role.OPERATOR_STAFF})


def keeps_service_points(actor: Actor, park_id: int | None = None) -> bool:
    """Return whether ``actor`` keeps the service points of ``park_id`` (of any park when None)."""
    parks = actor.parks(SERVICE_KEEPER_ROLES)
    return bool(parks) if park_id is None else park_id in parks


def _service_point_q(actor: Actor, action: Action, prefix: str = "") -> Q:
    if action == Action.VIEW:
        return _in_parks(actor, Role.values, f"{prefix}park")
    return _in_parks(actor, SERVICE_KEEPER_ROLES, f"{prefix}park")


# --- service points -----------------------------------------------------------------------------


@rule(ServicePoint)
def service_point_scope(actor: Actor, action: Action) -> Q:
    return _service_point_q(actor, action)


@add_rule(ServicePoint)
def service_point_add(actor: Actor, instance: ServicePoint | None) -> bool:
    return keeps_service_points(actor, None if instance is None else instance.park_id)


@public_rule(ServicePoint)
def service_point_public() -> Q:
    return Q(is_active=True)


@rule(OpeningPeriod)
def opening_period_scope(actor: Actor, action: Action) -> Q:
    return _service_point_q(actor, action, "service_point__")


@add_rule(OpeningPeriod)
def opening_period_add(actor: Actor, instance: OpeningPeriod | None) -> bool:
    return keeps_service_points(actor, None if instance is None else instance.service_point.park_id)


@public_rule(OpeningPeriod)
def opening_period_public() -> Q:
    return Q(service_point__is_active=True)


@rule(ServiceNotice)
def service_notice_scope(actor: Actor, action: Action) -> Q:
    return _service_point_q(actor, action, "service_point__")


@add_rule(ServiceNotice)
def service_notice_add(actor: Actor, instance: ServiceNotice | None) -> bool:
    return keeps_service_points(actor, None if instance is None else instance.service_point.park_id)


def current_notice_q(today=None, prefix: str = "") -> Q:
    """Return the notices valid on ``today`` (the park's date by default)."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}valid_from__lte": today}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": today})
    )


@public_rule(ServiceNotice)
def service_notice_public() -> Q:
    return Q(service_point__is_active=True) & current_notice_q()
