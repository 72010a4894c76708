"""
Pages of teaching, over the generic views: they read through selectors and write
through services, like the API (``api.py``).

Sections: cooperation agreements (with their signed documents, signing, putting in
force and termination); rooms, room features and unavailable times; terms; cohorts
with their roster (enrol, leave); enrolments; courses; teachers' unavailable times.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from iepark.core import generic_views as generic
from iepark.core import policy
from iepark.core import tables as core_tables
from iepark.core.choices import Role
from iepark.core.policy import Action, Actor
from iepark.core.views import register_home_card

from . import selectors, services, tables
from .choices import AGREEMENT_TRANSITIONS, AgreementStatus, CohortType
from .filtersets import (
    AgreementFilterSet,
    CohortFilterSet,
    CourseFilterSet,
    EnrolmentFilterSet,
    RoomFeatureFilterSet,
    RoomFilterSet,
    RoomUnavailabilityFilterSet,
    TeacherUnavailabilityFilterSet,
    TermFilterSet,
)
from .forms import (
    AgreementForm,
    AgreementSignForm,
    AgreementTerminateForm,
    CohortForm,
    CourseForm,
    EnrolForm,
    EnrolmentEndForm,
    RoomFeatureForm,
    RoomForm,
    RoomUnavailabilityForm,
    TeacherUnavailabilityForm,
    TermForm,
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
    TimetableRun,
)
from .policy import COLLEGE_MANAGER_ROLES, COLLEGE_READER_ROLES, TEACHING_READ_ROLES


def sees_timetable_runs(actor: Actor) -> bool:
    return actor.is_superuser or bool(actor.parks(TEACHING_READ_ROLES))


def is_park_member(actor: Actor) -> bool:
    return bool(actor.grants)


def sees_agreements(actor: Actor) -> bool:
    return bool(actor.parks(TEACHING_READ_ROLES) or actor.orgs({Role.COLLEGE_ADMIN, Role.ENTERPRISE_HR}))


def sees_cohorts(actor: Actor) -> bool:
    return bool(
        actor.parks(TEACHING_READ_ROLES)
        or actor.orgs(COLLEGE_READER_ROLES | {Role.ENTERPRISE_HR, Role.TEACHER, Role.STUDENT})
    )


def sees_unavailability(actor: Actor) -> bool:
    return bool(actor.parks(TEACHING_READ_ROLES) or actor.orgs(COLLEGE_MANAGER_ROLES | {Role.TEACHER}))


def has_own_timetable(actor: Actor) -> bool:
    """Students and teachers have a timetable of their own (``/my/timetable/``)."""
    return bool(actor.orgs({Role.STUDENT, Role.TEACHER}))


generic.register_menu_items(
    "teaching",
    gettext_lazy("Teaching"),
    [
        generic.MenuItem(
            gettext_lazy("Cooperation agreements"),
            "cooperationagreement_list",
            "file-earmark-text",
            sees_agreements,
            CooperationAgreement,
        ),
        generic.MenuItem(gettext_lazy("Cohorts"), "cohort_list", "people", sees_cohorts, Cohort),
        generic.MenuItem(gettext_lazy("Courses"), "course_list", "journal-bookmark", sees_cohorts, Course),
        generic.MenuItem(gettext_lazy("Terms"), "term_list", "calendar3", is_park_member, Term),
        generic.MenuItem(gettext_lazy("Timetables"), "timetablerun_list", "grid-3x3", sees_timetable_runs),
        generic.MenuItem(gettext_lazy("My timetable"), "my_timetable", "calendar-week", has_own_timetable),
        generic.MenuItem(gettext_lazy("Rooms and venues"), "room_list", "door-open", is_park_member, Room),
        generic.MenuItem(gettext_lazy("Room features"), "roomfeature_list", "tools", is_park_member, RoomFeature),
        generic.MenuItem(
            gettext_lazy("Teachers' unavailable times"),
            "teacherunavailability_list",
            "calendar-x",
            sees_unavailability,
            TeacherUnavailability,
        ),
    ],
    weight=30,
)
register_home_card(
    gettext_lazy("Cooperation agreements"),
    "file-earmark-text",
    "cooperationagreement_list",
    sees_agreements,
    selectors.agreement_list,
)
register_home_card(gettext_lazy("Cohorts"), "people", "cohort_list", sees_cohorts, selectors.cohort_list)


# --- cooperation agreements -----------------------------------------------------------------------


class CooperationAgreementMixin:
    model = CooperationAgreement
    selector = staticmethod(selectors.agreement_list)


class CooperationAgreementListView(CooperationAgreementMixin, generic.ObjectListView):
    filterset_class = AgreementFilterSet
    filter_fields = ("q", "agreement_type", "status", "scope", "party")
    table_class = tables.AgreementTable


class CooperationAgreementDetailView(CooperationAgreementMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("title"),
        core_tables.Column("number"),
        core_tables.ChoiceColumn("agreement_type", as_badge=False),
        core_tables.TemplateColumn("status_now", label=gettext_lazy("Status"), render=tables.agreement_status_badge),
        core_tables.TemplateColumn(
            "scopes", label=gettext_lazy("Scope"), render=lambda a: format_html("{}", a.get_scopes_display())
        ),
        core_tables.DateColumn("start_date"),
        core_tables.DateColumn("end_date"),
        core_tables.DateColumn("signed_on"),
        core_tables.Column("reminder_days"),
        core_tables.DateColumn("terminated_on"),
        core_tables.Column("termination_reason"),
        core_tables.Column("notes"),
        core_tables.Column("park"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        can_change = policy.can(user, Action.CHANGE, obj)
        steps = AGREEMENT_TRANSITIONS.get(obj.current_status, frozenset()) if can_change else frozenset()
        context.update(
            {
                "parties": list(obj.parties.all()),
                "cohorts": list(selectors.cohort_list(user=user).filter(agreement=obj).order_by("name")),
                "may_sign": AgreementStatus.SIGNED in steps,
                "may_activate": AgreementStatus.ACTIVE in steps,
                "may_terminate": AgreementStatus.TERMINATED in steps,
            }
        )
        return context


class CooperationAgreementHistoryView(CooperationAgreementMixin, generic.ObjectHistoryView):
    pass


class CooperationAgreementEditView(CooperationAgreementMixin, generic.ObjectEditView):
    form_class = AgreementForm

    def get_form(self, obj, data=None):
        form = self.form_class(
            data, self.request.FILES if data is not None else None, user=self.request.user, instance=obj
        )
        return form

    def create_object(self, form):
        data = form.service_data()
        return services.agreement_create(
            actor=self.request.user,
            park=data.pop("park"),
            parties=data.pop("parties"),
            files=data.pop("documents", []),
            **data,
        )

    def update_object(self, obj, form):
        data = form.service_data()
        data.pop("park", None)
        return services.agreement_update(
            actor=self.request.user,
            agreement=obj,
            data=data,
            parties=data.pop("parties", None),
            files=data.pop("documents", []),
        )


class CooperationAgreementDeleteView(CooperationAgreementMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.agreement_delete(actor=self.request.user, agreement=obj)


def _changeable_agreement(request, pk):
    agreement = get_object_or_404(selectors.agreement_list(user=request.user), pk=pk)
    if not policy.can(request.user, Action.CHANGE, agreement):
        raise PermissionDenied
    return agreement


@login_required
def agreement_sign(request, pk: int):
    """Record the signing (with the signed documents)."""
    from iepark.core.attachments import attach_files

    agreement = _changeable_agreement(request, pk)
    form = AgreementSignForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_sign(actor=request.user, agreement=agreement, signed_on=form.cleaned_data["signed_on"])
            if form.cleaned_data["documents"]:
                attach_files(actor=request.user, parent=agreement, files=form.cleaned_data["documents"])
        except ValidationError as exc:
            generic.apply_validation_error(form, exc)
        else:
            messages.success(request, _("The agreement is signed."))
            return redirect("cooperationagreement_detail", pk=agreement.pk)
    return render(
        request,
        "teaching/form_page.html",
        {"form": form, "object": agreement, "title": _("Sign the agreement"), "multipart": True},
    )


@login_required
@require_POST
def agreement_activate(request, pk: int):
    agreement = _changeable_agreement(request, pk)
    try:
        services.agreement_activate(actor=request.user, agreement=agreement)
    except ValidationError as exc:
        messages.error(request, generic.error_text(exc))
    else:
        messages.success(request, _("The agreement is in force."))
    return redirect("cooperationagreement_detail", pk=agreement.pk)


@login_required
def agreement_terminate(request, pk: int):
    agreement = _changeable_agreement(request, pk)
    form = AgreementTerminateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_terminate(
                actor=request.user,
                agreement=agreement,
                reason=form.cleaned_data["reason"],
                terminated_on=form.cleaned_data["terminated_on"],
            )
        except ValidationError as exc:
            generic.apply_validation_error(form, exc)
        else:
            messages.success(request, _("The agreement is terminated."))
            return redirect("cooperationagreement_detail", pk=agreement.pk)
    return render(
        request, "teaching/form_page.html", {"form": form, "object": agreement, "title": _("Terminate the agreement")}
    )


# --- room features ----------------------------------------------------------------------------------


class RoomFeatureMixin:
    model = RoomFeature
    selector = staticmethod(selectors.room_feature_list)


class RoomFeatureListView(RoomFeatureMixin, generic.ObjectListView):
    filterset_class = RoomFeatureFilterSet
    filter_fields = ("q",)
    table_class = tables.RoomFeatureTable


class RoomFeatureDetailView(RoomFeatureMixin, generic.ObjectDetailView):
    detail_fields = [core_tables.Column("name"), core_tables.Column("name_en"), core_tables.Column("park")]


class RoomFeatureHistoryView(RoomFeatureMixin, generic.ObjectHistoryView):
    pass


class RoomFeatureEditView(RoomFeatureMixin, generic.ObjectEditView):
    form_class = RoomFeatureForm

    def create_object(self, form):
        data = form.service_data()
        return services.room_feature_create(actor=self.request.user, park=data.pop("park"), **data)

    def update_object(self, obj, form):
        return services.room_feature_update(actor=self.request.user, feature=obj, data=form.service_data())


class RoomFeatureDeleteView(RoomFeatureMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.room_feature_delete(actor=self.request.user, feature=obj)


# --- rooms -------------------------------------------------------------------------------------------------


class RoomMixin:
    model = Room
    selector = staticmethod(selectors.room_list)


class RoomListView(RoomMixin, generic.ObjectListView):
    import_kind = "rooms"
    filterset_class = RoomFilterSet
    filter_fields = ("q", "room_kind", "feature", "min_capacity")
    table_class = tables.RoomTable


class RoomDetailView(RoomMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("building"),
        core_tables.Column("number"),
        core_tables.Column("name"),
        core_tables.ChoiceColumn("room_kind", as_badge=False),
        core_tables.Column("capacity"),
        core_tables.TemplateColumn(
            "features", label=gettext_lazy("Features"), render=lambda r: tables._names(r.features.all())
        ),
        core_tables.Column("owner"),
        core_tables.BooleanColumn("is_active"),
        core_tables.Column("park"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        context.update(
            {
                "unavailabilities": list(selectors.room_unavailability_list(user=self.request.user).filter(room=obj)),
                "unavailability_create_url": reverse("roomunavailability_create") + f"?room={obj.pk}",
            }
        )
        return context


class RoomHistoryView(RoomMixin, generic.ObjectHistoryView):
    pass


class RoomEditView(RoomMixin, generic.ObjectEditView):
    form_class = RoomForm

    def create_object(self, form):
        data = form.service_data()
        return services.room_create(
            actor=self.request.user, park=data.pop("park"), features=data.pop("features", []), **data
        )

    def update_object(self, obj, form):
        data = form.service_data()
        data.pop("park", None)
        return services.room_update(actor=self.request.user, room=obj, data=data, features=data.pop("features", None))


class RoomDeleteView(RoomMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.room_delete(actor=self.request.user, room=obj)


class RoomUnavailabilityMixin:
    model = RoomUnavailability
    selector = staticmethod(selectors.room_unavailability_list)


class RoomUnavailabilityListView(RoomUnavailabilityMixin, generic.ObjectListView):
    filterset_class = RoomUnavailabilityFilterSet
    table_class = tables.RoomUnavailabilityTable


class RoomUnavailabilityDetailView(RoomUnavailabilityMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("room"),
        core_tables.ChoiceColumn("day_of_week", as_badge=False),
        core_tables.Column("first_period"),
        core_tables.Column("last_period"),
        core_tables.DateColumn("start_date"),
        core_tables.DateColumn("end_date"),
        core_tables.Column("reason"),
    ]


class RoomUnavailabilityHistoryView(RoomUnavailabilityMixin, generic.ObjectHistoryView):
    pass


class RoomUnavailabilityEditView(RoomUnavailabilityMixin, generic.ObjectEditView):
    form_class = RoomUnavailabilityForm

    def get_initial(self):
        room = self.request.GET.get("room", "")
        return {"room": room} if room.isdigit() else {}

    def create_object(self, form):
        data = form.service_data()
        return services.room_unavailability_create(actor=self.request.user, room=data.pop("room"), **data)

    def update_object(self, obj, form):
        return services.room_unavailability_update(
            actor=self.request.user, unavailability=obj, data=form.service_data()
        )

    def get_success_url(self, obj):
        return generic.safe_return_url(self.request, reverse("room_detail", args=[obj.room_id]))


class RoomUnavailabilityDeleteView(RoomUnavailabilityMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.room_unavailability_delete(actor=self.request.user, unavailability=obj)


# --- terms -----------------------------------------------------------------------------------------------------


class TermMixin:
    model = Term
    selector = staticmethod(selectors.term_list)


class TermListView(TermMixin, generic.ObjectListView):
    filterset_class = TermFilterSet
    filter_fields = ("q",)
    table_class = tables.TermTable


class TermDetailView(TermMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("name"),
        core_tables.DateColumn("start_date"),
        core_tables.DateColumn("end_date"),
        core_tables.Column("teaching_weeks"),
        core_tables.Column("days_per_week"),
        core_tables.Column("periods_per_day"),
        core_tables.TemplateColumn(
            "holidays",
            label=gettext_lazy("Holidays"),
            render=lambda t: format_html("{}", ", ".join(t.holidays or [])) or core_tables.EMPTY,
        ),
        core_tables.TemplateColumn(
            "period_times",
            label=gettext_lazy("Period times"),
            render=lambda t: format_html(
                "{}",
                " · ".join(f"{n}: {a:%H:%M}–{b:%H:%M}" for n, (a, b) in enumerate(t.period_spans(), start=1)),
            ),
        ),
        core_tables.Column("park"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        context["courses"] = list(selectors.course_list(user=self.request.user).filter(term=obj).order_by("code"))
        context["timetable_runs"] = list(selectors.timetable_run_list(user=self.request.user).filter(term=obj)[:10])
        context["can_timetable"] = policy.can_add(self.request.user, TimetableRun(term=obj))
        return context


class TermHistoryView(TermMixin, generic.ObjectHistoryView):
    pass


class TermEditView(TermMixin, generic.ObjectEditView):
    form_class = TermForm

    def create_object(self, form):
        data = form.service_data()
        return services.term_create(actor=self.request.user, park=data.pop("park"), **data)

    def update_object(self, obj, form):
        data = form.service_data()
        data.pop("park", None)
        return services.term_update(actor=self.request.user, term=obj, data=data)


class TermDeleteView(TermMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.term_delete(actor=self.request.user, term=obj)


# --- cohorts and enrolments -------------------------------------------------------------------------------------


class CohortMixin:
    model = Cohort
    selector = staticmethod(selectors.cohort_list)


class CohortListView(CohortMixin, generic.ObjectListView):
    filterset_class = CohortFilterSet
    filter_fields = ("q", "cohort_type", "college", "intake_year")
    table_class = tables.CohortTable


class CohortDetailView(CohortMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("name"),
        core_tables.ChoiceColumn("cohort_type"),
        core_tables.Column("college"),
        core_tables.Column("major"),
        core_tables.Column("intake_year"),
        core_tables.Column("sponsor"),
        core_tables.TemplateColumn("enrolled", label=gettext_lazy("Students / seats"), render=tables.seats_cell),
        core_tables.Column("hiring_commitment"),
        core_tables.Column("hiring_terms"),
        core_tables.Column("agreement"),
        core_tables.BooleanColumn("is_active"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        enrolments = list(
            selectors.enrolment_list(user=user).filter(cohort=obj).order_by("end_date", "student__student_number")
        )
        can_change = policy.can(user, Action.CHANGE, obj)
        full = obj.cohort_type == CohortType.ORDER_CLASS and obj.enrolled >= (obj.seats or 0)
        context.update(
            {
                "current_enrolments": [e for e in enrolments if e.end_date is None],
                "past_enrolments": [e for e in enrolments if e.end_date is not None],
                "courses": list(selectors.course_list(user=user).filter(cohorts=obj).order_by("term", "code")),
                "can_enrol": can_change and obj.is_active and not full,
                "can_end": can_change,
                "is_full": full,
            }
        )
        return context


class CohortHistoryView(CohortMixin, generic.ObjectHistoryView):
    pass


class CohortEditView(CohortMixin, generic.ObjectEditView):
    form_class = CohortForm

    def create_object(self, form):
        data = form.service_data()
        return services.cohort_create(actor=self.request.user, college=data.pop("college"), **data)

    def update_object(self, obj, form):
        data = form.service_data()
        data.pop("college", None)
        return services.cohort_update(actor=self.request.user, cohort=obj, data=data)


class CohortDeleteView(CohortMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.cohort_delete(actor=self.request.user, cohort=obj)


@login_required
def cohort_enrol(request, pk: int):
    """Enrol a student of the cohort's college."""
    cohort = get_object_or_404(selectors.cohort_list(user=request.user), pk=pk)
    if not policy.can(request.user, Action.CHANGE, cohort):
        raise PermissionDenied
    form = EnrolForm(request.POST or None, user=request.user, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrol(actor=request.user, cohort=cohort, **form.cleaned_data)
        except ValidationError as exc:
            generic.apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("%(student)s joined %(cohort)s.") % {"student": form.cleaned_data["student"], "cohort": cohort},
            )
            return redirect("cohort_detail", pk=cohort.pk)
    return render(request, "teaching/form_page.html", {"form": form, "object": cohort, "title": _("Enrol a student")})


class EnrolmentMixin:
    model = Enrolment
    selector = staticmethod(selectors.enrolment_list)


class EnrolmentListView(EnrolmentMixin, generic.ObjectListView):
    import_kind = "enrolments"
    filterset_class = EnrolmentFilterSet
    filter_fields = ("q", "cohort", "current")
    table_class = tables.EnrolmentTable


class EnrolmentDetailView(EnrolmentMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("student"),
        core_tables.Column("cohort", linkify="cohort"),
        core_tables.DateColumn("start_date"),
        core_tables.DateColumn("end_date"),
        core_tables.Column("leave_reason"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        context["can_end"] = obj.end_date is None and policy.can(self.request.user, Action.CHANGE, obj)
        return context


class EnrolmentHistoryView(EnrolmentMixin, generic.ObjectHistoryView):
    pass


@login_required
def enrolment_end(request, pk: int):
    """Record that a student leaves a cohort, with the date and the reason."""
    enrolment = get_object_or_404(selectors.enrolment_list(user=request.user), pk=pk)
    if not policy.can(request.user, Action.CHANGE, enrolment):
        raise PermissionDenied
    form = EnrolmentEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_end(
                actor=request.user,
                enrolment=enrolment,
                reason=form.cleaned_data["reason"],
                end_date=form.cleaned_data["end_date"],
            )
        except ValidationError as exc:
            generic.apply_validation_error(form, exc)
        else:
            messages.success(request, _("%(student)s left the cohort.") % {"student": enrolment.student})
            return redirect("cohort_detail", pk=enrolment.cohort_id)
    return render(
        request, "teaching/form_page.html", {"form": form, "object": enrolment, "title": _("Leave the cohort")}
    )


# --- courses -------------------------------------------------------------------------------------------------------


class CourseMixin:
    model = Course
    selector = staticmethod(selectors.course_list)


class CourseListView(CourseMixin, generic.ObjectListView):
    import_kind = "courses"
    filterset_class = CourseFilterSet
    filter_fields = ("q", "term", "course_type", "cohort", "teacher")
    table_class = tables.CourseTable


class CourseDetailView(CourseMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("code"),
        core_tables.Column("name"),
        core_tables.Column("name_en"),
        core_tables.ChoiceColumn("course_type"),
        core_tables.Column("term", linkify="term"),
        core_tables.Column("college"),
        core_tables.Column("lectures_per_week"),
        core_tables.Column("min_working_days"),
        core_tables.TemplateColumn(
            "teachers",
            label=gettext_lazy("Teachers"),
            render=lambda c: tables._names(t.person for t in c.teachers.all()),
        ),
        core_tables.TemplateColumn(
            "cohorts", label=gettext_lazy("Cohorts"), render=lambda c: tables._names(c.cohorts.all())
        ),
        core_tables.ChoiceColumn("required_room_kind", as_badge=False),
        core_tables.TemplateColumn(
            "required_features",
            label=gettext_lazy("Required features"),
            render=lambda c: tables._names(c.required_features.all()),
        ),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        rooms = selectors.suitable_rooms(obj.term.park_id, obj.required_room_kind, obj.required_features.all())
        context["suitable_rooms"] = list(policy.restrict(rooms, self.request.user).order_by("building", "number")[:30])
        return context


class CourseHistoryView(CourseMixin, generic.ObjectHistoryView):
    pass


class CourseEditView(CourseMixin, generic.ObjectEditView):
    form_class = CourseForm

    def create_object(self, form):
        data = form.service_data()
        return services.course_create(
            actor=self.request.user,
            term=data.pop("term"),
            college=data.pop("college"),
            teachers=data.pop("teachers"),
            cohorts=data.pop("cohorts"),
            required_features=data.pop("required_features", []),
            **data,
        )

    def update_object(self, obj, form):
        data = form.service_data()
        for name in ("term", "college"):
            data.pop(name, None)
        return services.course_update(
            actor=self.request.user,
            course=obj,
            data=data,
            teachers=data.pop("teachers", None),
            cohorts=data.pop("cohorts", None),
            required_features=data.pop("required_features", None),
        )


class CourseDeleteView(CourseMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.course_delete(actor=self.request.user, course=obj)


class TeacherUnavailabilityMixin:
    model = TeacherUnavailability
    selector = staticmethod(selectors.teacher_unavailability_list)


class TeacherUnavailabilityListView(TeacherUnavailabilityMixin, generic.ObjectListView):
    filterset_class = TeacherUnavailabilityFilterSet
    table_class = tables.TeacherUnavailabilityTable


class TeacherUnavailabilityDetailView(TeacherUnavailabilityMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("teacher"),
        core_tables.Column("term", linkify="term"),
        core_tables.ChoiceColumn("day_of_week", as_badge=False),
        core_tables.Column("first_period"),
        core_tables.Column("last_period"),
        core_tables.Column("reason"),
    ]


class TeacherUnavailabilityHistoryView(TeacherUnavailabilityMixin, generic.ObjectHistoryView):
    pass


class TeacherUnavailabilityEditView(TeacherUnavailabilityMixin, generic.ObjectEditView):
    form_class = TeacherUnavailabilityForm

    def create_object(self, form):
        data = form.service_data()
        return services.teacher_unavailability_create(
            actor=self.request.user, term=data.pop("term"), teacher=data.pop("teacher"), **data
        )

    def update_object(self, obj, form):
        return services.teacher_unavailability_update(
            actor=self.request.user, unavailability=obj, data=form.service_data()
        )


class TeacherUnavailabilityDeleteView(TeacherUnavailabilityMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.teacher_unavailability_delete(actor=self.request.user, unavailability=obj)
