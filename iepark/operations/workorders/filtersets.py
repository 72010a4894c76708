"""FilterSets shared by the work order pages and the API (one filter definition per model)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from iepark.core.filtersets import SearchFilterSet, scoped, scoped_choice
from iepark.core.models import Park, Person
from iepark.core.policy import actor_for

from .choices import OPEN_STATUSES, FaultCategory, PlaceKind, Urgency, WorkOrderSource, WorkOrderStatus
from .models import MaintenancePlan, ServiceLevel, WorkOrder
from .selectors import overdue_q, unrated_done_q


class WorkOrderFilterSet(SearchFilterSet):
    search_fields = ("reference", "title", "description", "location", "room__number")
    status = django_filters.MultipleChoiceFilter(choices=WorkOrderStatus.choices, label=_("status"))
    category = django_filters.MultipleChoiceFilter(choices=FaultCategory.choices, label=_("category"))
    urgency = django_filters.MultipleChoiceFilter(choices=Urgency.choices, label=_("urgency"))
    place_kind = django_filters.ChoiceFilter(choices=PlaceKind.choices, label=_("kind of place"))
    source = django_filters.ChoiceFilter(choices=WorkOrderSource.choices, label=_("source"))
    open = django_filters.BooleanFilter(method="filter_open", label=pgettext_lazy("filter", "open"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))
    escalated = django_filters.BooleanFilter(method="filter_escalated", label=_("escalated"))
    unrated = django_filters.BooleanFilter(method="filter_unrated", label=_("resolved, not rated"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("reported by me"))
    assignee = django_filters.ModelChoiceFilter(queryset=scoped(Person), label=_("assignee"))
    park = scoped_choice(Park, _("park"))
    plan = scoped_choice(MaintenancePlan, _("maintenance plan"))
    reported_after = django_filters.DateFilter(
        field_name="reported_at__date", lookup_expr="gte", label=_("reported from")
    )
    reported_before = django_filters.DateFilter(
        field_name="reported_at__date", lookup_expr="lte", label=_("reported until")
    )

    class Meta:
        model = WorkOrder
        fields = [
            "q",
            "status",
            "category",
            "urgency",
            "place_kind",
            "source",
            "open",
            "overdue",
            "escalated",
            "unrated",
            "mine",
            "assignee",
            "park",
            "plan",
            "reported_after",
            "reported_before",
        ]

    def filter_open(self, queryset, name, value):
        q = Q(status__in=OPEN_STATUSES)
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())

    def filter_escalated(self, queryset, name, value):
        return queryset.filter(escalation_level__gt=0) if value else queryset.filter(escalation_level=0)

    def filter_unrated(self, queryset, name, value):
        return queryset.filter(unrated_done_q()) if value else queryset.exclude(unrated_done_q())

    def filter_mine(self, queryset, name, value):
        person_id = actor_for(getattr(self.request, "user", None)).person_id
        q = Q(reporter_id=person_id) if person_id else Q(pk__in=[])
        return queryset.filter(q) if value else queryset.exclude(q)


class ServiceLevelFilterSet(django_filters.FilterSet):
    park = scoped_choice(Park, _("park"))
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices, label=_("urgency"))

    class Meta:
        model = ServiceLevel
        fields = ["park", "urgency"]


class MaintenancePlanFilterSet(SearchFilterSet):
    search_fields = ("title", "description", "location")
    park = scoped_choice(Park, _("park"))
    category = django_filters.MultipleChoiceFilter(choices=FaultCategory.choices, label=_("category"))

    class Meta:
        model = MaintenancePlan
        fields = ["q", "park", "category", "is_active"]
