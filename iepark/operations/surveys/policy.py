"""
Access rules of satisfaction surveys, registered in the one policy (``iepark.core.policy``).

- The owner organisation's staff build its surveys and see their results: operator
  staff for the operating company's surveys, college administrators and student
  managers for their college's surveys.
- Park administrators see every survey of their park and its results (read-only).
- A person sees the surveys they are invited to once they are open (to answer them),
  and their own invitations; never the results.
- Responses and answers are read only by those who see results; they carry no link
  to a person, and the results never show one for an anonymous survey.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from iepark.core.choices import Role
from iepark.core.policy import NOTHING, Action, Actor, _in_orgs, _in_parks, actor_for, add_rule, rule

from .choices import SurveyStatus
from .models import Answer, Invitation, Question, Response, Survey

# Roles that build and read the surveys of the organisation they work for.
SURVEY_OWNER_ROLES = frozenset({Role.OPERATOR_STAFF, Role.COLLEGE_ADMIN, Role.STUDENT_MANAGER})
# Roles that read (and see the results of) every survey of their park: the committee oversees service levels.
SURVEY_PARK_READER_ROLES = frozenset({Role.PARK_ADMIN, Role.COMMITTEE_OFFICER})


def as_actor(user_or_actor: Any) -> Actor:
    """Return the ``Actor`` of a user (an ``Actor`` is returned as it is)."""
    return user_or_actor if isinstance(user_or_actor, Actor) else actor_for(user_or_actor)


def as_user(user_or_actor: Any) -> Any:
    return user_or_actor.user if isinstance(user_or_actor, Actor) else user_or_actor


def _results_q(actor: Actor, prefix: str = "") -> Q:
    """Surveys (under ``prefix``) whose results the actor sees: their organisation's, or their park's."""
    return _in_orgs(actor, SURVEY_OWNER_ROLES, f"{prefix}owner") | _in_parks(
        actor, SURVEY_PARK_READER_ROLES, f"{prefix}park"
    )


def _owner_q(actor: Actor, prefix: str = "") -> Q:
    return _in_orgs(actor, SURVEY_OWNER_ROLES, f"{prefix}owner")


def _invited_q(actor: Actor, prefix: str = "") -> Q:
    if not actor.person_id:
        return NOTHING
    invited = Invitation.objects.filter(person_id=actor.person_id).values("survey_id")
    return Q(**{f"{prefix}pk__in": invited}) & ~Q(**{f"{prefix}status": SurveyStatus.DRAFT})


def sees_results(user: Any, survey: Survey) -> bool:
    """Return whether ``user`` may read the results of ``survey`` (owner staff, park administrators)."""
    actor = as_actor(user)
    if actor.is_superuser:
        return True
    if not actor.is_authenticated:
        return False
    return Survey.objects.filter(pk=survey.pk).filter(_results_q(actor)).exists()


def builds_surveys(actor: Actor) -> bool:
    """Return whether the actor builds surveys for an organisation (to show the menu and buttons)."""
    return actor.is_superuser or bool(actor.orgs(SURVEY_OWNER_ROLES))


def reads_survey_results(actor: Actor) -> bool:
    return builds_surveys(actor) or bool(actor.parks(SURVEY_PARK_READER_ROLES))


@rule(Survey)
def survey_scope(actor: Actor, action: Action) -> Q:
    if action == Action.VIEW:
        return _results_q(actor) | _invited_q(actor)
    return _owner_q(actor)


@add_rule(Survey)
def survey_add(actor: Actor, instance: Survey | None) -> bool:
    if instance is None:
        return bool(actor.orgs(SURVEY_OWNER_ROLES))
    return instance.owner_id in actor.orgs(SURVEY_OWNER_ROLES)


@rule(Question)
def question_scope(actor: Actor, action: Action) -> Q:
    if action == Action.VIEW:
        return _results_q(actor, "survey__") | _invited_q(actor, "survey__")
    return _owner_q(actor, "survey__")


@add_rule(Question)
def question_add(actor: Actor, instance: Question | None) -> bool:
    if instance is None:
        return bool(actor.orgs(SURVEY_OWNER_ROLES))
    return instance.survey.owner_id in actor.orgs(SURVEY_OWNER_ROLES)


@rule(Invitation)
def invitation_scope(actor: Actor, action: Action) -> Q:
    if action != Action.VIEW:
        return NOTHING  # written by the opening and answering services only
    q = _results_q(actor, "survey__")
    if actor.person_id:
        q |= Q(person_id=actor.person_id)
    return q


@rule(Response)
def response_scope(actor: Actor, action: Action) -> Q:
    return _results_q(actor, "survey__") if action == Action.VIEW else NOTHING


@rule(Answer)
def answer_scope(actor: Actor, action: Action) -> Q:
    return _results_q(actor, "response__survey__") if action == Action.VIEW else NOTHING


def results_q(user: Any) -> Q:
    """Return the surveys whose results ``user`` reads (everything for a superuser)."""
    actor = as_actor(user)
    if not actor.is_authenticated:
        return NOTHING
    if actor.is_superuser:
        return Q()
    return _results_q(actor)
