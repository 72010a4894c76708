"""Tables of the attendance list pages."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from iepark.core.tables import Column, DateColumn, DateTimeColumn, Table, TemplateColumn

from .choices import LEAVE_BADGES
from .models import AttendanceSession, LeaveRequest


def _leave_status(leave: LeaveRequest):
    return format_html(
        '<span class="badge text-bg-{}">{}</span>',
        LEAVE_BADGES.get(leave.status, "secondary"),
        leave.get_status_display(),
    )


def _counts(session: AttendanceSession):
    return format_html(
        '<span class="text-nowrap"><span class="badge text-bg-success">{}</span> '
        '<span class="badge text-bg-warning">{}</span> <span class="badge text-bg-danger">{}</span> '
        '<span class="badge text-bg-info">{}</span></span>',
        session.present_count,
        session.late_count,
        session.absent_count,
        session.excused_count,
    )


class AttendanceSessionTable(Table):
    model = AttendanceSession
    columns = [
        DateColumn("date", linkify=True, order_by="date"),
        TemplateColumn(
            "start_time",
            label=_("Time"),
            render=lambda s: format_html("{}–{} ({})", f"{s.start_time:%H:%M}", f"{s.end_time:%H:%M}", s.period),
        ),
        TemplateColumn("course", label=_("Course"), render=lambda s: format_html("{}", s.course)),
        TemplateColumn("entry.room", label=_("Room"), render=lambda s: format_html("{}", s.entry.room)),
        TemplateColumn("counts", label=_("Present · late · absent · excused"), render=_counts),
        DateTimeColumn("updated_at", order_by="updated_at"),
    ]


class LeaveRequestTable(Table):
    model = LeaveRequest
    columns = [
        TemplateColumn("student", label=_("Student"), render=lambda r: format_html("{}", r.student)),
        TemplateColumn("span", label=_("Leave"), render=lambda r: format_html("{}", r.span_label())),
        Column("reason", linkify=True),
        TemplateColumn("status", label=_("Status"), render=_leave_status),
        DateTimeColumn("created_at", order_by="created_at"),
        Column("decision_note"),
    ]
