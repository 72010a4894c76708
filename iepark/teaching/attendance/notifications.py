"""
Who hears about leave requests (in-app bell and e-mail, through the shared ``notify``).

The student managers of the student's home college hear of a new request; the student hears of the
decision (approved or rejected, with the note). Nobody is told of their own step.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from iepark.careers.notifications import notify, register_texts
from iepark.core.choices import Role
from iepark.core.selectors import role_users

from .models import LeaveRequest

REQUESTED = "attendance.leave_requested"
APPROVED = "attendance.leave_approved"
REJECTED = "attendance.leave_rejected"

register_texts(
    {
        REQUESTED: _("%(student)s asks for leave (%(span)s): %(reason)s"),
        APPROVED: _("Your leave request (%(span)s) was approved. %(note)s"),
        REJECTED: _("Your leave request (%(span)s) was rejected: %(note)s"),
    }
)


def _params(leave: LeaveRequest) -> dict[str, Any]:
    return {
        "student": str(leave.student.person),
        "span": leave.span_label(),
        "reason": leave.reason[:200],
        "note": leave.decision_note[:200],
    }


def _url(leave: LeaveRequest) -> str:
    return reverse("leaverequest_detail", args=[leave.pk])


def notify_requested(leave: LeaveRequest, actor: Any) -> None:
    """Tell the student managers of the student's college (inside the request's transaction)."""
    actor_pk = getattr(actor, "pk", None)
    users = [u for u in role_users([Role.STUDENT_MANAGER], organisation=leave.student.college_id) if u.pk != actor_pk]
    if users:
        notify(users, REQUESTED, _params(leave), _url(leave))


def notify_decided(leave: LeaveRequest, actor: Any, approved: bool) -> None:
    """Tell the student of the decision."""
    user = getattr(leave.student.person, "user", None)
    if user is None or user.pk == getattr(actor, "pk", None):
        return
    notify([user], APPROVED if approved else REJECTED, _params(leave), _url(leave))
