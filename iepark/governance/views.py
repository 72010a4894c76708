"""
Pages of governance, over the generic views: they read through selectors and write through services, like the API.

Sections: policy documents (and their public pages), subsidy programmes with
their versions and rule editor (a form per rule kind), assessment runs (start,
progress, totals per payee and per rule, lines with their evidence, review,
approve, pay, verify, correct, the diff between revisions, the Excel export and
a printable report per payee), lines (a college's or enterprise's own) and
objections.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from iepark.careers.portal.views import public_page
from iepark.core import generic_views as generic
from iepark.core import policy
from iepark.core import tables as core_tables
from iepark.core.attachments import attachments_of
from iepark.core.models import Park
from iepark.core.policy import Action, Actor
from iepark.core.views import job_context, register_home_card

from . import evidence, selectors, services, tables
from .api import xlsx_response
from .choices import OPEN_RUN_STATUSES, ObjectionStatus, RuleKind, RunStatus
from .explain import line_explanation, warning_text
from .filtersets import (
    AssessmentLineFilterSet,
    AssessmentRunFilterSet,
    ObjectionFilterSet,
    PolicyDocumentFilterSet,
    SubsidyProgrammeFilterSet,
)
from .forms import (
    ObjectionForm,
    PayForm,
    PolicyDocumentForm,
    ProgrammeVersionForm,
    ResolveForm,
    RuleForm,
    RunStartForm,
    SubsidyProgrammeForm,
)
from .models import (
    AssessmentLine,
    AssessmentRun,
    Objection,
    PolicyDocument,
    ProgrammeVersion,
    SubsidyProgramme,
    SubsidyRule,
)
from .policy import acts_for_committee, committee_parks, sees_assessment_lines


def is_park_member(actor: Actor) -> bool:
    return bool(actor.grants)


def is_committee(actor: Actor) -> bool:
    return bool(committee_parks(actor))


generic.register_menu_items(
    "governance",
    gettext_lazy("Governance"),
    [
        generic.MenuItem(
            gettext_lazy("Policy documents"), "policydocument_list", "file-earmark-text", is_park_member, PolicyDocument
        ),
        generic.MenuItem(
            gettext_lazy("Subsidy programmes"), "subsidyprogramme_list", "cash-coin", is_park_member, SubsidyProgramme
        ),
        generic.MenuItem(
            gettext_lazy("Assessment runs"), "assessmentrun_list", "calculator", is_committee, AssessmentRun
        ),
        generic.MenuItem(gettext_lazy("Assessment lines"), "assessmentline_list", "list-check", sees_assessment_lines),
        generic.MenuItem(gettext_lazy("Objections"), "objection_list", "chat-left-dots", sees_assessment_lines),
    ],
    weight=40,
)


def _open_objections(*, user: Any):
    return selectors.objection_list(user=user).filter(status=ObjectionStatus.OPEN)


register_home_card(
    gettext_lazy("Open objections to subsidy lines"), "chat-left-dots", "objection_list", is_committee, _open_objections
)


def _code(text: str):
    return format_html('<code class="text-break small">{}</code>', text) if text else "—"


def _service_error(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, generic.error_text(exc))


# --- policy documents -------------------------------------------------------------------------------


class PolicyDocumentMixin:
    model = PolicyDocument
    selector = staticmethod(selectors.policy_document_list)


class PolicyDocumentListView(PolicyDocumentMixin, generic.ObjectListView):
    filterset_class = PolicyDocumentFilterSet
    filter_fields = ("q", "visibility")
    table_class = tables.PolicyDocumentTable


class PolicyDocumentDetailView(PolicyDocumentMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("title"),
        core_tables.Column("title_en"),
        core_tables.Column("issuing_body"),
        core_tables.Column("document_number"),
        core_tables.DateColumn("effective_from"),
        core_tables.DateColumn("effective_to"),
        core_tables.ChoiceColumn("visibility"),
        core_tables.Column("summary"),
        core_tables.Column("park"),
        core_tables.DateTimeColumn("updated_at"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        context["public_url"] = reverse("policy_public_detail", args=[obj.park.code, obj.pk]) if obj.is_public else None
        context["programmes"] = selectors.programme_list(user=self.request.user).filter(policy=obj)
        return context


class PolicyDocumentHistoryView(PolicyDocumentMixin, generic.ObjectHistoryView):
    pass


class PolicyDocumentEditView(PolicyDocumentMixin, generic.ObjectEditView):
    form_class = PolicyDocumentForm

    def post(self, request, pk=None):
        # Files come with the form: rebind it with them (the generic view passes POST only).
        self._files = request.FILES
        return super().post(request, pk)

    def get_form(self, obj, data=None):
        form = PolicyDocumentForm(
            data, getattr(self, "_files", None) if data is not None else None, user=self.request.user, instance=obj
        )
        return form

    def create_object(self, form):
        data = form.service_data()
        return services.policy_document_create(actor=self.request.user, **data)

    def update_object(self, obj, form):
        data = form.service_data()
        files = data.pop("files", [])
        return services.policy_document_update(actor=self.request.user, document=obj, data=data, files=files)


class PolicyDocumentDeleteView(PolicyDocumentMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.policy_document_delete(actor=self.request.user, document=obj)


# --- the public pages of policy documents ---------------------------------------------------------


def _park_or_404(code: str) -> Park:
    park = policy.public(Park.objects.filter(code=code)).first()
    if park is None:
        raise Http404
    return park


@public_page
def policy_public_list(request: HttpRequest, park_code: str) -> HttpResponse:
    """The park's public policy documents, newest first: no login."""
    park = _park_or_404(park_code)
    page = Paginator(selectors.policy_document_public_list(park=park), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/public/policy_list.html",
        {
            "park": park,
            "section": "policies",
            "title": _("Policies"),
            "description": _("Policies and notices published by the management committee of %(park)s.")
            % {"park": park.display_name},
            "site_name": park.display_name,
            "page_obj": page,
            "canonical_url": request.build_absolute_uri(request.path),
        },
    )


@public_page
def policy_public_detail(request: HttpRequest, park_code: str, pk: int) -> HttpResponse:
    park = _park_or_404(park_code)
    document = get_object_or_404(selectors.policy_document_public_list(park=park), pk=pk)
    return render(
        request,
        "governance/public/policy_detail.html",
        {
            "park": park,
            "section": "policies",
            "title": document.display_title,
            "description": document.summary or document.display_title,
            "site_name": park.display_name,
            "document": document,
            "files": attachments_of(document).order_by("pk"),
            "canonical_url": request.build_absolute_uri(request.path),
        },
    )


@public_page
def policy_public_file(request: HttpRequest, park_code: str, pk: int, file_pk: int) -> HttpResponse:
    """A file of a public policy document (anybody may download it, like the document)."""
    park = _park_or_404(park_code)
    document = get_object_or_404(selectors.policy_document_public_list(park=park), pk=pk)
    attachment = get_object_or_404(attachments_of(document), pk=file_pk)
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.mime, filename=attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- programmes ---------------------------------------------------------------------------------


class SubsidyProgrammeMixin:
    model = SubsidyProgramme
    selector = staticmethod(selectors.programme_list)


class SubsidyProgrammeListView(SubsidyProgrammeMixin, generic.ObjectListView):
    filterset_class = SubsidyProgrammeFilterSet
    filter_fields = ("q",)
    table_class = tables.SubsidyProgrammeTable


class SubsidyProgrammeDetailView(SubsidyProgrammeMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("name"),
        core_tables.Column("name_en"),
        core_tables.Column("description"),
        core_tables.Column("policy"),
        core_tables.BooleanColumn("amounts_are_examples"),
        core_tables.Column("park"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        context.update(
            {
                "versions": selectors.version_list(user=user).filter(programme=obj).order_by("-number"),
                "runs": selectors.run_list(user=user).filter(version__programme=obj)[:20],
                "can_add_version": policy.can(user, Action.CHANGE, obj),
                "version_create_url": reverse("programmeversion_create") + f"?programme={obj.pk}",
            }
        )
        return context


class SubsidyProgrammeHistoryView(SubsidyProgrammeMixin, generic.ObjectHistoryView):
    pass


class SubsidyProgrammeEditView(SubsidyProgrammeMixin, generic.ObjectEditView):
    form_class = SubsidyProgrammeForm

    def create_object(self, form):
        return services.programme_create(actor=self.request.user, **form.service_data())

    def update_object(self, obj, form):
        return services.programme_update(actor=self.request.user, programme=obj, data=form.service_data())


class SubsidyProgrammeDeleteView(SubsidyProgrammeMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.programme_delete(actor=self.request.user, programme=obj)


# --- versions and rules -------------------------------------------------------------------------


class ProgrammeVersionMixin:
    model = ProgrammeVersion
    selector = staticmethod(selectors.version_list)


class ProgrammeVersionDetailView(ProgrammeVersionMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("programme"),
        core_tables.Column("number"),
        core_tables.DateColumn("effective_from"),
        core_tables.DateColumn("effective_to"),
        core_tables.Column("cap_per_payee_per_year"),
        core_tables.Column("note"),
        core_tables.BooleanColumn("frozen"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        may_edit = policy.can(user, Action.CHANGE, obj)
        runs = selectors.run_list(user=user).filter(version=obj)
        context.update(
            {
                "can_delete": context["can_delete"] and not obj.frozen and not obj.runs.exists(),
                "rules": selectors.rule_list(user=user).filter(version=obj).order_by("position", "pk"),
                "may_edit_rules": may_edit and not obj.frozen,
                "may_copy": may_edit,
                "rule_kinds": RuleKind.choices,
                "copy_url": reverse("programmeversion_create") + f"?programme={obj.programme_id}&copy_from={obj.pk}",
                "runs": runs[:20],
                "run_url": reverse("assessmentrun_create") + f"?version={obj.pk}" if may_edit else None,
            }
        )
        return context


class ProgrammeVersionHistoryView(ProgrammeVersionMixin, generic.ObjectHistoryView):
    pass


class ProgrammeVersionEditView(ProgrammeVersionMixin, generic.ObjectEditView):
    form_class = ProgrammeVersionForm

    def get_initial(self):
        initial = {}
        for key in ("programme", "copy_from"):
            value = self.request.GET.get(key, "")
            if value.isdigit():
                initial[key] = value
        return initial

    def create_object(self, form):
        data = form.service_data()
        return services.version_create(actor=self.request.user, **data)

    def update_object(self, obj, form):
        data = form.service_data()
        data.pop("programme", None)
        return services.version_update(actor=self.request.user, version=obj, data=data)


class ProgrammeVersionDeleteView(ProgrammeVersionMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.version_delete(actor=self.request.user, version=obj)


class SubsidyRuleMixin:
    model = SubsidyRule
    selector = staticmethod(selectors.rule_list)


class SubsidyRuleDetailView(SubsidyRuleMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("version"),
        core_tables.ChoiceColumn("kind", as_badge=False),
        core_tables.Column("name"),
        core_tables.ChoiceColumn("payee", as_badge=False),
        core_tables.Column("evidence_note"),
        core_tables.Column("position"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        context["edit_url"] = reverse("subsidyrule_edit", args=[obj.pk])
        context["can_change"] = policy.can(self.request.user, Action.CHANGE, obj) and not obj.version.frozen
        return context


class SubsidyRuleHistoryView(SubsidyRuleMixin, generic.ObjectHistoryView):
    pass


class SubsidyRuleDeleteView(SubsidyRuleMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.rule_delete(actor=self.request.user, rule=obj)


def _rule_errors_onto_form(form: RuleForm, exc: ValidationError) -> None:
    """Put a rule's errors on the fields of the parameters they name (“amount” → the amount field)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        for error in errors:
            message = " ".join(error.messages)
            target = name if name in form.fields else None
            if name == "params":
                named = [p for p in re.findall(r"“(\w+)”", message) if f"p_{p}" in form.fields]
                target = f"p_{named[0]}" if named else None
            form.add_error(target, message)


def _rule_form_page(request, *, version: ProgrammeVersion, kind: str, rule: SubsidyRule | None):
    form = RuleForm(request.POST or None, kind=kind, instance=rule)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            if rule is None:
                saved = services.rule_create(actor=request.user, version=version, **data)
            else:
                data.pop("kind")
                saved = services.rule_update(actor=request.user, rule=rule, data=data)
        except ValidationError as exc:
            _rule_errors_onto_form(form, exc)
        else:
            messages.success(request, _("Saved the rule “%(rule)s”.") % {"rule": saved})
            return redirect("programmeversion_detail", pk=version.pk)
    return render(
        request,
        "governance/rule_form.html",
        {
            "form": form,
            "version": version,
            "rule": rule,
            "kind_label": RuleKind(kind).label,
            "title": _("Edit rule") if rule else _("Add rule"),
        },
    )


@login_required
def rule_create(request, version_pk: int, kind: str):
    """Add a rule of ``kind`` to a version: a form with the kind's parameters."""
    version = get_object_or_404(selectors.version_list(user=request.user), pk=version_pk)
    if kind not in RuleKind.values:
        raise Http404
    if not policy.can(request.user, Action.CHANGE, version):
        raise PermissionDenied
    return _rule_form_page(request, version=version, kind=kind, rule=None)


@login_required
def rule_edit(request, pk: int):
    rule = get_object_or_404(selectors.rule_list(user=request.user), pk=pk)
    if not policy.can(request.user, Action.CHANGE, rule):
        raise PermissionDenied
    return _rule_form_page(request, version=rule.version, kind=rule.kind, rule=rule)


# --- runs -----------------------------------------------------------------------------------------


class AssessmentRunMixin:
    model = AssessmentRun
    selector = staticmethod(selectors.run_list)


class AssessmentRunListView(AssessmentRunMixin, generic.ObjectListView):
    filterset_class = AssessmentRunFilterSet
    filter_fields = ("status", "programme")
    table_class = tables.AssessmentRunTable


class AssessmentRunDetailView(AssessmentRunMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("version"),
        core_tables.DateColumn("period_start"),
        core_tables.DateColumn("period_end"),
        core_tables.Column("revision"),
        core_tables.Column("previous"),
        core_tables.Column("note"),
        core_tables.TemplateColumn("fingerprint", render=lambda run: _code(run.fingerprint)),
        core_tables.TemplateColumn("lines_digest", render=lambda run: _code(run.lines_digest)),
        core_tables.DateTimeColumn("created_at"),
        core_tables.DateTimeColumn("reviewed_at"),
        core_tables.DateTimeColumn("approved_at"),
        core_tables.DateTimeColumn("paid_at"),
        core_tables.Column("payment_reference"),
    ]

    def get_context_data(self, obj):
        obj = services.run_reconcile(run=obj)
        context = super().get_context_data(obj)
        user = self.request.user
        lines = selectors.line_list(user=user).filter(run=obj)
        rule_filter = self.request.GET.get("rule", "")
        payee_filter = self.request.GET.get("payee", "")
        shown = lines
        if rule_filter.isdigit():
            shown = shown.filter(rule_id=rule_filter)
        if payee_filter.isdigit():
            shown = shown.filter(payee_organisation_id=payee_filter)
        page = Paginator(
            shown.order_by("payee_organisation__name", "rule__position", "qualifying_date", "pk"), 50
        ).get_page(self.request.GET.get("page"))
        for line in page.object_list:
            line.explanation = line_explanation(line)
            line.record_links = [
                (i, evidence.employment_record_url(i)) for i in line.evidence.get("employment_records", [])
            ]
        may_act = acts_for_committee(policy.actor_for(user), obj.park_id)
        correction = AssessmentRun.objects.filter(previous=obj).first()
        context.update(
            {
                "can_change": False,
                "can_delete": may_act and not obj.is_locked and correction is None,
                "by_payee": selectors.totals_by_payee(lines),
                "by_rule": selectors.totals_by_rule(lines),
                "lines_page": page,
                "warnings": [warning_text(w) for w in obj.warnings],
                "may_act": may_act,
                "pay_form": PayForm(),
                "open_objections": Objection.objects.filter(line__run=obj, status=ObjectionStatus.OPEN).count(),
                "decided_objections": Objection.objects.filter(line__run=obj)
                .exclude(status=ObjectionStatus.OPEN)
                .count(),
                "correction": correction,
                "is_open": obj.status in OPEN_RUN_STATUSES,
                "rule_filter": rule_filter,
                "payee_filter": payee_filter,
                **(job_context(user, obj.job) if obj.job and not obj.job.is_finished else {}),
            }
        )
        return context


class AssessmentRunHistoryView(AssessmentRunMixin, generic.ObjectHistoryView):
    pass


class AssessmentRunEditView(AssessmentRunMixin, generic.ObjectEditView):
    """Start a run: a programme version and a period (computed in the background)."""

    only = "create"
    form_class = RunStartForm

    def get_initial(self):
        version = self.request.GET.get("version", "")
        return {"version": version} if version.isdigit() else {}

    def create_object(self, form):
        return services.assessment_start(actor=self.request.user, **form.cleaned_data)


class AssessmentRunDeleteView(AssessmentRunMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.run_delete(actor=self.request.user, run=obj)


RUN_ACTIONS = {
    "review": (services.run_review, gettext_lazy("The run is marked as reviewed.")),
    "approve": (services.run_approve, gettext_lazy("The run is approved: it can no longer change.")),
}


@login_required
@require_POST
def run_action(request, pk: int, action: str):
    """Review, approve, pay, verify or correct a run (the committee)."""
    run = get_object_or_404(selectors.run_list(user=request.user), pk=pk)
    try:
        if action in RUN_ACTIONS:
            func, message = RUN_ACTIONS[action]
            func(actor=request.user, run=run)
            messages.success(request, message)
        elif action == "pay":
            form = PayForm(request.POST)
            form.is_valid()
            services.run_mark_paid(
                actor=request.user, run=run, payment_reference=form.cleaned_data.get("payment_reference", "")
            )
            messages.success(request, _("The run is marked as paid."))
        elif action == "verify":
            outcome = services.run_verify(actor=request.user, run=run)
            if outcome["same_inputs"] and outcome["same_lines"]:
                messages.success(
                    request,
                    _("Re-run on the current data: identical inputs and identical lines (fingerprint %(fp)s).")
                    % {"fp": outcome["fingerprint"][:16]},
                )
            else:
                messages.warning(
                    request,
                    _(
                        "Re-run on the current data gives a different result: the records changed since the run "
                        "(inputs identical: %(inputs)s; lines identical: %(lines)s)."
                    )
                    % {
                        "inputs": _("yes") if outcome["same_inputs"] else _("no"),
                        "lines": _("yes") if outcome["same_lines"] else _("no"),
                    },
                )
        elif action == "correct":
            correction = services.run_correct(actor=request.user, run=run, note=request.POST.get("note", "")[:300])
            messages.success(request, _("The correction is being computed."))
            return redirect("assessmentrun_detail", pk=correction.pk)
        else:
            raise Http404
    except ValidationError as exc:
        _service_error(request, exc)
    return redirect("assessmentrun_detail", pk=run.pk)


@login_required
def run_diff(request, pk: int):
    """What changed from the previous revision: lines added, removed, or with another amount."""
    run = get_object_or_404(selectors.run_list(user=request.user), pk=pk)
    if run.previous_id is None:
        raise Http404
    diff = selectors.run_diff(run.previous, run)
    return render(request, "governance/run_diff.html", {"run": run, "previous": run.previous, "diff": diff})


@login_required
def run_export(request, pk: int):
    """The run as an Excel workbook for finance."""
    run = get_object_or_404(selectors.run_list(user=request.user), pk=pk)
    if run.status in (RunStatus.COMPUTING, RunStatus.FAILED):
        raise Http404
    return xlsx_response(run, selectors.line_list(user=request.user).filter(run=run))


@login_required
def run_payee_report(request, pk: int, kind: str, payee_pk: int):
    """A printable statement of one payee's lines in a run (the committee, or the payee itself)."""
    lines = selectors.line_list(user=request.user).filter(run_id=pk)
    if kind == "org":
        lines = lines.filter(payee_organisation_id=payee_pk)
    elif kind == "person":
        lines = lines.filter(payee_person_id=payee_pk)
    else:
        raise Http404
    lines = list(lines.order_by("rule__position", "qualifying_date", "pk"))
    if not lines:
        raise Http404
    run = lines[0].run
    for line in lines:
        line.explanation = line_explanation(line)
    by_rule: dict[Any, dict[str, Any]] = {}
    for line in lines:
        row = by_rule.setdefault(line.rule_id, {"name": line.rule.name, "lines": 0, "amount": 0})
        row["lines"] += 1
        row["amount"] += line.amount
    return render(
        request,
        "governance/payee_report.html",
        {
            "run": run,
            "payee": lines[0].payee,
            "lines": lines,
            "by_rule": list(by_rule.values()),
            "total": sum(line.amount for line in lines),
        },
    )


# --- lines and objections ---------------------------------------------------------------------------


class AssessmentLineMixin:
    model = AssessmentLine
    selector = staticmethod(selectors.line_list)


class AssessmentLineListView(AssessmentLineMixin, generic.ObjectListView):
    filterset_class = AssessmentLineFilterSet
    filter_fields = ("q", "run_status")
    table_class = tables.AssessmentLineTable


class AssessmentLineDetailView(AssessmentLineMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("run"),
        core_tables.Column("rule"),
        core_tables.Column("student"),
        core_tables.Column("student.college", label=gettext_lazy("College")),
        core_tables.Column("payee_organisation"),
        core_tables.Column("payee_person"),
        core_tables.DateColumn("qualifying_date"),
        core_tables.Column("base_amount"),
        core_tables.Column("amount"),
        core_tables.Column("key"),
    ]

    def get_tabs(self, obj):
        return [("details", gettext_lazy("Details"), self.object_page(obj, "detail"))]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        objection = Objection(line=obj)
        may_object = obj.run.status in OPEN_RUN_STATUSES and policy.can_add(user, objection)
        context.update(
            {
                "explanation": line_explanation(obj),
                "record_links": [
                    (i, evidence.employment_record_url(i)) for i in obj.evidence.get("employment_records", [])
                ],
                "evidence_rows": sorted(obj.evidence.items()),
                "objections": selectors.objection_list(user=user).filter(line=obj),
                "may_object": may_object and not obj.objections.filter(status=ObjectionStatus.OPEN).exists(),
                "objection_form": ObjectionForm() if may_object else None,
                "run_visible": selectors.run_list(user=user).filter(pk=obj.run_id).exists(),
            }
        )
        return context


@login_required
@require_POST
def objection_create(request, line_pk: int):
    """Object to a line (the payee), with the reason and evidence files."""
    line = get_object_or_404(selectors.line_list(user=request.user), pk=line_pk)
    form = ObjectionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            objection = services.objection_raise(actor=request.user, line=line, **form.cleaned_data)
        except ValidationError as exc:
            _service_error(request, exc)
        else:
            messages.success(request, _("Your objection was sent to the committee."))
            return redirect("objection_detail", pk=objection.pk)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("assessmentline_detail", pk=line.pk)


class ObjectionMixin:
    model = Objection
    selector = staticmethod(selectors.objection_list)


class ObjectionListView(ObjectionMixin, generic.ObjectListView):
    filterset_class = ObjectionFilterSet
    filter_fields = ("status",)
    table_class = tables.ObjectionTable


class ObjectionDetailView(ObjectionMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("line"),
        core_tables.Column("organisation"),
        core_tables.ChoiceColumn("status"),
        core_tables.Column("reason"),
        core_tables.Column("proposed_amount"),
        core_tables.ChoiceColumn("adjustment", as_badge=False),
        core_tables.Column("adjusted_amount"),
        core_tables.Column("response"),
        core_tables.DateTimeColumn("created_at"),
        core_tables.DateTimeColumn("resolved_at"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        open_ = obj.status == ObjectionStatus.OPEN and obj.line.run.status in OPEN_RUN_STATUSES
        decides = acts_for_committee(policy.actor_for(user), obj.line.run.park_id)
        context.update(
            {
                "resolve_form": ResolveForm() if open_ and decides else None,
                "may_withdraw": open_ and policy.can(user, Action.CHANGE, obj) and obj.raised_by_id == user.pk,
                "can_change": False,
            }
        )
        return context


class ObjectionHistoryView(ObjectionMixin, generic.ObjectHistoryView):
    pass


@login_required
@require_POST
def objection_resolve(request, pk: int):
    objection = get_object_or_404(selectors.objection_list(user=request.user), pk=pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.objection_resolve(
                actor=request.user,
                objection=objection,
                accept=data["decision"] == "accept",
                response=data["response"],
                adjustment=data["adjustment"],
                adjusted_amount=data.get("adjusted_amount"),
            )
        except ValidationError as exc:
            _service_error(request, exc)
        else:
            messages.success(request, _("The decision is recorded; correct the run to apply it."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("objection_detail", pk=objection.pk)


@login_required
@require_POST
def objection_withdraw(request, pk: int):
    objection = get_object_or_404(selectors.objection_list(user=request.user), pk=pk)
    try:
        services.objection_withdraw(actor=request.user, objection=objection)
    except ValidationError as exc:
        _service_error(request, exc)
    else:
        messages.success(request, _("The objection is withdrawn."))
    return redirect("objection_detail", pk=objection.pk)
