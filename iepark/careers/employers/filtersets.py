"""FilterSets of employer profiles, demand plans, demand lines and postings, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from iepark.core.choices import OrganisationKind
from iepark.core.filtersets import SearchFilterSet, scoped, scoped_choice
from iepark.core.models import Major, Organisation

from ..choices import PlanHorizon, PlanStatus, PostingKind, ShiftPattern, VettingStatus
from ..models import DemandLine, DemandPlan, EmployerProfile, Posting
from .selectors import open_posting_q


class EmployerProfileFilterSet(SearchFilterSet):
    search_fields = ("organisation__name", "organisation__name_en", "summary", "summary_en")
    organisation = scoped_choice(Organisation, _("enterprise"), kind=OrganisationKind.ENTERPRISE)
    vetting_status = django_filters.MultipleChoiceFilter(choices=VettingStatus.choices, label=_("vetting status"))

    class Meta:
        model = EmployerProfile
        fields = ["q", "organisation", "vetting_status"]


class DemandPlanFilterSet(SearchFilterSet):
    search_fields = ("title", "notes", "enterprise__name", "enterprise__name_en")
    enterprise = scoped_choice(Organisation, _("enterprise"), kind=OrganisationKind.ENTERPRISE)
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label=_("status"))
    horizon = django_filters.ChoiceFilter(choices=PlanHorizon.choices, label=_("horizon"))
    year = django_filters.NumberFilter(method="covering_year", label=_("covers the year"))

    class Meta:
        model = DemandPlan
        fields = ["q", "enterprise", "status", "horizon", "year"]

    def covering_year(self, queryset, name, value):
        return queryset.filter(year_from__lte=value, year_to__gte=value)


class DemandLineFilterSet(SearchFilterSet):
    search_fields = ("post", "skills", "certificates")
    plan = scoped_choice(DemandPlan, _("plan"))
    enterprise = django_filters.ModelChoiceFilter(
        queryset=scoped(Organisation, kind=OrganisationKind.ENTERPRISE),
        field_name="plan__enterprise",
        label=_("enterprise"),
    )
    major = scoped_choice(Major, _("major"))
    shift_pattern = django_filters.ChoiceFilter(choices=ShiftPattern.choices, label=_("shift pattern"))

    class Meta:
        model = DemandLine
        fields = ["q", "plan", "enterprise", "year", "major", "shift_pattern", "housing_provided"]


class PostingFilterSet(SearchFilterSet):
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
    enterprise = scoped_choice(Organisation, _("enterprise"), kind=OrganisationKind.ENTERPRISE)
    kind = django_filters.MultipleChoiceFilter(choices=PostingKind.choices, label=_("kind"))
    major = django_filters.ModelChoiceFilter(queryset=scoped(Major), field_name="majors", label=_("major"))
    shift_pattern = django_filters.ChoiceFilter(choices=ShiftPattern.choices, label=_("shift pattern"))
    housing_provided = django_filters.BooleanFilter(label=_("housing provided"))
    pay_at_least = django_filters.NumberFilter(method="paying_at_least", label=_("monthly pay at least (¥)"))
    vetting_status = django_filters.MultipleChoiceFilter(choices=VettingStatus.choices, label=_("vetting status"))
    open = django_filters.BooleanFilter(method="only_open", label=_("open for applications"))

    class Meta:
        model = Posting
        fields = [
            "q",
            "enterprise",
            "kind",
            "major",
            "shift_pattern",
            "housing_provided",
            "pay_at_least",
            "vetting_status",
            "open",
            "is_public",
        ]

    def paying_at_least(self, queryset, name, value):
        """Keep postings whose pay range reaches ``value`` (by its top, or its bottom when it has no top)."""
        return queryset.filter(Q(pay_max__gte=value) | Q(pay_max__isnull=True, pay_min__gte=value))

    def only_open(self, queryset, name, value):
        q = open_posting_q()
        return queryset.filter(q) if value else queryset.exclude(q)
