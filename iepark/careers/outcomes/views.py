"""
Pages of employment records, the sources' claims, headcount confirmations and graduate destinations.

Object pages are declared over ``iepark.core.generic_views``; workflow steps
(ending a spell, the monthly headcount confirmation, the graduate survey, a
student's own report, settling a disagreement, the placement summary) are
forms posting to their own URLs. Reads go through ``selectors``, writes
through ``services``, like the API.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from iepark.core import generic_views as generic
from iepark.core import policy
from iepark.core import selectors as core_selectors
from iepark.core.choices import OrganisationKind, Role
from iepark.core.models import Student
from iepark.core.policy import COLLEGE_STAFF_ROLES, Action, Actor
from iepark.core.tables import BooleanColumn, ChoiceColumn, Column, DateColumn, DateTimeColumn, TemplateColumn

from ..choices import ClaimStatus, DestinationCategory, LeaveReason
from ..models import EmploymentClaim, EmploymentRecord, GraduateDestination, HeadcountConfirmation
from ..policy import OUTCOME_EDITOR_ROLES, ZONE_READ_ROLES
from . import forms, importers, selectors, services, tables
from .filtersets import (
    EmploymentClaimFilterSet,
    EmploymentRecordFilterSet,
    GraduateDestinationFilterSet,
    HeadcountConfirmationFilterSet,
)

# ---------------------------------------------------------------------------------------------
# The menu: each role sees the entries it uses.
# ---------------------------------------------------------------------------------------------

SETTLER_ROLES = OUTCOME_EDITOR_ROLES | {Role.COLLEGE_COORDINATOR, Role.PARK_ADMIN}


def sees_records(actor: Actor) -> bool:
    return bool(actor.roles & (COLLEGE_STAFF_ROLES | ZONE_READ_ROLES | {Role.ENTERPRISE_HR}))


def confirms_headcount(actor: Actor) -> bool:
    return Role.ENTERPRISE_HR in actor.roles


def settles_claims(actor: Actor) -> bool:
    return bool(actor.roles & SETTLER_ROLES)


def sees_destinations(actor: Actor) -> bool:
    return bool(actor.roles & (COLLEGE_STAFF_ROLES | ZONE_READ_ROLES))


def is_student(actor: Actor) -> bool:
    return Role.STUDENT in actor.roles


generic.register_menu_items(
    "careers",
    gettext_lazy("Careers"),
    [
        generic.MenuItem(
            gettext_lazy("Employment records"),
            "employmentrecord_list",
            "person-workspace",
            sees_records,
            EmploymentRecord,
        ),
        generic.MenuItem(
            gettext_lazy("Headcount confirmation"), "headcount_confirm", "clipboard-check", confirms_headcount
        ),
        generic.MenuItem(
            gettext_lazy("Disagreements to settle"), "claim_conflicts", "exclamation-diamond", settles_claims
        ),
        generic.MenuItem(
            gettext_lazy("Graduate destinations"),
            "graduatedestination_list",
            "signpost-split",
            sees_destinations,
            GraduateDestination,
        ),
        generic.MenuItem(gettext_lazy("My employment"), "employment_mine", "briefcase", is_student),
    ],
    weight=30,
)


class ZoneEmployerFilterMixin:
    """Offer the zone's enterprises in the "zone employer" filter (the generic list narrows it to visible rows)."""

    employer_filters = ("employer", "enterprise")

    def customize_filter_form(self, form):
        for name in self.employer_filters:
            if name in form.fields:
                form.fields[name].queryset = selectors.employer_choices(user=self.request.user)


def _may_survey(user: Any) -> bool:
    actor = policy.actor_for(user)
    return actor.is_superuser or bool(actor.orgs(OUTCOME_EDITOR_ROLES))


# ---------------------------------------------------------------------------------------------
# Employment records.
# ---------------------------------------------------------------------------------------------


class EmploymentRecordMixin:
    model = EmploymentRecord
    selector = staticmethod(selectors.employment_record_list)


class EmploymentRecordListView(EmploymentRecordMixin, ZoneEmployerFilterMixin, generic.ObjectListView):
    filterset_class = EmploymentRecordFilterSet
    filter_fields = (
        "q",
        "college",
        "major",
        "cohort_year",
        "employer",
        "in_zone",
        "current",
        "contract_type",
        "via_order_class",
    )
    table_class = tables.EmploymentRecordTable

    def extra_context(self) -> dict[str, Any]:
        actor = policy.actor_for(self.request.user)
        return {
            "may_survey": _may_survey(self.request.user),
            "may_confirm": actor.is_superuser or confirms_headcount(actor),
        }


RECORD_FIELDS = [
    TemplateColumn("student", label=gettext_lazy("Graduate"), render=lambda r: tables.object_link(r.student)),
    Column("student.college", label=gettext_lazy("College")),
    Column("student.major", label=gettext_lazy("Major")),
    Column("student.cohort_year", label=gettext_lazy("Cohort")),
    TemplateColumn("employer", label=gettext_lazy("Employer"), render=tables.employer_cell),
    Column("post"),
    ChoiceColumn("contract_type", as_badge=False),
    ChoiceColumn("pay_band", as_badge=False),
    DateColumn("start_date"),
    DateColumn("social_insurance_start"),
    DateColumn("end_date"),
    tables.ColouredChoiceColumn("leave_reason", colours=tables.LEAVE_COLOURS),
    BooleanColumn("via_order_class"),
    ChoiceColumn("source", as_badge=False),
    Column("offer"),
    DateColumn("last_confirmed"),
    DateTimeColumn("updated_at"),
]


class EmploymentRecordDetailView(EmploymentRecordMixin, generic.ObjectDetailView):
    detail_fields = RECORD_FIELDS

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        spells = list(selectors.employment_records_of(user=user, student=obj.student))
        claims = list(selectors.employment_claim_list(user=user).filter(student=obj.student)[:20])
        may_destination = policy.can_add(user, GraduateDestination(student=obj.student))
        context.update(
            {
                "spells": spells,
                "claims": claims,
                "can_end": obj.end_date is None and context["can_change"],
                "end_url": reverse("employment_record_end", args=[obj.pk]),
                "destination_url": (
                    reverse("graduatedestination_create") + f"?student={obj.student_id}&record={obj.pk}"
                    if may_destination and obj.in_zone
                    else None
                ),
            }
        )
        return context


class EmploymentRecordHistoryView(EmploymentRecordMixin, generic.ObjectHistoryView):
    pass


class EmploymentRecordEditView(EmploymentRecordMixin, generic.ObjectEditView):
    form_class = forms.EmploymentRecordForm

    def get_initial(self):
        student = self.request.GET.get("student", "")
        return {"student": student} if student.isdigit() else {}

    def create_object(self, form):
        return services.employment_record_create(actor=self.request.user, **form.service_data())

    def update_object(self, obj, form):
        return services.employment_record_update(actor=self.request.user, record=obj, data=form.service_data())


class EmploymentRecordDeleteView(EmploymentRecordMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.employment_record_delete(actor=self.request.user, record=obj)


@login_required
@require_http_methods(["GET", "POST"])
def employment_record_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a current spell; after a transfer within the zone, open the record at the new employer too."""
    record = get_object_or_404(selectors.employment_record_list(user=request.user), pk=pk)
    if not policy.can(request.user, Action.CHANGE, record):
        raise PermissionDenied
    # Whoever may open the graduate's records at any employer (not an HR, who keeps its own) opens the next one.
    allow_follow_on = record.in_zone and policy.can_add(request.user, EmploymentRecord(student=record.student))
    form = forms.EmploymentEndForm(
        request.POST or None, user=request.user, record=record, allow_follow_on=allow_follow_on
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                ended, follow_on = services.employment_record_end(
                    actor=request.user,
                    record=record,
                    end_date=form.cleaned_data["end_date"],
                    leave_reason=form.cleaned_data["leave_reason"],
                    follow_on=form.follow_on(),
                )
            except ValidationError as exc:
                generic.apply_validation_error(form, exc)
            else:
                messages.success(request, _("The spell has ended."))
                if follow_on is not None:
                    messages.success(request, _("The record at the new employer was opened."))
                    return redirect("employmentrecord_detail", pk=follow_on.pk)
                return redirect("employmentrecord_detail", pk=ended.pk)
        status = 400
    return render(
        request,
        "careers/outcomes/record_end.html",
        {"record": record, "form": form, "transferred": LeaveReason.TRANSFERRED},
        status=status,
    )


# ---------------------------------------------------------------------------------------------
# Claims and disagreements.
# ---------------------------------------------------------------------------------------------


class EmploymentClaimMixin:
    model = EmploymentClaim
    selector = staticmethod(selectors.employment_claim_list)


class EmploymentClaimListView(EmploymentClaimMixin, ZoneEmployerFilterMixin, generic.ObjectListView):
    filterset_class = EmploymentClaimFilterSet
    filter_fields = ("q", "status", "source", "college", "cohort_year", "since", "until")
    table_class = tables.EmploymentClaimTable

    def extra_context(self) -> dict[str, Any]:
        return {"may_survey": _may_survey(self.request.user), "can_add": False}


class ClaimConflictListView(EmploymentClaimListView):
    """The disagreements the user may settle."""

    selector = staticmethod(selectors.conflicts_to_settle)
    filter_fields = ("q", "source", "college", "cohort_year")
    template_name = "careers/outcomes/conflict_list.html"


CLAIM_FIELDS = [
    TemplateColumn("student", label=gettext_lazy("Graduate"), render=lambda c: tables.object_link(c.student)),
    Column("student.college", label=gettext_lazy("College")),
    ChoiceColumn("source", as_badge=False),
    DateColumn("as_of"),
    TemplateColumn("employed", label=gettext_lazy("Says"), render=tables.claim_says_cell),
    Column("note"),
    TemplateColumn("record", label=gettext_lazy("Record"), render=tables.record_cell),
    tables.ColouredChoiceColumn("status", colours=tables.CLAIM_COLOURS),
    Column("settled_by"),
    Column("settlement_note"),
    DateTimeColumn("created_at"),
]


class EmploymentClaimDetailView(EmploymentClaimMixin, generic.ObjectDetailView):
    detail_fields = CLAIM_FIELDS

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        settle = obj.status == ClaimStatus.CONFLICT and policy.can(user, Action.CHANGE, obj)
        context.update(
            {
                "spells": list(selectors.employment_records_of(user=user, student=obj.student)),
                "can_settle": settle,
                "apply_form": forms.ClaimApplyForm() if settle else None,
                "dismiss_form": forms.ClaimDismissForm() if settle else None,
            }
        )
        return context


def _settle(request: HttpRequest, pk: int, *, apply: bool) -> HttpResponse:
    claim = get_object_or_404(selectors.employment_claim_list(user=request.user), pk=pk)
    if not policy.can(request.user, Action.CHANGE, claim):
        raise PermissionDenied
    form = (forms.ClaimApplyForm if apply else forms.ClaimDismissForm)(request.POST)
    if form.is_valid():
        try:
            if apply:
                services.claim_apply(actor=request.user, claim=claim, **form.cleaned_data)
            else:
                services.claim_dismiss(actor=request.user, claim=claim, note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, generic.error_text(exc))
        else:
            messages.success(
                request, _("The records were corrected as the claim says.") if apply else _("The claim was dismissed.")
            )
            return redirect(generic.safe_return_url(request, reverse("claim_conflicts")))
    else:
        for error in [*form.non_field_errors(), *(e for f in form for e in f.errors)]:
            messages.error(request, error)
    return redirect("employmentclaim_detail", pk=claim.pk)


@login_required
@require_POST
def claim_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Settle a disagreement by correcting the records as the claim says."""
    return _settle(request, pk, apply=True)


@login_required
@require_POST
def claim_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """Settle a disagreement by dismissing the claim, with a note."""
    return _settle(request, pk, apply=False)


# ---------------------------------------------------------------------------------------------
# The monthly headcount confirmation.
# ---------------------------------------------------------------------------------------------


class HeadcountConfirmationMixin:
    model = HeadcountConfirmation
    selector = staticmethod(selectors.headcount_confirmation_list)


class HeadcountConfirmationListView(HeadcountConfirmationMixin, ZoneEmployerFilterMixin, generic.ObjectListView):
    filterset_class = HeadcountConfirmationFilterSet
    table_class = tables.HeadcountConfirmationTable

    def extra_context(self) -> dict[str, Any]:
        actor = policy.actor_for(self.request.user)
        return {"may_confirm": actor.is_superuser or confirms_headcount(actor), "can_add": False}


class HeadcountConfirmationDetailView(HeadcountConfirmationMixin, generic.ObjectDetailView):
    detail_fields = [
        Column("enterprise"),
        TemplateColumn("month", label=gettext_lazy("Month"), render=lambda h: f"{h.month:%Y-%m}"),
        Column("confirmed"),
        Column("left"),
        DateTimeColumn("created_at"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        context["lines"] = list(selectors.headcount_claims(user=self.request.user, confirmation=obj))
        return context


def _hr_enterprises(user: Any):
    actor = policy.actor_for(user)
    orgs = core_selectors.organisation_list(user=user).filter(kind=OrganisationKind.ENTERPRISE)
    if actor.is_superuser:
        return orgs.order_by("name")
    return orgs.filter(pk__in=actor.orgs([Role.ENTERPRISE_HR])).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def headcount_confirm(request: HttpRequest) -> HttpResponse:
    """The HR's monthly page: tick who is still employed, give the day and reason of those who left."""
    enterprises = list(_hr_enterprises(request.user))
    if not enterprises:
        raise PermissionDenied
    chosen = request.POST.get("enterprise") or request.GET.get("enterprise") or ""
    enterprise = next((e for e in enterprises if str(e.pk) == chosen), enterprises[0])
    month_form = forms.HeadcountMonthForm(request.POST or request.GET or None)
    month = month_form.cleaned_data["month"] if month_form.is_bound and month_form.is_valid() else None
    month = selectors.month_start(month or timezone.localdate())
    roster = list(selectors.headcount_roster(enterprise=enterprise, month=month))
    done = HeadcountConfirmation.objects.filter(enterprise=enterprise, month=month).first()
    errors: list[str] = []
    values: dict[int, dict[str, Any]] = {}
    status = 200
    if request.method == "POST":
        lines = []
        for record in roster:
            employed = request.POST.get(f"employed_{record.pk}") == "on"
            end_text = request.POST.get(f"end_date_{record.pk}", "").strip()
            reason = request.POST.get(f"leave_reason_{record.pk}", "")
            values[record.pk] = {"employed": employed, "end_date": end_text, "leave_reason": reason}
            end_date = None
            if end_text:
                try:
                    end_date = datetime.date.fromisoformat(end_text)
                except ValueError:
                    errors.append(_("%(name)s: the day they left is not a date.") % {"name": record.student.person})
            lines.append({"record": record, "employed": employed, "end_date": end_date, "leave_reason": reason})
        if not errors:
            try:
                confirmation = services.headcount_confirm(
                    actor=request.user, enterprise=enterprise, month=month, lines=lines
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(
                    request,
                    _("The headcount of %(month)s is confirmed: %(confirmed)d still employed, %(left)d left.")
                    % {"month": f"{month:%Y-%m}", "confirmed": confirmation.confirmed, "left": confirmation.left},
                )
                return redirect("headcountconfirmation_detail", pk=confirmation.pk)
        status = 400
    rows = [
        {
            "record": record,
            "employed": values.get(record.pk, {}).get("employed", True),
            "end_date": values.get(record.pk, {}).get("end_date", ""),
            "leave_reason": values.get(record.pk, {}).get("leave_reason", ""),
        }
        for record in roster
    ]
    context = {
        "enterprises": enterprises,
        "enterprise": enterprise,
        "month": month,
        "month_form": month_form if month_form.is_bound else forms.HeadcountMonthForm(initial={"month": month}),
        "as_of": selectors.headcount_as_of(month),
        "rows": rows,
        "done": done,
        "errors": errors,
        "reasons": LeaveReason.choices,
        "future": month > selectors.month_start(timezone.localdate()),
    }
    return render(request, "careers/outcomes/headcount_confirm.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# The college's graduate survey and the student's own report.
# ---------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def employment_survey(request: HttpRequest) -> HttpResponse:
    """Record one answer of the college's graduate survey."""
    if not _may_survey(request.user):
        raise PermissionDenied
    initial = {}
    student = request.GET.get("student", "")
    if student.isdigit():
        initial["student"] = student
    form = forms.SurveyForm(request.POST or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                claim = services.survey_report(actor=request.user, **form.service_data())
            except ValidationError as exc:
                generic.apply_validation_error(form, exc)
            else:
                if claim.status == ClaimStatus.CONFLICT:
                    messages.warning(request, _("Recorded. It disagrees with the employment records: settle it."))
                else:
                    messages.success(request, _("Recorded. It agrees with the employment records."))
                return redirect("employmentclaim_detail", pk=claim.pk)
        status = 400
    return render(request, "careers/outcomes/survey.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def employment_survey_upload(request: HttpRequest) -> HttpResponse:
    """Upload many survey answers from Excel: every row checked first, all written or none."""
    if not _may_survey(request.user):
        raise PermissionDenied
    form = forms.SurveyUploadForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                importers.check_size(upload.size)
                result = importers.survey_import(
                    user=request.user,
                    filename=upload.name,
                    content=upload.read(),
                    dry_run=form.cleaned_data["dry_run"],
                )
            except importers.ImportFileError as exc:
                form.add_error("file", exc.message)
        if result is None or not result.ok:
            status = 400
    context = {"form": form, "result": result, "columns": importers.SurveyImporter.column_rows()}
    return render(request, "careers/outcomes/survey_upload.html", context, status=status)


@login_required
def employment_survey_template(request: HttpRequest) -> HttpResponse:
    """Download the .xlsx template of the survey upload."""
    if not _may_survey(request.user):
        raise PermissionDenied
    return importers.survey_template_response()


@login_required
@require_http_methods(["GET", "POST"])
def employment_mine(request: HttpRequest) -> HttpResponse:
    """A student's own page: their spells, what was said about them, their destination; and their own report."""
    student = selectors.own_student(user=request.user)
    if student is None:
        raise Http404
    form = forms.StudentReportForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                claim = services.student_report(actor=request.user, **form.service_data())
            except ValidationError as exc:
                generic.apply_validation_error(form, exc)
            else:
                if claim.status == ClaimStatus.CONFLICT:
                    messages.info(request, _("Thank you. Your college will check this against its records."))
                else:
                    messages.success(request, _("Thank you. This agrees with your records."))
                return redirect("employment_mine")
        status = 400
    user = request.user
    today = timezone.localdate()
    context = {
        "student": student,
        "records": list(selectors.employment_records_of(user=user, student=student)),
        "claims": list(selectors.employment_claim_list(user=user).filter(student=student)[:20]),
        "destination": selectors.destination_list(user=user).filter(student=student, as_of__lte=today).first(),
        "form": form,
    }
    return render(request, "careers/outcomes/mine.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# Graduate destinations and the placement rate.
# ---------------------------------------------------------------------------------------------


class GraduateDestinationMixin:
    model = GraduateDestination
    selector = staticmethod(selectors.destination_list)


class GraduateDestinationListView(GraduateDestinationMixin, ZoneEmployerFilterMixin, generic.ObjectListView):
    filterset_class = GraduateDestinationFilterSet
    filter_fields = ("q", "college", "major", "graduation_year", "category", "latest")
    table_class = tables.GraduateDestinationTable


class GraduateDestinationDetailView(GraduateDestinationMixin, generic.ObjectDetailView):
    detail_fields = [
        TemplateColumn("student", label=gettext_lazy("Graduate"), render=lambda d: tables.object_link(d.student)),
        Column("student.college", label=gettext_lazy("College")),
        Column("student.major", label=gettext_lazy("Major")),
        Column("student.cohort_year", label=gettext_lazy("Cohort")),
        TemplateColumn("category", label=gettext_lazy("Destination"), render=tables.destination_cell),
        Column("employer"),
        Column("detail"),
        DateColumn("as_of"),
        ChoiceColumn("source", as_badge=False),
        DateTimeColumn("created_at"),
    ]


class GraduateDestinationHistoryView(GraduateDestinationMixin, generic.ObjectHistoryView):
    pass


class GraduateDestinationEditView(GraduateDestinationMixin, generic.ObjectEditView):
    form_class = forms.GraduateDestinationForm

    def get_initial(self):
        """Prefill from ``?student=``: their current zone employment suggests a contract employment there."""
        student_id = self.request.GET.get("student", "")
        if not student_id.isdigit():
            return {}
        student = policy.restrict(Student.objects.filter(pk=student_id), self.request.user).first()
        if student is None:
            return {}
        today = timezone.localdate()
        suggestion = selectors.destination_suggestion(user=self.request.user, student=student, as_of=today)
        initial: dict[str, Any] = {"student": student.pk, "as_of": today}
        if suggestion:
            initial.update(
                {
                    "category": suggestion["category"],
                    "employer": suggestion["employer"].pk,
                    "detail": suggestion["detail"],
                }
            )
        return initial

    def create_object(self, form):
        return services.destination_create(actor=self.request.user, **form.service_data())

    def update_object(self, obj, form):
        return services.destination_update(actor=self.request.user, destination=obj, data=form.service_data())


class GraduateDestinationDeleteView(GraduateDestinationMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.destination_delete(actor=self.request.user, destination=obj)


@login_required
def placement_page(request: HttpRequest) -> HttpResponse:
    """The placement of a graduating class as of a date: per category and per college, with the rate."""
    years = selectors.graduation_years(user=request.user)
    form = forms.PlacementForm(request.GET or None, years=years)
    graduation_year, as_of = form.values()
    summary = selectors.placement(request.user, graduation_year, as_of)
    for row in [summary, *summary["colleges"]]:
        row["rate_percent"] = None if row["rate"] is None else 100 * row["rate"]
    categories = [(value, label, summary["categories"][value]) for value, label in DestinationCategory.choices]
    chart = {
        "colleges": [c["college"] for c in summary["colleges"]],
        "series": [
            {"name": str(label), "data": [c["categories"][value] for c in summary["colleges"]]}
            for value, label in DestinationCategory.choices
        ],
    }
    context = {
        "form": form,
        "summary": summary,
        "categories": categories,
        "category_labels": DestinationCategory.choices,
        "chart": chart,
    }
    return render(request, "careers/outcomes/placement.html", context)
