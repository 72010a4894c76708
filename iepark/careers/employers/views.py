"""
Pages of employer profiles, demand plans and postings, the park's vetting queue and the zone's demand.

Object pages are declared over ``iepark.core.generic_views``; the workflow steps
(submit, approve, reject, close, reopen) are small POST views calling the
services, like the API's actions. Nothing here saves a model.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from iepark.core import generic_views as generic
from iepark.core import policy
from iepark.core import tables as core_tables
from iepark.core.choices import Role
from iepark.core.forms import restrict_form_querysets, style_form
from iepark.core.policy import Action, Actor

from ..choices import PlanStatus, VettingStatus
from ..models import DemandLine, DemandPlan, EmployerProfile, Posting
from ..policy import VETTER_ROLES, ZONE_READ_ROLES, is_vetter
from . import selectors, services, tables
from .filtersets import DemandPlanFilterSet, EmployerProfileFilterSet, PostingFilterSet
from .forms import DemandLineForm, DemandPlanForm, EmployerProfileForm, PostingForm, ZoneDemandFilterForm

# ---------------------------------------------------------------------------
# The menu: each role sees the links it uses.
# ---------------------------------------------------------------------------

ZONE_DEMAND_ROLES = ZONE_READ_ROLES | {Role.COLLEGE_ADMIN}


def in_a_park(actor: Actor) -> bool:
    return bool(actor.grants)


def is_hr(actor: Actor) -> bool:
    return Role.ENTERPRISE_HR in actor.roles


def manages_postings(actor: Actor) -> bool:
    return bool(actor.roles & {Role.ENTERPRISE_HR, Role.ENTERPRISE_MENTOR})


def vets(actor: Actor) -> bool:
    return bool(actor.roles & VETTER_ROLES)


def reads_plans(actor: Actor) -> bool:
    return bool(actor.roles & (ZONE_READ_ROLES | {Role.ENTERPRISE_HR}))


def reads_zone_demand(actor: Actor) -> bool:
    return bool(actor.roles & ZONE_DEMAND_ROLES)


generic.register_menu_items(
    "careers",
    gettext_lazy("Careers"),
    [
        generic.MenuItem(gettext_lazy("Postings"), "posting_browse", "briefcase", in_a_park),
        generic.MenuItem(gettext_lazy("Our postings"), "posting_list", "card-checklist", manages_postings, Posting),
        generic.MenuItem(gettext_lazy("Vetting queue"), "vetting_queue", "patch-check", vets),
        generic.MenuItem(gettext_lazy("Demand plans"), "demandplan_list", "clipboard-data", reads_plans, DemandPlan),
        generic.MenuItem(gettext_lazy("Zone demand"), "zone_demand", "bar-chart-line", reads_zone_demand),
        generic.MenuItem(gettext_lazy("My employer profile"), "employerprofile_mine", "building-check", is_hr),
    ],
    weight=30,
)


def _redirect_back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(generic.safe_return_url(request, fallback))


def _run_step(request: HttpRequest, step: Any, success: str, fallback: str, **kwargs: Any) -> HttpResponseRedirect:
    """Run a workflow service; show its refusal (a ``ValidationError``) as a message. ``PermissionDenied`` is a 403."""
    try:
        step(actor=request.user, **kwargs)
    except ValidationError as exc:
        messages.error(request, generic.error_text(exc))
    else:
        messages.success(request, success)
    return _redirect_back(request, fallback)


def apply_url(posting: Posting) -> str | None:
    """Return the page where a student applies to ``posting``, if the applications pages exist."""
    try:
        return reverse("application_create_for", args=[posting.pk])
    except NoReverseMatch:
        return None


# ---------------------------------------------------------------------------
# Employer profiles.
# ---------------------------------------------------------------------------


class EmployerProfileMixin:
    model = EmployerProfile
    selector = staticmethod(selectors.employer_profile_list)


class EmployerProfileListView(EmployerProfileMixin, generic.ObjectListView):
    filterset_class = EmployerProfileFilterSet
    filter_fields = ("q", "vetting_status")
    table_class = tables.EmployerProfileTable


PROFILE_FIELDS = [
    core_tables.Column("organisation", label=gettext_lazy("Enterprise")),
    core_tables.Column("employees"),
    core_tables.Column("commute"),
    core_tables.Column("contact_email"),
    core_tables.DateTimeColumn("created_at"),
    core_tables.DateTimeColumn("updated_at"),
]


def vetting_context(user: Any, obj: EmployerProfile | Posting, park_id: int) -> dict[str, Any]:
    """Return which vetting buttons ``user`` gets on ``obj`` (the services decide again on submit)."""
    actor = policy.actor_for(user)
    vetter = is_vetter(actor, park_id)
    status = obj.vetting_status
    may_change = policy.can(user, Action.CHANGE, obj)
    submittable = services.POSTING_SUBMITTABLE if isinstance(obj, Posting) else services.PROFILE_SUBMITTABLE
    return {
        "can_submit": may_change and status in submittable,
        "can_approve": vetter and status == VettingStatus.SUBMITTED,
        "can_reject": vetter and status in services.REJECTABLE,
        "vetter": vetter,
    }


class EmployerProfileDetailView(EmployerProfileMixin, generic.ObjectDetailView):
    detail_fields = PROFILE_FIELDS

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        context.update(vetting_context(user, obj, obj.organisation.park_id))
        actor = policy.actor_for(user)
        context["is_owner_side"] = context["can_change"] or obj.organisation_id in actor.orgs(
            [Role.ENTERPRISE_HR, Role.ENTERPRISE_MENTOR]
        )
        postings = selectors.posting_list(user=user).filter(enterprise=obj.organisation)
        context["posting_count"] = postings.count()
        context["open_postings"] = list(postings.filter(selectors.open_posting_q())[:10])
        context["postings_url"] = reverse("posting_list") + f"?enterprise={obj.organisation_id}"
        return context


class EmployerProfileHistoryView(EmployerProfileMixin, generic.ObjectHistoryView):
    pass


class EmployerProfileEditView(EmployerProfileMixin, generic.ObjectEditView):
    form_class = EmployerProfileForm

    def get_initial(self):
        organisation = self.request.GET.get("organisation", "")
        return {"organisation": organisation} if organisation.isdigit() else {}

    def create_object(self, form):
        data = form.service_data()
        return services.employer_profile_create(actor=self.request.user, organisation=data.pop("organisation"), **data)

    def update_object(self, obj, form):
        before = obj.vetting_status
        profile = services.employer_profile_update(actor=self.request.user, profile=obj, data=form.service_data())
        if before == VettingStatus.APPROVED and profile.vetting_status == VettingStatus.SUBMITTED:
            messages.info(self.request, _("The profile changed, so it goes back to the park for vetting."))
        return profile


class EmployerProfileDeleteView(EmployerProfileMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.employer_profile_delete(actor=self.request.user, profile=obj)


@login_required
def employer_profile_mine(request: HttpRequest) -> HttpResponse:
    """Send an enterprise's HR to its profile, or to the form that creates it."""
    actor = policy.actor_for(request.user)
    orgs = actor.orgs([Role.ENTERPRISE_HR])
    if len(orgs) != 1:
        return redirect("employerprofile_list")
    (org_id,) = orgs
    profile = selectors.employer_profile_list(user=request.user).filter(organisation_id=org_id).first()
    if profile is not None:
        return redirect("employerprofile_detail", pk=profile.pk)
    return HttpResponseRedirect(reverse("employerprofile_create") + f"?organisation={org_id}")


def _profile(request: HttpRequest, pk: int) -> EmployerProfile:
    return get_object_or_404(selectors.employer_profile_list(user=request.user), pk=pk)


@login_required
@require_POST
def employer_profile_submit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _profile(request, pk)
    return _run_step(
        request,
        services.employer_profile_submit,
        _("The profile was sent to the park for vetting."),
        reverse("employerprofile_detail", args=[pk]),
        profile=profile,
    )


@login_required
@require_POST
def employer_profile_approve(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _profile(request, pk)
    return _run_step(
        request,
        services.employer_profile_approve,
        _("The profile of %(enterprise)s was approved.") % {"enterprise": profile.organisation},
        reverse("employerprofile_detail", args=[pk]),
        profile=profile,
    )


@login_required
@require_POST
def employer_profile_reject(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _profile(request, pk)
    return _run_step(
        request,
        services.employer_profile_reject,
        _("The profile of %(enterprise)s was rejected.") % {"enterprise": profile.organisation},
        reverse("employerprofile_detail", args=[pk]),
        profile=profile,
        reason=request.POST.get("reason", ""),
    )


# ---------------------------------------------------------------------------
# Demand plans and their lines.
# ---------------------------------------------------------------------------


class DemandPlanMixin:
    model = DemandPlan
    selector = staticmethod(selectors.demand_plan_list)


class DemandPlanListView(DemandPlanMixin, generic.ObjectListView):
    filterset_class = DemandPlanFilterSet
    filter_fields = ("q", "enterprise", "status", "horizon", "year")
    table_class = tables.DemandPlanTable


PLAN_FIELDS = [
    core_tables.TemplateColumn(
        "enterprise", label=gettext_lazy("Enterprise"), render=lambda plan: tables.employer_link(plan.enterprise)
    ),
    core_tables.ChoiceColumn("horizon", as_badge=False),
    core_tables.TemplateColumn("year_from", label=gettext_lazy("Years"), render=tables.plan_years),
    core_tables.ChoiceColumn("status"),
    core_tables.DateTimeColumn("submitted_at"),
    core_tables.Column("notes"),
    core_tables.DateTimeColumn("updated_at"),
]


def lines_context(request: HttpRequest, plan: DemandPlan, form: DemandLineForm | None = None, **extra: Any):
    """Return what the plan's lines section needs (the table, and the add/edit form when one is open)."""
    user = request.user
    lines = list(selectors.demand_line_list(user=user).filter(plan=plan).order_by("year", "post", "pk"))
    editable = plan.status == PlanStatus.DRAFT and policy.can(user, Action.CHANGE, plan)
    return {
        "plan": plan,
        "lines": lines,
        "headcount_total": sum(line.headcount for line in lines),
        "can_edit_lines": editable,
        "line_form": form,
        "line_form_action": extra.get("action"),
        "editing_line": extra.get("editing"),
        "lines_error": extra.get("error"),
    }


class DemandPlanDetailView(DemandPlanMixin, generic.ObjectDetailView):
    detail_fields = PLAN_FIELDS

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        draft = obj.status == PlanStatus.DRAFT
        may_change = policy.can(self.request.user, Action.CHANGE, obj)
        context["can_change"] = context["can_change"] and draft
        context["can_delete"] = context["can_delete"] and draft
        context["can_submit"] = may_change and draft
        context["can_reopen"] = may_change and obj.status == PlanStatus.SUBMITTED
        context.update(lines_context(self.request, obj))
        return context


class DemandPlanHistoryView(DemandPlanMixin, generic.ObjectHistoryView):
    pass


class DemandPlanEditView(DemandPlanMixin, generic.ObjectEditView):
    form_class = DemandPlanForm

    def create_object(self, form):
        data = form.service_data()
        return services.demand_plan_create(actor=self.request.user, enterprise=data.pop("enterprise"), **data)

    def update_object(self, obj, form):
        return services.demand_plan_update(actor=self.request.user, plan=obj, data=form.service_data())


class DemandPlanDeleteView(DemandPlanMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.demand_plan_delete(actor=self.request.user, plan=obj)


def _plan(request: HttpRequest, pk: int) -> DemandPlan:
    return get_object_or_404(selectors.demand_plan_list(user=request.user), pk=pk)


@login_required
@require_POST
def demand_plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _run_step(
        request,
        services.demand_plan_submit,
        _("The plan was submitted: it now counts in the zone's demand."),
        reverse("demandplan_detail", args=[pk]),
        plan=_plan(request, pk),
    )


@login_required
@require_POST
def demand_plan_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _run_step(
        request,
        services.demand_plan_reopen,
        _("The plan is a draft again; submit it once changed."),
        reverse("demandplan_detail", args=[pk]),
        plan=_plan(request, pk),
    )


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _lines_response(request: HttpRequest, plan: DemandPlan, form=None, **extra: Any) -> HttpResponse:
    return render(request, "careers/employers/_demand_lines.html", lines_context(request, plan, form, **extra))


def _line_page(request: HttpRequest, plan: DemandPlan, form, action: str, line: DemandLine | None) -> HttpResponse:
    """Answer a line form: the plan's lines section for htmx, a page of its own otherwise."""
    if _is_htmx(request):
        return _lines_response(request, plan, form, action=action, editing=line)
    return render(
        request,
        "careers/employers/demand_line_form.html",
        {"plan": plan, "form": form, "line": line, "action": action},
    )


def _line_saved(request: HttpRequest, plan: DemandPlan, message: str) -> HttpResponse:
    if _is_htmx(request):
        return _lines_response(request, plan)
    messages.success(request, message)
    return HttpResponseRedirect(reverse("demandplan_detail", args=[plan.pk]) + "#demand-lines")


def _refuse_submitted(request: HttpRequest, plan: DemandPlan) -> HttpResponse | None:
    if plan.status == PlanStatus.DRAFT:
        return None
    error = _("This plan is submitted: reopen it before changing it.")
    if _is_htmx(request):
        return _lines_response(request, plan, error=error)
    messages.error(request, error)
    return redirect("demandplan_detail", pk=plan.pk)


@login_required
def demand_line_create(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """Add a line to a draft plan (inline on the plan's page with htmx)."""
    plan = _plan(request, plan_pk)
    if not policy.can(request.user, Action.CHANGE, plan):
        raise PermissionDenied
    refused = _refuse_submitted(request, plan)
    if refused is not None:
        return refused
    action = reverse("demandline_create", args=[plan.pk])
    form = DemandLineForm(request.POST if request.method == "POST" else None, user=request.user, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.demand_line_create(actor=request.user, plan=plan, **form.service_data())
        except ValidationError as exc:
            generic.apply_validation_error(form, exc)
        else:
            return _line_saved(request, plan, _("The line was added."))
    return _line_page(request, plan, form, action, None)


def _line(request: HttpRequest, pk: int, action: Action) -> DemandLine:
    line = get_object_or_404(selectors.demand_line_list(user=request.user), pk=pk)
    if not policy.can(request.user, action, line):
        raise PermissionDenied
    return line


@login_required
def demand_line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a line of a draft plan (inline on the plan's page with htmx)."""
    line = _line(request, pk, Action.CHANGE)
    plan = line.plan
    refused = _refuse_submitted(request, plan)
    if refused is not None:
        return refused
    action = reverse("demandline_edit", args=[line.pk])
    form = DemandLineForm(
        request.POST if request.method == "POST" else None, user=request.user, plan=plan, instance=line
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.demand_line_update(
                actor=request.user, line=_line(request, pk, Action.CHANGE), data=form.service_data()
            )
        except ValidationError as exc:
            generic.apply_validation_error(form, exc)
        else:
            return _line_saved(request, plan, _("The line was saved."))
    return _line_page(request, plan, form, action, line)


@login_required
@require_POST
def demand_line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line(request, pk, Action.DELETE)
    plan = line.plan
    try:
        services.demand_line_delete(actor=request.user, line=line)
    except ValidationError as exc:
        if _is_htmx(request):
            return _lines_response(request, plan, error=generic.error_text(exc))
        messages.error(request, generic.error_text(exc))
        return redirect("demandplan_detail", pk=plan.pk)
    return _line_saved(request, plan, _("The line was deleted."))


@login_required
def demand_line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a line where it lives: in its plan's lines table."""
    line = get_object_or_404(selectors.demand_line_list(user=request.user), pk=pk)
    return HttpResponseRedirect(reverse("demandplan_detail", args=[line.plan_id]) + f"#line-{line.pk}")


# ---------------------------------------------------------------------------
# Postings.
# ---------------------------------------------------------------------------


class PostingMixin:
    model = Posting
    selector = staticmethod(selectors.posting_list)


class PostingListView(PostingMixin, generic.ObjectListView):
    filterset_class = PostingFilterSet
    filter_fields = ("q", "enterprise", "kind", "vetting_status", "major")
    table_class = tables.PostingTable


POSTING_FIELDS = [
    core_tables.TemplateColumn(
        "enterprise", label=gettext_lazy("Enterprise"), render=lambda p: tables.employer_link(p.enterprise)
    ),
    core_tables.ChoiceColumn("kind", as_badge=False),
    core_tables.Column("title"),
    core_tables.Column("title_en"),
    core_tables.TemplateColumn("majors", label=gettext_lazy("Majors"), render=tables.majors_cell),
    core_tables.Column("headcount"),
    core_tables.TemplateColumn("pay_min", label=gettext_lazy("Monthly pay"), render=tables.pay_range),
    core_tables.ChoiceColumn("shift_pattern", as_badge=False),
    core_tables.Column("location"),
    core_tables.BooleanColumn("housing_provided"),
    core_tables.Column("certificates"),
    core_tables.Column("skills"),
    core_tables.DateColumn("start_date"),
    core_tables.DateColumn("closes_on"),
    core_tables.Column("demand_line"),
    core_tables.BooleanColumn("is_public"),
    core_tables.DateTimeColumn("updated_at"),
]


def employer_approved(posting: Posting) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return posting.enterprise.employer_profile.vetting_status == VettingStatus.APPROVED
    except ObjectDoesNotExist:
        return False


class PostingDetailView(PostingMixin, generic.ObjectDetailView):
    detail_fields = POSTING_FIELDS

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        actor = policy.actor_for(user)
        may_change = policy.can(user, Action.CHANGE, obj)
        context.update(vetting_context(user, obj, obj.enterprise.park_id))
        context["can_delete"] = context["can_delete"] and obj.vetting_status in services.POSTING_DELETABLE
        context["can_close"] = may_change and obj.vetting_status in services.CLOSABLE
        context["is_open"] = obj.is_open() and employer_approved(obj)
        context["employer_approved"] = employer_approved(obj)
        context["apply_url"] = apply_url(obj) if Role.STUDENT in actor.roles and context["is_open"] else None
        context["is_owner_side"] = may_change or obj.enterprise_id in actor.orgs([Role.ENTERPRISE_MENTOR])
        return context


class PostingHistoryView(PostingMixin, generic.ObjectHistoryView):
    pass


class PostingEditView(PostingMixin, generic.ObjectEditView):
    form_class = PostingForm

    def create_object(self, form):
        data = form.service_data()
        data["majors"] = list(data.get("majors") or [])
        return services.posting_create(actor=self.request.user, enterprise=data.pop("enterprise"), **data)

    def update_object(self, obj, form):
        data = form.service_data()
        data["majors"] = list(data.get("majors") or [])
        before = obj.vetting_status
        posting = services.posting_update(actor=self.request.user, posting=obj, data=data)
        if before == VettingStatus.APPROVED and posting.vetting_status == VettingStatus.SUBMITTED:
            messages.info(self.request, _("The posting changed, so it goes back to the park for vetting."))
        return posting


class PostingDeleteView(PostingMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.posting_delete(actor=self.request.user, posting=obj)


def _posting(request: HttpRequest, pk: int) -> Posting:
    return get_object_or_404(selectors.posting_list(user=request.user), pk=pk)


@login_required
@require_POST
def posting_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _run_step(
        request,
        services.posting_submit,
        _("The posting was sent to the park for vetting."),
        reverse("posting_detail", args=[pk]),
        posting=_posting(request, pk),
    )


@login_required
@require_POST
def posting_approve(request: HttpRequest, pk: int) -> HttpResponse:
    posting = _posting(request, pk)
    return _run_step(
        request,
        services.posting_approve,
        _("The posting “%(posting)s” was approved.") % {"posting": posting.display_title},
        reverse("posting_detail", args=[pk]),
        posting=posting,
    )


@login_required
@require_POST
def posting_reject(request: HttpRequest, pk: int) -> HttpResponse:
    posting = _posting(request, pk)
    return _run_step(
        request,
        services.posting_reject,
        _("The posting “%(posting)s” was rejected.") % {"posting": posting.display_title},
        reverse("posting_detail", args=[pk]),
        posting=posting,
        reason=request.POST.get("reason", ""),
    )


@login_required
@require_POST
def posting_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _run_step(
        request,
        services.posting_close,
        _("The posting was closed: students no longer see it."),
        reverse("posting_detail", args=[pk]),
        posting=_posting(request, pk),
    )


BROWSE_FILTERS = ("q", "major", "kind", "shift_pattern", "housing_provided", "pay_at_least")
BROWSE_PAGE_SIZE = 24


@login_required
def posting_browse(request: HttpRequest) -> HttpResponse:
    """The open postings of the user's park as cards, searchable, with an "Apply" button for students."""
    user = request.user
    data = request.GET.copy()
    data.pop("page", None)
    filterset = PostingFilterSet(data or None, queryset=selectors.open_posting_list(user=user), request=request)
    for name in list(filterset.form.fields):
        if name not in BROWSE_FILTERS:
            del filterset.form.fields[name]
    restrict_form_querysets(filterset.form, user)
    style_form(filterset.form)
    generic.label_yes_no_filters(filterset.form)
    page = Paginator(filterset.qs, BROWSE_PAGE_SIZE).get_page(request.GET.get("page"))
    actor = policy.actor_for(user)
    student = Role.STUDENT in actor.roles
    cards = [{"posting": p, "apply_url": apply_url(p) if student else None} for p in page.object_list]
    context = {
        "filter_form": filterset.form,
        "page_obj": page,
        "cards": cards,
        "active_filter_count": sum(1 for key in BROWSE_FILTERS if any(request.GET.getlist(key))),
        "can_add": policy.may_add_any(user, Posting),
        "manages": actor.is_superuser or manages_postings(actor) or vets(actor),
    }
    template = "careers/employers/posting_browse.html"
    if _is_htmx(request) and request.htmx.target == "posting-cards":
        template = "careers/employers/_posting_cards.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


# ---------------------------------------------------------------------------
# The vetting queue.
# ---------------------------------------------------------------------------


@login_required
def vetting_queue(request: HttpRequest) -> HttpResponse:
    """What awaits the user's vetting: employer profiles and postings, oldest first."""
    actor = policy.actor_for(request.user)
    if not (actor.is_superuser or vets(actor)):
        raise PermissionDenied
    profiles = list(selectors.vetting_queue_profiles(user=request.user)[:200])
    postings = list(selectors.vetting_queue_postings(user=request.user)[:200])
    return render(
        request,
        "careers/employers/vetting_queue.html",
        {"profiles": profiles, "postings": postings},
    )


# ---------------------------------------------------------------------------
# The zone's demand.
# ---------------------------------------------------------------------------


def _zone_demand_data(request: HttpRequest) -> dict[str, Any]:
    actor = policy.actor_for(request.user)
    if not (actor.is_superuser or reads_zone_demand(actor)):
        raise PermissionDenied
    form = ZoneDemandFilterForm(request.GET or None, user=request.user)
    park = form.cleaned_data.get("park") if form.is_valid() else None
    rows = selectors.zone_demand(request.user, park)
    by_enterprise = selectors.zone_demand_by_enterprise(request.user, park)
    years, majors = selectors.pivot(rows, "major_id", "major")
    _same_years, enterprises = selectors.pivot(by_enterprise, "enterprise_id", "enterprise")
    year_totals = [sum(row["cells"][i] for row in majors) for i in range(len(years))]
    return {
        "form": form,
        "show_park_filter": form.fields["park"].queryset.count() > 1,
        "park": park,
        "rows": rows,
        "years": years,
        "majors": majors,
        # Both tables come from the same rows, so they share the years.
        "enterprises": enterprises,
        "year_totals": year_totals,
        "grand_total": sum(year_totals),
    }


@login_required
def zone_demand(request: HttpRequest) -> HttpResponse:
    """The zone's demand by year and major (table and stacked bars), and by enterprise."""
    context = _zone_demand_data(request)
    context["chart"] = {
        "years": [str(y) for y in context["years"]],
        "series": [{"name": str(m["label"]), "data": m["cells"]} for m in context["majors"]],
        "headcount": _("Headcount"),
    }
    query = request.GET.urlencode()
    context["export_url"] = reverse("zone_demand_export") + (f"?{query}" if query else "")
    return render(request, "careers/employers/zone_demand.html", context)


@login_required
def zone_demand_export(request: HttpRequest) -> HttpResponse:
    """Download the zone's demand as an Excel workbook: by major and year, and by enterprise and year."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    context = _zone_demand_data(request)
    years = context["years"]
    workbook = Workbook()
    sheets = [
        (workbook.active, _("By major"), _("Major"), context["majors"]),
        (workbook.create_sheet(), _("By enterprise"), _("Enterprise"), context["enterprises"]),
    ]
    for sheet, title, first, rows in sheets:
        sheet.title = title[:31]
        sheet.append([first, *years, _("Total")])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([str(row["label"]), *row["cells"], row["total"]])
        sheet.append([_("Total"), *context["year_totals"], context["grand_total"]])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 40
        sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="zone-demand-{stamp}.xlsx"'
    return response
