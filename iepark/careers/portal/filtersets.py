"""FilterSets of the portal area: the public jobs page, and the living sections' management list and API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from iepark.careers.choices import PostingKind, ShiftPattern
from iepark.careers.models import LivingSection, Posting
from iepark.core.filtersets import SearchFilterSet, scoped_choice
from iepark.core.models import Major, Park

from . import selectors


class PublicPostingFilterSet(SearchFilterSet):
    """The filters of the public jobs page; ``park`` narrows the majors offered to those its postings ask for."""

    search_fields = (
        "title",
        "title_en",
        "description",
        "description_en",
        "skills",
        "certificates",
        "location",
        "enterprise__name",
        "enterprise__name_en",
    )
    kind = django_filters.ChoiceFilter(choices=PostingKind.choices, label=_("kind"), empty_label=_("All kinds"))
    major = django_filters.ModelChoiceFilter(
        queryset=Major.objects.none(), method="with_major", label=_("major"), empty_label=_("All majors")
    )
    shift = django_filters.ChoiceFilter(
        field_name="shift_pattern", choices=ShiftPattern.choices, label=_("shift pattern"), empty_label=_("Any shift")
    )
    housing = django_filters.BooleanFilter(
        method="with_housing", widget=forms.CheckboxInput, label=_("housing provided")
    )
    pay_from = django_filters.NumberFilter(method="paying_at_least", label=_("monthly pay from (¥)"), min_value=0)

    class Meta:
        model = Posting
        fields = ["q", "kind", "major", "shift", "housing", "pay_from"]

    def __init__(self, data=None, queryset=None, *, park: Park, **kwargs) -> None:
        super().__init__(data, queryset, **kwargs)
        self.filters["major"].queryset = selectors.majors_offered(park=park)

    def with_major(self, queryset, name, value):
        return queryset.filter(majors=value)

    def with_housing(self, queryset, name, value):
        return queryset.filter(housing_provided=True) if value else queryset

    def paying_at_least(self, queryset, name, value):
        """Keep postings whose pay range reaches ``value`` (a range without a top: its bottom does)."""
        return queryset.filter(Q(pay_max__gte=value) | Q(pay_max__isnull=True, pay_min__gte=value))


class LivingSectionFilterSet(SearchFilterSet):
    search_fields = ("title", "title_en", "body", "body_en")
    park = scoped_choice(Park, _("park"))

    class Meta:
        model = LivingSection
        fields = ["q", "park"]
