"""
Access rules of contact meetings and major issues, registered in the one policy (``iepark.core.policy``).

Committee officers and park administrators of a park ("the officers") see and organise every
meeting of the park and see and steer every issue. Otherwise:

- A meeting (with its participants, agenda, minutes, decisions and action items) is seen by its
  participants and by the administrators of the organisations they represent.
- An action item is also seen by its owner and by the administrators of its owner organisation,
  who update its status (``action_item_set_status``).
- A major issue is seen by the staff of the raising organisation and of the affected
  organisations (not their students, teachers or mentors) and by the person who raised it; they
  consult on it (comments, proposals). The raising organisation confirms closure or reopens it.
- Issue deadlines per severity: every member of the park reads them; officers change them.
"""

from __future__ import annotations

from django.db.models import Q

from iepark.core.attachments import register_attachable
from iepark.core.choices import Role
from iepark.core.policy import NOTHING, Action, Actor, _in_orgs, _in_parks, add_rule, rule

from .models import (
    ActionItem,
    AgendaItem,
    Decision,
    Issue,
    IssueEntry,
    Meeting,
    MeetingParticipant,
    SeverityDeadline,
)

# Minutes documents hang on the meeting, attachments of an issue on the issue.
register_attachable(Meeting)
register_attachable(Issue)

# Who organises meetings and steers issues of a park.
OFFICER_ROLES = frozenset({Role.PARK_ADMIN, Role.COMMITTEE_OFFICER})
# Who speaks for an organisation (sees the meetings its people attend, its action items).
ORG_ADMIN_ROLES = frozenset({Role.PARK_ADMIN, Role.COLLEGE_COORDINATOR, Role.COLLEGE_ADMIN, Role.ENTERPRISE_HR})
# The staff of a party who raise issues, see the issues affecting it and consult on them.
PARTY_ROLES = frozenset(
    {
        Role.PARK_ADMIN,
        Role.COMMITTEE_OFFICER,
        Role.COLLEGE_COORDINATOR,
        Role.COLLEGE_ADMIN,
        Role.STUDENT_MANAGER,
        Role.ENTERPRISE_HR,
        Role.OPERATOR_STAFF,
    }
)


def is_officer(actor: Actor, park_id: int | None = None) -> bool:
    """Return whether ``actor`` organises meetings and steers issues of ``park_id`` (of any park when None)."""
    if actor.is_superuser:
        return True
    parks = actor.parks(OFFICER_ROLES)
    return bool(parks) if park_id is None else park_id in parks


def may_raise(actor: Actor) -> bool:
    return actor.is_superuser or bool(actor.orgs(PARTY_ROLES))


def sees_meetings(actor: Actor) -> bool:
    """Menu test: officers, organisation administrators and anybody who may be invited (staff)."""
    return actor.is_superuser or bool(actor.orgs(PARTY_ROLES | ORG_ADMIN_ROLES | {Role.TEACHER}))


def meeting_q(actor: Actor, action: Action) -> Q:
    q = _in_parks(actor, OFFICER_ROLES, "park")
    if action != Action.VIEW:
        return q
    people = MeetingParticipant.objects.none()
    if actor.person_id:
        people = MeetingParticipant.objects.filter(person_id=actor.person_id)
    admin_orgs = actor.orgs(ORG_ADMIN_ROLES)
    if admin_orgs:
        people = people | MeetingParticipant.objects.filter(organisation_id__in=admin_orgs)
    if actor.person_id or admin_orgs:
        q |= Q(pk__in=people.values("meeting_id"))
    return q


def issue_q(actor: Actor, action: Action) -> Q:
    q = _in_parks(actor, OFFICER_ROLES, "park")
    if action != Action.VIEW:
        return q
    orgs = actor.orgs(PARTY_ROLES)
    if orgs:
        q |= Q(raising_organisation_id__in=orgs)
        affected = Issue.affected_organisations.through.objects.filter(organisation_id__in=orgs)
        q |= Q(pk__in=affected.values("issue_id"))
    if actor.person_id:
        q |= Q(raised_by_id=actor.person_id)
    return q


def _within(model_q: Q, model, lookup: str) -> Q:
    if model_q is NOTHING:
        return NOTHING
    return Q(**{f"{lookup}__in": model.objects.filter(model_q).values("pk")})


@rule(Meeting)
def meeting_scope(actor: Actor, action: Action) -> Q:
    return meeting_q(actor, action)


@add_rule(Meeting)
def meeting_add(actor: Actor, instance: Meeting | None) -> bool:
    return is_officer(actor, None if instance is None else instance.park_id)


@rule(MeetingParticipant)
def participant_scope(actor: Actor, action: Action) -> Q:
    return _within(meeting_q(actor, action), Meeting, "meeting")


@rule(AgendaItem)
def agenda_item_scope(actor: Actor, action: Action) -> Q:
    return _within(meeting_q(actor, action), Meeting, "meeting")


@add_rule(AgendaItem)
def agenda_item_add(actor: Actor, instance: AgendaItem | None) -> bool:
    return is_officer(actor, None if instance is None else instance.meeting.park_id)


@rule(Decision)
def decision_scope(actor: Actor, action: Action) -> Q:
    return _within(meeting_q(actor, action), Meeting, "meeting")


@add_rule(Decision)
def decision_add(actor: Actor, instance: Decision | None) -> bool:
    return is_officer(actor, None if instance is None else instance.meeting.park_id)


def action_owner_q(actor: Actor) -> Q:
    """Action items the actor owns, or which their organisation owns (its administrators)."""
    q = _in_orgs(actor, ORG_ADMIN_ROLES, "owner_organisation")
    if actor.person_id:
        q |= Q(owner_person_id=actor.person_id)
    return q


@rule(ActionItem)
def action_item_scope(actor: Actor, action: Action) -> Q:
    q = _within(meeting_q(actor, action), Meeting, "meeting")
    if action == Action.VIEW:
        q |= action_owner_q(actor)
    return q


@add_rule(ActionItem)
def action_item_add(actor: Actor, instance: ActionItem | None) -> bool:
    return is_officer(actor, None if instance is None else instance.meeting.park_id)


@rule(Issue)
def issue_scope(actor: Actor, action: Action) -> Q:
    if action == Action.DELETE:
        return NOTHING  # an issue is closed, never deleted
    return issue_q(actor, action)


@add_rule(Issue)
def issue_add(actor: Actor, instance: Issue | None) -> bool:
    if instance is None:
        return may_raise(actor)
    if instance.raising_organisation_id is None:
        return instance.park_id in actor.parks(PARTY_ROLES)
    return instance.raising_organisation_id in actor.orgs(PARTY_ROLES) or is_officer(actor, instance.park_id)


@rule(IssueEntry)
def issue_entry_scope(actor: Actor, action: Action) -> Q:
    if action != Action.VIEW:
        return NOTHING  # the thread is written by the services only
    return _within(issue_q(actor, action), Issue, "issue")


@rule(SeverityDeadline)
def severity_deadline_scope(actor: Actor, action: Action) -> Q:
    if action == Action.VIEW:
        return _in_parks(actor, Role.values, "park")
    return _in_parks(actor, OFFICER_ROLES, "park")


@add_rule(SeverityDeadline)
def severity_deadline_add(actor: Actor, instance: SeverityDeadline | None) -> bool:
    return is_officer(actor, None if instance is None else instance.park_id)
