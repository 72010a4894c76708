"""
Pages of security and fire safety, over the generic views: they read through selectors and write
through services, like the API (``api.py``).

Sections: templates with their checklists; schedules; rounds with the phone-friendly round-taking
page; findings with photos; rectification tasks (the owner reports done, an inspector re-inspects);
the fire equipment register with its checks and Excel export.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from iepark.core import generic_views as generic
from iepark.core import policy
from iepark.core import tables as core_tables
from iepark.core.policy import Action, Actor

from . import selectors, services, tables
from .choices import AnswerResult, RectificationStatus, RoundStatus
from .filtersets import (
    FindingFilterSet,
    FireEquipmentFilterSet,
    InspectionRoundFilterSet,
    InspectionScheduleFilterSet,
    InspectionTemplateFilterSet,
    RectificationTaskFilterSet,
)
from .forms import (
    AnswerForm,
    ChecklistItemForm,
    CompleteForm,
    EquipmentCheckForm,
    FindingEditForm,
    FindingForm,
    FireEquipmentForm,
    InspectionRoundForm,
    InspectionScheduleForm,
    InspectionTemplateForm,
    PhotosForm,
    RectificationTaskForm,
    ReInspectForm,
    ReportDoneForm,
)
from .models import (
    ChecklistItem,
    Finding,
    FireEquipment,
    InspectionRound,
    InspectionSchedule,
    InspectionTemplate,
    RectificationTask,
)
from .policy import OWNER_ROLES, may_report_done, sees_safety


def sees_rectifications(actor: Actor) -> bool:
    return sees_safety(actor) or bool(actor.orgs(OWNER_ROLES))


generic.register_menu_items(
    "operations",
    gettext_lazy("Operations"),
    [
        generic.MenuItem(
            gettext_lazy("Inspection rounds"), "inspectionround_list", "clipboard-check", sees_safety, InspectionRound
        ),
        generic.MenuItem(gettext_lazy("Safety findings"), "finding_list", "exclamation-triangle", sees_safety),
        generic.MenuItem(gettext_lazy("Rectifications"), "rectificationtask_list", "tools", sees_rectifications),
        generic.MenuItem(gettext_lazy("Fire equipment"), "fireequipment_list", "fire", sees_safety, FireEquipment),
        generic.MenuItem(
            gettext_lazy("Inspection templates"),
            "inspectiontemplate_list",
            "list-check",
            sees_safety,
            InspectionTemplate,
        ),
        generic.MenuItem(
            gettext_lazy("Inspection schedules"),
            "inspectionschedule_list",
            "calendar-week",
            sees_safety,
            InspectionSchedule,
        ),
    ],
    weight=35,
)


# --- templates and checklists ----------------------------------------------------------------------------


class InspectionTemplateMixin:
    model = InspectionTemplate
    selector = staticmethod(selectors.template_list)


class InspectionTemplateListView(InspectionTemplateMixin, generic.ObjectListView):
    filterset_class = InspectionTemplateFilterSet
    filter_fields = ("q", "area_kind", "kind", "is_active")
    table_class = tables.InspectionTemplateTable


class InspectionTemplateDetailView(InspectionTemplateMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("name"),
        core_tables.ChoiceColumn("area_kind", as_badge=False),
        core_tables.ChoiceColumn("kind", as_badge=False),
        core_tables.Column("description"),
        core_tables.BooleanColumn("is_active"),
        core_tables.Column("park"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        can_change = policy.can(user, Action.CHANGE, obj)
        used = obj.rounds.exists() or obj.schedules.exists()
        context.update(
            {
                "can_delete": context["can_delete"] and not used,
                "items": list(obj.items.order_by("position", "pk")),
                "can_edit_items": can_change,
                "item_form": ChecklistItemForm(user=user, initial={"template": obj.pk}) if can_change else None,
                "item_create_url": reverse("checklistitem_create"),
                "schedules": selectors.schedule_list(user=user).filter(template=obj),
                "round_create_url": reverse("inspectionround_create") + f"?template={obj.pk}",
                "schedule_create_url": reverse("inspectionschedule_create") + f"?template={obj.pk}",
            }
        )
        return context


class InspectionTemplateHistoryView(InspectionTemplateMixin, generic.ObjectHistoryView):
    pass


class InspectionTemplateEditView(InspectionTemplateMixin, generic.ObjectEditView):
    form_class = InspectionTemplateForm

    def create_object(self, form):
        data = form.service_data()
        return services.template_create(actor=self.request.user, park=data.pop("park"), **data)

    def update_object(self, obj, form):
        return services.template_update(actor=self.request.user, template=obj, data=form.service_data())


class InspectionTemplateDeleteView(InspectionTemplateMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.template_delete(actor=self.request.user, template=obj)


class ChecklistItemMixin:
    model = ChecklistItem
    selector = staticmethod(selectors.checklist_item_list)


class ChecklistItemEditView(ChecklistItemMixin, generic.ObjectEditView):
    form_class = ChecklistItemForm

    def get_initial(self):
        template = self.request.GET.get("template", "")
        return {"template": template} if template.isdigit() else {}

    def create_object(self, form):
        data = form.service_data()
        data.pop("is_active", None)
        return services.checklist_item_create(actor=self.request.user, template=data.pop("template"), **data)

    def update_object(self, obj, form):
        return services.checklist_item_update(actor=self.request.user, item=obj, data=form.service_data())

    def get_success_url(self, obj):
        return reverse("inspectiontemplate_detail", args=[obj.template_id]) + "#checklist"


class ChecklistItemDeleteView(ChecklistItemMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        self._template_id = obj.template_id
        services.checklist_item_delete(actor=self.request.user, item=obj)

    def post(self, request, pk):
        obj = self.get_object_for(pk, Action.DELETE)
        target = reverse("inspectiontemplate_detail", args=[obj.template_id]) + "#checklist"
        try:
            services.checklist_item_delete(actor=request.user, item=obj)
        except ValidationError as exc:
            messages.error(request, generic.error_text(exc))
        else:
            messages.success(request, _("Deleted the checklist item."))
        return redirect(target)


@login_required
@require_POST
def checklist_item_move(request, pk: int, direction: str):
    item = get_object_or_404(selectors.checklist_item_list(user=request.user), pk=pk)
    if not policy.can(request.user, Action.CHANGE, item):
        raise PermissionDenied
    services.checklist_item_move(actor=request.user, item=item, offset=-1 if direction == "up" else 1)
    return redirect(reverse("inspectiontemplate_detail", args=[item.template_id]) + "#checklist")


# --- schedules -----------------------------------------------------------------------------------------------


class InspectionScheduleMixin:
    model = InspectionSchedule
    selector = staticmethod(selectors.schedule_list)


class InspectionScheduleListView(InspectionScheduleMixin, generic.ObjectListView):
    filterset_class = InspectionScheduleFilterSet
    filter_fields = ("q", "template", "is_active")
    table_class = tables.InspectionScheduleTable

    def extra_context(self):
        return {"may_generate": policy.may_add_any(self.request.user, InspectionRound)}


class InspectionScheduleDetailView(InspectionScheduleMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("template"),
        core_tables.Column("place"),
        core_tables.Column("building"),
        core_tables.Column("owner"),
        core_tables.TemplateColumn(
            "every",
            label=gettext_lazy("Every"),
            render=lambda s: core_tables.format_html("{} {}", s.every, s.get_unit_display()),
        ),
        core_tables.DateColumn("next_date"),
        core_tables.Column("inspector"),
        core_tables.BooleanColumn("is_active"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        context["recent_rounds"] = list(
            selectors.round_list(user=self.request.user).filter(schedule=obj).order_by("-scheduled_date")[:10]
        )
        return context


class InspectionScheduleHistoryView(InspectionScheduleMixin, generic.ObjectHistoryView):
    pass


class InspectionScheduleEditView(InspectionScheduleMixin, generic.ObjectEditView):
    form_class = InspectionScheduleForm

    def get_initial(self):
        template = self.request.GET.get("template", "")
        initial: dict[str, Any] = {"next_date": timezone.localdate()}
        if template.isdigit():
            initial["template"] = template
        return initial

    def create_object(self, form):
        data = form.service_data()
        return services.schedule_create(actor=self.request.user, template=data.pop("template"), **data)

    def update_object(self, obj, form):
        return services.schedule_update(actor=self.request.user, schedule=obj, data=form.service_data())


class InspectionScheduleDeleteView(InspectionScheduleMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.schedule_delete(actor=self.request.user, schedule=obj)


@login_required
@require_POST
def schedule_generate(request):
    """Create the rounds that the user's schedules owe up to today (what the daily command does)."""
    if not policy.may_add_any(request.user, InspectionRound):
        raise PermissionDenied
    rounds = services.rounds_generate(actor=request.user)
    messages.success(request, _("%(count)s inspection rounds created.") % {"count": len(rounds)})
    return redirect(reverse("inspectionround_list") + "?due=true")


# --- rounds ----------------------------------------------------------------------------------------------------


class InspectionRoundMixin:
    model = InspectionRound
    selector = staticmethod(selectors.round_list)


class InspectionRoundListView(InspectionRoundMixin, generic.ObjectListView):
    filterset_class = InspectionRoundFilterSet
    filter_fields = ("q", "template", "status", "due", "date_from", "date_to")
    table_class = tables.InspectionRoundTable

    def extra_context(self):
        return {
            "templates_url": reverse("inspectiontemplate_list"),
            "schedules_url": reverse("inspectionschedule_list"),
        }


class InspectionRoundDetailView(InspectionRoundMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("template"),
        core_tables.Column("place"),
        core_tables.Column("building"),
        core_tables.Column("owner"),
        core_tables.DateColumn("scheduled_date"),
        core_tables.Column("inspector"),
        core_tables.TemplateColumn("status", label=gettext_lazy("Status"), render=tables.status_badge),
        core_tables.DateTimeColumn("started_at"),
        core_tables.DateTimeColumn("completed_at"),
        core_tables.Column("schedule"),
        core_tables.Column("note"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        progress = services.round_progress(obj)
        context.update(
            {
                "rows": [(item, progress["answers"].get(item.pk)) for item in progress["items"]],
                "answered": len(progress["items"]) - len(progress["missing"]),
                "total": len(progress["items"]),
                "findings": list(selectors.finding_list(user=user).filter(round=obj)),
                "can_take": obj.status != RoundStatus.COMPLETED and context["can_change"],
                "can_change": context["can_change"] and obj.status != RoundStatus.COMPLETED,
                "can_delete": context["can_delete"] and obj.status == RoundStatus.SCHEDULED,
                "take_url": reverse("inspectionround_take", args=[obj.pk]),
            }
        )
        return context


class InspectionRoundHistoryView(InspectionRoundMixin, generic.ObjectHistoryView):
    pass


class InspectionRoundEditView(InspectionRoundMixin, generic.ObjectEditView):
    form_class = InspectionRoundForm

    def get_initial(self):
        template = self.request.GET.get("template", "")
        initial: dict[str, Any] = {"scheduled_date": timezone.localdate()}
        if template.isdigit():
            initial["template"] = template
        return initial

    def create_object(self, form):
        data = form.service_data()
        return services.round_create(actor=self.request.user, template=data.pop("template"), **data)

    def update_object(self, obj, form):
        return services.round_update(actor=self.request.user, inspection=obj, data=form.service_data())


class InspectionRoundDeleteView(InspectionRoundMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.round_delete(actor=self.request.user, inspection=obj)


def _round_for_change(request, pk: int) -> InspectionRound:
    inspection = get_object_or_404(selectors.round_list(user=request.user), pk=pk)
    if not policy.can(request.user, Action.CHANGE, inspection):
        raise PermissionDenied
    return inspection


@login_required
def round_take(request, pk: int):
    """The inspector's page on a phone: answer each checklist item, add findings, complete the round."""
    inspection = _round_for_change(request, pk)
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.round_answer(actor=request.user, inspection=inspection, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, generic.error_text(exc))
            else:
                progress = services.round_progress(inspection)
                following = progress["missing"][0].pk if progress["missing"] else "complete"
                return redirect(reverse("inspectionround_take", args=[pk]) + f"#item-{following}")
        else:
            messages.error(request, _("Choose an answer."))
        return redirect(reverse("inspectionround_take", args=[pk]))
    progress = services.round_progress(inspection)
    findings_by_item: dict[int | None, list[Finding]] = {}
    for finding in selectors.finding_list(user=request.user).filter(round=inspection).order_by("pk"):
        findings_by_item.setdefault(finding.item_id, []).append(finding)
    rows = [
        {"item": item, "answer": progress["answers"].get(item.pk), "findings": findings_by_item.get(item.pk, [])}
        for item in progress["items"]
    ]
    total = len(progress["items"])
    answered = total - len(progress["missing"])
    return render(
        request,
        "safety/round_take.html",
        {
            "round": inspection,
            "rows": rows,
            "general_findings": findings_by_item.get(None, []),
            "answered": answered,
            "total": total,
            "percent": round(100 * answered / total) if total else 100,
            "complete_form": CompleteForm(initial={"note": inspection.note}),
            "results": AnswerResult,
            "missing": progress["missing"],
            "unexplained": progress["unexplained"],
            "completed": inspection.status == RoundStatus.COMPLETED,
        },
    )


@login_required
@require_POST
def round_complete(request, pk: int):
    inspection = _round_for_change(request, pk)
    form = CompleteForm(request.POST)
    note = form.cleaned_data.get("note") if form.is_valid() else None
    try:
        services.round_complete(actor=request.user, inspection=inspection, note=note)
    except ValidationError as exc:
        messages.error(request, generic.error_text(exc))
        return redirect(reverse("inspectionround_take", args=[pk]) + "#complete")
    messages.success(request, _("Round completed."))
    return redirect("inspectionround_detail", pk=pk)


@login_required
def round_finding_add(request, pk: int):
    """Record a finding of the round (with photos), and its rectification task."""
    inspection = _round_for_change(request, pk)
    if inspection.status == RoundStatus.COMPLETED:
        messages.error(request, _("This round is completed and can no longer change."))
        return redirect("inspectionround_detail", pk=pk)
    item = request.GET.get("item", "")
    initial = {"item": item} if item.isdigit() else {}
    form = FindingForm(
        request.POST or None, request.FILES or None, user=request.user, inspection=inspection, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        photos = data.pop("photos", None) or []
        try:
            from django.db import transaction

            with transaction.atomic():
                finding = services.finding_create(actor=request.user, inspection=inspection, **data)
                if photos:
                    services.finding_add_photos(actor=request.user, finding=finding, files=photos)
        except ValidationError as exc:
            generic.apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Finding recorded; its rectification is due on %(date)s.")
                % {"date": finding.task.deadline.isoformat()},
            )
            target = finding.item_id or "general"
            return redirect(reverse("inspectionround_take", args=[pk]) + f"#item-{target}")
    return render(
        request,
        "safety/finding_add.html",
        {"form": form, "round": inspection, "title": _("Add a finding")},
    )


# --- findings -------------------------------------------------------------------------------------------------


class FindingMixin:
    model = Finding
    selector = staticmethod(selectors.finding_list)


class FindingListView(FindingMixin, generic.ObjectListView):
    filterset_class = FindingFilterSet
    filter_fields = ("q", "severity", "open", "overdue", "owner")
    table_class = tables.FindingTable

    def customize_filter_form(self, form):
        # Operator staff name owners they cannot otherwise see (the policy's general rule narrowed them).
        form.fields["owner"].queryset = selectors.owner_candidates(user=self.request.user)

    def extra_context(self):
        return {"can_add": False}  # findings are added from their round


class FindingDetailView(FindingMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("round", linkify="round"),
        core_tables.Column("item"),
        core_tables.Column("description"),
        core_tables.TemplateColumn("severity", label=gettext_lazy("Severity"), render=tables.severity_badge),
        core_tables.Column("place"),
        core_tables.DateColumn("found_on"),
        core_tables.Column("created_by"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        task = selectors.task_list(user=user).filter(finding=obj).first()
        can_change = policy.can(user, Action.CHANGE, obj)
        from iepark.governance.consultation.selectors import issues_from_source

        context.update(
            {
                "task": task,
                "photo_form": PhotosForm() if can_change else None,
                "photos_url": reverse("finding_photos", args=[obj.pk]),
                "issues": list(issues_from_source(obj, user=user)),
                "may_raise_issue": can_change and obj.severity in services.RAISABLE_SEVERITIES,
            }
        )
        return context


class FindingHistoryView(FindingMixin, generic.ObjectHistoryView):
    pass


class FindingEditView(FindingMixin, generic.ObjectEditView):
    only = "update"
    form_class = FindingEditForm

    def update_object(self, obj, form):
        return services.finding_update(actor=self.request.user, finding=obj, data=form.service_data())


@login_required
@require_POST
def finding_photos(request, pk: int):
    finding = get_object_or_404(selectors.finding_list(user=request.user), pk=pk)
    if not policy.can(request.user, Action.CHANGE, finding):
        raise PermissionDenied
    form = PhotosForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.finding_add_photos(
                actor=request.user,
                finding=finding,
                files=form.cleaned_data["photos"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as exc:
            messages.error(request, generic.error_text(exc))
        else:
            messages.success(request, _("Photos added."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("finding_detail", pk=pk)


@login_required
@require_POST
def finding_raise_issue(request, pk: int):
    """Raise a serious finding as a major issue of the park, then show the issue."""
    finding = get_object_or_404(selectors.finding_list(user=request.user), pk=pk)
    if not policy.can(request.user, Action.CHANGE, finding):
        raise PermissionDenied
    try:
        issue = services.finding_raise_issue(actor=request.user, finding=finding)
    except ValidationError as exc:
        messages.error(request, generic.error_text(exc))
        return redirect("finding_detail", pk=pk)
    messages.success(request, _("The finding is raised as major issue %(number)s.") % {"number": issue})
    return redirect("issue_detail", pk=issue.pk)


# --- rectification tasks -----------------------------------------------------------------------------------------


class RectificationTaskMixin:
    model = RectificationTask
    selector = staticmethod(selectors.task_list)


class RectificationTaskListView(RectificationTaskMixin, generic.ObjectListView):
    filterset_class = RectificationTaskFilterSet
    filter_fields = ("q", "status", "severity", "overdue", "owner")
    table_class = tables.RectificationTaskTable

    def customize_filter_form(self, form):
        # Operator staff name owners they cannot otherwise see (the policy's general rule narrowed them).
        form.fields["owner"].queryset = selectors.owner_candidates(user=self.request.user)

    def extra_context(self):
        return {"can_add": False}  # tasks are created with their finding


class RectificationTaskDetailView(RectificationTaskMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("finding", linkify="finding"),
        core_tables.Column("owner"),
        core_tables.Column("owner_person"),
        core_tables.DateColumn("deadline"),
        core_tables.TemplateColumn("status", label=gettext_lazy("Status"), render=tables.status_badge),
        core_tables.TemplateColumn("is_overdue", label=gettext_lazy("Overdue"), render=tables.overdue_badge),
        core_tables.DateColumn("reported_on"),
        core_tables.Column("report_note"),
        core_tables.DateColumn("closed_on"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        can_reinspect = obj.status != RectificationStatus.CLOSED and policy.can(user, Action.CHANGE, obj)
        can_report = obj.status == RectificationStatus.OPEN and may_report_done(user, obj)
        context.update(
            {
                "finding": obj.finding,
                "reinspections": list(obj.reinspections.select_related("inspector").order_by("-inspected_on", "-pk")),
                "report_form": ReportDoneForm(initial={"reported_on": timezone.localdate()}) if can_report else None,
                "reinspect_form": ReInspectForm(initial={"inspected_on": timezone.localdate()})
                if can_reinspect
                else None,
                "can_change": context["can_change"] and obj.status != RectificationStatus.CLOSED,
            }
        )
        return context


class RectificationTaskHistoryView(RectificationTaskMixin, generic.ObjectHistoryView):
    pass


class RectificationTaskEditView(RectificationTaskMixin, generic.ObjectEditView):
    only = "update"
    form_class = RectificationTaskForm

    def update_object(self, obj, form):
        return services.task_update(actor=self.request.user, task=obj, data=form.service_data())


def _task_action(request, pk: int, form_class, run) -> Any:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    task = get_object_or_404(selectors.task_list(user=request.user), pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("rectificationtask_detail", pk=pk)
    try:
        message = run(task, form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, generic.error_text(exc))
    else:
        messages.success(request, message)
    return redirect("rectificationtask_detail", pk=pk)


@login_required
def task_report_done(request, pk: int):
    def run(task, data):
        if not may_report_done(request.user, task):
            raise PermissionDenied
        services.task_report_done(actor=request.user, task=task, note=data["note"], reported_on=data["reported_on"])
        return _("Reported done; an inspector will re-inspect.")

    return _task_action(request, pk, ReportDoneForm, run)


@login_required
def task_reinspect(request, pk: int):
    def run(task, data):
        if not policy.can(request.user, Action.CHANGE, task):
            raise PermissionDenied
        reinspection = services.task_reinspect(actor=request.user, task=task, **data)
        return (
            _("Re-inspection passed: the rectification is closed.")
            if reinspection.passed
            else _("Re-inspection failed: the rectification is open again.")
        )

    return _task_action(request, pk, ReInspectForm, run)


# --- fire equipment ---------------------------------------------------------------------------------------------


class FireEquipmentMixin:
    model = FireEquipment
    selector = staticmethod(selectors.equipment_list)


class FireEquipmentListView(FireEquipmentMixin, generic.ObjectListView):
    filterset_class = FireEquipmentFilterSet
    filter_fields = ("q", "kind", "status", "due_within", "overdue", "expired")
    table_class = tables.FireEquipmentTable

    def extra_context(self):
        return {"export_url": reverse("fireequipment_export") + "?" + self.request.GET.urlencode()}


class FireEquipmentDetailView(FireEquipmentMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("code"),
        core_tables.ChoiceColumn("kind", as_badge=False),
        core_tables.Column("description"),
        core_tables.Column("location"),
        core_tables.Column("building"),
        core_tables.DateColumn("installed_on"),
        core_tables.DateColumn("last_checked_on"),
        core_tables.Column("check_interval_days"),
        core_tables.DateColumn("next_check_due"),
        core_tables.DateColumn("expiry_date"),
        core_tables.TemplateColumn("status", label=gettext_lazy("Status"), render=tables.status_badge),
        core_tables.TemplateColumn("flags", label=gettext_lazy("Attention"), render=tables.equipment_flags),
        core_tables.Column("note"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        can_check = obj.status != "retired" and policy.can(self.request.user, Action.CHANGE, obj)
        context.update(
            {
                "checks": list(obj.checks.select_related("inspector").order_by("-checked_on", "-pk")[:50]),
                "check_form": EquipmentCheckForm(initial={"checked_on": timezone.localdate()}) if can_check else None,
                "check_url": reverse("fireequipment_check", args=[obj.pk]),
            }
        )
        return context


class FireEquipmentHistoryView(FireEquipmentMixin, generic.ObjectHistoryView):
    pass


class FireEquipmentEditView(FireEquipmentMixin, generic.ObjectEditView):
    form_class = FireEquipmentForm

    def create_object(self, form):
        data = form.service_data()
        return services.equipment_create(actor=self.request.user, park=data.pop("park"), **data)

    def update_object(self, obj, form):
        return services.equipment_update(actor=self.request.user, equipment=obj, data=form.service_data())


class FireEquipmentDeleteView(FireEquipmentMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.equipment_delete(actor=self.request.user, equipment=obj)


@login_required
@require_POST
def equipment_check(request, pk: int):
    equipment = get_object_or_404(selectors.equipment_list(user=request.user), pk=pk)
    if not policy.can(request.user, Action.CHANGE, equipment):
        raise PermissionDenied
    form = EquipmentCheckForm(request.POST)
    if form.is_valid():
        try:
            check = services.equipment_check(actor=request.user, equipment=equipment, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, generic.error_text(exc))
        else:
            equipment.refresh_from_db()
            messages.success(
                request,
                _("Check recorded; the next check is due on %(date)s.") % {"date": equipment.next_check_due.isoformat()}
                if check.result == "pass"
                else _("Check failed: the item is out of service until it passes a check."),
            )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("fireequipment_detail", pk=pk)


@login_required
def equipment_export(request):
    """The register (with the list's filters) as an Excel workbook."""
    from .exports import equipment_workbook_response

    if not sees_safety(policy.actor_for(request.user)):
        raise PermissionDenied
    queryset = selectors.equipment_list(user=request.user)
    filterset = FireEquipmentFilterSet(request.GET or None, queryset=queryset, request=request)
    return equipment_workbook_response(filterset.qs.order_by("code", "pk"))
