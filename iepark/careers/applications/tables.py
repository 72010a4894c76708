"""Tables of the list pages of profiles, applications, interviews and offers."""

from __future__ import annotations

from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from iepark.core.tables import (
    BADGE_COLOURS,
    EMPTY,
    BooleanColumn,
    ChoiceColumn,
    Column,
    DateColumn,
    DateTimeColumn,
    Table,
    TemplateColumn,
    badge,
    object_link,
)

from ..choices import ApplicationStatus, InterviewStatus, OfferStatus
from ..models import Application, Interview, Offer, StudentProfile

# Colours of this area's statuses (values another area already coloured keep their colour).
for _value, _colour in {
    ApplicationStatus.APPLIED: "secondary",
    ApplicationStatus.SCREENED: "info",
    ApplicationStatus.INTERVIEW: "primary",
    ApplicationStatus.OFFER: "warning",
    ApplicationStatus.ACCEPTED: "success",
    ApplicationStatus.DECLINED: "dark",
    ApplicationStatus.REJECTED: "danger",
    ApplicationStatus.WITHDRAWN: "dark",
    InterviewStatus.PROPOSED: "info",
    InterviewStatus.CHOSEN: "success",
    InterviewStatus.NOT_CHOSEN: "secondary",
    InterviewStatus.CANCELLED: "dark",
    OfferStatus.PENDING: "warning",
    OfferStatus.EXPIRED: "dark",
}.items():
    BADGE_COLOURS.setdefault(str(_value), _colour)


def offer_status_badge(offer: Offer) -> SafeString:
    """Return the badge of the offer's status as it stands today (``effective_status`` from the selector)."""
    value = getattr(offer, "effective_status", None) or offer.status
    return badge(value, OfferStatus(value).label)


def _money(value: Any) -> SafeString:
    return format_html("¥{}", f"{value:,}") if value else EMPTY


class StudentProfileTable(Table):
    model = StudentProfile
    columns = [
        Column("student.person.name", label=_("student"), linkify=True, order_by="student__person__name"),
        Column("student.student_number", label=_("student number"), css_class="font-monospace small"),
        Column("student.college", label=_("home college"), order_by="student__college__name"),
        Column("student.major", label=_("major"), order_by="student__major__code"),
        Column("skills"),
        Column("preferred_posts"),
        DateColumn("earliest_start", order_by="earliest_start"),
        BooleanColumn("open_to_offers", order_by="open_to_offers"),
    ]


class ApplicationTable(Table):
    model = Application
    columns = [
        Column("student.person.name", label=_("student"), linkify=True, order_by="student__person__name"),
        Column("posting.display_title", label=_("posting"), order_by="posting__title"),
        Column("posting.enterprise", label=_("enterprise"), order_by="posting__enterprise__name"),
        Column("student.college", label=_("home college"), order_by="student__college__name"),
        Column("student.major", label=_("major")),
        ChoiceColumn("status", order_by="status"),
        DateTimeColumn("created_at", order_by="created_at"),
        DateTimeColumn("updated_at", order_by="updated_at"),
    ]


class InterviewTable(Table):
    model = Interview
    columns = [
        DateTimeColumn("starts_at", linkify=True, order_by="starts_at"),
        Column("duration_minutes"),
        Column("location"),
        Column("application.student.person.name", label=_("student"), order_by="application__student__person__name"),
        Column("application.posting.display_title", label=_("posting"), linkify="application"),
        ChoiceColumn("status", order_by="status"),
    ]


class OfferTable(Table):
    model = Offer
    columns = [
        Column("post", linkify=True, order_by="post"),
        Column("application.student.person.name", label=_("student"), order_by="application__student__person__name"),
        Column(
            "application.posting.enterprise", label=_("enterprise"), order_by="application__posting__enterprise__name"
        ),
        TemplateColumn("monthly_pay", label=_("monthly pay (¥)"), render=lambda o: _money(o.monthly_pay)),
        ChoiceColumn("contract_type", as_badge=False),
        DateColumn("start_date", order_by="start_date"),
        DateColumn("deadline", order_by="deadline"),
        TemplateColumn("status", label=_("status"), render=offer_status_badge),
        TemplateColumn(
            "application",
            label=_("application"),
            render=lambda o: object_link(o.application, _("Open")),
        ),
    ]
