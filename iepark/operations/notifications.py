"""
Who hears about room transfers (in-app bell and e-mail, through the shared ``notify``).

A new request goes to the student's college (student managers and administrators), who decide it;
the decision goes to the student, and an approval also to the park's operator staff, who carry it
out; the move goes to the student. Nobody is told of their own step.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from iepark.careers.notifications import notify, register_texts
from iepark.core.choices import Role
from iepark.core.selectors import role_users

from .choices import TransferStatus
from .models import RoomTransferRequest

REQUESTED = "operations.transfer_requested"
APPROVED = "operations.transfer_approved"
REJECTED = "operations.transfer_rejected"
DONE = "operations.transfer_done"

register_texts(
    {
        REQUESTED: _("%(student)s asks to move out of %(room)s: please decide."),
        APPROVED: _("The room transfer of %(student)s is approved: choose a free bed and carry it out."),
        REJECTED: _("Your room transfer request was rejected: %(note)s"),
        DONE: _("Your room transfer is done: your bed is now %(bed)s from %(date)s."),
    }
)


def transfer_step(transfer: RoomTransferRequest, actor: Any) -> None:
    """Tell whoever should hear of the status ``transfer`` has just reached (inside its transaction)."""
    student = transfer.student
    student_user = getattr(student.person, "user", None)
    status = transfer.status
    if status == TransferStatus.REQUESTED:
        kind = REQUESTED
        recipients = role_users([Role.STUDENT_MANAGER, Role.COLLEGE_ADMIN], organisation=student.college_id)
    elif status == TransferStatus.APPROVED:
        kind = APPROVED
        recipients = [student_user, *role_users([Role.OPERATOR_STAFF], park=student.college.park_id)]
    elif status == TransferStatus.REJECTED:
        kind, recipients = REJECTED, [student_user]
    elif status == TransferStatus.DONE:
        kind, recipients = DONE, [student_user]
    else:
        return
    actor_pk = getattr(actor, "pk", None)
    recipients = [u for u in recipients if u is not None and u.pk != actor_pk]
    if not recipients:
        return
    new = transfer.new_assignment
    params = {
        "student": student.person.name,
        "room": str(transfer.assignment.bed.room) if transfer.assignment_id else "",
        "note": transfer.decision_note,
        "bed": str(new.bed) if new is not None else "",
        "date": new.start_date.isoformat() if new is not None else "",
    }
    notify(recipients, kind, params, reverse("roomtransferrequest_detail", args=[transfer.pk]))
