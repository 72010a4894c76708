"""Tables of the outcome list pages (and the attributes of their detail pages)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
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
    model_field,
    object_link,
)

from ..choices import ClaimStatus, DestinationCategory, LeaveReason
from ..models import EmploymentClaim, EmploymentRecord, GraduateDestination, HeadcountConfirmation

# Colours of this area's choice badges (kept here: several enumerations share values such as "dismissed").
CLAIM_COLOURS = {
    ClaimStatus.AGREES: "success",
    ClaimStatus.CONFLICT: "danger",
    ClaimStatus.APPLIED: "primary",
    ClaimStatus.DISMISSED: "secondary",
}
LEAVE_COLOURS = {
    LeaveReason.RESIGNED: "warning",
    LeaveReason.DISMISSED: "danger",
    LeaveReason.CONTRACT_ENDED: "secondary",
    LeaveReason.TRANSFERRED: "info",
}
DESTINATION_COLOURS = {
    DestinationCategory.FURTHER_STUDY: "info",
    DestinationCategory.CONTRACT_EMPLOYMENT: "success",
    DestinationCategory.FLEXIBLE_EMPLOYMENT: "primary",
    DestinationCategory.SELF_EMPLOYMENT: "primary",
    DestinationCategory.NOT_PLACED: "warning",
}


def coloured_badge(value: str, label: Any, colours: dict[str, str]) -> SafeString:
    """Return the site's choice badge for ``value`` in this area's colour for it."""
    return format_html(
        '<span class="badge rounded-pill text-bg-{} bg-opacity-75 badge-choice">{}</span>',
        colours.get(str(value), "secondary"),
        label,
    )


class ColouredChoiceColumn(ChoiceColumn):
    """A choice column whose badge colours come from ``colours``."""

    def __init__(self, accessor: str, *, colours: dict[str, str], **kwargs: Any) -> None:
        super().__init__(accessor, **kwargs)
        self.colours = colours

    def render_value(self, value: Any, row: Any) -> SafeString:
        if value in (None, ""):
            return EMPTY
        field = model_field(self.model, self.accessor) if self.model else None
        label = dict(field.choices).get(value, value) if field is not None and field.choices else value
        return coloured_badge(value, label, self.colours)


def employer_cell(row) -> SafeString:
    """The zone employer as a link, or the name of the employer outside the zone, marked as such."""
    if getattr(row, "employer_id", None):
        return object_link(row.employer)
    name = getattr(row, "employer_name", "")
    if not name:
        return EMPTY
    return format_html('{} <span class="badge text-bg-light border fw-normal">{}</span>', name, _("outside the zone"))


def graduate_cell(row) -> SafeString:
    student = row.student
    return format_html(
        '{} <span class="text-body-tertiary small font-monospace">{}</span>', student.person, student.student_number
    )


def spell_cell(record: EmploymentRecord) -> SafeString:
    """Start – end of a spell, "now" when it is current."""
    end = f"{record.end_date:%Y-%m-%d}" if record.end_date else _("now")
    current = record.end_date is None or record.end_date > timezone.localdate()
    return format_html(
        '<span class="text-nowrap">{} – {}</span>{}',
        f"{record.start_date:%Y-%m-%d}",
        end,
        format_html(' <i class="bi bi-circle-fill text-success small" title="{}"></i>', _("current"))
        if current
        else "",
    )


def claim_says_cell(claim: EmploymentClaim) -> SafeString:
    """What the claim says, in a few words."""
    if claim.employed:
        return format_html("{} {}", _("Employed at"), employer_cell(claim))
    if claim.end_date:
        return format_html(
            "{} {}{}",
            _("Left on"),
            f"{claim.end_date:%Y-%m-%d}",
            format_html(" ({})", claim.get_leave_reason_display()) if claim.leave_reason else "",
        )
    return format_html("{}", _("Not employed"))


def record_cell(claim: EmploymentClaim) -> SafeString:
    record = claim.record
    if record is None:
        return EMPTY
    return object_link(record, format_html("{} · {}", record.employer_label, record.post))


class EmploymentRecordTable(Table):
    model = EmploymentRecord
    empty_text = _("No employment records match.")
    columns = [
        TemplateColumn("student", label=_("Graduate"), render=lambda r: object_link(r, graduate_cell(r))),
        Column("student.college", label=_("College")),
        Column("student.cohort_year", label=_("Cohort"), order_by="student__cohort_year"),
        TemplateColumn("employer", label=_("Employer"), render=employer_cell),
        Column("post", order_by="post"),
        ChoiceColumn("contract_type", order_by="contract_type", as_badge=False),
        TemplateColumn("start_date", label=_("Spell"), render=spell_cell, order_by="start_date"),
        ColouredChoiceColumn("leave_reason", colours=LEAVE_COLOURS, order_by="leave_reason"),
        BooleanColumn("via_order_class", label=_("Order class"), order_by="via_order_class"),
        DateColumn("last_confirmed", order_by="last_confirmed"),
    ]


class EmploymentClaimTable(Table):
    model = EmploymentClaim
    empty_text = _("No claims match.")
    columns = [
        TemplateColumn("student", label=_("Graduate"), render=lambda c: object_link(c, graduate_cell(c))),
        Column("student.college", label=_("College")),
        ChoiceColumn("source", order_by="source", as_badge=False),
        DateColumn("as_of", order_by="as_of"),
        TemplateColumn("employed", label=_("Says"), render=claim_says_cell),
        TemplateColumn("record", label=_("Record"), render=record_cell),
        ColouredChoiceColumn("status", colours=CLAIM_COLOURS, order_by="status"),
    ]


class HeadcountConfirmationTable(Table):
    model = HeadcountConfirmation
    empty_text = _("No headcount confirmations yet.")
    columns = [
        Column("enterprise", order_by="enterprise__name"),
        TemplateColumn(
            "month",
            label=_("Month"),
            render=lambda h: object_link(h, format_html("{}", f"{h.month:%Y-%m}")),
            order_by="month",
        ),
        Column("confirmed", order_by="confirmed", css_class="text-end"),
        Column("left", order_by="left", css_class="text-end"),
        DateTimeColumn("created_at", order_by="created_at"),
    ]


def destination_cell(destination: GraduateDestination) -> SafeString:
    return coloured_badge(destination.category, destination.get_category_display(), DESTINATION_COLOURS)


class GraduateDestinationTable(Table):
    model = GraduateDestination
    empty_text = _("No destinations recorded.")
    columns = [
        TemplateColumn("student", label=_("Graduate"), render=lambda d: object_link(d, graduate_cell(d))),
        Column("student.college", label=_("College")),
        Column("student.major", label=_("Major")),
        Column("student.cohort_year", label=_("Cohort"), order_by="student__cohort_year"),
        TemplateColumn("category", label=_("Destination"), render=destination_cell, order_by="category"),
        TemplateColumn(
            "employer", label=_("Employer"), render=lambda d: object_link(d.employer) if d.employer_id else EMPTY
        ),
        Column("detail"),
        DateColumn("as_of", order_by="as_of"),
        ChoiceColumn("source", as_badge=False, order_by="source"),
    ]
