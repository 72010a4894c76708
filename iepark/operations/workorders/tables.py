"""Tables of the work order list pages."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from iepark.core.tables import (
    EMPTY,
    BooleanColumn,
    ChoiceColumn,
    Column,
    DateColumn,
    DateTimeColumn,
    Table,
    TemplateColumn,
)

from .choices import STATUS_BADGES, URGENCY_BADGES
from .models import MaintenancePlan, WorkOrder


def status_badges(order: WorkOrder) -> SafeString:
    """The order's status, with live "overdue" and "escalated" badges."""
    html = format_html(
        '<span class="badge text-bg-{}">{}</span>',
        STATUS_BADGES.get(order.status, "secondary"),
        order.get_status_display(),
    )
    if getattr(order, "overdue", False):
        html += format_html(
            ' <span class="badge text-bg-danger"><i class="bi bi-alarm me-1"></i>{}</span>', _("Overdue")
        )
    if order.escalation_level and order.is_open:
        html += format_html(
            ' <span class="badge text-bg-warning" title="{}"><i class="bi bi-exclamation-triangle me-1"></i>{}</span>',
            _("Escalated to the park administrators"),
            _("Escalated"),
        )
    return html


def urgency_badge(order: WorkOrder) -> SafeString:
    return format_html(
        '<span class="badge text-bg-{}">{}</span>',
        URGENCY_BADGES.get(order.urgency, "secondary"),
        order.get_urgency_display(),
    )


def place_cell(order: WorkOrder) -> SafeString:
    return format_html("{}", order.place_label) if order.place_label else EMPTY


def rating_cell(order: WorkOrder) -> SafeString:
    if order.rating is None:
        return EMPTY
    return format_html('<span class="text-warning" title="{}/5">{}</span>', order.rating, "★" * order.rating)


class WorkOrderTable(Table):
    model = WorkOrder
    columns = [
        Column("reference", linkify=True, order_by="number", css_class="font-monospace text-nowrap"),
        Column("title", linkify=True, order_by="title"),
        TemplateColumn("place_kind", label=_("Place"), render=place_cell),
        ChoiceColumn("category", order_by="category", as_badge=False),
        TemplateColumn("urgency", label=_("Urgency"), render=urgency_badge, order_by="urgency"),
        TemplateColumn("status", label=_("Status"), render=status_badges, order_by="status"),
        Column("assignee", order_by="assignee__name"),
        DateTimeColumn("reported_at", order_by="reported_at"),
        DateTimeColumn("resolution_due", order_by="resolution_due"),
        TemplateColumn("rating", label=_("Rating"), render=rating_cell, order_by="rating"),
    ]


class MaintenancePlanTable(Table):
    model = MaintenancePlan
    columns = [
        Column("title", linkify=True, order_by="title"),
        ChoiceColumn("category", order_by="category", as_badge=False),
        TemplateColumn("every", label=_("Recurrence"), render=lambda p: format_html("{}", p.recurrence_label)),
        DateColumn("next_due", order_by="next_due"),
        Column("default_assignee"),
        Column("orders_count", label=_("Orders")),
        BooleanColumn("is_active", order_by="is_active"),
    ]
