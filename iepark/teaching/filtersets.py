"""FilterSets shared by the teaching list pages and the API (one filter definition per model)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from iepark.core.choices import COLLEGE_KINDS, OrganisationKind
from iepark.core.filtersets import SearchFilterSet, scoped, scoped_choice
from iepark.core.models import Major, Organisation, Park, Student, Teacher

from .choices import (
    AgreementScope,
    AgreementStatus,
    AgreementType,
    CohortType,
    CourseType,
    DayOfWeek,
    RoomKind,
    TimetableStatus,
)
from .models import (
    Cohort,
    CooperationAgreement,
    Course,
    Enrolment,
    Room,
    RoomFeature,
    RoomUnavailability,
    TeacherUnavailability,
    Term,
    TimetableEntry,
    TimetableRun,
)


class AgreementFilterSet(SearchFilterSet):
    search_fields = ("title", "number", "notes")
    agreement_type = django_filters.ChoiceFilter(choices=AgreementType.choices, label=_("type"))
    status = django_filters.MultipleChoiceFilter(
        choices=AgreementStatus.choices, field_name="status_now", label=_("status (today)")
    )
    scope = django_filters.ChoiceFilter(choices=AgreementScope.choices, method="filter_scope", label=_("scope"))
    party = django_filters.ModelChoiceFilter(
        queryset=scoped(Organisation), field_name="parties", distinct=True, label=_("party")
    )
    ends_before = django_filters.DateFilter(field_name="end_date", lookup_expr="lte", label=_("ends on or before"))
    park = scoped_choice(Park, _("park"))

    class Meta:
        model = CooperationAgreement
        fields = ["q", "agreement_type", "status", "scope", "party", "ends_before", "park"]

    def filter_scope(self, queryset, name, value):
        return queryset.filter(scopes__icontains=f'"{value}"')


class RoomFeatureFilterSet(SearchFilterSet):
    search_fields = ("name", "name_en")
    park = scoped_choice(Park, _("park"))

    class Meta:
        model = RoomFeature
        fields = ["q", "park"]


class RoomFilterSet(SearchFilterSet):
    search_fields = ("building", "number", "name")
    room_kind = django_filters.MultipleChoiceFilter(choices=RoomKind.choices, label=_("kind"))
    feature = django_filters.ModelChoiceFilter(
        queryset=scoped(RoomFeature), field_name="features", distinct=True, label=_("feature")
    )
    min_capacity = django_filters.NumberFilter(field_name="capacity", lookup_expr="gte", label=_("capacity at least"))
    owner = scoped_choice(Organisation, _("owner"))
    park = scoped_choice(Park, _("park"))

    class Meta:
        model = Room
        fields = ["q", "room_kind", "feature", "min_capacity", "owner", "is_active", "park"]


class RoomUnavailabilityFilterSet(django_filters.FilterSet):
    room = scoped_choice(Room, _("room"))
    day_of_week = django_filters.ChoiceFilter(choices=DayOfWeek.choices, label=_("day of the week"))

    class Meta:
        model = RoomUnavailability
        fields = ["room", "day_of_week"]


class TermFilterSet(SearchFilterSet):
    search_fields = ("name",)
    park = scoped_choice(Park, _("park"))

    class Meta:
        model = Term
        fields = ["q", "park"]


class CohortFilterSet(SearchFilterSet):
    search_fields = ("name", "major__name", "sponsor__name")
    cohort_type = django_filters.MultipleChoiceFilter(choices=CohortType.choices, label=_("type"))
    college = scoped_choice(Organisation, _("college"), kind__in=list(COLLEGE_KINDS))
    major = scoped_choice(Major, _("major"))
    sponsor = scoped_choice(Organisation, _("sponsoring enterprise"), kind=OrganisationKind.ENTERPRISE)
    agreement = scoped_choice(CooperationAgreement, _("agreement"))

    class Meta:
        model = Cohort
        fields = ["q", "cohort_type", "college", "major", "intake_year", "sponsor", "agreement", "is_active"]


class EnrolmentFilterSet(SearchFilterSet):
    search_fields = ("student__person__name", "student__person__name_en", "student__student_number")
    cohort = scoped_choice(Cohort, _("cohort"))
    student = scoped_choice(Student, _("student"))
    current = django_filters.BooleanFilter(field_name="end_date", lookup_expr="isnull", label=_("current"))

    class Meta:
        model = Enrolment
        fields = ["q", "cohort", "student", "current"]


class CourseFilterSet(SearchFilterSet):
    search_fields = ("code", "name", "name_en")
    term = scoped_choice(Term, _("term"))
    course_type = django_filters.ChoiceFilter(choices=CourseType.choices, label=_("type"))
    college = scoped_choice(Organisation, _("organising college"), kind__in=list(COLLEGE_KINDS))
    cohort = django_filters.ModelChoiceFilter(
        queryset=scoped(Cohort), field_name="cohorts", distinct=True, label=_("cohort")
    )
    teacher = django_filters.ModelChoiceFilter(
        queryset=scoped(Teacher), field_name="teachers", distinct=True, label=_("teacher")
    )
    required_room_kind = django_filters.ChoiceFilter(choices=RoomKind.choices, label=_("required room kind"))

    class Meta:
        model = Course
        fields = ["q", "term", "course_type", "college", "cohort", "teacher", "required_room_kind"]


class TeacherUnavailabilityFilterSet(django_filters.FilterSet):
    term = scoped_choice(Term, _("term"))
    teacher = scoped_choice(Teacher, _("teacher"))

    class Meta:
        model = TeacherUnavailability
        fields = ["term", "teacher", "day_of_week"]


class TimetableRunFilterSet(django_filters.FilterSet):
    term = scoped_choice(Term, _("term"))
    status = django_filters.ChoiceFilter(choices=TimetableStatus.choices, label=_("status"))

    class Meta:
        model = TimetableRun
        fields = ["term", "status"]


class TimetableEntryFilterSet(django_filters.FilterSet):
    run = scoped_choice(TimetableRun, _("run"))
    cohort = django_filters.ModelChoiceFilter(
        queryset=scoped(Cohort), field_name="course__cohorts", distinct=True, label=_("cohort")
    )
    teacher = django_filters.ModelChoiceFilter(
        queryset=scoped(Teacher), field_name="course__teachers", distinct=True, label=_("teacher")
    )
    room = scoped_choice(Room, _("room"))
    course = scoped_choice(Course, _("course"))

    class Meta:
        model = TimetableEntry
        fields = ["run", "cohort", "teacher", "room", "course", "day_of_week"]
