"""Tables of the venue booking pages."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from iepark.core.tables import Column, DateColumn, Table, TemplateColumn

from .choices import STATUS_BADGES
from .models import VenueBooking


def status_badge(booking: VenueBooking) -> SafeString:
    return format_html(
        '<span class="badge text-bg-{}">{}</span>',
        STATUS_BADGES.get(booking.status, "secondary"),
        booking.get_status_display(),
    )


def time_cell(booking: VenueBooking) -> SafeString:
    return format_html('<span class="text-nowrap">{}</span>', booking.time_label)


class VenueBookingTable(Table):
    model = VenueBooking
    columns = [
        TemplateColumn(
            "reference",
            label=_("Reference"),
            render=lambda b: format_html(
                '<a class="font-monospace" href="{}">{}</a>', b.get_absolute_url(), b.reference
            ),
        ),
        Column("room", order_by=("room__building", "room__number")),
        DateColumn("date", order_by=("date", "start_time")),
        TemplateColumn("start_time", label=_("Time"), render=time_cell, order_by=("start_time",)),
        Column("purpose", order_by="purpose"),
        Column("attendees", order_by="attendees"),
        Column("organisation", order_by="organisation__name"),
        Column("requester", order_by="requester__name"),
        TemplateColumn("status", label=_("Status"), render=status_badge, order_by="status"),
    ]
