"""
Access rules of venue booking, registered in the one policy (``iepark.core.policy``).

- **Approvers** of a room: the operating company's staff of the room's park (every room of the
  park) and the administrators of the room's owner organisation (a college's administrators, an
  enterprise's HR, the operator's staff): ``may_approve``. They see, change, approve, reject and
  cancel the bookings of the rooms they approve.
- **Requesters**: anybody in the park (any current membership, or a student record) requests
  bookings for one of their own organisations; they see and (while pending) change their own.
- **Organisation administrators** (college administrators, enterprise HR) see the bookings made
  for their organisation (read-only). **Park administrators** see every booking of their park
  (read-only): they oversee the park but the operating company decides.
- Everybody in the park sees on a room's calendar *that* the room is taken at a time, without
  the purpose or the person (``selectors.room_week``). Nobody deletes a booking: it is cancelled.
"""

from __future__ import annotations

from django.db.models import Q

from iepark.core.choices import Role
from iepark.core.models import Student
from iepark.core.policy import NOTHING, Action, Actor, _in_orgs, _in_parks, add_rule, rule

from .models import VenueBooking

# Who approves every room of their park.
PARK_APPROVER_ROLES = frozenset({Role.OPERATOR_STAFF})
# Who approves the rooms their organisation owns (its administrators).
OWNER_ADMIN_ROLES = frozenset({Role.COLLEGE_ADMIN, Role.ENTERPRISE_HR, Role.OPERATOR_STAFF, Role.PARK_ADMIN})
# Who sees the bookings made for their organisation.
ORG_ADMIN_ROLES = frozenset({Role.COLLEGE_ADMIN, Role.ENTERPRISE_HR})
# Who oversees every booking of their park (read-only).
PARK_READER_ROLES = frozenset({Role.PARK_ADMIN})


def may_approve(actor: Actor, room) -> bool:
    """Return whether ``actor`` approves bookings of ``room``."""
    if actor.is_superuser:
        return True
    return room.park_id in actor.parks(PARK_APPROVER_ROLES) or room.owner_id in actor.orgs(OWNER_ADMIN_ROLES)


def approves_any(actor: Actor) -> bool:
    """Return whether ``actor`` approves bookings of some room (shows the approval queue)."""
    return actor.is_superuser or bool(actor.parks(PARK_APPROVER_ROLES) or actor.orgs(OWNER_ADMIN_ROLES))


def approver_q(actor: Actor, prefix: str = "") -> Q:
    """The bookings (under ``prefix``) of the rooms ``actor`` approves."""
    return _in_parks(actor, PARK_APPROVER_ROLES, f"{prefix}park") | _in_orgs(
        actor, OWNER_ADMIN_ROLES, f"{prefix}room__owner"
    )


def student_college(actor: Actor):
    """Return the college of ``actor``'s student record (students may hold no membership), or None."""
    if not actor.person_id:
        return None
    return Student.objects.filter(person_id=actor.person_id).select_related("college").first()


def booking_parks(actor: Actor) -> set[int]:
    """Return the parks where ``actor`` may book venues: any membership, or their student record's park."""
    parks = set(actor.parks())
    if actor.person_id and actor.person_park_id and actor.person_park_id not in parks:
        if Student.objects.filter(person_id=actor.person_id).exists():
            parks.add(actor.person_park_id)
    return parks


def may_book(actor: Actor) -> bool:
    return actor.is_superuser or bool(actor.person_id and booking_parks(actor))


@rule(VenueBooking)
def venue_booking_scope(actor: Actor, action: Action) -> Q:
    if action == Action.DELETE:
        return NOTHING
    q = approver_q(actor)
    if actor.person_id:
        q |= Q(requester_id=actor.person_id)
    if action == Action.VIEW:
        q |= _in_orgs(actor, ORG_ADMIN_ROLES, "organisation") | _in_parks(actor, PARK_READER_ROLES, "park")
    return q


@add_rule(VenueBooking)
def venue_booking_add(actor: Actor, instance: VenueBooking | None) -> bool:
    if instance is None:
        return may_book(actor)
    return bool(actor.person_id) and instance.park_id in booking_parks(actor)
