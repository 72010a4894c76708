"""FilterSets shared by the attendance list pages and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from iepark.core.filtersets import SearchFilterSet, scoped
from iepark.core.models import Student
from iepark.teaching.models import Cohort, Course

from .choices import AttendanceStatus, LeaveStatus
from .models import AttendanceRecord, AttendanceSession, LeaveRequest


class AttendanceSessionFilterSet(SearchFilterSet):
    search_fields = ("course__code", "course__name")
    course = django_filters.ModelChoiceFilter(queryset=scoped(Course), label=_("course"))
    since = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"))
    until = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("until"))

    class Meta:
        model = AttendanceSession
        fields = ["q", "course", "since", "until"]


class AttendanceRecordFilterSet(SearchFilterSet):
    search_fields = ("student__student_number", "student__person__name", "session__course__code")
    status = django_filters.MultipleChoiceFilter(choices=AttendanceStatus.choices, label=_("status"))
    course = django_filters.ModelChoiceFilter(queryset=scoped(Course), field_name="session__course", label=_("course"))
    cohort = django_filters.ModelChoiceFilter(queryset=scoped(Cohort), label=_("cohort"))
    student = django_filters.ModelChoiceFilter(queryset=scoped(Student), label=_("student"))
    session = django_filters.NumberFilter(field_name="session_id", label=_("session"))
    since = django_filters.DateFilter(field_name="session__date", lookup_expr="gte", label=_("from"))
    until = django_filters.DateFilter(field_name="session__date", lookup_expr="lte", label=_("until"))

    class Meta:
        model = AttendanceRecord
        fields = ["q", "status", "course", "cohort", "student", "session", "since", "until"]


class LeaveRequestFilterSet(SearchFilterSet):
    search_fields = ("student__student_number", "student__person__name", "reason")
    status = django_filters.MultipleChoiceFilter(choices=LeaveStatus.choices, label=_("status"))
    student = django_filters.ModelChoiceFilter(queryset=scoped(Student), label=_("student"))
    since = django_filters.DateFilter(field_name="end_date", lookup_expr="gte", label=_("ends on or after"))
    until = django_filters.DateFilter(field_name="start_date", lookup_expr="lte", label=_("starts on or before"))

    class Meta:
        model = LeaveRequest
        fields = ["q", "status", "student", "since", "until"]
