"""
Access rules of governance, registered in the one policy (``iepark.core.policy``).

The committee's officers (and the park administrators who work for the
committee) keep the policy documents and programmes and run, review, approve
and pay assessments. Everybody in the park sees the policy documents and the
programmes with their rules (they explain what is paid); the public portal
shows the public policy documents. A run's header and totals are the
committee's; a college's administrators and an enterprise's HR see the lines
paid to their organisation (and a graduate the lines paid to them), once the
run is computed, and object to them; they see their own objections, the
committee all of the park's.
"""

from __future__ import annotations

from django.db.models import Q

from iepark.core.attachments import register_attachable
from iepark.core.choices import OrganisationKind, Role
from iepark.core.policy import NOTHING, Action, Actor, _in_orgs, _in_parks, add_rule, public_rule, rule

from .choices import VISIBLE_RUN_STATUSES, ObjectionStatus, PolicyVisibility
from .models import (
    AssessmentLine,
    AssessmentRun,
    Objection,
    PolicyDocument,
    ProgrammeVersion,
    SubsidyProgramme,
    SubsidyRule,
)

# The parties who see and object to the lines paid to their organisation.
PAYEE_ROLES = frozenset({Role.COLLEGE_ADMIN, Role.ENTERPRISE_HR})


def committee_parks(actor: Actor) -> set[int]:
    """Return the parks where ``actor`` acts for the committee (officer, or park administrator of the committee)."""
    return {
        g.park_id
        for g in actor.grants
        if g.role == Role.COMMITTEE_OFFICER
        or (g.role == Role.PARK_ADMIN and g.organisation_kind == OrganisationKind.COMMITTEE)
    }


def acts_for_committee(actor: Actor, park_id: int | None = None) -> bool:
    """Return whether ``actor`` acts for the committee of ``park_id`` (of any park when None)."""
    if actor.is_superuser:
        return True
    parks = committee_parks(actor)
    return bool(parks) if park_id is None else park_id in parks


def _committee(actor: Actor, lookup: str) -> Q:
    parks = committee_parks(actor)
    return Q(**{f"{lookup}__in": parks}) if parks else NOTHING


def sees_assessment_lines(actor: Actor) -> bool:
    """Return whether ``actor`` may have assessment lines to see (menu)."""
    return actor.is_superuser or bool(committee_parks(actor) or actor.orgs(PAYEE_ROLES) or actor.person_id)


# --- policy documents ------------------------------------------------------------------------------


@rule(PolicyDocument)
def policy_document_scope(actor: Actor, action: Action) -> Q:
    if action == Action.VIEW:
        return _in_parks(actor, Role.values, "park")
    return _committee(actor, "park")


@add_rule(PolicyDocument)
def policy_document_add(actor: Actor, instance: PolicyDocument | None) -> bool:
    return acts_for_committee(actor, None if instance is None else instance.park_id)


@public_rule(PolicyDocument)
def policy_document_public() -> Q:
    return Q(visibility=PolicyVisibility.PUBLIC)


# --- programmes, versions, rules ---------------------------------------------------------------------


def _programme_q(actor: Actor, action: Action, park_lookup: str) -> Q:
    if action == Action.VIEW:
        return _in_parks(actor, Role.values, park_lookup)
    return _committee(actor, park_lookup)


@rule(SubsidyProgramme)
def programme_scope(actor: Actor, action: Action) -> Q:
    return _programme_q(actor, action, "park")


@add_rule(SubsidyProgramme)
def programme_add(actor: Actor, instance: SubsidyProgramme | None) -> bool:
    return acts_for_committee(actor, None if instance is None else instance.park_id)


@rule(ProgrammeVersion)
def version_scope(actor: Actor, action: Action) -> Q:
    return _programme_q(actor, action, "programme__park")


@add_rule(ProgrammeVersion)
def version_add(actor: Actor, instance: ProgrammeVersion | None) -> bool:
    return acts_for_committee(actor, None if instance is None else instance.programme.park_id)


@rule(SubsidyRule)
def subsidy_rule_scope(actor: Actor, action: Action) -> Q:
    return _programme_q(actor, action, "version__programme__park")


@add_rule(SubsidyRule)
def subsidy_rule_add(actor: Actor, instance: SubsidyRule | None) -> bool:
    return acts_for_committee(actor, None if instance is None else instance.version.programme.park_id)


# --- runs, lines, objections ---------------------------------------------------------------------


@rule(AssessmentRun)
def assessment_run_scope(actor: Actor, action: Action) -> Q:
    return _committee(actor, "park")


@add_rule(AssessmentRun)
def assessment_run_add(actor: Actor, instance: AssessmentRun | None) -> bool:
    return acts_for_committee(actor, None if instance is None else instance.park_id)


def own_lines_q(actor: Actor, prefix: str = "") -> Q:
    """The lines paid to the actor's organisations (as their college administrator or HR) or to the actor."""
    q = _in_orgs(actor, PAYEE_ROLES, f"{prefix}payee_organisation")
    if actor.person_id:
        q |= Q(**{f"{prefix}payee_person_id": actor.person_id})
    if q is NOTHING:
        return NOTHING
    return q & Q(**{f"{prefix}run__status__in": list(VISIBLE_RUN_STATUSES)})


@rule(AssessmentLine)
def assessment_line_scope(actor: Actor, action: Action) -> Q:
    if action != Action.VIEW:
        return NOTHING  # lines change only through runs and corrections
    return _committee(actor, "run__park") | own_lines_q(actor)


@rule(Objection)
def objection_scope(actor: Actor, action: Action) -> Q:
    committee = _committee(actor, "line__run__park")
    if action == Action.VIEW:
        return committee | own_lines_q(actor, "line__")
    if action == Action.CHANGE:
        # The committee decides; the raising party may withdraw (edit) its objection while it is open.
        own = own_lines_q(actor, "line__")
        return committee | (own & Q(status=ObjectionStatus.OPEN) if own is not NOTHING else NOTHING)
    return NOTHING


@add_rule(Objection)
def objection_add(actor: Actor, instance: Objection | None) -> bool:
    if instance is None:
        return bool(actor.orgs(PAYEE_ROLES) or actor.person_id)
    return AssessmentLine.objects.filter(pk=instance.line_id).filter(own_lines_q(actor)).exists()


# Policy documents carry their files (PDF); objections carry the payee's evidence.
register_attachable(PolicyDocument)
register_attachable(Objection)
