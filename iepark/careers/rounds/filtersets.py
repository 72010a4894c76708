"""FilterSets of the rounds' lists, shared by the HTML pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from iepark.core.choices import COLLEGE_KINDS, OrganisationKind
from iepark.core.filtersets import SearchFilterSet, scoped, scoped_choice
from iepark.core.models import Organisation

from ..choices import RoundStatus
from ..models import MatchingRound, RoundMatch, RoundPosition, RoundStudentList


class MatchingRoundFilterSet(SearchFilterSet):
    search_fields = ("name",)
    status = django_filters.MultipleChoiceFilter(choices=RoundStatus.choices, label=_("status"))

    class Meta:
        model = MatchingRound
        fields = ["q", "status", "cohort_year", "park"]


class RoundPositionFilterSet(SearchFilterSet):
    search_fields = ("posting__title", "posting__title_en", "posting__enterprise__name")
    round = scoped_choice(MatchingRound, _("matching round"))
    enterprise = django_filters.ModelChoiceFilter(
        field_name="posting__enterprise",
        queryset=scoped(Organisation, kind=OrganisationKind.ENTERPRISE),
        label=_("enterprise"),
    )
    ranked = django_filters.BooleanFilter(
        field_name="ranking_submitted_at", lookup_expr="isnull", exclude=True, label=_("ranking submitted")
    )

    class Meta:
        model = RoundPosition
        fields = ["q", "round", "enterprise", "ranked"]


class RoundStudentListFilterSet(SearchFilterSet):
    search_fields = ("student__person__name", "student__person__name_en", "student__student_number")
    round = scoped_choice(MatchingRound, _("matching round"))
    college = django_filters.ModelChoiceFilter(
        field_name="student__college",
        queryset=scoped(Organisation, kind__in=list(COLLEGE_KINDS)),
        label=_("home college"),
    )

    class Meta:
        model = RoundStudentList
        fields = ["q", "round", "college"]


class RoundMatchFilterSet(SearchFilterSet):
    search_fields = ("student__person__name", "student__person__name_en", "student__student_number")
    round = scoped_choice(MatchingRound, _("matching round"))
    college = django_filters.ModelChoiceFilter(
        field_name="student__college",
        queryset=scoped(Organisation, kind__in=list(COLLEGE_KINDS)),
        label=_("home college"),
    )
    matched = django_filters.BooleanFilter(
        field_name="position", lookup_expr="isnull", exclude=True, label=_("matched")
    )

    class Meta:
        model = RoundMatch
        fields = ["q", "round", "college", "matched", "choice_rank"]
