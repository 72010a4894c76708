"""
Pages of attendance, over the generic views where they fit: they read through selectors and write
through services, like the API (``api.py``).

Teachers: "Take attendance" (their lectures of the week, today's first; a roster page made for a phone).
Students: "My attendance" (records and rates per course) and their leave requests. Student managers and
college administrators: rates per cohort and per course, the students under the threshold (Excel), and
the leave requests to decide. The park's teaching administrators set the threshold.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from iepark.core import generic_views as generic
from iepark.core import policy
from iepark.core.policy import Actor
from iepark.core.views import register_home_card
from iepark.teaching.models import Cohort, Course, Term
from iepark.teaching.policy import runs_teaching

from . import selectors, services, tables
from .choices import LEAVE_BADGES, STATUS_BADGES, AttendanceStatus, LeaveStatus
from .filtersets import AttendanceSessionFilterSet, LeaveRequestFilterSet
from .forms import DecisionForm, LeaveRequestForm, RatesFilterForm, ThresholdForm
from .models import AttendanceSession, LeaveRequest
from .policy import COLLEGE_WATCH_ROLES, reads_park, sees_rates, teaches, watches_college


def _is_student(actor: Actor) -> bool:
    from iepark.core.choices import Role

    return Role.STUDENT in actor.roles


def _leave_visible(actor: Actor) -> bool:
    return _is_student(actor) or watches_college(actor) or reads_park(actor)


generic.register_menu_items(
    "teaching",
    gettext_lazy("Teaching"),
    [
        generic.MenuItem(gettext_lazy("Take attendance"), "attendance_sessions", "person-check", teaches),
        generic.MenuItem(gettext_lazy("My attendance"), "attendance_mine", "person-check", _is_student),
        generic.MenuItem(gettext_lazy("Attendance rates"), "attendance_rates", "graph-up", sees_rates),
        generic.MenuItem(gettext_lazy("Leave requests"), "leaverequest_list", "envelope-paper", _leave_visible),
    ],
)


def _pending_leave(*, user):
    return selectors.leave_list(user=user).filter(status=LeaveStatus.PENDING)


def _decides_leave(actor: Actor) -> bool:
    return bool(actor.orgs(COLLEGE_WATCH_ROLES))


register_home_card(
    gettext_lazy("Leave requests to decide"), "envelope-paper", "leaverequest_list", _decides_leave, _pending_leave
)


def _parse_date(value: str | None, default: datetime.date | None = None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else default
    except ValueError:
        return default


# --- the teacher's lectures ----------------------------------------------------------------------------------


@login_required
def sessions(request):
    """The teacher's lectures of a week (this week by default), today's first; those not taken yet stand out."""
    actor = policy.actor_for(request.user)
    if not (actor.is_superuser or teaches(actor)):
        raise PermissionDenied
    today = timezone.localdate()
    day = _parse_date(request.GET.get("week"), today)
    monday = day - datetime.timedelta(days=day.weekday())
    sunday = monday + datetime.timedelta(days=6)
    slots = selectors.teacher_slots(user=request.user, start=monday, end=sunday)
    days = []
    for offset in range(7):
        date = monday + datetime.timedelta(days=offset)
        lines = [s for s in slots if s.date == date]
        if lines:
            days.append((date, lines))
    return render(
        request,
        "attendance/sessions.html",
        {
            "today": today,
            "today_slots": [s for s in slots if s.date == today],
            "days": days,
            "monday": monday,
            "sunday": sunday,
            "previous_week": (monday - datetime.timedelta(days=7)).isoformat(),
            "next_week": (monday + datetime.timedelta(days=7)).isoformat(),
            "untaken": sum(1 for s in slots if not s.taken and s.date <= today),
        },
    )


@login_required
def take(request, entry: int, date: str):
    """A lecture's roster on a date: everyone preset (present, or excused under approved leave); save all at once."""
    entry_obj = selectors.taught_entries(user=request.user).filter(pk=entry).first()
    if entry_obj is None:
        raise Http404
    day = _parse_date(date)
    error = None
    session = None
    lines: list[Any] = []
    if day is None:
        error = _("“%(date)s” is not a date (YYYY-MM-DD).") % {"date": date}
    else:
        try:
            services.check_slot(entry_obj, day)
        except ValidationError as exc:
            error = generic.error_text(exc)
    if error is None:
        session = selectors.session_list(user=request.user).filter(entry=entry_obj, date=day).first()
        if request.method == "POST":
            marks = [
                {
                    "student": key.removeprefix("status_"),
                    "status": request.POST.get(key),
                    "note": request.POST.get("note_" + key.removeprefix("status_"), ""),
                }
                for key in request.POST
                if key.startswith("status_")
            ]
            try:
                services.attendance_take(actor=request.user, entry=entry_obj, date=day, marks=marks)
            except ValidationError as exc:
                error = generic.error_text(exc)
            else:
                messages.success(
                    request,
                    _("Attendance of %(course)s on %(date)s saved.")
                    % {"course": entry_obj.course, "date": day.isoformat()},
                )
                return redirect(f"{reverse('attendance_sessions')}?week={day.isoformat()}")
        lines = selectors.roster(entry_obj, day, session)
        if request.method == "POST":  # show what was sent, with the error
            for line in lines:
                sent = request.POST.get(f"status_{line.student.pk}")
                if sent:
                    line.status = sent
                    line.note = request.POST.get(f"note_{line.student.pk}", "")
    start = end = None
    if day is not None and entry_obj.period <= entry_obj.run.term.periods_per_day:
        start, end = entry_obj.run.term.period_span(entry_obj.period)
    return render(
        request,
        "attendance/take.html",
        {
            "entry": entry_obj,
            "date": day,
            "start": start,
            "end": end,
            "session": session,
            "lines": lines,
            "error": error,
            "statuses": AttendanceStatus.choices,
            "badges": STATUS_BADGES,
        },
        status=400 if error and request.method == "POST" else 200,
    )


class AttendanceSessionMixin:
    model = AttendanceSession
    selector = staticmethod(selectors.session_list)


class AttendanceSessionListView(AttendanceSessionMixin, generic.ObjectListView):
    filterset_class = AttendanceSessionFilterSet
    table_class = tables.AttendanceSessionTable


class AttendanceSessionDetailView(AttendanceSessionMixin, generic.ObjectDetailView):
    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        context["records"] = list(selectors.record_list(user=self.request.user).filter(session=obj))
        context["badges"] = STATUS_BADGES
        context["can_correct"] = policy.can(self.request.user, policy.Action.CHANGE, obj)
        context["take_url"] = reverse("attendance_take", args=[obj.entry_id, obj.date.isoformat()])
        return context


class AttendanceSessionHistoryView(AttendanceSessionMixin, generic.ObjectHistoryView):
    pass


# --- students ----------------------------------------------------------------------------------------------------


@login_required
def mine(request):
    """The student's own records and rate per course."""
    actor = policy.actor_for(request.user)
    rows = selectors.rates(user=request.user, group="course", student_person_id=actor.person_id or -1)
    return render(
        request,
        "attendance/mine.html",
        {
            "rows": rows,
            "total": selectors.totals(rows),
            "records": selectors.my_records(user=request.user, limit=200),
            "badges": STATUS_BADGES,
            "leave": list(
                selectors.leave_list(user=request.user).filter(student__person_id=actor.person_id or -1)[:20]
            ),
            "leave_badges": LEAVE_BADGES,
        },
    )


# --- rates ---------------------------------------------------------------------------------------------------------


def _rates_context(request) -> dict[str, Any]:
    actor = policy.actor_for(request.user)
    if not sees_rates(actor):
        raise PermissionDenied
    user = request.user
    terms = policy.restrict(Term.objects.select_related("park"), user).order_by("-start_date", "pk")
    cohorts = policy.restrict(Cohort.objects.all(), user).order_by("name", "pk")
    courses = policy.restrict(Course.objects.all(), user).order_by("code", "pk")
    form = RatesFilterForm(request.GET or None, user=user, terms=terms, cohorts=cohorts, courses=courses)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    term = data.get("term") or selectors.current_term(user=user)
    park_id = term.park_id if term else next(iter(actor.parks()), None)
    park_threshold = selectors.threshold_for(park_id)
    threshold = data.get("threshold") or park_threshold
    filters = {
        "term": term,
        "cohort": data.get("cohort"),
        "course": data.get("course"),
        "since": data.get("since"),
        "until": data.get("until"),
    }
    by_cohort = selectors.rates(user=user, group="cohort", **filters)
    by_course = selectors.rates(user=user, group="course", **filters)
    below = selectors.under_threshold(user=user, threshold=threshold, **filters)
    return {
        "form": form,
        "term": term,
        "threshold": threshold,
        "park_threshold": park_threshold,
        "by_cohort": by_cohort,
        "by_course": by_course,
        "total": selectors.totals(by_cohort),
        "below": below,
        "may_set_threshold": park_id is not None and runs_teaching(actor, park_id),
        "park_id": park_id,
    }


@login_required
def rates(request):
    """Rates per cohort and per course, and the students under the threshold, of the records the user sees."""
    context = _rates_context(request)
    query = request.GET.copy()
    if context["term"] is not None:
        query["term"] = context["term"].pk
    context["export_url"] = reverse("attendance_rates_export") + "?" + query.urlencode()
    return render(request, "attendance/rates.html", context)


@login_required
def rates_export(request):
    """Download the rates and the students under the threshold as an Excel workbook (three sheets)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    context = _rates_context(request)
    book = Workbook()
    counts = [_("Present"), _("Late"), _("Absent"), _("Excused"), _("Counted"), _("Rate (%)")]

    def sheet(ws, title, head, rows, cells):
        ws.title = str(title)[:31]
        ws.append([str(h) for h in head])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(
                [*cells(row), row["present"], row["late"], row["absent"], row["excused"], row["counted"], row["rate"]]
            )
        ws.freeze_panes = "A2"
        ws.column_dimensions["A"].width = 18
        ws.column_dimensions["B"].width = 30

    sheet(
        book.active,
        _("Under %(n)s%%") % {"n": context["threshold"]},
        [_("Student number"), _("Name"), _("College"), *counts],
        context["below"],
        lambda r: [r["student__student_number"], r["student__person__name"], r["student__college__name"]],
    )
    sheet(
        book.create_sheet(),
        _("By cohort"),
        [pgettext("teaching", "Cohort"), _("College"), *counts],
        context["by_cohort"],
        lambda r: [r["cohort__name"], r["cohort__college__name"]],
    )
    sheet(
        book.create_sheet(),
        _("By course"),
        [_("Code"), _("Course"), *counts],
        context["by_course"],
        lambda r: [r["session__course__code"], r["session__course__name"]],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="attendance-{stamp}.xlsx"'
    return response


@login_required
def threshold_settings(request):
    """The park's attendance threshold (its teaching administrators)."""
    actor = policy.actor_for(request.user)
    parks = [p for p in selectors.parks_of(user=request.user) if runs_teaching(actor, p.pk)]
    if not parks:
        raise PermissionDenied
    park = next((p for p in parks if str(p.pk) == request.GET.get("park", "")), parks[0])
    form = ThresholdForm(request.POST or None, initial={"threshold": selectors.threshold_for(park)})
    if request.method == "POST" and form.is_valid():
        try:
            services.threshold_set(actor=request.user, park=park, threshold=form.cleaned_data["threshold"])
        except ValidationError as exc:
            generic.apply_validation_error(form, exc)
        else:
            messages.success(request, _("The attendance threshold of %(park)s is saved.") % {"park": park})
            return redirect("attendance_rates")
    return render(
        request, "teaching/form_page.html", {"form": form, "title": _("Attendance threshold"), "object": park}
    )


# --- leave requests ---------------------------------------------------------------------------------------------------


class LeaveRequestMixin:
    model = LeaveRequest
    selector = staticmethod(selectors.leave_list)


class LeaveRequestListView(LeaveRequestMixin, generic.ObjectListView):
    filterset_class = LeaveRequestFilterSet
    table_class = tables.LeaveRequestTable

    def extra_context(self):
        return {"quick_filters": [(_("Pending"), "status=pending"), (_("Approved"), "status=approved")]}


class LeaveRequestEditView(LeaveRequestMixin, generic.ObjectEditView):
    form_class = LeaveRequestForm
    only = "create"
    template_name = "attendance/leaverequest_edit.html"

    def get_form(self, obj, data=None):
        return LeaveRequestForm(data, self.request.FILES or None, user=self.request.user, initial=self.get_initial())

    def create_object(self, form):
        data = form.service_data()
        return services.leave_request_create(actor=self.request.user, **data)


class LeaveRequestDetailView(LeaveRequestMixin, generic.ObjectDetailView):
    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        pending = obj.status == LeaveStatus.PENDING
        context.update(
            {
                "leave": obj,
                "badge": LEAVE_BADGES.get(obj.status, "secondary"),
                "may_decide": pending and services.may_decide(user, obj),
                "may_withdraw": services.may_withdraw(user, obj),
                "decision_form": DecisionForm(),
                "excused": list(
                    selectors.record_list(user=user)
                    .filter(leave=obj)
                    .order_by("session__date", "session__period")[:100]
                ),
            }
        )
        return context


class LeaveRequestHistoryView(LeaveRequestMixin, generic.ObjectHistoryView):
    pass


LEAVE_STEPS = {"approve", "reject", "withdraw"}


@login_required
@require_POST
def leave_step(request, pk: int, step: str):
    """Approve, reject (with a note) or withdraw a request."""
    if step not in LEAVE_STEPS:
        raise Http404
    leave = selectors.leave_list(user=request.user).filter(pk=pk).first()
    if leave is None:
        raise Http404
    note = request.POST.get("note", "")
    try:
        if step == "approve":
            services.leave_approve(actor=request.user, leave=leave, note=note)
            messages.success(request, _("The leave request is approved; the lectures it covers are excused."))
        elif step == "reject":
            services.leave_reject(actor=request.user, leave=leave, note=note)
            messages.success(request, _("The leave request is rejected."))
        else:
            services.leave_withdraw(actor=request.user, leave=leave)
            messages.success(request, _("The leave request is withdrawn."))
    except ValidationError as exc:
        messages.error(request, generic.error_text(exc))
    return redirect("leaverequest_detail", pk=leave.pk)
