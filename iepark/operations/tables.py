"""Tables of the operations list pages."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from iepark.core.tables import EMPTY, BooleanColumn, ChoiceColumn, Column, DateColumn, Table, TemplateColumn

from .models import (
    AllocationRun,
    BedAssignment,
    DormBuilding,
    DormRoom,
    HousingWish,
    RoomTransferRequest,
    ServiceNotice,
    ServicePoint,
)


def open_now_badge(point: ServicePoint) -> SafeString:
    """Show whether the point is open now (its ``open_now`` annotation)."""
    is_open = getattr(point, "open_now", None)
    if is_open is None:
        return EMPTY
    if is_open:
        return format_html('<span class="badge text-bg-success">{}</span>', _("Open now"))
    return format_html('<span class="badge text-bg-secondary">{}</span>', _("Closed now"))


# --- service points -----------------------------------------------------------------------------


class ServicePointTable(Table):
    model = ServicePoint
    columns = [
        Column("name", linkify=True, order_by="name"),
        Column("name_en", order_by="name_en"),
        ChoiceColumn("kind", order_by="kind", as_badge=False),
        Column("place"),
        TemplateColumn("open_now", label=_("Now"), render=open_now_badge),
        Column("phone"),
        BooleanColumn("is_active", order_by="is_active"),
    ]


class ServiceNoticeTable(Table):
    model = ServiceNotice
    columns = [
        Column("title", linkify=True, order_by="title"),
        Column("service_point", order_by="service_point__name"),
        DateColumn("valid_from", order_by="valid_from"),
        DateColumn("valid_to", order_by="valid_to"),
        BooleanColumn("closes_point", order_by="closes_point"),
    ]


# --- dormitories ---------------------------------------------------------------------------------


def free_beds(building: DormBuilding) -> SafeString:
    free = (getattr(building, "beds_total", 0) or 0) - (getattr(building, "beds_taken", 0) or 0)
    css = "text-bg-success" if free else "text-bg-secondary"
    return format_html('<span class="badge {}">{}</span>', css, free)


class DormBuildingTable(Table):
    model = DormBuilding
    columns = [
        Column("name", linkify=True, order_by="name"),
        Column("name_en", order_by="name_en"),
        ChoiceColumn("gender_policy", as_badge=False),
        Column("beds_total", label=_("Beds"), order_by="beds_total"),
        Column("beds_taken", label=_("Taken"), order_by="beds_taken"),
        TemplateColumn("free", label=_("Free"), render=free_beds),
    ]


class DormRoomTable(Table):
    model = DormRoom
    columns = [
        Column("number", linkify=True, order_by="number"),
        Column("building", order_by="building__name"),
        Column("floor", order_by="floor"),
        ChoiceColumn("gender", as_badge=False),
        Column("beds_count", order_by="beds_count"),
        Column("beds_taken", label=_("Taken")),
        BooleanColumn("accessible"),
        Column("monthly_fee", order_by="monthly_fee"),
        BooleanColumn("in_service"),
    ]


class BedAssignmentTable(Table):
    model = BedAssignment
    columns = [
        Column("student", linkify=True, order_by="student__student_number"),
        Column("bed", order_by="bed__room__number"),
        DateColumn("start_date", order_by="start_date"),
        DateColumn("end_date", order_by="end_date"),
    ]


class AllocationRunTable(Table):
    model = AllocationRun
    columns = [
        Column("pk", label=_("Run"), linkify=True, order_by="pk"),
        ChoiceColumn("status"),
        Column("seed"),
        Column("placed", order_by="placed"),
        Column("unplaced", order_by="unplaced"),
        Column("created_by"),
    ]


# --- housing wishes and room transfers -------------------------------------------------------------


def mutual_badge(wish: HousingWish) -> SafeString:
    if not wish.roommate_id:
        return EMPTY
    if getattr(wish, "mutual", False):
        return format_html('<span class="badge text-bg-success">{}</span>', _("Mutual"))
    return format_html('<span class="badge text-bg-secondary">{}</span>', _("One-sided"))


class HousingWishTable(Table):
    model = HousingWish
    columns = [
        Column("student", linkify=True, order_by="student__student_number"),
        BooleanColumn("needs_accessible", order_by="needs_accessible"),
        Column("roommate"),
        TemplateColumn("mutual", label=_("Request"), render=mutual_badge),
        DateColumn("updated_at", order_by="updated_at"),
    ]


class RoomTransferTable(Table):
    model = RoomTransferRequest
    columns = [
        Column("student", linkify=True, order_by="student__student_number"),
        ChoiceColumn("status", order_by="status"),
        Column("assignment", label=_("current stay")),
        Column("preferred_building"),
        DateColumn("created_at", order_by="created_at"),
    ]
