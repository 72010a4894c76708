"""Tables of the employer profile, demand plan and posting list pages (and their detail panels)."""

from __future__ import annotations

from typing import Any

from django.utils.html import format_html, format_html_join
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
)

from ..choices import PlanStatus, VettingStatus
from ..models import DemandLine, DemandPlan, EmployerProfile, Posting

# Badge colours of the vetting and plan statuses (set only if no other app chose one for the same value).
for _value, _colour in (
    (VettingStatus.DRAFT, "secondary"),
    (VettingStatus.SUBMITTED, "warning"),
    (VettingStatus.APPROVED, "success"),
    (VettingStatus.REJECTED, "danger"),
    (VettingStatus.CLOSED, "dark"),
    (PlanStatus.SUBMITTED, "warning"),
):
    BADGE_COLOURS.setdefault(str(_value), _colour)


def pay_range(row: Any) -> SafeString:
    """Render a monthly pay range (¥) with what is known of it."""
    low, high = row.pay_min, row.pay_max
    if low is None and high is None:
        return EMPTY
    if low is not None and high is not None:
        return format_html('<span class="text-nowrap">¥{}–{}</span>', f"{low:,}", f"{high:,}")
    if low is not None:
        return format_html('<span class="text-nowrap">{} ¥{}</span>', _("from"), f"{low:,}")
    return format_html('<span class="text-nowrap">{} ¥{}</span>', _("up to"), f"{high:,}")


def majors_cell(posting: Posting) -> SafeString:
    """Render a posting's majors (prefetched by the selector) as small badges."""
    majors = list(posting.majors.all())
    if not majors:
        return EMPTY
    return format_html_join(" ", '<span class="badge text-bg-light border fw-normal">{}</span>', ((m,) for m in majors))


def employer_link(organisation: Any) -> SafeString:
    """Link an enterprise to its employer profile (what every park member may read), or name it."""
    from django.core.exceptions import ObjectDoesNotExist
    from django.urls import reverse

    if organisation is None:
        return EMPTY
    try:
        profile = organisation.employer_profile
    except ObjectDoesNotExist:
        profile = None
    if profile is None:
        return format_html("{}", organisation)
    return format_html('<a href="{}">{}</a>', reverse("employerprofile_detail", args=[profile.pk]), organisation)


def plan_years(plan: DemandPlan) -> SafeString:
    if plan.year_from == plan.year_to:
        return format_html("{}", plan.year_from)
    return format_html('<span class="text-nowrap">{}–{}</span>', plan.year_from, plan.year_to)


class EmployerProfileTable(Table):
    model = EmployerProfile
    columns = [
        Column("organisation", label=_("Enterprise"), linkify=True, order_by="organisation__name"),
        Column("employees", order_by="employees"),
        Column("commute"),
        ChoiceColumn("vetting_status", order_by="vetting_status"),
        DateTimeColumn("vetted_at", order_by="vetted_at"),
        DateTimeColumn("updated_at", order_by="updated_at"),
    ]


class DemandPlanTable(Table):
    model = DemandPlan
    columns = [
        Column("title", linkify=True, order_by="title"),
        TemplateColumn(
            "enterprise",
            label=_("Enterprise"),
            render=lambda plan: employer_link(plan.enterprise),
            order_by=["enterprise__name", "-year_from"],
        ),
        ChoiceColumn("horizon", as_badge=False, order_by="horizon"),
        TemplateColumn("year_from", label=_("Years"), render=plan_years, order_by=["year_from", "year_to"]),
        Column("line_count", label=_("Lines"), order_by="line_count"),
        Column("headcount_total", label=_("Headcount"), order_by="headcount_total"),
        ChoiceColumn("status", order_by="status"),
        DateTimeColumn("submitted_at", order_by="submitted_at"),
    ]


class DemandLineTable(Table):
    model = DemandLine
    columns = [
        Column("year", order_by="year"),
        Column("post", order_by="post"),
        Column("major", order_by="major__code"),
        Column("headcount", order_by="headcount"),
        TemplateColumn("pay_min", label=_("Monthly pay"), render=pay_range),
        ChoiceColumn("shift_pattern", as_badge=False),
        Column("location"),
        BooleanColumn("housing_provided"),
        Column("certificates"),
        Column("skills"),
    ]


class PostingTable(Table):
    model = Posting
    columns = [
        TemplateColumn(
            "title",
            label=_("Title"),
            render=lambda p: format_html('<a href="{}">{}</a>', _url(p), p.display_title),
            order_by="title",
        ),
        TemplateColumn(
            "enterprise",
            label=_("Enterprise"),
            render=lambda p: employer_link(p.enterprise),
            order_by=["enterprise__name", "-created_at"],
        ),
        ChoiceColumn("kind", as_badge=False, order_by="kind"),
        TemplateColumn("majors", label=_("Majors"), render=majors_cell),
        Column("headcount", order_by="headcount"),
        TemplateColumn("pay_min", label=_("Monthly pay"), render=pay_range, order_by="pay_min"),
        ChoiceColumn("vetting_status", order_by="vetting_status"),
        DateColumn("closes_on", order_by="closes_on"),
        DateTimeColumn("updated_at", order_by="updated_at"),
    ]


def _url(posting: Posting) -> str:
    from django.urls import reverse

    return reverse("posting_detail", args=[posting.pk])
