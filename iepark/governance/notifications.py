"""
Who hears about objections to assessment lines (in-app bell and e-mail, through the shared ``notify``).

A new objection goes to the committee officers of the park, who decide it; the decision goes to
whoever raised it. Nobody is told of their own step.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from iepark.careers.notifications import notify, register_texts
from iepark.core.choices import Role
from iepark.core.selectors import role_users

from .choices import ObjectionStatus
from .models import Objection

RAISED = "governance.objection_raised"
DECIDED = "governance.objection_decided"

register_texts(
    {
        RAISED: _("%(party)s objects to a subsidy line of %(person)s (¥%(amount)s): please decide."),
        DECIDED: _("Your objection to the subsidy line of %(person)s was decided: %(status)s."),
    },
    {DECIDED: ObjectionStatus},
)


def objection_step(objection: Objection, actor: Any) -> None:
    """Tell whoever should hear of ``objection``'s new status (inside its transaction)."""
    line = objection.line
    if objection.status == ObjectionStatus.OPEN:
        kind = RAISED
        recipients = role_users([Role.COMMITTEE_OFFICER], park=line.run.park_id)
    elif objection.status in (ObjectionStatus.ACCEPTED, ObjectionStatus.REJECTED):
        kind, recipients = DECIDED, [objection.raised_by]
    else:
        return
    actor_pk = getattr(actor, "pk", None)
    recipients = [u for u in recipients if u is not None and u.pk != actor_pk]
    if not recipients:
        return
    params = {
        "party": str(objection.organisation or objection.raised_by),
        "person": str(line.student.person) if getattr(line, "student_id", None) else "",
        "amount": str(line.amount),
        "status": objection.status,
    }
    notify(recipients, kind, params, reverse("objection_detail", args=[objection.pk]))
