"""FilterSets shared by the safety list pages and the API (one filter definition per model)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from iepark.core.filtersets import SearchFilterSet, scoped, scoped_choice
from iepark.core.models import Park
from iepark.operations.models import DormBuilding

from .choices import (
    AreaKind,
    EquipmentKind,
    EquipmentStatus,
    InspectionKind,
    RectificationStatus,
    RoundStatus,
    Severity,
)
from .models import (
    ChecklistItem,
    EquipmentCheck,
    Finding,
    FireEquipment,
    InspectionRound,
    InspectionSchedule,
    InspectionTemplate,
    RectificationTask,
)
from .selectors import (
    equipment_due_q,
    equipment_expired_q,
    equipment_overdue_q,
    open_finding_q,
    overdue_task_q,
    rounds_due_q,
)


def _owners(request):
    from .selectors import owner_candidates

    return owner_candidates(user=getattr(request, "user", None))


def _yes_no(queryset, condition, value):
    return queryset.filter(condition) if value else queryset.exclude(condition)


class InspectionTemplateFilterSet(SearchFilterSet):
    search_fields = ("name", "description")
    park = scoped_choice(Park, _("park"))
    area_kind = django_filters.MultipleChoiceFilter(choices=AreaKind.choices, label=_("kind of area"))
    kind = django_filters.ChoiceFilter(choices=InspectionKind.choices, label=_("inspection kind"))

    class Meta:
        model = InspectionTemplate
        fields = ["q", "park", "area_kind", "kind", "is_active"]


class ChecklistItemFilterSet(SearchFilterSet):
    search_fields = ("text", "guidance")
    template = scoped_choice(InspectionTemplate, _("template"))

    class Meta:
        model = ChecklistItem
        fields = ["q", "template", "is_active"]


class InspectionScheduleFilterSet(SearchFilterSet):
    search_fields = ("place", "template__name")
    park = django_filters.ModelChoiceFilter(field_name="template__park", queryset=scoped(Park), label=_("park"))
    template = scoped_choice(InspectionTemplate, _("template"))
    building = scoped_choice(DormBuilding, _("dormitory building"))

    class Meta:
        model = InspectionSchedule
        fields = ["q", "park", "template", "building", "is_active"]


class InspectionRoundFilterSet(SearchFilterSet):
    search_fields = ("place", "template__name", "note")
    park = django_filters.ModelChoiceFilter(field_name="template__park", queryset=scoped(Park), label=_("park"))
    template = scoped_choice(InspectionTemplate, _("template"))
    status = django_filters.MultipleChoiceFilter(choices=RoundStatus.choices, label=_("status"))
    due = django_filters.BooleanFilter(method="filter_due", label=_("due (today or earlier, not completed)"))
    date_from = django_filters.DateFilter(field_name="scheduled_date", lookup_expr="gte", label=_("from"))
    date_to = django_filters.DateFilter(field_name="scheduled_date", lookup_expr="lte", label=_("to"))

    class Meta:
        model = InspectionRound
        fields = ["q", "park", "template", "status", "due", "date_from", "date_to", "schedule"]

    def filter_due(self, queryset, name, value):
        return _yes_no(queryset, rounds_due_q(), value)


class FindingFilterSet(SearchFilterSet):
    search_fields = ("description", "place", "round__place")
    park = django_filters.ModelChoiceFilter(field_name="round__template__park", queryset=scoped(Park), label=_("park"))
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices, label=_("severity"))
    open = django_filters.BooleanFilter(method="filter_open", label=pgettext_lazy("filter", "open"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))
    owner = django_filters.ModelChoiceFilter(field_name="task__owner", queryset=_owners, label=_("owner"))
    round = django_filters.NumberFilter(field_name="round", label=_("round"))

    class Meta:
        model = Finding
        fields = ["q", "park", "severity", "open", "overdue", "owner", "round"]

    def filter_open(self, queryset, name, value):
        return _yes_no(queryset, open_finding_q(), value)

    def filter_overdue(self, queryset, name, value):
        return _yes_no(queryset, overdue_task_q(prefix="task__"), value)


class RectificationTaskFilterSet(SearchFilterSet):
    search_fields = ("finding__description", "finding__place", "finding__round__place", "report_note")
    park = django_filters.ModelChoiceFilter(
        field_name="finding__round__template__park", queryset=scoped(Park), label=_("park")
    )
    status = django_filters.MultipleChoiceFilter(choices=RectificationStatus.choices, label=_("status"))
    severity = django_filters.MultipleChoiceFilter(
        field_name="finding__severity", choices=Severity.choices, label=_("severity")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))
    owner = django_filters.ModelChoiceFilter(queryset=_owners, label=_("owner"))

    class Meta:
        model = RectificationTask
        fields = ["q", "park", "status", "severity", "overdue", "owner"]

    def filter_overdue(self, queryset, name, value):
        return _yes_no(queryset, overdue_task_q(), value)


class FireEquipmentFilterSet(SearchFilterSet):
    search_fields = ("code", "location", "description", "note")
    park = scoped_choice(Park, _("park"))
    kind = django_filters.MultipleChoiceFilter(choices=EquipmentKind.choices, label=_("kind"))
    status = django_filters.MultipleChoiceFilter(choices=EquipmentStatus.choices, label=_("status"))
    building = scoped_choice(DormBuilding, _("dormitory building"))
    due_within = django_filters.NumberFilter(method="filter_due_within", label=_("check due within (days)"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("check overdue"))
    expired = django_filters.BooleanFilter(method="filter_expired", label=_("expired"))

    class Meta:
        model = FireEquipment
        fields = ["q", "park", "kind", "status", "building", "due_within", "overdue", "expired"]

    @extend_schema_field(OpenApiTypes.INT)
    def filter_due_within(self, queryset, name, value):
        days = max(0, min(int(value), 3650))
        return queryset.filter(equipment_due_q(days))

    def filter_overdue(self, queryset, name, value):
        return _yes_no(queryset, equipment_overdue_q(), value)

    def filter_expired(self, queryset, name, value):
        return _yes_no(queryset, equipment_expired_q(), value)


class EquipmentCheckFilterSet(django_filters.FilterSet):
    equipment = scoped_choice(FireEquipment, _("equipment"))
    date_from = django_filters.DateFilter(field_name="checked_on", lookup_expr="gte", label=_("from"))
    date_to = django_filters.DateFilter(field_name="checked_on", lookup_expr="lte", label=_("to"))

    class Meta:
        model = EquipmentCheck
        fields = ["equipment", "result", "date_from", "date_to"]
