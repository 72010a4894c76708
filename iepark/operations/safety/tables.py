"""Tables of the safety list pages."""

from __future__ import annotations

from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from iepark.core.tables import EMPTY, BooleanColumn, ChoiceColumn, Column, DateColumn, Table, TemplateColumn

from .choices import CheckResult, EquipmentStatus, RectificationStatus, RoundStatus, Severity
from .models import (
    EquipmentCheck,
    Finding,
    FireEquipment,
    InspectionRound,
    InspectionSchedule,
    InspectionTemplate,
    RectificationTask,
)

SEVERITY_COLOURS = {
    Severity.LOW: "secondary",
    Severity.MEDIUM: "info",
    Severity.HIGH: "warning",
    Severity.CRITICAL: "danger",
}
STATUS_COLOURS = {
    RoundStatus.SCHEDULED: "secondary",
    RoundStatus.IN_PROGRESS: "primary",
    RoundStatus.COMPLETED: "success",
    RectificationStatus.OPEN: "warning",
    RectificationStatus.REPORTED_DONE: "info",
    RectificationStatus.CLOSED: "success",
    EquipmentStatus.IN_SERVICE: "success",
    EquipmentStatus.OUT_OF_SERVICE: "danger",
    EquipmentStatus.RETIRED: "secondary",
    CheckResult.PASS: "success",
    CheckResult.FAIL: "danger",
}


def coloured(value: Any, label: Any, colours: dict[str, str]) -> SafeString:
    if not value:
        return EMPTY
    return format_html(
        '<span class="badge rounded-pill text-bg-{}">{}</span>', colours.get(str(value), "secondary"), label
    )


def severity_badge(finding: Finding) -> SafeString:
    return coloured(finding.severity, finding.get_severity_display(), SEVERITY_COLOURS)


def status_badge(row: Any) -> SafeString:
    return coloured(row.status, row.get_status_display(), STATUS_COLOURS)


def overdue_badge(row: Any) -> SafeString:
    if getattr(row, "is_overdue", False):
        return format_html('<span class="badge text-bg-danger">{}</span>', _("Overdue"))
    return EMPTY


def task_cell(finding: Finding) -> SafeString:
    task = getattr(finding, "task", None)
    if task is None:
        return EMPTY
    from iepark.core.tables import object_link

    badge = coloured(task.status, task.get_status_display(), STATUS_COLOURS)
    late = overdue_badge(finding)
    return format_html("{} {} {}", object_link(task, task.deadline.isoformat()), badge, late)


def equipment_flags(item: FireEquipment) -> SafeString:
    parts = []
    if getattr(item, "is_expired", False):
        parts.append(format_html('<span class="badge text-bg-danger">{}</span>', _("Expired")))
    if getattr(item, "is_overdue", False):
        parts.append(format_html('<span class="badge text-bg-danger">{}</span>', _("Check overdue")))
    elif getattr(item, "is_due", False):
        parts.append(format_html('<span class="badge text-bg-warning">{}</span>', _("Check due")))
    return format_html(" ".join(["{}"] * len(parts)), *parts) if parts else EMPTY


def round_due_badge(row: InspectionRound) -> SafeString:
    if getattr(row, "is_due", False):
        return format_html('<span class="badge text-bg-warning">{}</span>', _("Due"))
    return EMPTY


class InspectionTemplateTable(Table):
    model = InspectionTemplate
    columns = [
        Column("name", linkify=True, order_by="name"),
        ChoiceColumn("area_kind", order_by="area_kind", as_badge=False),
        ChoiceColumn("kind", order_by="kind", as_badge=False),
        Column("items_count", label=_("Items"), order_by="items_count"),
        BooleanColumn("is_active", order_by="is_active"),
    ]


class InspectionScheduleTable(Table):
    model = InspectionSchedule
    columns = [
        Column("place", linkify=True, order_by="place"),
        Column("template", order_by="template__name"),
        TemplateColumn("every", label=_("Every"), render=lambda s: format_html("{} {}", s.every, s.get_unit_display())),
        DateColumn("next_date", order_by="next_date"),
        Column("inspector"),
        Column("owner"),
        BooleanColumn("is_active", order_by="is_active"),
    ]


class InspectionRoundTable(Table):
    model = InspectionRound
    columns = [
        DateColumn("scheduled_date", linkify=True, order_by="scheduled_date"),
        Column("place", linkify=True, order_by="place"),
        Column("template", order_by="template__name"),
        Column("inspector"),
        TemplateColumn("status", label=_("Status"), render=status_badge, order_by="status"),
        TemplateColumn("is_due", label=_("Due"), render=round_due_badge),
        Column("findings_count", label=_("Findings"), order_by="findings_count"),
    ]


class FindingTable(Table):
    model = Finding
    columns = [
        Column("pk", label="#", linkify=True, order_by="pk"),
        DateColumn("found_on", order_by="found_on"),
        TemplateColumn("severity", label=_("Severity"), render=severity_badge, order_by="severity"),
        Column("description", linkify=True),
        Column("round.place", label=_("Place")),
        Column("place"),
        Column("task.owner", label=_("Owner")),
        TemplateColumn("task", label=_("Rectification"), render=task_cell, order_by="task__deadline"),
    ]


class RectificationTaskTable(Table):
    model = RectificationTask
    columns = [
        Column("pk", label="#", linkify=True, order_by="pk"),
        Column("finding.description", label=_("Finding"), linkify=True),
        TemplateColumn("finding.severity", label=_("Severity"), render=lambda t: severity_badge(t.finding)),
        Column("finding.round.place", label=_("Place")),
        Column("owner", order_by="owner__name"),
        DateColumn("deadline", order_by="deadline"),
        TemplateColumn("status", label=_("Status"), render=status_badge, order_by="status"),
        TemplateColumn("is_overdue", label=_("Overdue"), render=overdue_badge),
    ]


class FireEquipmentTable(Table):
    model = FireEquipment
    columns = [
        Column("code", linkify=True, order_by="code"),
        ChoiceColumn("kind", order_by="kind", as_badge=False),
        Column("location", order_by="location"),
        DateColumn("last_checked_on", order_by="last_checked_on"),
        DateColumn("next_check_due", order_by="next_check_due"),
        DateColumn("expiry_date", order_by="expiry_date"),
        TemplateColumn("status", label=_("Status"), render=status_badge, order_by="status"),
        TemplateColumn("flags", label=_("Attention"), render=equipment_flags),
    ]


class EquipmentCheckTable(Table):
    model = EquipmentCheck
    columns = [
        DateColumn("checked_on", order_by="checked_on"),
        Column("equipment", order_by="equipment__code"),
        TemplateColumn(
            "result", label=_("Result"), render=lambda c: coloured(c.result, c.get_result_display(), STATUS_COLOURS)
        ),
        Column("inspector"),
        Column("note"),
    ]
