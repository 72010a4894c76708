"""Tables of the governance list pages."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from iepark.core.tables import BooleanColumn, ChoiceColumn, Column, DateColumn, DateTimeColumn, Table, TemplateColumn

from .models import AssessmentLine, AssessmentRun, Objection, PolicyDocument, SubsidyProgramme

STATUS_CSS = {
    "computing": "text-bg-info",
    "failed": "text-bg-danger",
    "draft": "text-bg-secondary",
    "reviewed": "text-bg-primary",
    "approved": "text-bg-success",
    "paid": "text-bg-dark",
    "superseded": "text-bg-light border",
    "open": "text-bg-warning",
    "accepted": "text-bg-success",
    "rejected": "text-bg-secondary",
    "withdrawn": "text-bg-light border",
}


def status_badge(obj) -> SafeString:
    return format_html(
        '<span class="badge {}">{}</span>', STATUS_CSS.get(obj.status, "text-bg-light"), obj.get_status_display()
    )


def money(value) -> SafeString:
    return format_html('<span class="text-nowrap">¥{}</span>', f"{value:,.2f}")


class PolicyDocumentTable(Table):
    model = PolicyDocument
    columns = [
        Column("title", linkify=True, order_by="title"),
        Column("document_number"),
        Column("issuing_body", order_by="issuing_body"),
        DateColumn("effective_from", order_by="effective_from"),
        DateColumn("effective_to", order_by="effective_to"),
        ChoiceColumn("visibility", order_by="visibility"),
    ]


class SubsidyProgrammeTable(Table):
    model = SubsidyProgramme
    columns = [
        Column("name", linkify=True, order_by="name"),
        Column("name_en"),
        Column("policy"),
        TemplateColumn(
            "version_count", label=_("versions"), render=lambda p: format_html("{}", getattr(p, "version_count", ""))
        ),
        BooleanColumn("amounts_are_examples"),
    ]


class AssessmentRunTable(Table):
    model = AssessmentRun
    columns = [
        Column("pk", label=_("run"), linkify=True, order_by="pk"),
        Column("version", linkify="version"),
        DateColumn("period_start", order_by="period_start"),
        DateColumn("period_end", order_by="period_end"),
        Column("revision"),
        TemplateColumn("status", label=_("status"), render=status_badge),
        Column("line_count"),
        TemplateColumn("total", label=_("total (¥)"), render=lambda r: money(r.total)),
        DateTimeColumn("created_at", order_by="created_at"),
    ]


class AssessmentLineTable(Table):
    model = AssessmentLine
    columns = [
        Column("pk", label=_("line"), linkify=True, order_by="pk"),
        Column("student.person", label=_("graduate")),
        Column("student.student_number", label=_("student number")),
        Column("rule"),
        TemplateColumn("payee", label=_("payee"), render=lambda line: format_html("{}", line.payee)),
        DateColumn("qualifying_date", order_by="qualifying_date"),
        TemplateColumn("amount", label=_("amount (¥)"), render=lambda line: money(line.amount)),
        TemplateColumn(
            "run",
            label=_("run"),
            render=lambda line: format_html(
                '{} – {} <span class="badge {}">{}</span>',
                line.run.period_start.isoformat(),
                line.run.period_end.isoformat(),
                STATUS_CSS.get(line.run.status, ""),
                line.run.get_status_display(),
            ),
        ),
    ]


class ObjectionTable(Table):
    model = Objection
    columns = [
        Column("pk", label=_("objection"), linkify=True, order_by="pk"),
        Column("line", linkify="line"),
        Column("organisation"),
        TemplateColumn("status", label=_("status"), render=status_badge),
        DateTimeColumn("created_at", order_by="created_at"),
        DateTimeColumn("resolved_at"),
    ]
