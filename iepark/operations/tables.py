"""Tables of the operations list pages."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from iepark.core.tables import EMPTY, BooleanColumn, ChoiceColumn, Column, DateColumn, Table, TemplateColumn

from .models import ServiceNotice, ServicePoint


def open_now_badge(point: ServicePoint) -> SafeString:
    """Show whether the point is open now (its ``open_now`` annotation)."""
    is_open = getattr(point, "open_now", None)
    if is_open is None:
        return EMPTY
    if is_open:
        return format_html('<span class="badge text-bg-success">{}</span>', _("Open now"))
    return format_html('<span class="badge text-bg-secondary">{}</span>', _("Closed now"))


# --- service points -----------------------------------------------------------------------------


class ServicePointTable(Table):
    model = ServicePoint
    columns = [
        Column("name", linkify=True, order_by="name"),
        Column("name_en", order_by="name_en"),
        ChoiceColumn("kind", order_by="kind", as_badge=False),
        Column("place"),
        TemplateColumn("open_now", label=_("Now"), render=open_now_badge),
        Column("phone"),
        BooleanColumn("is_active", order_by="is_active"),
    ]


class ServiceNoticeTable(Table):
    model = ServiceNotice
    columns = [
        Column("title", linkify=True, order_by="title"),
        Column("service_point", order_by="service_point__name"),
        DateColumn("valid_from", order_by="valid_from"),
        DateColumn("valid_to", order_by="valid_to"),
        BooleanColumn("closes_point", order_by="closes_point"),
    ]
