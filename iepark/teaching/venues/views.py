"""
Pages of venue booking, over the generic views: they read through selectors and write through
services, like the API (``api.py``).

Everybody in the park: "Find a venue" (free rooms at a time, each with a "Book" button), the request
form, "My bookings", a room's week calendar. Approvers (the park's operator staff, the room owner's
administrators): the approval queue and the list of every booking they see. A booking's page shows
its decision and steps; its history tab the audit trail. All pages are one column on a phone.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iepark.core import generic_views as generic
from iepark.core import policy
from iepark.core.policy import Actor
from iepark.core.views import register_home_card
from iepark.teaching.models import Room

from . import selectors, services, tables
from .choices import STATUS_BADGES, BookingStatus
from .filtersets import VenueBookingFilterSet
from .forms import BookingForm, FindForm, NoteForm, ReasonForm
from .models import VenueBooking
from .policy import approves_any, may_approve, may_book


def _approves(actor: Actor) -> bool:
    return approves_any(actor)


generic.register_menu_items(
    "venues",
    gettext_lazy("Venues"),
    [
        generic.MenuItem(gettext_lazy("Find a venue"), "venue_find", "search", may_book),
        generic.MenuItem(gettext_lazy("My bookings"), "venuebooking_mine", "calendar-heart", may_book),
        generic.MenuItem(gettext_lazy("Requests to approve"), "venuebooking_queue", "inbox", _approves),
        generic.MenuItem(gettext_lazy("Venue bookings"), "venuebooking_list", "calendar-week"),
    ],
    weight=32,
)


register_home_card(
    gettext_lazy("Venue requests to approve"), "inbox", "venuebooking_queue", _approves, selectors.approval_queue
)


def _parse_date(value: str, fallback: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return fallback


# --- finding and booking -------------------------------------------------------------------------------


@login_required
def find(request):
    """Free venues at a time: date, times, kind, capacity, features → the free rooms, each with "Book"."""
    data = request.GET if "date" in request.GET else None
    form = FindForm(data, user=request.user, initial=FindForm.defaults())
    results = None
    if form.is_valid():
        d = form.cleaned_data
        results = selectors.free_rooms(
            user=request.user,
            day=d["date"],
            start=d["start_time"],
            end=d["end_time"],
            room_kind=d.get("room_kind") or "",
            min_capacity=d.get("min_capacity"),
            features=list(d.get("features") or []),
        )
        query = {
            "date": d["date"].isoformat(),
            "start_time": d["start_time"].strftime("%H:%M"),
            "end_time": d["end_time"].strftime("%H:%M"),
        }
        if d.get("min_capacity"):
            query["attendees"] = d["min_capacity"]
        for row in results:
            row.book_url = f"{reverse('venuebooking_create')}?{urlencode({**query, 'room': row.room.pk})}"
            row.calendar_url = f"{reverse('venue_room_calendar', args=[row.room.pk])}?week={query['date']}"
    return render(
        request,
        "venues/find.html",
        {"form": form, "results": results, "may_book": policy.may_add_any(request.user, VenueBooking)},
    )


class VenueBookingMixin:
    model = VenueBooking
    selector = staticmethod(selectors.booking_list)


class VenueBookingListView(VenueBookingMixin, generic.ObjectListView):
    filterset_class = VenueBookingFilterSet
    filter_fields = ("q", "status", "room", "date_from", "date_to")
    table_class = tables.VenueBookingTable

    def extra_context(self):
        return {
            "approves": approves_any(policy.actor_for(self.request.user)),
            "quick_filters": [
                (_("Pending"), "status=pending"),
                (_("Approved"), "status=approved"),
                (_("Requested by me"), "mine=true"),
                (_("Rooms I approve"), "to_approve=true&status=pending"),
            ],
        }


class VenueBookingHistoryView(VenueBookingMixin, generic.ObjectHistoryView):
    pass


class VenueBookingDetailView(VenueBookingMixin, generic.ObjectDetailView):
    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        actor = policy.actor_for(user)
        approver = may_approve(actor, obj.room)
        pending = obj.status == BookingStatus.PENDING
        context.update(
            {
                "booking": obj,
                "status_badge": STATUS_BADGES.get(obj.status, "secondary"),
                "can_change": services.may_edit(user, obj),
                "can_approve": approver and pending,
                "can_cancel": services.may_cancel(user, obj),
                "cancel_needs_reason": not (actor.person_id and obj.requester_id == actor.person_id),
                "conflicts": selectors.conflicts(
                    obj.room_id, obj.date, obj.start_time, obj.end_time, exclude_booking=obj.pk
                )
                if approver and pending
                else [],
                "calendar_url": f"{reverse('venue_room_calendar', args=[obj.room_id])}?week={obj.date.isoformat()}",
                "note_form": NoteForm(),
                "reason_form": ReasonForm(),
                "cancel_form": ReasonForm(required=False),
            }
        )
        return context


class VenueBookingEditView(VenueBookingMixin, generic.ObjectEditView):
    """Request a venue (prefilled from "Find a venue"), or change a pending request."""

    form_class = BookingForm

    def get_initial(self):
        initial = {}
        for key in ("room", "date", "start_time", "end_time", "attendees"):
            if self.request.GET.get(key):
                initial[key] = self.request.GET[key]
        return initial

    def get_form(self, obj, data=None):
        return BookingForm(data, user=self.request.user, instance=obj, initial=self.get_initial() or None)

    def get_object_for(self, pk, action):
        obj = self.get_object(pk)
        if not services.may_edit(self.request.user, obj):
            raise PermissionDenied
        return obj

    def create_object(self, form):
        booking = services.booking_request(actor=self.request.user, **form.cleaned_data)
        if booking.status == BookingStatus.APPROVED:
            messages.info(self.request, _("You approve this room: the booking is approved."))
        else:
            messages.info(self.request, _("Your request was sent to the room's approvers."))
        return booking

    def update_object(self, obj, form):
        return services.booking_update(actor=self.request.user, booking=obj, data=form.cleaned_data)


@login_required
def my_bookings(request):
    """The bookings I requested: upcoming (pending and approved) and the others."""
    rows = list(selectors.my_bookings(user=request.user)[:200])
    today = timezone.localdate()
    upcoming = sorted((b for b in rows if b.is_active and b.date >= today), key=lambda b: (b.date, b.start_time, b.pk))
    others = [b for b in rows if b not in upcoming]
    return render(
        request,
        "venues/my_bookings.html",
        {
            "upcoming": upcoming,
            "others": others,
            "status_badges": STATUS_BADGES,
            "may_book": policy.may_add_any(request.user, VenueBooking),
        },
    )


@login_required
def approval_queue(request):
    """The pending requests of the rooms I approve, soonest first, each with approve and reject."""
    if not approves_any(policy.actor_for(request.user)):
        raise PermissionDenied
    rows = list(selectors.approval_queue(user=request.user)[:200])
    return render(
        request,
        "venues/queue.html",
        {"rows": rows, "reason_form": ReasonForm(), "today": timezone.localdate()},
    )


@login_required
def room_calendar(request, pk: int):
    """A room's week: published lectures, approved bookings, pending requests and unavailable times."""
    room = get_object_or_404(policy.restrict(Room.objects.select_related("owner"), request.user), pk=pk)
    monday = selectors.week_start(_parse_date(request.GET.get("week", ""), timezone.localdate()))
    days = selectors.room_week(user=request.user, room=room, monday=monday)
    return render(
        request,
        "venues/room_calendar.html",
        {
            "room": room,
            "days": days,
            "monday": monday,
            "sunday": monday + datetime.timedelta(days=6),
            "previous": (monday - datetime.timedelta(days=7)).isoformat(),
            "next": (monday + datetime.timedelta(days=7)).isoformat(),
            "today": timezone.localdate(),
            "bookable": room.room_kind in services.BOOKABLE_ROOM_KINDS and room.is_active,
            "may_book": policy.may_add_any(request.user, VenueBooking),
        },
    )


# --- steps ---------------------------------------------------------------------------------------------

STEP_DONE = {
    "approve": gettext_lazy("The booking is approved; the requester is told."),
    "reject": gettext_lazy("The request is rejected; the requester is told."),
    "cancel": gettext_lazy("The booking is cancelled."),
}


@login_required
def booking_step(request, pk: int, step: str):
    """Approve, reject or cancel a booking (forms of its page and of the queue); errors come back as messages."""
    if step not in STEP_DONE:
        raise Http404
    if request.method != "POST":
        return redirect("venuebooking_detail", pk=pk)
    booking = get_object_or_404(selectors.booking_list(user=request.user), pk=pk)
    back = generic.safe_return_url(request, reverse("venuebooking_detail", args=[booking.pk]))
    try:
        if step == "approve":
            services.booking_approve(actor=request.user, booking=booking, note=request.POST.get("note", ""))
        elif step == "reject":
            services.booking_reject(actor=request.user, booking=booking, reason=request.POST.get("reason", ""))
        else:
            services.booking_cancel(actor=request.user, booking=booking, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, generic.error_text(exc))
    else:
        messages.success(request, str(STEP_DONE[step]))
    return redirect(back)
