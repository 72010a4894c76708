"""
Reads of venue booking, scoped by the acting user through the policy.

``busy_slots`` is the one place that knows when rooms are taken: by the **published timetable**
(each entry's room on its weekday at the teaching dates of its term, at its period's clock times),
by the rooms' **unavailable times** (weekly periods within optional dates, at the clock times of
the term covering the date, else the park's usual day), and by **approved bookings** (and, on
calendars, pending requests). It runs a fixed number of queries whatever the number of rooms,
dates or entries, and serves the services' conflict checks as well as the pages.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language

from iepark.core import policy
from iepark.core.policy import Action, Actor
from iepark.teaching.choices import TimetableStatus
from iepark.teaching.models import Room, RoomUnavailability, Term, TimetableEntry, default_period_spans

from .choices import BOOKABLE_ROOM_KINDS, BookingStatus
from .models import VenueBooking
from .policy import approver_q

TIMETABLE = "timetable"
BOOKING = "booking"
PENDING = "pending"
UNAVAILABLE = "unavailable"


def _user(actor: Any) -> Any:
    return actor.user if isinstance(actor, Actor) else actor


# --- when rooms are taken ------------------------------------------------------------------------------


@dataclass
class Busy:
    """A time a room is taken (or asked for): by the timetable, a booking, a request or an unavailability."""

    room_id: int
    date: datetime.date
    start: datetime.time
    end: datetime.time
    kind: str
    label: str = ""
    booking: VenueBooking | None = None
    # Set by ``room_week``: whether the reader may see the booking's details (purpose, person).
    details_visible: bool = True

    @property
    def time_label(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

    def overlaps(self, start: datetime.time, end: datetime.time) -> bool:
        return self.start < end and start < self.end


def _dates(date_from: datetime.date, date_to: datetime.date) -> list[datetime.date]:
    return [date_from + datetime.timedelta(days=i) for i in range((date_to - date_from).days + 1)]


def _course_label(code: str, name: str, name_en: str) -> str:
    english = (get_language() or "").startswith("en") and name_en
    return f"{code} {name_en if english else name}"


def busy_slots(
    room_ids: list[int] | QuerySet,
    date_from: datetime.date,
    date_to: datetime.date,
    *,
    include_pending: bool = False,
    exclude_booking: int | None = None,
) -> list[Busy]:
    """
    Return the times the rooms ``room_ids`` are taken from ``date_from`` to ``date_to`` (inclusive).

    Four queries whatever the data size: terms, published timetable entries, unavailabilities and
    bookings (approved ones; pending too with ``include_pending``; ``exclude_booking`` left out).
    Not scoped: occupancy is a fact of the park; callers decide what of it the reader sees.
    """
    if isinstance(room_ids, QuerySet):
        room_ids = list(room_ids.values_list("pk", flat=True))
    room_ids = list(room_ids)
    if not room_ids or date_to < date_from:
        return []
    dates = _dates(date_from, date_to)
    terms = {
        term.pk: term
        for term in Term.objects.filter(
            park_id__in=Room.objects.filter(pk__in=room_ids).values("park_id"),
            start_date__lte=date_to,
            end_date__gte=date_from,
        )
    }
    terms_by_park: dict[int, list[Term]] = defaultdict(list)
    for term in terms.values():
        terms_by_park[term.park_id].append(term)

    def term_on(park_id: int, day: datetime.date) -> Term | None:
        return next((t for t in terms_by_park.get(park_id, ()) if t.start_date <= day <= t.end_date), None)

    result: list[Busy] = []
    teaching_dates: dict[tuple[int, int], set[datetime.date]] = {}
    if terms:
        entries = TimetableEntry.objects.filter(
            room_id__in=room_ids, run__status=TimetableStatus.PUBLISHED, run__term_id__in=list(terms)
        ).values_list(
            "room_id", "day_of_week", "period", "run__term_id", "course__code", "course__name", "course__name_en"
        )
        for room_id, day_of_week, period, term_id, code, name, name_en in entries:
            term = terms[term_id]
            key = (term_id, day_of_week)
            if key not in teaching_dates:
                teaching_dates[key] = set(term.teaching_dates(day_of_week))
            spans = term.period_spans()
            if period > len(spans):
                continue
            start, end = spans[period - 1]
            label = _course_label(code, name, name_en)
            for day in dates:
                if day.weekday() == day_of_week and day in teaching_dates[key]:
                    result.append(Busy(room_id, day, start, end, TIMETABLE, label))

    unavailable = (
        RoomUnavailability.objects.filter(room_id__in=room_ids)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=date_to))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=date_from))
        .values_list(
            "room_id", "room__park_id", "day_of_week", "first_period", "last_period", "start_date", "end_date", "reason"
        )
    )
    for room_id, park_id, day_of_week, first, last, start_date, end_date, reason in unavailable:
        for day in dates:
            if day.weekday() != day_of_week:
                continue
            if (start_date and day < start_date) or (end_date and day > end_date):
                continue
            term = term_on(park_id, day)
            spans = term.period_spans() if term is not None else []
            if last > len(spans):
                spans = default_period_spans(max(last, 8))
            result.append(Busy(room_id, day, spans[first - 1][0], spans[last - 1][1], UNAVAILABLE, reason))

    statuses = [BookingStatus.APPROVED, BookingStatus.PENDING] if include_pending else [BookingStatus.APPROVED]
    bookings = VenueBooking.objects.filter(
        room_id__in=room_ids, date__gte=date_from, date__lte=date_to, status__in=statuses
    ).select_related("organisation", "requester")
    if exclude_booking is not None:
        bookings = bookings.exclude(pk=exclude_booking)
    for booking in bookings:
        kind = BOOKING if booking.status == BookingStatus.APPROVED else PENDING
        result.append(
            Busy(booking.room_id, booking.date, booking.start_time, booking.end_time, kind, booking.reference, booking)
        )
    result.sort(key=lambda b: (b.date, b.start, b.end, b.kind))
    return result


def conflicts(
    room_id: int,
    day: datetime.date,
    start: datetime.time,
    end: datetime.time,
    *,
    exclude_booking: int | None = None,
) -> list[Busy]:
    """Return what takes room ``room_id`` on ``day`` between ``start`` and ``end`` (approved bookings only)."""
    return [b for b in busy_slots([room_id], day, day, exclude_booking=exclude_booking) if b.overlaps(start, end)]


def timetable_clashes(run: Any, *, since: datetime.date) -> list[tuple[VenueBooking, TimetableEntry]]:
    """
    Return the approved bookings from ``since`` that the lectures of ``run`` would overlap, with the lecture.

    Publishing ``run`` must not double-book a room (``teaching.services.timetable_publish`` refuses it).
    Three queries whatever the size: the run's term, its entries and the bookings of their rooms.
    """
    term = run.term
    start = max(since, term.start_date)
    entries = list(TimetableEntry.objects.filter(run=run).select_related("course", "room"))
    if not entries or start > term.end_date:
        return []
    by_slot: dict[tuple[int, int], list[TimetableEntry]] = defaultdict(list)
    for entry in entries:
        by_slot[(entry.room_id, entry.day_of_week)].append(entry)
    bookings = VenueBooking.objects.filter(
        room_id__in={e.room_id for e in entries},
        status=BookingStatus.APPROVED,
        date__gte=start,
        date__lte=term.end_date,
    ).order_by("date", "start_time", "pk")
    spans = term.period_spans()
    dates: dict[int, set[datetime.date]] = {}
    result = []
    for booking in bookings:
        day = booking.date.weekday()
        for entry in by_slot.get((booking.room_id, day), ()):
            if entry.period > len(spans):
                continue
            if day not in dates:
                dates[day] = set(term.teaching_dates(day))
            begin, finish = spans[entry.period - 1]
            if booking.date in dates[day] and begin < booking.end_time and booking.start_time < finish:
                result.append((booking, entry))
    return result


# --- lists ---------------------------------------------------------------------------------------------


def booking_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[VenueBooking]:
    """Return the bookings ``user`` may see (or change)."""
    qs = VenueBooking.objects.select_related("park", "room__owner", "organisation", "requester", "decided_by")
    return policy.restrict(qs, _user(user), action)


def my_bookings(*, user: Any) -> QuerySet[VenueBooking]:
    """Return the bookings the user requested, latest date first."""
    actor = policy.actor_for(_user(user))
    if not actor.person_id:
        return VenueBooking.objects.none()
    return booking_list(user=user).filter(requester_id=actor.person_id).order_by("-date", "-start_time", "-pk")


def approval_queue(*, user: Any) -> QuerySet[VenueBooking]:
    """Return the pending requests of the rooms ``user`` approves, soonest first."""
    actor = policy.actor_for(_user(user))
    qs = booking_list(user=user).filter(status=BookingStatus.PENDING)
    if not actor.is_superuser:
        qs = qs.filter(approver_q(actor))
    return qs.order_by("date", "start_time", "pk")


def bookable_rooms(*, user: Any) -> QuerySet[Room]:
    """Return the active rooms of bookable kinds ``user`` may see (their park's)."""
    qs = Room.objects.filter(is_active=True, room_kind__in=BOOKABLE_ROOM_KINDS).select_related("owner")
    return policy.restrict(qs, _user(user)).order_by("building", "number", "pk")


def bookable_organisations(*, user: Any) -> QuerySet:
    """
    The organisations ``user`` may book for: their own (memberships, their student record's college);
    operator staff, for any organisation of the parks whose rooms they approve.
    """
    from iepark.core.models import Organisation, Student

    from .policy import PARK_APPROVER_ROLES

    actor = policy.actor_for(_user(user))
    if actor.is_superuser:
        return Organisation.objects.order_by("name", "pk")
    q = Q(pk__in={g.organisation_id for g in actor.grants})
    if actor.person_id:
        q |= Q(pk__in=Student.objects.filter(person_id=actor.person_id).values("college_id"))
    parks = actor.parks(PARK_APPROVER_ROLES)
    if parks:
        q |= Q(park_id__in=parks)
    return Organisation.objects.filter(q).order_by("name", "pk")


@dataclass
class FreeRoom:
    room: Room
    pending: int  # requests for an overlapping time (they do not block; the first approved wins)


def free_rooms(
    *,
    user: Any,
    day: datetime.date,
    start: datetime.time,
    end: datetime.time,
    room_kind: str = "",
    min_capacity: int | None = None,
    features: list[Any] | tuple = (),
) -> list[FreeRoom]:
    """
    Return the bookable rooms ``user`` may see that are free on ``day`` from ``start`` to ``end``.

    Filters: ``room_kind``, ``min_capacity`` and ``features`` (every one of them). A fixed number
    of queries: the rooms with their features, then ``busy_slots`` over all of them.
    """
    rooms = bookable_rooms(user=user)
    if room_kind:
        rooms = rooms.filter(room_kind=room_kind)
    if min_capacity:
        rooms = rooms.filter(capacity__gte=min_capacity)
    feature_ids = [getattr(f, "pk", f) for f in features]
    if feature_ids:
        rooms = rooms.filter(features__in=feature_ids).annotate(matched=Count("features", distinct=True))
        rooms = rooms.filter(matched=len(set(feature_ids)))
    rooms = list(rooms.prefetch_related("features").order_by("building", "number", "pk"))
    busy = busy_slots([r.pk for r in rooms], day, day, include_pending=True)
    taken = {b.room_id for b in busy if b.kind != PENDING and b.overlaps(start, end)}
    pending: dict[int, int] = defaultdict(int)
    for b in busy:
        if b.kind == PENDING and b.overlaps(start, end):
            pending[b.room_id] += 1
    return [FreeRoom(room, pending[room.pk]) for room in rooms if room.pk not in taken]


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def room_week(*, user: Any, room: Room, monday: datetime.date) -> list[tuple[datetime.date, list[Busy]]]:
    """
    Return the seven days from ``monday`` with what takes ``room`` on each (a fixed number of queries).

    Everybody who sees the room sees that it is taken; a booking's details (purpose, person) only
    when the reader may see that booking; pending requests only to those who see them.
    """
    sunday = monday + datetime.timedelta(days=6)
    busy = busy_slots([room.pk], monday, sunday, include_pending=True)
    booking_ids = [b.booking.pk for b in busy if b.booking is not None]
    visible = (
        set(policy.restrict(VenueBooking.objects.filter(pk__in=booking_ids), _user(user)).values_list("pk", flat=True))
        if booking_ids
        else set()
    )
    days: dict[datetime.date, list[Busy]] = {d: [] for d in _dates(monday, sunday)}
    for b in busy:
        if b.booking is not None:
            b.details_visible = b.booking.pk in visible
            if b.kind == PENDING and not b.details_visible:
                continue
        days[b.date].append(b)
    return list(days.items())
