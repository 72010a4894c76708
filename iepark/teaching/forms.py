"""Forms of the teaching pages. They validate and display; services write."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from iepark.core import selectors as core_selectors
from iepark.core.attachments import AttachmentsField
from iepark.core.choices import COLLEGE_KINDS, OrganisationKind
from iepark.core.forms import DateInput, PlainForm, ServiceModelForm
from iepark.core.models import Organisation
from iepark.core.policy import Action, actor_for

from . import selectors
from .choices import AgreementScope, CohortType
from .models import (
    ROOM_OWNER_KINDS,
    Cohort,
    CooperationAgreement,
    Course,
    Room,
    RoomFeature,
    RoomUnavailability,
    TeacherUnavailability,
    Term,
)
from .policy import COLLEGE_MANAGER_ROLES, TEACHING_ADMIN_ROLES


def _admin_parks(user: Any):
    actor = actor_for(user)
    parks = core_selectors.park_list(user=user)
    return parks if actor.is_superuser else parks.filter(pk__in=actor.parks(TEACHING_ADMIN_ROLES))


def _park_field(form: ServiceModelForm) -> None:
    form.fields["park"].queryset = _admin_parks(form.user)
    if form.is_update:
        form.fields["park"].disabled = True
    else:
        form.use_single_choice("park")


class AgreementForm(ServiceModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scope"),
        choices=AgreementScope.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    documents = AttachmentsField(label=_("signed documents"), required=False)

    class Meta:
        model = CooperationAgreement
        fields = [
            "park",
            "title",
            "number",
            "agreement_type",
            "parties",
            "scopes",
            "start_date",
            "end_date",
            "reminder_days",
            "notes",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def scope_choices(self) -> None:
        _park_field(self)
        self.fields["parties"].queryset = core_selectors.organisation_list(user=self.user).order_by("kind", "name")
        if self.is_update and self.instance.agreement_status != "draft":
            self.fields["parties"].disabled = True


class AgreementTerminateForm(PlainForm):
    reason = forms.CharField(label=_("reason for termination"), widget=forms.Textarea(attrs={"rows": 3}))
    terminated_on = forms.DateField(label=_("terminated on"), widget=DateInput(), initial=timezone.localdate)


class AgreementSignForm(PlainForm):
    signed_on = forms.DateField(label=_("signed on"), widget=DateInput(), initial=timezone.localdate)
    documents = AttachmentsField(label=_("signed documents"), required=False)


class RoomFeatureForm(ServiceModelForm):
    class Meta:
        model = RoomFeature
        fields = ["park", "name", "name_en"]

    def scope_choices(self) -> None:
        _park_field(self)


class RoomForm(ServiceModelForm):
    class Meta:
        model = Room
        fields = ["park", "building", "number", "name", "room_kind", "capacity", "features", "owner", "is_active"]

    def scope_choices(self) -> None:
        _park_field(self)
        self.fields["owner"].queryset = (
            core_selectors.organisation_list(user=self.user).filter(kind__in=list(ROOM_OWNER_KINDS)).order_by("name")
        )
        self.fields["features"].queryset = selectors.room_feature_list(user=self.user).order_by("name")


class RoomUnavailabilityForm(ServiceModelForm):
    class Meta:
        model = RoomUnavailability
        fields = ["room", "day_of_week", "first_period", "last_period", "start_date", "end_date", "reason"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def scope_choices(self) -> None:
        self.fields["room"].queryset = selectors.room_list(user=self.user, action=Action.CHANGE)
        if self.is_update:
            self.fields["room"].disabled = True


class TermForm(ServiceModelForm):
    holidays = forms.CharField(
        label=_("holidays"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Dates without teaching, YYYY-MM-DD, separated by commas or new lines."),
    )
    period_times = forms.CharField(
        label=_("period times"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One HH:MM-HH:MM per period, separated by commas or new lines. Empty: the park's usual day (from 08:00)."
        ),
    )

    class Meta:
        model = Term
        fields = [
            "park",
            "name",
            "start_date",
            "end_date",
            "teaching_weeks",
            "days_per_week",
            "periods_per_day",
            "period_times",
            "holidays",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def scope_choices(self) -> None:
        _park_field(self)
        if self.is_update:
            self.initial["holidays"] = ", ".join(self.instance.holidays or [])
            self.initial["period_times"] = ", ".join(self.instance.period_times or [])

    def clean_period_times(self) -> list[str]:
        text = self.cleaned_data.get("period_times") or ""
        if isinstance(text, list):
            return text
        return [v.strip() for v in text.replace("\n", ",").replace(";", ",").split(",") if v.strip()]

    def clean_holidays(self) -> list[str]:
        text = self.cleaned_data.get("holidays") or ""
        if isinstance(text, list):
            return text
        values = [v.strip() for v in text.replace("\n", ",").replace(";", ",").split(",") if v.strip()]
        for value in values:
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                raise forms.ValidationError(
                    _("“%(value)s” is not a date (YYYY-MM-DD)."), params={"value": value}, code="bad_date"
                ) from None
        return values


class CohortForm(ServiceModelForm):
    fieldsets = [
        (pgettext_lazy("teaching", "Cohort"), ["college", "major", "name", "intake_year", "cohort_type", "is_active"]),
        (_("Order or agreement class"), ["agreement", "sponsor", "seats", "hiring_commitment", "hiring_terms"]),
    ]

    class Meta:
        model = Cohort
        fields = [
            "college",
            "major",
            "name",
            "intake_year",
            "cohort_type",
            "agreement",
            "sponsor",
            "seats",
            "hiring_commitment",
            "hiring_terms",
            "is_active",
        ]

    def scope_choices(self) -> None:
        actor = actor_for(self.user)
        colleges = core_selectors.organisation_list(user=self.user).filter(kind__in=list(COLLEGE_KINDS))
        if not actor.is_superuser:
            colleges = colleges.filter(
                Q(park__in=actor.parks(TEACHING_ADMIN_ROLES)) | Q(pk__in=actor.orgs(COLLEGE_MANAGER_ROLES))
            )
        self.fields["college"].queryset = colleges.order_by("name")
        if self.is_update:
            self.fields["college"].disabled = True
        else:
            self.use_single_choice("college")
        agreements = selectors.agreement_list(user=self.user)
        # The sponsor is an enterprise the reader sees, or a party to an agreement they see (a college's
        # administrators see the enterprises their college has agreements with).
        self.fields["sponsor"].queryset = (
            Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE)
            .filter(
                Q(pk__in=core_selectors.organisation_list(user=self.user).values("pk"))
                | Q(pk__in=agreements.values("parties"))
            )
            .order_by("name")
        )
        self.fields["agreement"].queryset = agreements.order_by("title")

    def _post_clean(self) -> None:
        if self.cleaned_data.get("cohort_type") != CohortType.ORDER_CLASS:
            self.instance.sponsor = None
            self.cleaned_data["sponsor"] = None
        super()._post_clean()


class EnrolForm(PlainForm):
    student = forms.ModelChoiceField(label=_("student"), queryset=None)
    start_date = forms.DateField(label=_("joined on"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args: Any, user: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = (
            core_selectors.student_list(user=user)
            .filter(college=cohort.college_id)
            .exclude(enrolments__cohort=cohort, enrolments__end_date__isnull=True)
            .order_by("student_number")
        )
        self.fields["student"].widget.attrs["data-tom-select"] = "1"


class EnrolmentEndForm(PlainForm):
    end_date = forms.DateField(label=_("left on"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(label=_("reason for leaving"), widget=forms.Textarea(attrs={"rows": 3}))


class CourseForm(ServiceModelForm):
    fieldsets = [
        (_("Course"), ["term", "college", "code", "name", "name_en", "course_type", "teachers", "cohorts"]),
        (_("Timetabling"), ["lectures_per_week", "min_working_days", "required_room_kind", "required_features"]),
    ]

    class Meta:
        model = Course
        fields = [
            "term",
            "college",
            "code",
            "name",
            "name_en",
            "course_type",
            "teachers",
            "cohorts",
            "lectures_per_week",
            "min_working_days",
            "required_room_kind",
            "required_features",
        ]

    def scope_choices(self) -> None:
        from django.db.models import Q

        actor = actor_for(self.user)
        self.fields["term"].queryset = selectors.term_list(user=self.user)
        colleges = core_selectors.organisation_list(user=self.user).filter(kind__in=list(COLLEGE_KINDS))
        if not actor.is_superuser:
            colleges = colleges.filter(
                Q(park__in=actor.parks(TEACHING_ADMIN_ROLES)) | Q(pk__in=actor.orgs(COLLEGE_MANAGER_ROLES))
            )
        self.fields["college"].queryset = colleges.order_by("name")
        self.fields["teachers"].queryset = core_selectors.teacher_list(user=self.user).order_by("staff_number")
        self.fields["cohorts"].queryset = selectors.cohort_list(user=self.user).order_by("name")
        self.fields["required_features"].queryset = selectors.room_feature_list(user=self.user).order_by("name")
        if self.is_update:
            self.fields["term"].disabled = True
            self.fields["college"].disabled = True
        else:
            self.use_single_choice("college")


class TeacherUnavailabilityForm(ServiceModelForm):
    class Meta:
        model = TeacherUnavailability
        fields = ["term", "teacher", "day_of_week", "first_period", "last_period", "reason"]

    def scope_choices(self) -> None:
        self.fields["term"].queryset = selectors.term_list(user=self.user)
        self.fields["teacher"].queryset = core_selectors.teacher_list(user=self.user).order_by("staff_number")
        if self.is_update:
            self.fields["term"].disabled = True
            self.fields["teacher"].disabled = True


class TimetableStartForm(PlainForm):
    """Scope (colleges), time limit and seed of a timetabling run of a term."""

    colleges = forms.ModelMultipleChoiceField(
        label=_("colleges"),
        queryset=None,
        required=False,
        help_text=_("Leave empty to timetable the courses of every college."),
    )
    seconds = forms.IntegerField(
        label=_("time limit (seconds)"),
        initial=30,
        min_value=1,
        max_value=600,
        help_text=_("The solver keeps improving the timetable until then."),
    )
    seed = forms.IntegerField(label=_("seed"), initial=0, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args: Any, term: Term, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["colleges"].queryset = Organisation.objects.filter(
            park_id=term.park_id, kind__in=COLLEGE_KINDS
        ).order_by("name")
