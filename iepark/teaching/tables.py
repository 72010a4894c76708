"""Tables of the teaching list pages."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from iepark.core.tables import EMPTY, BooleanColumn, ChoiceColumn, Column, DateColumn, Table, TemplateColumn

from .choices import AgreementStatus
from .models import (
    Cohort,
    CooperationAgreement,
    Course,
    Enrolment,
    Room,
    RoomFeature,
    RoomUnavailability,
    TeacherUnavailability,
    Term,
    TimetableRun,
)

STATUS_COLOURS = {
    AgreementStatus.DRAFT: "secondary",
    AgreementStatus.SIGNED: "info",
    AgreementStatus.ACTIVE: "success",
    AgreementStatus.EXPIRED: "warning",
    AgreementStatus.TERMINATED: "dark",
}


def agreement_status_badge(agreement: CooperationAgreement) -> SafeString:
    """The agreement's status today (expired computed from the end date)."""
    status = agreement.current_status
    return format_html(
        '<span class="badge text-bg-{}">{}</span>',
        STATUS_COLOURS.get(status, "secondary"),
        AgreementStatus(status).label,
    )


def _names(rows) -> SafeString:
    names = [str(r) for r in rows]
    return format_html("{}", ", ".join(names)) if names else EMPTY


class AgreementTable(Table):
    model = CooperationAgreement
    columns = [
        Column("title", linkify=True, order_by="title"),
        ChoiceColumn("agreement_type", order_by="agreement_type", as_badge=False),
        TemplateColumn("parties", label=_("Parties"), render=lambda a: _names(a.parties.all())),
        TemplateColumn("scopes", label=_("Scope"), render=lambda a: format_html("{}", a.get_scopes_display())),
        DateColumn("start_date", order_by="start_date"),
        DateColumn("end_date", order_by="end_date"),
        TemplateColumn("status_now", label=_("Status"), render=agreement_status_badge),
    ]


class RoomFeatureTable(Table):
    model = RoomFeature
    columns = [Column("name", linkify=True, order_by="name"), Column("name_en", order_by="name_en"), Column("park")]


class RoomTable(Table):
    model = Room
    columns = [
        Column("building", linkify=True, order_by=("building", "number")),
        Column("number", linkify=True, order_by="number"),
        Column("name"),
        ChoiceColumn("room_kind", order_by="room_kind", as_badge=False),
        Column("capacity", order_by="capacity"),
        TemplateColumn("features", label=_("Features"), render=lambda r: _names(r.features.all())),
        Column("owner", order_by="owner__name"),
        BooleanColumn("is_active", order_by="is_active"),
    ]


class RoomUnavailabilityTable(Table):
    model = RoomUnavailability
    columns = [
        Column("room", linkify=True),
        ChoiceColumn("day_of_week", order_by="day_of_week", as_badge=False),
        Column("first_period"),
        Column("last_period"),
        DateColumn("start_date"),
        DateColumn("end_date"),
        Column("reason"),
    ]


class TermTable(Table):
    model = Term
    columns = [
        Column("name", linkify=True, order_by="name"),
        DateColumn("start_date", order_by="start_date"),
        DateColumn("end_date", order_by="end_date"),
        Column("teaching_weeks"),
        Column("days_per_week"),
        Column("periods_per_day"),
        Column("park"),
    ]


def seats_cell(cohort: Cohort) -> SafeString:
    enrolled = getattr(cohort, "enrolled", None)
    if cohort.seats:
        css = "text-danger fw-semibold" if enrolled is not None and enrolled >= cohort.seats else ""
        return format_html('<span class="{}">{} / {}</span>', css, enrolled, cohort.seats)
    return format_html("{}", enrolled) if enrolled is not None else EMPTY


class CohortTable(Table):
    model = Cohort
    columns = [
        Column("name", linkify=True, order_by="name"),
        ChoiceColumn("cohort_type", order_by="cohort_type"),
        Column("college", order_by="college__name"),
        Column("major", order_by="major__code"),
        Column("intake_year", order_by="intake_year"),
        Column("sponsor"),
        TemplateColumn("enrolled", label=_("Students / seats"), render=seats_cell),
        BooleanColumn("is_active"),
    ]


class EnrolmentTable(Table):
    model = Enrolment
    columns = [
        Column("student", linkify=True, order_by="student__student_number"),
        Column("cohort", order_by="cohort__name"),
        DateColumn("start_date", order_by="start_date"),
        DateColumn("end_date", order_by="end_date"),
        Column("leave_reason"),
    ]


class CourseTable(Table):
    model = Course
    columns = [
        Column("code", linkify=True, order_by="code", css_class="font-monospace"),
        Column("name", linkify=True, order_by="name"),
        ChoiceColumn("course_type", order_by="course_type"),
        Column("term", order_by="term__start_date"),
        Column("lectures_per_week", order_by="lectures_per_week"),
        TemplateColumn("teachers", label=_("Teachers"), render=lambda c: _names(t.person for t in c.teachers.all())),
        TemplateColumn("cohorts", label=_("Cohorts"), render=lambda c: _names(c.cohorts.all())),
        ChoiceColumn("required_room_kind", as_badge=False),
    ]


class TeacherUnavailabilityTable(Table):
    model = TeacherUnavailability
    columns = [
        Column("teacher", linkify=True),
        Column("term"),
        ChoiceColumn("day_of_week", order_by="day_of_week", as_badge=False),
        Column("first_period"),
        Column("last_period"),
        Column("reason"),
    ]


class TimetableRunTable(Table):
    model = TimetableRun
    columns = [
        Column("id", label=_("run"), linkify=True, order_by="id"),
        Column("term"),
        ChoiceColumn("status"),
        Column("seconds"),
        Column("hard_violations"),
        Column("soft_cost"),
        Column("created_at", order_by="created_at"),
    ]
