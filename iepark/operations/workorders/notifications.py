"""
Who hears about a work order's steps (in-app bell and e-mail, through the shared ``notify``).

The assignee hears of an assignment and a reopening; the reporter of a resolution or a
cancellation; the park administrators (the operator's managers) of an escalation; the park's
operator staff of a new urgent fault. Nobody is told of their own step.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iepark.careers.notifications import notify, register_texts
from iepark.core.choices import Role
from iepark.core.selectors import role_users

from .choices import TimelineKind, Urgency
from .models import WorkOrder

ASSIGNED = "workorders.assigned"
RESOLVED = "workorders.resolved"
REOPENED = "workorders.reopened"
CANCELLED = "workorders.cancelled"
ESCALATED = "workorders.escalated"
URGENT = "workorders.urgent_reported"

register_texts(
    {
        ASSIGNED: _("Work order %(reference)s “%(title)s” is assigned to you; respond by %(due)s."),
        RESOLVED: _("Your fault report %(reference)s “%(title)s” is resolved: please confirm and rate it."),
        REOPENED: _("Work order %(reference)s “%(title)s” was reopened by its reporter."),
        CANCELLED: _("Your fault report %(reference)s “%(title)s” was cancelled: %(note)s"),
        ESCALATED: _("Work order %(reference)s “%(title)s” is overdue and escalated to you."),
        URGENT: _("Urgent fault reported: %(reference)s “%(title)s” at %(place)s."),
    }
)


def _user_of(person: Any) -> Any:
    return getattr(person, "user", None) if person is not None else None


def notify_step(order: WorkOrder, kind: str, actor: Any, note: str = "") -> None:
    """Tell whoever should hear of the step ``kind`` just logged on ``order`` (inside its transaction)."""
    recipients: list[Any] = []
    text_kind = None
    if kind == TimelineKind.ASSIGNED:
        text_kind, recipients = ASSIGNED, [_user_of(order.assignee)]
    elif kind == TimelineKind.REOPENED:
        text_kind, recipients = REOPENED, [_user_of(order.assignee)]
    elif kind == TimelineKind.RESOLVED:
        text_kind, recipients = RESOLVED, [_user_of(order.reporter)]
    elif kind == TimelineKind.CANCELLED:
        text_kind, recipients = CANCELLED, [_user_of(order.reporter)]
    elif kind == TimelineKind.ESCALATED:
        text_kind, recipients = ESCALATED, role_users([Role.PARK_ADMIN], park=order.park_id)
    elif kind == TimelineKind.REPORTED and order.urgency in (Urgency.CRITICAL, Urgency.HIGH):
        text_kind, recipients = URGENT, role_users([Role.OPERATOR_STAFF], park=order.park_id)
    actor_pk = getattr(actor, "pk", None)
    recipients = [u for u in recipients if u is not None and u.pk != actor_pk]
    if text_kind is None or not recipients:
        return
    params = {
        "reference": order.reference,
        "title": order.title,
        "due": timezone.localtime(order.response_due).strftime("%Y-%m-%d %H:%M") if order.response_due else "",
        "place": order.location or "",
        "note": note,
    }
    notify(recipients, text_kind, params, reverse("workorder_detail", args=[order.pk]))
