"""
Access rules of maintenance work orders, registered in the one policy (``iepark.core.policy``).

Work orders: operator staff and park administrators of a park see and run all
orders of their park (the dispatch desk; park administrators are also the
operator's managers, who receive escalations). Anybody else in the park (any
membership, or a student record) reports faults and sees only their own
reports. Nobody deletes an order: it is cancelled.

Service levels: everybody in the park sees them (the report form shows the
expected times); park administrators and operator staff change them.

Maintenance plans: park administrators and operator staff of the park only.
"""

from __future__ import annotations

from django.db.models import Q

from iepark.core.attachments import register_attachable
from iepark.core.choices import Role
from iepark.core.models import Student
from iepark.core.policy import NOTHING, Action, Actor, _in_parks, add_rule, rule

from .models import MaintenancePlan, ServiceLevel, WorkOrder, WorkOrderEvent

# Photos of the fault (and of the fix) hang on the order: seen by whoever sees the order.
register_attachable(WorkOrder)

# Who runs the park's work orders (the dispatch desk and its managers).
DESK_ROLES = frozenset({Role.OPERATOR_STAFF, Role.PARK_ADMIN})
# The operator's managers, who receive escalations.
MANAGER_ROLES = frozenset({Role.PARK_ADMIN})


def runs_orders(actor: Actor, park_id: int | None = None) -> bool:
    """Return whether ``actor`` runs the work orders of ``park_id`` (of any park when None)."""
    if actor.is_superuser:
        return True
    parks = actor.parks(DESK_ROLES)
    return bool(parks) if park_id is None else park_id in parks


def reporting_parks(actor: Actor) -> set[int]:
    """Return the parks where ``actor`` may report faults: any membership, or their student record's park."""
    parks = set(actor.parks())
    if actor.person_id and actor.person_park_id and actor.person_park_id not in parks:
        if Student.objects.filter(person_id=actor.person_id).exists():
            parks.add(actor.person_park_id)
    return parks


def may_report(actor: Actor) -> bool:
    return actor.is_superuser or bool(actor.person_id and reporting_parks(actor))


def _order_q(actor: Actor, action: Action, prefix: str = "") -> Q:
    q = _in_parks(actor, DESK_ROLES, f"{prefix}park")
    if action == Action.VIEW and actor.person_id:
        q |= Q(**{f"{prefix}reporter_id": actor.person_id})
    return q


@rule(WorkOrder)
def work_order_scope(actor: Actor, action: Action) -> Q:
    if action == Action.DELETE:
        return NOTHING
    return _order_q(actor, action)


@add_rule(WorkOrder)
def work_order_add(actor: Actor, instance: WorkOrder | None) -> bool:
    if instance is None:
        return may_report(actor)
    if instance.park_id in actor.parks(DESK_ROLES):
        return True
    return bool(actor.person_id) and instance.park_id in reporting_parks(actor)


@rule(WorkOrderEvent)
def work_order_event_scope(actor: Actor, action: Action) -> Q:
    if action != Action.VIEW:
        return NOTHING  # the timeline is written by the services only
    return _order_q(actor, action, "order__")


@rule(ServiceLevel)
def service_level_scope(actor: Actor, action: Action) -> Q:
    if action == Action.VIEW:
        return _in_parks(actor, Role.values, "park")
    return _in_parks(actor, DESK_ROLES, "park")


@add_rule(ServiceLevel)
def service_level_add(actor: Actor, instance: ServiceLevel | None) -> bool:
    return runs_orders(actor, None if instance is None else instance.park_id)


@rule(MaintenancePlan)
def maintenance_plan_scope(actor: Actor, action: Action) -> Q:
    return _in_parks(actor, DESK_ROLES, "park")


@add_rule(MaintenancePlan)
def maintenance_plan_add(actor: Actor, instance: MaintenancePlan | None) -> bool:
    return runs_orders(actor, None if instance is None else instance.park_id)
