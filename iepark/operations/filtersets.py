"""FilterSets shared by the operations list pages and the API (one filter definition per model)."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from iepark.core.filtersets import SearchFilterSet, scoped, scoped_choice
from iepark.core.models import Organisation, Park

from .choices import ServicePointKind, TransferStatus
from .models import (
    AllocationRun,
    Bed,
    BedAssignment,
    DormBuilding,
    DormRoom,
    HousingWish,
    RoomTransferRequest,
    ServiceNotice,
    ServicePoint,
)
from .policy import current_notice_q
from .selectors import open_now_condition

# --- service points -----------------------------------------------------------------------------


class ServicePointFilterSet(SearchFilterSet):
    search_fields = ("name", "name_en", "place", "place_en")
    kind = django_filters.MultipleChoiceFilter(choices=ServicePointKind.choices, label=_("kind"))
    open_now = django_filters.BooleanFilter(method="filter_open_now", label=_("open now"))
    open_at = django_filters.IsoDateTimeFilter(method="filter_open_at", label=_("open at (date and time)"))
    park = scoped_choice(Park, _("park"))
    operator = scoped_choice(Organisation, _("operator"))

    class Meta:
        model = ServicePoint
        fields = ["q", "kind", "open_now", "open_at", "is_active", "park", "operator"]

    def filter_open_now(self, queryset, name, value):
        condition = open_now_condition()
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_open_at(self, queryset, name, value):
        return queryset.filter(open_now_condition(value))


class ServiceNoticeFilterSet(SearchFilterSet):
    search_fields = ("title", "title_en", "body", "body_en")
    service_point = scoped_choice(ServicePoint, _("service point"))
    current = django_filters.BooleanFilter(method="filter_current", label=_("valid today"))

    class Meta:
        model = ServiceNotice
        fields = ["q", "service_point", "current", "closes_point"]

    def filter_current(self, queryset, name, value):
        return queryset.filter(current_notice_q()) if value else queryset.exclude(current_notice_q())


# --- dormitories ---------------------------------------------------------------------------------


class DormBuildingFilterSet(SearchFilterSet):
    search_fields = ("name", "name_en")
    park = scoped_choice(Park, _("park"))

    class Meta:
        model = DormBuilding
        fields = ["q", "park", "gender_policy"]


class DormRoomFilterSet(SearchFilterSet):
    search_fields = ("number", "facilities", "building__name")
    building = scoped_choice(DormBuilding, _("building"))
    has_free_bed = django_filters.BooleanFilter(method="filter_free", label=_("has a free bed"))

    class Meta:
        model = DormRoom
        fields = ["q", "building", "floor", "gender", "accessible", "has_free_bed"]

    def filter_free(self, queryset, name, value):
        free = Bed.objects.filter(room=OuterRef("pk")).exclude(
            Exists(BedAssignment.objects.filter(bed=OuterRef("pk"), end_date__isnull=True))
        )
        return queryset.filter(Exists(free)) if value else queryset.exclude(Exists(free))


class BedAssignmentFilterSet(SearchFilterSet):
    search_fields = ("student__person__name", "student__student_number", "bed__room__number")
    current = django_filters.BooleanFilter(field_name="end_date", lookup_expr="isnull", label=_("current"))
    building = django_filters.ModelChoiceFilter(
        field_name="bed__room__building", queryset=scoped(DormBuilding), label=_("building")
    )
    room = django_filters.NumberFilter(field_name="bed__room", label=_("room"))
    student = django_filters.NumberFilter(field_name="student", label=_("student"))

    class Meta:
        model = BedAssignment
        fields = ["q", "current", "building", "room", "student"]


class AllocationRunFilterSet(SearchFilterSet):
    search_fields = ()
    park = scoped_choice(Park, _("park"))

    class Meta:
        model = AllocationRun
        fields = ["park", "status"]


class BedFilterSet(SearchFilterSet):
    search_fields = ("label", "room__number")
    room = django_filters.NumberFilter(field_name="room", label=_("room"))

    class Meta:
        model = Bed
        fields = ["q", "room", "in_service"]


class HousingWishFilterSet(SearchFilterSet):
    search_fields = ("student__person__name", "student__person__name_en", "student__student_number")
    student = django_filters.NumberFilter(field_name="student", label=_("student"))
    has_roommate = django_filters.BooleanFilter(
        field_name="roommate", lookup_expr="isnull", exclude=True, label=_("asks for a roommate")
    )

    class Meta:
        model = HousingWish
        fields = ["q", "student", "needs_accessible", "has_roommate"]


class RoomTransferFilterSet(SearchFilterSet):
    search_fields = ("student__person__name", "student__person__name_en", "student__student_number", "reason")
    status = django_filters.MultipleChoiceFilter(choices=TransferStatus.choices, label=_("status"))
    student = django_filters.NumberFilter(field_name="student", label=_("student"))

    class Meta:
        model = RoomTransferRequest
        fields = ["q", "status", "student"]
