"""
Who hears about rectifications (in-app bell and e-mail, through the shared ``notify``).

The owner organisation's administrators (and the task's responsible person) hear of a new task
and of a failed re-inspection; the round's inspector, or else the park's operator staff, hear that
a task was reported done and waits for re-inspection. Nobody is told of their own step.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from iepark.careers.notifications import notify, register_texts
from iepark.core.choices import Role
from iepark.core.selectors import role_users

from .models import RectificationTask
from .policy import OWNER_ROLES

ASSIGNED = "safety.rectification_assigned"
REPORTED = "safety.rectification_reported"
REOPENED = "safety.rectification_reopened"

register_texts(
    {
        ASSIGNED: _("Safety finding to rectify by %(deadline)s: %(finding)s (%(place)s)."),
        REPORTED: _("%(owner)s reports the rectification of “%(finding)s” done: please re-inspect."),
        REOPENED: _("The re-inspection of “%(finding)s” failed: rectify it by %(deadline)s."),
    }
)


def _owner_users(task: RectificationTask) -> list[Any]:
    users = role_users(OWNER_ROLES, organisation=task.owner_id)
    person_user = getattr(task.owner_person, "user", None) if task.owner_person_id else None
    return [*users, person_user]


def _send(task: RectificationTask, kind: str, recipients: list[Any], actor: Any) -> None:
    actor_pk = getattr(actor, "pk", None)
    recipients = [u for u in recipients if u is not None and u.pk != actor_pk]
    if not recipients:
        return
    finding = task.finding
    params = {
        "finding": finding.description[:80],
        "place": finding.place or finding.round.place,
        "deadline": task.deadline.isoformat() if task.deadline else "",
        "owner": str(task.owner),
    }
    notify(recipients, kind, params, reverse("rectificationtask_detail", args=[task.pk]))


def task_assigned(task: RectificationTask, actor: Any) -> None:
    _send(task, ASSIGNED, _owner_users(task), actor)


def task_reopened(task: RectificationTask, actor: Any) -> None:
    _send(task, REOPENED, _owner_users(task), actor)


def task_reported(task: RectificationTask, actor: Any) -> None:
    inspector = task.finding.round.inspector
    user = getattr(inspector, "user", None) if inspector is not None else None
    recipients = [user] if user is not None else role_users([Role.OPERATOR_STAFF], park=task.owner.park_id)
    _send(task, REPORTED, recipients, actor)
