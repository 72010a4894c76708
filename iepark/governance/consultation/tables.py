"""Tables of the meeting and action item list pages."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from iepark.core.tables import ChoiceColumn, Column, DateColumn, DateTimeColumn, Table, TemplateColumn

from .choices import ACTION_STATUS_BADGES, MEETING_STATUS_BADGES
from .models import ActionItem, Meeting


def meeting_status(meeting: Meeting) -> SafeString:
    return format_html(
        '<span class="badge text-bg-{}">{}</span>',
        MEETING_STATUS_BADGES.get(meeting.status, "secondary"),
        meeting.get_status_display(),
    )


def action_status(item: ActionItem) -> SafeString:
    html = format_html(
        '<span class="badge text-bg-{}">{}</span>',
        ACTION_STATUS_BADGES.get(item.status, "secondary"),
        item.get_status_display(),
    )
    if getattr(item, "overdue", False):
        html += format_html(
            ' <span class="badge text-bg-danger"><i class="bi bi-alarm me-1"></i>{}</span>', _("Overdue")
        )
    return html


class MeetingTable(Table):
    model = Meeting
    columns = [
        DateTimeColumn("starts_at", order_by="starts_at"),
        Column("title", linkify=True, order_by="title"),
        ChoiceColumn("kind", order_by="kind", as_badge=False),
        Column("place"),
        TemplateColumn("status", label=_("Status"), render=meeting_status, order_by="status"),
        Column("participant_count", label=_("Participants")),
        Column("open_actions", label=_("Open action items")),
    ]


class ActionItemTable(Table):
    model = ActionItem
    columns = [
        Column("title", order_by="title"),
        Column("owner_organisation", order_by="owner_organisation__name"),
        Column("owner_person", order_by="owner_person__name"),
        DateColumn("due_date", order_by="due_date"),
        TemplateColumn("status", label=_("Status"), render=action_status, order_by="status"),
        Column("meeting", label=_("Meeting"), order_by="meeting__starts_at"),  # a link only for who may open it
    ]
