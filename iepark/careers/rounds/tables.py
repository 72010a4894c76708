"""Tables of the rounds' list pages (the same columns describe their detail panels)."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from iepark.core.tables import (
    BADGE_COLOURS,
    EMPTY,
    ChoiceColumn,
    Column,
    DateColumn,
    DateTimeColumn,
    Table,
    TemplateColumn,
    object_link,
)

from ..choices import RoundStatus
from ..models import MatchingRound, RoundMatch, RoundPosition, RoundStudentList

# Badge colours of the round's states (other apps may have chosen one for the same value first).
for _value, _colour in (
    (RoundStatus.OPEN, "success"),
    (RoundStatus.CLOSED, "warning"),
    (RoundStatus.RUNNING, "primary"),
    (RoundStatus.COMPUTED, "info"),
    (RoundStatus.PUBLISHED, "primary"),
    (RoundStatus.CANCELLED, "dark"),
):
    BADGE_COLOURS.setdefault(str(_value), _colour)


def posting_cell(position: RoundPosition | None) -> SafeString:
    """Return a position's posting title and enterprise, linked to the position's page."""
    if position is None:
        return EMPTY
    return format_html(
        '{}<div class="small text-body-secondary">{}</div>',
        object_link(position, position.posting.display_title),
        position.posting.enterprise,
    )


def _choice_cell(match: RoundMatch) -> SafeString:
    if match.choice_rank is None:
        return format_html('<span class="badge text-bg-secondary">{}</span>', _("Unmatched"))
    colour = "success" if match.choice_rank == 1 else ("primary" if match.choice_rank <= 3 else "secondary")
    return format_html('<span class="badge text-bg-{}">{}</span>', colour, match.choice_rank)


class MatchingRoundTable(Table):
    model = MatchingRound
    columns = [
        Column("name", linkify=True, order_by="name"),
        Column("cohort_year", order_by="cohort_year"),
        ChoiceColumn("status", order_by="status"),
        DateTimeColumn("deadline", order_by="deadline"),
        DateColumn("offer_deadline", order_by="offer_deadline"),
        ChoiceColumn("tie_breaking", as_badge=False),
        DateTimeColumn("published_at", order_by="published_at"),
    ]


class RoundPositionTable(Table):
    model = RoundPosition
    columns = [
        TemplateColumn("posting", label=_("Position"), render=posting_cell),
        ChoiceColumn("posting.kind", as_badge=False),
        Column("capacity", order_by="capacity"),
        Column("round", linkify="round", order_by="round__name"),
        DateTimeColumn("ranking_submitted_at", order_by="ranking_submitted_at"),
    ]


class RoundStudentListTable(Table):
    model = RoundStudentList
    columns = [
        Column("student.person", linkify=True, label=_("Student"), order_by="student__person__name"),
        Column("student.student_number", css_class="font-monospace", order_by="student__student_number"),
        Column("student.college", order_by="student__college__name"),
        Column("round", linkify="round", order_by="round__name"),
        TemplateColumn(
            "preferences", label=_("Positions ranked"), render=lambda row: format_html("{}", len(row.preferences or []))
        ),
        DateTimeColumn("submitted_at", order_by="submitted_at"),
    ]


class RoundMatchTable(Table):
    model = RoundMatch
    columns = [
        Column("student.person", linkify=True, label=_("Student"), order_by="student__person__name"),
        Column("student.college", order_by="student__college__name"),
        Column("student.major", order_by="student__major__code"),
        TemplateColumn("position", label=_("Matched position"), render=lambda row: posting_cell(row.position)),
        TemplateColumn("choice_rank", label=_("Choice obtained"), render=_choice_cell, order_by="choice_rank"),
        Column("round", linkify="round", order_by="round__name"),
    ]


POSITION_FIELDS = [
    Column("round", linkify="round"),
    Column("posting"),
    Column("posting.enterprise"),
    ChoiceColumn("posting.kind", as_badge=False),
    Column("capacity"),
    DateTimeColumn("ranking_submitted_at"),
]

LIST_FIELDS = [
    Column("round", linkify="round"),
    Column("student.person", label=_("Student")),
    Column("student.student_number", css_class="font-monospace"),
    Column("student.college"),
    Column("student.major"),
    DateTimeColumn("submitted_at"),
]

MATCH_FIELDS = [
    Column("round", linkify="round"),
    Column("student.person", label=_("Student")),
    Column("student.college"),
    Column("student.major"),
    TemplateColumn("position", label=_("Matched position"), render=lambda row: posting_cell(row.position)),
    TemplateColumn("choice_rank", label=_("Choice obtained"), render=_choice_cell),
]

ROUND_FIELDS = [
    Column("name"),
    Column("park"),
    Column("cohort_year"),
    ChoiceColumn("status"),
    DateTimeColumn("deadline"),
    DateColumn("offer_deadline"),
    ChoiceColumn("tie_breaking", as_badge=False),
    Column("seed", css_class="font-monospace"),
    DateTimeColumn("computed_at"),
    DateTimeColumn("published_at"),
]
