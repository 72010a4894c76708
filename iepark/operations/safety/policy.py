"""
Access rules of security and fire safety, registered in the one policy (``iepark.core.policy``).

- The operating company's staff and the park administrators of the park ("keepers") run everything:
  templates, schedules, rounds, findings, rectification tasks, re-inspections and the fire equipment register.
- Committee officers of the park read everything (oversight), and change nothing.
- The owner organisation of a rectification task (its administrators: a college's administrators, an
  enterprise's HR, the committee's officers) and the task's responsible person see the task and its finding,
  and report the task done. They see no rounds, templates or equipment.
- Nobody else sees anything.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from iepark.core.attachments import register_attachable
from iepark.core.choices import Role
from iepark.core.policy import NOTHING, Action, Actor, _in_orgs, _in_parks, actor_for, add_rule, rule

from .models import (
    ChecklistItem,
    EquipmentCheck,
    Finding,
    FireEquipment,
    InspectionRound,
    InspectionSchedule,
    InspectionTemplate,
    RectificationTask,
    ReInspection,
    RoundAnswer,
)

SAFETY_KEEPER_ROLES = frozenset({Role.PARK_ADMIN, Role.OPERATOR_STAFF})
SAFETY_READER_ROLES = frozenset({Role.COMMITTEE_OFFICER})
# The roles that act for an owner organisation of a rectification task.
OWNER_ROLES = frozenset({Role.COLLEGE_ADMIN, Role.ENTERPRISE_HR, Role.COMMITTEE_OFFICER})


def owner_candidates_q(actor: Actor) -> Q:
    """
    The organisations that may be named owner of a rectification: those of the parks the actor keeps.

    Operator staff cannot see other organisations in general (the core rule); naming the college or
    enterprise that must rectify a finding is part of running inspections, so the choice is wider here.
    """
    return _in_parks(actor, SAFETY_KEEPER_ROLES, "park")


def keeps_safety(actor: Actor, park_id: int | None = None) -> bool:
    """Return whether ``actor`` runs the inspections and equipment of ``park_id`` (of any park when None)."""
    if actor.is_superuser:
        return True
    parks = actor.parks(SAFETY_KEEPER_ROLES)
    return bool(parks) if park_id is None else park_id in parks


def sees_safety(actor: Actor) -> bool:
    """Return whether ``actor`` sees the inspection pages (keepers and committee officers)."""
    return actor.is_superuser or bool(actor.parks(SAFETY_KEEPER_ROLES | SAFETY_READER_ROLES))


def has_owner_role(actor: Actor) -> bool:
    """Return whether ``actor`` may hold rectification tasks (to show the menu item)."""
    return actor.is_superuser or bool(actor.orgs(OWNER_ROLES)) or sees_safety(actor) or bool(actor.person_id)


def _park_q(actor: Actor, action: Action, lookup: str) -> Q:
    q = _in_parks(actor, SAFETY_KEEPER_ROLES, lookup)
    if action == Action.VIEW:
        q |= _in_parks(actor, SAFETY_READER_ROLES, lookup)
    return q


def owner_task_q(actor: Actor, prefix: str = "") -> Q:
    """The rectification tasks (under ``prefix``) the actor holds as owner: their organisation's or their own."""
    q = _in_orgs(actor, OWNER_ROLES, f"{prefix}owner")
    if actor.person_id:
        own = Q(**{f"{prefix}owner_person": actor.person_id})
        q = own if q is NOTHING else q | own
    return q


@rule(InspectionTemplate)
def template_scope(actor: Actor, action: Action) -> Q:
    return _park_q(actor, action, "park")


@add_rule(InspectionTemplate)
def template_add(actor: Actor, instance: InspectionTemplate | None) -> bool:
    return keeps_safety(actor, None if instance is None else instance.park_id)


@rule(ChecklistItem)
def checklist_item_scope(actor: Actor, action: Action) -> Q:
    return _park_q(actor, action, "template__park")


@add_rule(ChecklistItem)
def checklist_item_add(actor: Actor, instance: ChecklistItem | None) -> bool:
    return keeps_safety(actor, None if instance is None else instance.template.park_id)


@rule(InspectionSchedule)
def schedule_scope(actor: Actor, action: Action) -> Q:
    return _park_q(actor, action, "template__park")


@add_rule(InspectionSchedule)
def schedule_add(actor: Actor, instance: InspectionSchedule | None) -> bool:
    return keeps_safety(actor, None if instance is None else instance.template.park_id)


@rule(InspectionRound)
def round_scope(actor: Actor, action: Action) -> Q:
    return _park_q(actor, action, "template__park")


@add_rule(InspectionRound)
def round_add(actor: Actor, instance: InspectionRound | None) -> bool:
    return keeps_safety(actor, None if instance is None else instance.template.park_id)


@rule(RoundAnswer)
def answer_scope(actor: Actor, action: Action) -> Q:
    return _park_q(actor, action, "round__template__park")


@add_rule(RoundAnswer)
def answer_add(actor: Actor, instance: RoundAnswer | None) -> bool:
    return keeps_safety(actor, None if instance is None else instance.round.template.park_id)


@rule(Finding)
def finding_scope(actor: Actor, action: Action) -> Q:
    q = _park_q(actor, action, "round__template__park")
    if action == Action.VIEW:
        own = owner_task_q(actor, "task__")
        if own is not NOTHING:
            q = own if q is NOTHING else q | own
    return q


@add_rule(Finding)
def finding_add(actor: Actor, instance: Finding | None) -> bool:
    return keeps_safety(actor, None if instance is None else instance.round.template.park_id)


@rule(RectificationTask)
def task_scope(actor: Actor, action: Action) -> Q:
    q = _park_q(actor, action, "finding__round__template__park")
    if action == Action.VIEW:
        own = owner_task_q(actor)
        if own is not NOTHING:
            q = own if q is NOTHING else q | own
    return q


@add_rule(RectificationTask)
def task_add(actor: Actor, instance: RectificationTask | None) -> bool:
    return keeps_safety(actor, None if instance is None else instance.finding.round.template.park_id)


def may_report_done(user: Any, task: RectificationTask) -> bool:
    """Return whether ``user`` may report ``task`` done: its keepers, its owner's administrators, its person."""
    actor = actor_for(user)
    if not actor.is_authenticated:
        return False
    if keeps_safety(actor, task.owner.park_id):
        return True
    return (
        RectificationTask.objects.filter(pk=task.pk).filter(owner_task_q(actor)).exists()
        if (owner_task_q(actor) is not NOTHING)
        else False
    )


@rule(ReInspection)
def reinspection_scope(actor: Actor, action: Action) -> Q:
    q = _park_q(actor, action, "task__finding__round__template__park")
    if action == Action.VIEW:
        own = owner_task_q(actor, "task__")
        if own is not NOTHING:
            q = own if q is NOTHING else q | own
    return q


@add_rule(ReInspection)
def reinspection_add(actor: Actor, instance: ReInspection | None) -> bool:
    return keeps_safety(actor, None if instance is None else instance.task.owner.park_id)


@rule(FireEquipment)
def equipment_scope(actor: Actor, action: Action) -> Q:
    return _park_q(actor, action, "park")


@add_rule(FireEquipment)
def equipment_add(actor: Actor, instance: FireEquipment | None) -> bool:
    return keeps_safety(actor, None if instance is None else instance.park_id)


@rule(EquipmentCheck)
def equipment_check_scope(actor: Actor, action: Action) -> Q:
    return _park_q(actor, action, "equipment__park")


@add_rule(EquipmentCheck)
def equipment_check_add(actor: Actor, instance: EquipmentCheck | None) -> bool:
    return keeps_safety(actor, None if instance is None else instance.equipment.park_id)


# Photos of findings: whoever sees the finding sees them; its keepers add and delete them.
register_attachable(Finding)
