"""
Writes of venue booking. Every write checks the policy, validates, saves and records its audit
event in one transaction.

The life of a booking: ``booking_request`` (pending; approved at once when the requester approves
that room) → ``booking_approve`` (approved) or ``booking_reject`` (rejected, with a reason);
``booking_update`` changes a pending request; ``booking_cancel`` ends a pending or approved booking
(its requester, or an approver with a reason).

**No room is ever double-booked.** A booking becomes approved only inside a transaction that first
locks the room's row (``SELECT … FOR UPDATE``) and then checks, under that lock, the published
timetable, the room's unavailable times and the other approved bookings (``selectors.conflicts``).
Two approvals of the same room therefore run one after the other on PostgreSQL, and the second
sees the first; SQLite serialises writers anyway. Pending requests may overlap one another.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iepark.core import policy
from iepark.core.audit import audited_create, audited_update
from iepark.core.models import Organisation, Person
from iepark.core.policy import Action, Actor
from iepark.teaching.models import Room

from . import notifications
from .choices import BOOKABLE_ROOM_KINDS, MAX_DAYS_AHEAD, BookingStatus
from .models import VenueBooking
from .policy import may_approve, student_college
from .selectors import BOOKING, TIMETABLE, UNAVAILABLE, Busy, conflicts

EDIT_FIELDS = ["room", "organisation", "date", "start_time", "end_time", "purpose", "attendees"]


def _person(actor_: Actor) -> Person | None:
    return Person.objects.filter(pk=actor_.person_id).first() if actor_.person_id else None


def own_organisations(actor_: Actor, park_id: int | None = None) -> list[Organisation]:
    """The organisations ``actor_`` may book for: their memberships' and their student record's college."""
    ids = set(actor_.orgs(g.role for g in actor_.grants))
    student = student_college(actor_)
    if student is not None:
        ids.add(student.college_id)
    qs = Organisation.objects.filter(pk__in=ids)
    if park_id is not None:
        qs = qs.filter(park_id=park_id)
    return list(qs.order_by("name", "pk"))


def conflict_message(room: Room, busy: Busy) -> str:
    """Say exactly why ``room`` is not free: what takes it, when."""
    params = {"room": str(room), "time": busy.time_label, "what": busy.label}
    if busy.kind == TIMETABLE:
        return _("Room %(room)s is taken %(time)s by the published timetable: course %(what)s.") % params
    if busy.kind == BOOKING:
        return _("Room %(room)s is taken %(time)s by the booking %(what)s.") % params
    if busy.kind == UNAVAILABLE and busy.label:
        return _("Room %(room)s is unavailable %(time)s: %(what)s.") % params
    return _("Room %(room)s is unavailable %(time)s.") % params


def _check_free(room: Room, day, start, end, *, exclude: int | None = None) -> None:
    found = conflicts(room.pk, day, start, end, exclude_booking=exclude)
    if found:
        raise ValidationError({"room": [conflict_message(room, b) for b in found]})


def _check(
    actor_: Actor,
    *,
    room: Room | None,
    organisation: Organisation | None,
    day: datetime.date | None,
    start: datetime.time | None,
    end: datetime.time | None,
    purpose: str,
    attendees: int | None,
) -> None:
    """Validate a request's fields; every error names its field."""
    errors: dict[str, str] = {}
    if room is None:
        errors["room"] = _("Choose a room.")
    elif not room.is_active:
        errors["room"] = _("Room %(room)s is not in use.") % {"room": room}
    elif room.room_kind not in BOOKABLE_ROOM_KINDS:
        errors["room"] = _(
            "A %(kind)s cannot be booked: choose a gymnasium, sports field, meeting room, training room or classroom."
        ) % {"kind": room.get_room_kind_display().lower()}
    if organisation is None:
        errors["organisation"] = _("Choose the organisation you book for.")
    elif room is not None and organisation.park_id != room.park_id:
        errors["organisation"] = _("The organisation must be of the room's park.")
    elif room is not None and not may_approve(actor_, room):
        if organisation.pk not in {o.pk for o in own_organisations(actor_)}:
            errors["organisation"] = _("You can book only for an organisation you belong to.")
    now = timezone.localtime()
    if day is None:
        errors["date"] = _("Give the date.")
    elif day < now.date():
        errors["date"] = _("The date has passed.")
    elif day > now.date() + datetime.timedelta(days=MAX_DAYS_AHEAD):
        errors["date"] = _("Venues can be booked at most %(days)s days ahead.") % {"days": MAX_DAYS_AHEAD}
    if start is None:
        errors["start_time"] = _("Give the start time.")
    elif day == now.date() and start <= now.time():
        errors["start_time"] = _("This time has passed.")
    if end is None:
        errors["end_time"] = _("Give the end time.")
    elif start is not None and end <= start:
        errors["end_time"] = _("The booking must end after it starts.")
    if not (purpose or "").strip():
        errors["purpose"] = _("Say what the venue is for.")
    if attendees is None or attendees < 1:
        errors["attendees"] = _("Give the number of people (at least one).")
    elif room is not None and attendees > room.capacity:
        errors["attendees"] = _("Room %(room)s holds at most %(capacity)s people.") % {
            "room": room,
            "capacity": room.capacity,
        }
    if errors:
        raise ValidationError(errors)


def _lock_room(room: Room) -> Room:
    """Lock the room's row until the transaction ends: approvals of one room run one at a time."""
    return Room.objects.select_for_update().get(pk=room.pk)


def _locked(booking: VenueBooking) -> VenueBooking:
    return VenueBooking.objects.select_for_update(of=("self",)).select_related("room").get(pk=booking.pk)


def booking_request(
    *,
    actor: Any,
    room: Room,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    purpose: str,
    attendees: int,
    organisation: Organisation | None = None,
) -> VenueBooking:
    """
    Request ``room`` on ``date`` from ``start_time`` to ``end_time`` for ``organisation`` (the requester's own).

    The time must be free (no published lecture, unavailability or approved booking). The request
    is pending and its approvers are told; an approver of the room books it approved at once.
    """
    actor_ = policy.actor_for(actor)
    if room is not None and not policy.can(actor, Action.VIEW, room):
        room = None  # another park's room: as if unknown
    probe = VenueBooking(park_id=room.park_id if room is not None else None)
    if room is not None and not policy.can_add(actor, probe):
        raise PermissionDenied
    if room is None and not policy.may_add_any(actor, VenueBooking):
        raise PermissionDenied
    if organisation is None and room is not None:
        own = own_organisations(actor_, room.park_id)
        organisation = own[0] if len(own) == 1 else None
    purpose = (purpose or "").strip()
    _check(
        actor_,
        room=room,
        organisation=organisation,
        day=date,
        start=start_time,
        end=end_time,
        purpose=purpose,
        attendees=attendees,
    )
    approver = may_approve(actor_, room)
    person = _person(actor_)
    with transaction.atomic():
        if approver:
            _lock_room(room)
        _check_free(room, date, start_time, end_time)
        now = timezone.now()
        booking = VenueBooking(
            park_id=room.park_id,
            room=room,
            organisation=organisation,
            requester=person,
            date=date,
            start_time=start_time,
            end_time=end_time,
            purpose=purpose,
            attendees=attendees,
        )
        if approver:
            booking.status = BookingStatus.APPROVED
            booking.decided_by = person
            booking.decided_at = now
        booking = audited_create(actor=actor, instance=booking)
        if not approver:
            notifications.notify_requested(booking, actor)
    return booking


def may_edit(actor: Any, booking: VenueBooking) -> bool:
    """The requester, or an approver of the room, while the request is pending."""
    return booking.status == BookingStatus.PENDING and policy.can(actor, Action.CHANGE, booking)


def booking_update(*, actor: Any, booking: VenueBooking, data: Mapping[str, Any]) -> VenueBooking:
    """Change a pending request (its requester or an approver); the new time must be free too."""
    policy.require(actor, Action.CHANGE, booking)
    actor_ = policy.actor_for(actor)
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in EDIT_FIELDS}
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status != BookingStatus.PENDING:
            raise ValidationError({"status": _("Only a pending request can be changed.")})
        merged = {name: data.get(name, getattr(booking, name)) for name in EDIT_FIELDS}
        room = merged["room"]
        if room is not None and room.pk != booking.room_id and not policy.can(actor, Action.VIEW, room):
            room = None
        _check(
            actor_,
            room=room,
            organisation=merged["organisation"],
            day=merged["date"],
            start=merged["start_time"],
            end=merged["end_time"],
            purpose=merged["purpose"],
            attendees=merged["attendees"],
        )
        _check_free(room, merged["date"], merged["start_time"], merged["end_time"], exclude=booking.pk)
        if room.park_id != booking.park_id:
            data["park_id"] = room.park_id
        audited_update(actor=actor, instance=booking, data=data)
    return booking


def _require_approver(actor: Any, booking: VenueBooking) -> Actor:
    if not policy.can(actor, Action.VIEW, booking):
        raise PermissionDenied
    actor_ = policy.actor_for(actor)
    if not may_approve(actor_, booking.room):
        raise PermissionDenied
    return actor_


def booking_approve(*, actor: Any, booking: VenueBooking, note: str = "") -> VenueBooking:
    """Approve a pending request (an approver of the room) if its time is still free, under the room's lock."""
    _require_approver(actor, booking)
    with transaction.atomic():
        # The booking as it is now (its requester may have moved it to another room), then its room's lock.
        booking = _locked(booking)
        actor_ = _require_approver(actor, booking)
        room = _lock_room(booking.room)
        if booking.status != BookingStatus.PENDING:
            raise ValidationError({"status": _("Only a pending request can be approved.")})
        if booking.date < timezone.localdate():
            raise ValidationError({"date": _("The date has passed.")})
        if not room.is_active:
            raise ValidationError({"room": _("Room %(room)s is not in use.") % {"room": room}})
        _check_free(room, booking.date, booking.start_time, booking.end_time, exclude=booking.pk)
        audited_update(
            actor=actor,
            instance=booking,
            data={
                "status": BookingStatus.APPROVED,
                "decided_by": _person(actor_),
                "decided_at": timezone.now(),
                "decision_note": (note or "").strip(),
            },
        )
        notifications.notify_decision(booking, notifications.APPROVED, actor)
    return booking


def booking_reject(*, actor: Any, booking: VenueBooking, reason: str) -> VenueBooking:
    """Reject a pending request with a reason (an approver of the room)."""
    actor_ = _require_approver(actor, booking)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason of the rejection.")})
    with transaction.atomic():
        booking = _locked(booking)
        actor_ = _require_approver(actor, booking)  # of the room the request has now
        if booking.status != BookingStatus.PENDING:
            raise ValidationError({"status": _("Only a pending request can be rejected.")})
        audited_update(
            actor=actor,
            instance=booking,
            data={
                "status": BookingStatus.REJECTED,
                "decided_by": _person(actor_),
                "decided_at": timezone.now(),
                "decision_note": reason,
            },
        )
        notifications.notify_decision(booking, notifications.REJECTED, actor, reason)
    return booking


def may_cancel(actor: Any, booking: VenueBooking) -> bool:
    """The requester (pending; approved until it ends), or an approver of the room (approved, until it ends)."""
    if booking.status not in (BookingStatus.PENDING, BookingStatus.APPROVED):
        return False
    if booking.status == BookingStatus.APPROVED:
        end = timezone.make_aware(datetime.datetime.combine(booking.date, booking.end_time))
        if end <= timezone.now():
            return False
    actor_ = policy.actor_for(actor)
    if actor_.person_id and booking.requester_id == actor_.person_id:
        return True
    return booking.status == BookingStatus.APPROVED and may_approve(actor_, booking.room)


def booking_cancel(*, actor: Any, booking: VenueBooking, reason: str = "") -> VenueBooking:
    """
    Cancel a booking: its requester (pending or approved, reason optional), or an approver of the room
    (approved bookings; the reason is required and told to the requester). Past bookings stay.
    """
    if not policy.can(actor, Action.VIEW, booking):
        raise PermissionDenied
    actor_ = policy.actor_for(actor)
    is_requester = bool(actor_.person_id) and booking.requester_id == actor_.person_id
    is_approver = may_approve(actor_, booking.room)
    if not (is_requester or is_approver):
        raise PermissionDenied
    reason = (reason or "").strip()
    with transaction.atomic():
        booking = _locked(booking)
        is_approver = may_approve(actor_, booking.room)  # of the room the booking has now
        if not (is_requester or is_approver):
            raise PermissionDenied
        if booking.status not in (BookingStatus.PENDING, BookingStatus.APPROVED):
            raise ValidationError({"status": _("Only a pending or approved booking can be cancelled.")})
        if not is_requester and booking.status == BookingStatus.PENDING:
            raise ValidationError({"status": _("Approve or reject a pending request; its requester may cancel it.")})
        end = timezone.make_aware(datetime.datetime.combine(booking.date, booking.end_time))
        if booking.status == BookingStatus.APPROVED and end <= timezone.now():
            raise ValidationError({"status": _("A booking that has ended cannot be cancelled.")})
        if not is_requester and not reason:
            raise ValidationError({"reason": _("Give the reason of the cancellation: the requester is told.")})
        audited_update(
            actor=actor,
            instance=booking,
            data={"status": BookingStatus.CANCELLED, "cancelled_at": timezone.now(), "cancel_reason": reason},
        )
        if not is_requester:
            notifications.notify_decision(booking, notifications.CANCELLED, actor, reason)
    return booking
