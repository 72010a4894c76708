"""
Who hears about venue bookings (in-app bell and e-mail, through the shared ``notify``).

The approvers of the room (the park's operator staff and the administrators of the room's owner)
hear of a new request; the requester hears of the decision (approved, rejected with the reason)
and of a cancellation by an approver. Nobody is told of their own step.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from iepark.careers.notifications import notify, register_texts
from iepark.core.selectors import role_users

from .models import VenueBooking
from .policy import OWNER_ADMIN_ROLES, PARK_APPROVER_ROLES

REQUESTED = "venues.requested"
APPROVED = "venues.approved"
REJECTED = "venues.rejected"
CANCELLED = "venues.cancelled"

register_texts(
    {
        REQUESTED: _("Venue request %(reference)s: %(room)s on %(date)s %(time)s by %(organisation)s awaits approval."),
        APPROVED: _("Your venue booking %(reference)s (%(room)s on %(date)s %(time)s) is approved."),
        REJECTED: _("Your venue request %(reference)s (%(room)s on %(date)s %(time)s) was rejected: %(note)s"),
        CANCELLED: _("Your venue booking %(reference)s (%(room)s on %(date)s %(time)s) was cancelled: %(note)s"),
    }
)


def _params(booking: VenueBooking, note: str = "") -> dict[str, Any]:
    return {
        "reference": booking.reference,
        "room": str(booking.room),
        "date": booking.date.isoformat(),
        "time": booking.time_label,
        "organisation": str(booking.organisation),
        "note": note,
    }


def _url(booking: VenueBooking) -> str:
    return reverse("venuebooking_detail", args=[booking.pk])


def _others(users: list[Any], actor: Any) -> list[Any]:
    actor_pk = getattr(actor, "pk", None)
    return [u for u in users if u is not None and u.pk != actor_pk]


def approvers_of(booking: VenueBooking) -> list[Any]:
    """The logins who approve ``booking``'s room (for addressing, not for deciding access)."""
    users = {u.pk: u for u in role_users(PARK_APPROVER_ROLES, park=booking.park_id)}
    users.update({u.pk: u for u in role_users(OWNER_ADMIN_ROLES, organisation=booking.room.owner_id)})
    return list(users.values())


def requester_user(booking: VenueBooking) -> Any:
    return getattr(booking.requester, "user", None) if booking.requester_id else None


def notify_requested(booking: VenueBooking, actor: Any) -> None:
    recipients = _others(approvers_of(booking), actor)
    if recipients:
        notify(recipients, REQUESTED, _params(booking), _url(booking))


def notify_decision(booking: VenueBooking, kind: str, actor: Any, note: str = "") -> None:
    recipients = _others([requester_user(booking)], actor)
    if recipients:
        notify(recipients, kind, _params(booking, note), _url(booking))
