"""FilterSets of employment records, claims, headcount confirmations and destinations (pages and API)."""

import django_filters
from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from iepark.core.choices import COLLEGE_KINDS
from iepark.core.filtersets import SearchFilterSet, scoped
from iepark.core.models import Major, Organisation

from ..choices import ClaimStatus, ContractType, DestinationCategory, LeaveReason, RecordSource
from ..models import EmploymentClaim, EmploymentRecord, GraduateDestination, HeadcountConfirmation
from .selectors import current_on_q, employer_choices


def zone_employers(request):
    """The zone enterprises the user may name (the choices of every "zone employer" filter)."""
    return employer_choices(user=getattr(request, "user", None))


def employer_filter():
    return django_filters.ModelChoiceFilter(queryset=zone_employers, label=_("zone employer"))


class StudentFiltersMixin(django_filters.FilterSet):
    """Filters on the graduate a row is about: college, major, cohort year."""

    college = django_filters.ModelChoiceFilter(
        field_name="student__college", queryset=scoped(Organisation, kind__in=list(COLLEGE_KINDS)), label=_("college")
    )
    major = django_filters.ModelChoiceFilter(field_name="student__major", queryset=scoped(Major), label=_("major"))
    cohort_year = django_filters.NumberFilter(field_name="student__cohort_year", label=_("cohort year"))


class EmploymentRecordFilterSet(StudentFiltersMixin, SearchFilterSet):
    search_fields = (
        "student__person__name",
        "student__person__name_en",
        "student__student_number",
        "post",
        "employer_name",
    )
    employer = employer_filter()
    in_zone = django_filters.BooleanFilter(method="filter_in_zone", label=_("in the zone"))
    current = django_filters.BooleanFilter(method="filter_current", label=_("current"))
    contract_type = django_filters.MultipleChoiceFilter(choices=ContractType.choices, label=_("contract type"))
    leave_reason = django_filters.MultipleChoiceFilter(choices=LeaveReason.choices, label=_("reason for leaving"))
    via_order_class = django_filters.BooleanFilter(label=_("hired through an order class"))
    source = django_filters.ChoiceFilter(choices=RecordSource.choices, label=_("source"))

    class Meta:
        model = EmploymentRecord
        fields = [
            "q",
            "college",
            "major",
            "cohort_year",
            "employer",
            "in_zone",
            "current",
            "contract_type",
            "via_order_class",
            "leave_reason",
            "source",
        ]

    def filter_in_zone(self, queryset, name, value):
        return queryset.filter(employer__isnull=not value)

    def filter_current(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(current_on_q(today)) if value else queryset.exclude(current_on_q(today))


class EmploymentClaimFilterSet(StudentFiltersMixin, SearchFilterSet):
    search_fields = ("student__person__name", "student__person__name_en", "student__student_number", "employer_name")
    status = django_filters.MultipleChoiceFilter(choices=ClaimStatus.choices, label=_("status"))
    source = django_filters.ChoiceFilter(choices=RecordSource.choices, label=_("source"))
    employer = employer_filter()
    since = django_filters.DateFilter(field_name="as_of", lookup_expr="gte", label=_("as of, from"))
    until = django_filters.DateFilter(field_name="as_of", lookup_expr="lte", label=_("as of, until"))

    class Meta:
        model = EmploymentClaim
        fields = ["q", "status", "source", "college", "major", "cohort_year", "employer", "employed", "since", "until"]


class HeadcountConfirmationFilterSet(django_filters.FilterSet):
    enterprise = django_filters.ModelChoiceFilter(queryset=zone_employers, label=_("enterprise"))
    since = django_filters.DateFilter(field_name="month", lookup_expr="gte", label=_("from month"))
    until = django_filters.DateFilter(field_name="month", lookup_expr="lte", label=_("until month"))

    class Meta:
        model = HeadcountConfirmation
        fields = ["enterprise", "since", "until"]


class GraduateDestinationFilterSet(StudentFiltersMixin, SearchFilterSet):
    search_fields = ("student__person__name", "student__person__name_en", "student__student_number", "detail")
    category = django_filters.MultipleChoiceFilter(choices=DestinationCategory.choices, label=_("destination"))
    graduation_year = django_filters.NumberFilter(method="filter_graduation_year", label=_("graduation year"))
    employer = employer_filter()
    latest = django_filters.BooleanFilter(method="filter_latest", label=_("latest per graduate only"))

    class Meta:
        model = GraduateDestination
        fields = ["q", "college", "major", "cohort_year", "graduation_year", "category", "employer", "source", "latest"]

    @extend_schema_field(OpenApiTypes.INT)
    def filter_graduation_year(self, queryset, name, value):
        return queryset.filter(student__cohort_year=int(value) - settings.IEPARK_PROGRAMME_YEARS)

    def filter_latest(self, queryset, name, value):
        if value is None:
            return queryset
        later = GraduateDestination.objects.filter(student_id=OuterRef("student_id"), as_of__gt=OuterRef("as_of"))
        return queryset.exclude(Exists(later)) if value else queryset.filter(Exists(later))
