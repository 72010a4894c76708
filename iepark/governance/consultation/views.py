"""
Pages of contact meetings and major issues, over the generic views: they read through selectors
and write through services, like the API (``api.py``).

Meetings: the list (upcoming first), a meeting's page (participants, agenda, minutes, decisions,
action items, the .ics invitation, and the officers' forms), "Action items" (mine, my organisation's,
overdue first, and the overdue ones per owner). Issues: the board (columns by status, overdue in
red, by severity and age), "Raise an issue" (phone-friendly), an issue's page with its consultation
thread and steps, and the officers' deadline settings.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from iepark.core import generic_views as generic
from iepark.core import policy
from iepark.core.policy import Action, Actor

from . import selectors, services, tables
from .choices import (
    ACTION_STATUS_BADGES,
    ISSUE_STATUS_BADGES,
    MEETING_STATUS_BADGES,
    OPEN_ISSUE_STATUSES,
    SEVERITY_BADGES,
    IssueStatus,
    MeetingStatus,
    Severity,
)
from .filtersets import ActionItemFilterSet, IssueFilterSet, MeetingFilterSet
from .forms import (
    ActionItemForm,
    ActionStatusForm,
    AgendaItemForm,
    CommentForm,
    DeadlinesForm,
    DecideForm,
    DecisionForm,
    FilesForm,
    IssueEditForm,
    IssueForm,
    MeetingForm,
    MinutesForm,
    NoteForm,
    ReasonForm,
)
from .ics import meeting_ics
from .models import ActionItem, Issue, Meeting
from .policy import is_officer, may_raise, sees_meetings


def _is_officer(actor: Actor) -> bool:
    return is_officer(actor)


generic.register_menu_items(
    "governance",
    gettext_lazy("Governance"),
    [
        generic.MenuItem(gettext_lazy("Contact meetings"), "meeting_list", "people", sees_meetings, Meeting),
        generic.MenuItem(gettext_lazy("Action items"), "actionitem_list", "list-check", sees_meetings),
        generic.MenuItem(gettext_lazy("Major issues"), "issue_list", "exclamation-octagon", may_raise),
    ],
    weight=40,
)


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


# --- meetings ------------------------------------------------------------------------------------------


class MeetingMixin:
    model = Meeting
    selector = staticmethod(selectors.meeting_list)


class MeetingListView(MeetingMixin, generic.ObjectListView):
    filterset_class = MeetingFilterSet
    filter_fields = ("q", "kind", "status", "after", "before")
    table_class = tables.MeetingTable
    template_name = "consultation/meeting_list.html"

    def extra_context(self):
        user = self.request.user
        return {
            "upcoming": list(selectors.upcoming_meetings(user=user)[:5]),
            "officer_parks": list(selectors.officer_parks(user=user)),
            "status_badges": MEETING_STATUS_BADGES,
        }


class MeetingHistoryView(MeetingMixin, generic.ObjectHistoryView):
    pass


class MeetingDetailView(MeetingMixin, generic.ObjectDetailView):
    template_name = "consultation/meeting_detail.html"

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        is_org = policy.can(user, Action.CHANGE, obj)
        editable = is_org and obj.status != MeetingStatus.CANCELLED
        actions = list(
            selectors.annotate_action_overdue(
                policy.restrict(ActionItem.objects.filter(meeting=obj), user).select_related(
                    "owner_organisation", "owner_person", "decision"
                )
            )
        )
        for item in actions:
            item.may_update = services.may_update_action(user, item)
        context.update(
            {
                "meeting": obj,
                "can_change": editable,
                "can_delete": is_org and obj.status == MeetingStatus.SCHEDULED,
                "is_organiser": is_org,
                "editable": editable,
                "participants": list(selectors.participants(obj, user=user)),
                "agenda_items": list(selectors.agenda(obj, user=user)),
                "decisions": list(policy.restrict(obj.decisions.select_related("agenda_item"), user)),
                "actions": actions,
                "status_badge": MEETING_STATUS_BADGES.get(obj.status, "secondary"),
                "action_badges": ACTION_STATUS_BADGES,
                "has_started": obj.starts_at <= timezone.now(),
                "agenda_form": AgendaItemForm(meeting=obj, user=user) if editable else None,
                "decision_form": DecisionForm(meeting=obj) if editable else None,
                "action_form": ActionItemForm(meeting=obj, user=user) if editable else None,
                "minutes_form": MinutesForm(meeting=obj) if editable else None,
                "cancel_form": ReasonForm() if is_org and obj.status == MeetingStatus.SCHEDULED else None,
                "status_form": ActionStatusForm(),
            }
        )
        return context


class MeetingEditView(MeetingMixin, generic.ObjectEditView):
    form_class = MeetingForm

    def create_object(self, form):
        data = form.service_data()
        return services.meeting_create(actor=self.request.user, park=data.pop("park"), **data)

    def update_object(self, obj, form):
        return services.meeting_update(actor=self.request.user, meeting=obj, data=form.service_data())


class MeetingDeleteView(MeetingMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.meeting_delete(actor=self.request.user, meeting=obj)


@login_required
def meeting_ics_download(request, pk: int):
    """The meeting's iCalendar invitation (whoever sees the meeting)."""
    meeting = get_object_or_404(selectors.meeting_list(user=request.user), pk=pk)
    response = HttpResponse(meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


MEETING_STEPS = {
    "agenda": (AgendaItemForm, gettext_lazy("The agenda item was added.")),
    "decision": (DecisionForm, gettext_lazy("The decision was recorded.")),
    "action": (ActionItemForm, gettext_lazy("The action item was added; its owner is told.")),
    "minutes": (MinutesForm, gettext_lazy("The minutes were recorded.")),
    "cancel": (ReasonForm, gettext_lazy("The meeting was cancelled; the participants are told.")),
}


def _run_meeting_step(user, step: str, meeting: Meeting, data: dict) -> None:
    if step == "agenda":
        services.agenda_item_add(actor=user, meeting=meeting, **data)
    elif step == "decision":
        services.decision_add(actor=user, meeting=meeting, **data)
    elif step == "action":
        services.action_item_add(actor=user, meeting=meeting, **data)
    elif step == "minutes":
        services.meeting_record_minutes(
            actor=user, meeting=meeting, minutes=data["minutes"], attended=data.get("attended"), files=data["files"]
        )
    else:
        services.meeting_cancel(actor=user, meeting=meeting, reason=data["reason"])


@login_required
@require_POST
def meeting_step(request, pk: int, step: str):
    """Run one of the officers' forms of a meeting's page; errors come back as messages."""
    if step not in MEETING_STEPS:
        raise Http404
    meeting = get_object_or_404(selectors.meeting_list(user=request.user), pk=pk)
    if not policy.can(request.user, Action.CHANGE, meeting):
        raise PermissionDenied
    form_class, done = MEETING_STEPS[step]
    form = form_class(request.POST, request.FILES, meeting=meeting, user=request.user)
    back = reverse("meeting_detail", args=[meeting.pk])
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    try:
        _run_meeting_step(request.user, step, meeting, form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, generic.error_text(exc))
    else:
        messages.success(request, str(done))
    return redirect(back)


# --- action items --------------------------------------------------------------------------------------


class ActionItemListView(generic.ObjectListView):
    """Action items: mine, my organisation's, or (officers) all; overdue first, and the overdue per owner."""

    model = ActionItem
    selector = staticmethod(selectors.action_item_list)
    filterset_class = ActionItemFilterSet
    filter_fields = ("q", "status", "overdue", "owner_organisation")
    table_class = tables.ActionItemTable
    template_name = "consultation/actionitem_list.html"

    def extra_context(self):
        user = self.request.user
        return {
            "quick_filters": [
                (_("Mine"), "mine=true&open=true"),
                (_("My organisation's"), "my_organisation=true&open=true"),
                (_("Overdue"), "overdue=true"),
                (pgettext("status", "Open"), "open=true"),
                (_("Done"), "status=done"),
            ],
            "overdue_by_owner": selectors.overdue_actions_by_owner(user=user),
        }


@login_required
@require_POST
def action_item_status(request, pk: int):
    """The owner (or their organisation's administrator, or an officer) reports progress on an action item."""
    item = get_object_or_404(selectors.action_item_list(user=request.user), pk=pk)
    form = ActionStatusForm(request.POST)
    back = generic.safe_return_url(request, reverse("meeting_detail", args=[item.meeting_id]))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    try:
        services.action_item_set_status(actor=request.user, item=item, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, generic.error_text(exc))
    else:
        messages.success(request, _("The action item was updated."))
    return redirect(back)


# --- issues --------------------------------------------------------------------------------------------


class IssueMixin:
    model = Issue
    selector = staticmethod(selectors.issue_list)


class IssueListView(IssueMixin, generic.ObjectListView):
    """The board of unclosed issues (columns by status; overdue first, then by severity and age)."""

    filterset_class = IssueFilterSet
    filter_fields = ("q", "severity", "category", "overdue", "raising_organisation")
    template_name = "consultation/issue_board.html"

    def get(self, request):
        filterset = self.filterset_class(request.GET or None, queryset=self.get_queryset(), request=request)
        from iepark.core.forms import style_form

        style_form(filterset.form)
        generic.label_yes_no_filters(filterset.form)
        queryset = filterset.qs
        show_closed = request.GET.get("status") == IssueStatus.CLOSED
        columns = selectors.issue_board(queryset)
        closed = list(queryset.filter(status=IssueStatus.CLOSED).order_by("-closed_at")[:30]) if show_closed else []
        user = request.user
        parks = list(selectors.officer_parks(user=user))
        figures = queryset.filter(status__in=OPEN_ISSUE_STATUSES)
        by_severity = dict.fromkeys(Severity.values, 0)
        for sev in figures.values_list("severity", flat=True):
            by_severity[sev] += 1
        return self.render(
            {
                "filter_form": filterset.form,
                "shown_filters": self.shown_filters(filterset),
                "hidden_filters": self.hidden_filters(filterset),
                "active_filter_count": self.active_filter_count(filterset),
                "columns": columns,
                "closed": closed,
                "show_closed": show_closed,
                "overdue_count": sum(1 for c in columns for i in c["issues"] if i.overdue),
                "by_severity": [(Severity(s).label, SEVERITY_BADGES[s], n, s) for s, n in by_severity.items()],
                "severity_badges": SEVERITY_BADGES,
                "status_badges": ISSUE_STATUS_BADGES,
                "may_raise": policy.may_add_any(user, Issue),
                "officer_parks": parks,
                "can_add": False,
            }
        )


class IssueHistoryView(IssueMixin, generic.ObjectHistoryView):
    pass


class IssueDetailView(IssueMixin, generic.ObjectDetailView):
    template_name = "consultation/issue_detail.html"

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        is_org = policy.can(user, Action.CHANGE, obj)
        status = obj.status
        raiser = services.is_raising_party(user, obj)
        context.update(
            {
                "issue": obj,
                "can_change": is_org and status != IssueStatus.CLOSED,
                "entries": list(selectors.issue_entries(obj, user=user)),
                "affected": list(obj.affected_organisations.all()),
                "agenda_items": list(
                    policy.restrict(obj.agenda_items.select_related("meeting"), user).order_by("meeting__starts_at")
                ),
                "status_badge": ISSUE_STATUS_BADGES.get(status, "secondary"),
                "severity_badge": SEVERITY_BADGES.get(obj.severity, "secondary"),
                "is_officer": is_org,
                "can_acknowledge": is_org and status == IssueStatus.RAISED,
                "can_decide": is_org and status in OPEN_ISSUE_STATUSES,
                "can_comment": status != IssueStatus.CLOSED,
                "can_confirm": raiser and status == IssueStatus.DECIDED,
                "can_reopen": raiser and status in (IssueStatus.DECIDED, IssueStatus.CLOSED),
                "can_attach": services.may_attach_to_issue(user, obj),
                "comment_form": CommentForm(),
                "decide_form": DecideForm(issue=obj, user=user) if is_org else None,
                "note_form": NoteForm(),
                "reason_form": ReasonForm(),
                "files_form": FilesForm(),
            }
        )
        return context


class IssueEditView(IssueMixin, generic.ObjectEditView):
    """Officers correct an issue (new issues come from the "Raise an issue" page)."""

    only = "update"
    form_class = IssueEditForm

    def update_object(self, obj, form):
        return services.issue_update(actor=self.request.user, issue=obj, data=form.service_data())


@login_required
def issue_raise(request):
    """Raise a major issue for one's organisation (phone-friendly: one column, large controls)."""
    if not policy.may_add_any(request.user, Issue):
        raise PermissionDenied
    form = IssueForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            issue = services.issue_raise(actor=request.user, **data)
        except ValidationError as exc:
            generic.apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("The issue %(reference)s was raised; the committee and the affected parties are told.")
                % {"reference": issue.reference},
            )
            return redirect("issue_detail", pk=issue.pk)
    park = form.fields["park"].queryset.first()
    levels = services.severity_deadlines_for(park) if park else {}
    return render(
        request,
        "consultation/issue_raise.html",
        {"form": form, "levels": [(label, *levels[value]) for value, label in Severity.choices] if levels else []},
    )


ISSUE_STEPS = {
    "acknowledge": (NoteForm, gettext_lazy("The issue was acknowledged.")),
    "comment": (CommentForm, gettext_lazy("Your contribution was added to the consultation.")),
    "decide": (DecideForm, gettext_lazy("The decision was recorded; the raising party is asked to confirm.")),
    "confirm": (NoteForm, gettext_lazy("The issue is closed.")),
    "reopen": (ReasonForm, gettext_lazy("The issue was reopened.")),
    "files": (FilesForm, gettext_lazy("The files were added.")),
}


def _run_issue_step(user, step: str, issue: Issue, data: dict) -> None:
    if step == "acknowledge":
        services.issue_acknowledge(actor=user, issue=issue, note=data.get("note", ""))
    elif step == "comment":
        services.issue_comment(actor=user, issue=issue, text=data["text"], kind=data["kind"])
    elif step == "decide":
        services.issue_decide(actor=user, issue=issue, decision=data["decision"], meeting=data.get("meeting"))
    elif step == "confirm":
        services.issue_confirm_closure(actor=user, issue=issue, note=data.get("note", ""))
    elif step == "reopen":
        services.issue_reopen(actor=user, issue=issue, reason=data["reason"])
    else:
        services.issue_attach(actor=user, issue=issue, files=data["files"])


@login_required
@require_POST
def issue_step(request, pk: int, step: str):
    """Run one step of an issue's page; errors come back as messages."""
    if step not in ISSUE_STEPS:
        raise Http404
    issue = get_object_or_404(selectors.issue_list(user=request.user), pk=pk)
    form_class, done = ISSUE_STEPS[step]
    form = form_class(request.POST, request.FILES, issue=issue, user=request.user)
    back = reverse("issue_detail", args=[issue.pk])
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    try:
        _run_issue_step(request.user, step, issue, form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, generic.error_text(exc))
    else:
        messages.success(request, str(done))
    return redirect(back)


# --- officers: deadlines and the daily run -------------------------------------------------------------------


def _chosen_park(request):
    parks = selectors.officer_parks(user=request.user).order_by("code")
    wanted = request.POST.get("park") or request.GET.get("park") or ""
    park = parks.filter(pk=wanted).first() if wanted.isdigit() else parks.first()
    if park is None:
        raise PermissionDenied
    return park, parks


@login_required
def issue_deadlines(request):
    """Acknowledgement and resolution times per severity (officers); issues keep the deadlines they were given."""
    park, parks = _chosen_park(request)
    levels = services.severity_deadlines_for(park)
    form = DeadlinesForm(request.POST or None, levels=levels)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                for value, _label in Severity.choices:
                    ack, resolve = form.cleaned_data[f"{value}_ack"], form.cleaned_data[f"{value}_resolve"]
                    if levels[value] != (ack, resolve):
                        services.severity_deadline_set(
                            actor=request.user, park=park, severity=value, acknowledge_hours=ack, resolve_hours=resolve
                        )
        except ValidationError as exc:
            generic.apply_validation_error(form, exc)
        else:
            messages.success(request, _("The deadlines were saved. Issues raised from now on get them."))
            return redirect(f"{reverse('issue_deadlines')}?park={park.pk}")
    return render(request, "consultation/deadlines.html", {"form": form, "park": park, "parks": parks})


@login_required
@require_POST
def tick_run(request):
    """Run the reminders and the escalation of a park now, in the background."""
    park, _parks = _chosen_park(request)
    job = services.tick_start(actor=request.user, park=park)
    messages.info(request, _("Reminders and escalation are running."))
    return redirect("job_detail", pk=job.pk)
