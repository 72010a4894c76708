"""
Pages of maintenance work orders, over the generic views: they read through
selectors and write through services, like the API (``api.py``).

Reporters: "Report a fault" (phone-friendly) and "My reports" (follow, confirm or
reopen, rate). The desk (operator staff, park administrators): the dispatch list,
an order's page with its timeline and steps, service levels, preventive plans,
the deadline-compliance page and the "run now" of the daily escalation.
"""

from __future__ import annotations

import datetime
import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from iepark.core import generic_views as generic
from iepark.core import policy
from iepark.core import tables as core_tables
from iepark.core.attachments import AttachmentsField
from iepark.core.policy import Action, Actor
from iepark.core.views import register_home_card

from . import selectors, services, tables
from .choices import DONE_STATUSES, OPEN_STATUSES, STATUS_BADGES, URGENCY_BADGES, Urgency, WorkOrderStatus
from .filtersets import MaintenancePlanFilterSet, WorkOrderFilterSet
from .forms import (
    AssignForm,
    MaintenancePlanForm,
    NoteForm,
    RatingForm,
    ReasonForm,
    ReportForm,
    ServiceLevelsForm,
    WorkOrderForm,
)
from .models import MaintenancePlan, WorkOrder
from .policy import may_report, runs_orders


def _runs_orders(actor: Actor) -> bool:
    return runs_orders(actor)


generic.register_menu_items(
    "operations",
    gettext_lazy("Operations"),
    [
        generic.MenuItem(gettext_lazy("Report a fault"), "workorder_create", "tools", may_report),
        generic.MenuItem(gettext_lazy("My reports"), "workorder_mine", "wrench-adjustable", may_report),
        generic.MenuItem(gettext_lazy("Work orders"), "workorder_list", "clipboard-check", _runs_orders),
        generic.MenuItem(
            gettext_lazy("Maintenance plans"), "maintenanceplan_list", "calendar-check", _runs_orders, MaintenancePlan
        ),
        generic.MenuItem(gettext_lazy("Deadline compliance"), "workorder_compliance", "speedometer2", _runs_orders),
    ],
    weight=35,
)


def _open_orders(*, user):
    return selectors.work_order_list(user=user).filter(status__in=OPEN_STATUSES)


def _my_open_reports(*, user):
    return selectors.my_reports(user=user).filter(status__in=[*OPEN_STATUSES, WorkOrderStatus.RESOLVED])


def _reporter_only(actor: Actor) -> bool:
    return may_report(actor) and not runs_orders(actor)


register_home_card(gettext_lazy("Open work orders"), "clipboard-check", "workorder_list", _runs_orders, _open_orders)
register_home_card(
    gettext_lazy("My open reports"), "wrench-adjustable", "workorder_mine", _reporter_only, _my_open_reports
)


class PhotosForm(forms.Form):
    photos = AttachmentsField(label=gettext_lazy("photos"), required=True)


class ReportPhotosForm(ReportForm):
    photos = AttachmentsField(label=gettext_lazy("photos"), required=False)


# --- reporting -----------------------------------------------------------------------------------------


@login_required
def report(request):
    """Report a fault (anybody in the park), from a phone: the form is one column with large controls."""
    if not policy.may_add_any(request.user, WorkOrder):
        raise PermissionDenied
    actor = policy.actor_for(request.user)
    initial = {}
    if request.GET.get("room", "").isdigit():
        initial["room"] = request.GET["room"]
        initial["place_kind"] = "dormitory"
    form = ReportPhotosForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            order = services.work_order_report(actor=request.user, **data)
        except ValidationError as exc:
            generic.apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Thank you: your report %(reference)s was received. You can follow it under “My reports”.")
                % {"reference": order.reference},
            )
            return redirect("workorder_detail", pk=order.pk)
    park = form.fields["park"].queryset.first()
    levels = services.service_levels_for(park) if park else {}
    return render(
        request,
        "workorders/report.html",
        {
            "form": form,
            "levels": [(label, *levels[value]) for value, label in Urgency.choices] if levels else [],
            "is_desk": runs_orders(actor),
        },
    )


@login_required
def my_reports(request):
    """The orders I reported: status, deadlines, and what I can do (confirm, reopen, rate)."""
    orders = list(selectors.my_reports(user=request.user)[:200])
    return render(
        request,
        "workorders/my_reports.html",
        {
            "orders": orders,
            "open_orders": [o for o in orders if o.status in OPEN_STATUSES],
            "done_orders": [o for o in orders if o.status not in OPEN_STATUSES],
            "status_badges": STATUS_BADGES,
            "may_report": policy.may_add_any(request.user, WorkOrder),
        },
    )


# --- the desk's list and the order's page -----------------------------------------------------------------


class WorkOrderMixin:
    model = WorkOrder
    selector = staticmethod(selectors.work_order_list)


class WorkOrderListView(WorkOrderMixin, generic.ObjectListView):
    filterset_class = WorkOrderFilterSet
    filter_fields = ("q", "status", "category", "urgency", "overdue", "escalated", "assignee")
    table_class = tables.WorkOrderTable

    def customize_filter_form(self, form):
        parks = list(selectors.desk_parks(user=self.request.user).values_list("pk", flat=True))
        if "assignee" in form.fields:
            form.fields["assignee"].queryset = selectors.operator_staff(parks)

    def extra_context(self):
        user = self.request.user
        parks = list(selectors.desk_parks(user=user))
        return {
            "desk_parks": parks,
            "is_desk": bool(parks),
            "quick_filters": [
                (_("Open"), "open=true"),
                (_("Overdue"), "overdue=true"),
                (_("Escalated"), "escalated=true&open=true"),
                (_("New, not assigned"), "status=new"),
                (_("Resolved, not rated"), "unrated=true"),
            ],
        }


class WorkOrderHistoryView(WorkOrderMixin, generic.ObjectHistoryView):
    pass


class WorkOrderDetailView(WorkOrderMixin, generic.ObjectDetailView):
    detail_fields = []

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        actor = policy.actor_for(user)
        is_desk = policy.can(user, Action.CHANGE, obj)
        is_reporter = bool(actor.person_id) and obj.reporter_id == actor.person_id
        reporter_steps = is_reporter or (is_desk and obj.reporter_id is None)
        status = obj.status
        now = timezone.now()
        context.update(
            {
                "can_change": is_desk and status in OPEN_STATUSES,
                "order": obj,
                "events": list(selectors.timeline(obj, user=user)),
                "is_desk": is_desk,
                "is_reporter": is_reporter,
                "status_badge": STATUS_BADGES.get(status, "secondary"),
                "urgency_badge": URGENCY_BADGES.get(obj.urgency, "secondary"),
                "response_left": obj.response_due - now,
                "resolution_left": obj.resolution_due - now,
                "can_assign": is_desk and status in OPEN_STATUSES,
                "can_start": is_desk and status == WorkOrderStatus.ASSIGNED,
                "can_resolve": is_desk and status in (WorkOrderStatus.ASSIGNED, WorkOrderStatus.IN_PROGRESS),
                "can_cancel": status in OPEN_STATUSES and (is_desk or (is_reporter and status == WorkOrderStatus.NEW)),
                "can_confirm": reporter_steps and status == WorkOrderStatus.RESOLVED,
                "can_rate": reporter_steps and status in DONE_STATUSES and obj.rating is None and obj.reporter_id,
                "can_add_photos": services.may_add_photos(user, obj),
                "assign_form": AssignForm(order=obj) if is_desk else None,
                "note_form": NoteForm(),
                "resolve_form": NoteForm(required=True),
                "reason_form": ReasonForm(),
                "confirm_form": RatingForm(required=False),
                "rate_form": RatingForm(),
                "photos_form": PhotosForm(),
            }
        )
        return context


class WorkOrderEditView(WorkOrderMixin, generic.ObjectEditView):
    """The desk corrects an order (new orders come from the report page)."""

    only = "update"
    form_class = WorkOrderForm

    def update_object(self, obj, form):
        return services.work_order_update(actor=self.request.user, order=obj, data=form.service_data())


STEP_FORMS = {
    "assign": lambda post, order: AssignForm(post, order=order),
    "start": lambda post, order: NoteForm(post),
    "resolve": lambda post, order: NoteForm(post, required=True),
    "cancel": lambda post, order: ReasonForm(post),
    "reopen": lambda post, order: ReasonForm(post),
    "confirm": lambda post, order: RatingForm(post, required=False),
    "rate": lambda post, order: RatingForm(post),
}
STEP_DONE = {
    "assign": gettext_lazy("The order was assigned."),
    "start": gettext_lazy("The work has started."),
    "resolve": gettext_lazy("The order is resolved; the reporter is asked to confirm."),
    "cancel": gettext_lazy("The order was cancelled."),
    "reopen": gettext_lazy("The order was reopened."),
    "confirm": gettext_lazy("Thank you for confirming."),
    "rate": gettext_lazy("Thank you for your rating."),
}


def _run_step(request, step: str, order: WorkOrder, data: dict):
    user = request.user
    if step == "assign":
        return services.work_order_assign(actor=user, order=order, assignee=data["assignee"], note=data.get("note", ""))
    if step == "start":
        return services.work_order_start(actor=user, order=order, note=data.get("note", ""))
    if step == "resolve":
        return services.work_order_resolve(actor=user, order=order, note=data.get("note", ""))
    if step == "cancel":
        return services.work_order_cancel(actor=user, order=order, reason=data["reason"])
    if step == "reopen":
        return services.work_order_reopen(actor=user, order=order, reason=data["reason"])
    if step == "confirm":
        return services.work_order_confirm(
            actor=user, order=order, rating=data.get("rating"), comment=data.get("comment", "")
        )
    return services.work_order_rate(actor=user, order=order, rating=data.get("rating"), comment=data.get("comment", ""))


@login_required
@require_POST
def work_order_step(request, pk: int, step: str):
    """Run one step of the order (a form of its page); errors come back as messages on the page."""
    if step not in STEP_FORMS:
        raise Http404
    order = get_object_or_404(selectors.work_order_list(user=request.user), pk=pk)
    back = generic.safe_return_url(request, reverse("workorder_detail", args=[order.pk]))
    form = STEP_FORMS[step](request.POST, order)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect(back)
    try:
        _run_step(request, step, order, form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, generic.error_text(exc))
    else:
        messages.success(request, str(STEP_DONE[step]))
    return redirect(back)


@login_required
@require_POST
def work_order_photos(request, pk: int):
    """Add photos to an order (its reporter, or the desk)."""
    order = get_object_or_404(selectors.work_order_list(user=request.user), pk=pk)
    if not services.may_add_photos(request.user, order):
        raise PermissionDenied
    form = PhotosForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.work_order_add_photos(actor=request.user, order=order, photos=form.cleaned_data["photos"])
        except ValidationError as exc:
            messages.error(request, generic.error_text(exc))
        else:
            messages.success(request, _("The photos were added."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("workorder_detail", pk=order.pk)


# --- service levels -----------------------------------------------------------------------------------


def _chosen_park(request):
    parks = selectors.desk_parks(user=request.user).order_by("code")
    wanted = request.POST.get("park") or request.GET.get("park") or ""
    park = parks.filter(pk=wanted).first() if wanted.isdigit() else parks.first()
    if park is None:
        raise PermissionDenied
    return park, parks


@login_required
def service_levels(request):
    """The response and resolution times of each urgency (the desk); orders keep the deadlines they were given."""
    park, parks = _chosen_park(request)
    levels = services.service_levels_for(park)
    form = ServiceLevelsForm(request.POST or None, levels=levels)
    if request.method == "POST" and form.is_valid():
        try:
            from django.db import transaction

            with transaction.atomic():
                for value, _label in Urgency.choices:
                    response = form.cleaned_data[f"{value}_response"]
                    resolution = form.cleaned_data[f"{value}_resolution"]
                    if levels[value] != (response, resolution):
                        services.service_level_set(
                            actor=request.user,
                            park=park,
                            urgency=value,
                            response_hours=response,
                            resolution_hours=resolution,
                        )
        except ValidationError as exc:
            generic.apply_validation_error(form, exc)
        else:
            messages.success(request, _("The service levels were saved. New reports get these deadlines."))
            return redirect(f"{reverse('workorder_service_levels')}?park={park.pk}")
    return render(request, "workorders/service_levels.html", {"form": form, "park": park, "parks": parks})


# --- the daily run -------------------------------------------------------------------------------------


@login_required
@require_POST
def tick_run(request):
    """Run the escalation and the preventive plans of a park now, in the background."""
    park, _parks = _chosen_park(request)
    job = services.tick_start(actor=request.user, park=park)
    messages.info(request, _("Escalation and preventive plans are running."))
    return redirect("job_detail", pk=job.pk)


# --- compliance ----------------------------------------------------------------------------------------


class PeriodForm(forms.Form):
    since = forms.DateField(required=False, label=gettext_lazy("reported from"))
    until = forms.DateField(required=False, label=gettext_lazy("reported until"))

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end of the period cannot be before its start."))
        return data


@login_required
def compliance(request):
    """Deadline compliance per category: share on time (response, resolution), median times, mean rating."""
    park, parks = _chosen_park(request)
    today = timezone.localdate()
    data = request.GET.copy()
    if "since" not in data:
        data["since"] = (today - datetime.timedelta(days=365)).isoformat()
    form = PeriodForm(data)
    from iepark.core.forms import style_form

    style_form(form)
    rows, total = [], None
    if form.is_valid():
        rows = selectors.compliance(
            request.user, park, since=form.cleaned_data.get("since"), until=form.cleaned_data.get("until")
        )
        total = selectors.compliance_total(rows) if rows else None
    chart = {
        "labels": [r["label"] for r in rows],
        "response": [r["response_on_time_pct"] for r in rows],
        "resolution": [r["resolution_on_time_pct"] for r in rows],
        "rating": [r["mean_rating"] for r in rows],
        "names": {
            "response": _("Response on time (%)"),
            "resolution": _("Resolution on time (%)"),
            "rating": _("Mean rating"),
        },
    }
    return render(
        request,
        "workorders/compliance.html",
        {
            "form": form,
            "park": park,
            "parks": parks,
            "rows": rows,
            "total": total,
            "chart": chart,
            "chart_json": json.dumps(chart),
            "figures": selectors.dashboard_figures(request.user, park),
        },
    )


# --- preventive plans ----------------------------------------------------------------------------------


class MaintenancePlanMixin:
    model = MaintenancePlan
    selector = staticmethod(selectors.maintenance_plan_list)


class MaintenancePlanListView(MaintenancePlanMixin, generic.ObjectListView):
    filterset_class = MaintenancePlanFilterSet
    filter_fields = ("q", "category", "is_active")
    table_class = tables.MaintenancePlanTable


class MaintenancePlanDetailView(MaintenancePlanMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("park"),
        core_tables.Column("title"),
        core_tables.Column("description"),
        core_tables.ChoiceColumn("category", as_badge=False),
        core_tables.ChoiceColumn("urgency", as_badge=False),
        core_tables.ChoiceColumn("place_kind", as_badge=False),
        core_tables.Column("room"),
        core_tables.Column("location"),
        core_tables.TemplateColumn("every", label=gettext_lazy("Recurrence"), render=lambda p: p.recurrence_label),
        core_tables.DateColumn("next_due"),
        core_tables.Column("default_assignee"),
        core_tables.BooleanColumn("is_active"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        orders = selectors.work_order_list(user=self.request.user).filter(plan=obj).order_by("-plan_due_date")[:20]
        context["orders"] = list(orders)
        context["orders_url"] = selectors.list_url(plan=obj.pk)
        return context


class MaintenancePlanHistoryView(MaintenancePlanMixin, generic.ObjectHistoryView):
    pass


class MaintenancePlanEditView(MaintenancePlanMixin, generic.ObjectEditView):
    form_class = MaintenancePlanForm

    def get_initial(self):
        return {"next_due": timezone.localdate() + datetime.timedelta(days=1), "every": 1}

    def create_object(self, form):
        data = form.service_data()
        return services.maintenance_plan_create(actor=self.request.user, park=data.pop("park"), **data)

    def update_object(self, obj, form):
        return services.maintenance_plan_update(actor=self.request.user, plan=obj, data=form.service_data())


class MaintenancePlanDeleteView(MaintenancePlanMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.maintenance_plan_delete(actor=self.request.user, plan=obj)
