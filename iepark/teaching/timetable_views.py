"""Pages of timetabling runs: start a run from a term, follow its progress, see the week grids, publish."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from iepark.core import generic_views as generic
from iepark.core import policy
from iepark.core import tables as core_tables
from iepark.core.policy import Action
from iepark.core.views import job_context

from . import selectors, services, tables
from .choices import DayOfWeek, TimetableStatus
from .filtersets import TimetableRunFilterSet
from .forms import TimetableStartForm
from .models import TimetableRun
from .timetable_explain import explain_run

GRID_KINDS = ("cohort", "teacher", "room")


def cost_labels() -> dict[str, str]:
    """Translated names of the engine's cost components (its breakdown uses the validator's names)."""
    return {
        "Lectures": _("Lectures not scheduled"),
        "Conflicts": _("Cohort or teacher clashes"),
        "Availability": _("Unavailable times used"),
        "RoomOccupation": _("Rooms used twice"),
        "RoomSuitability": _("Unsuitable rooms"),
        "RoomCapacity": _("Room capacity (students over the seats)"),
        "MinWorkingDays": _("Minimum working days (×5 per missing day)"),
        "IsolatedLectures": _("Isolated lectures (×2)"),
        "RoomStability": _("Room stability (rooms beyond the first)"),
    }


class TimetableRunMixin:
    model = TimetableRun
    selector = staticmethod(selectors.timetable_run_list)


class TimetableRunListView(TimetableRunMixin, generic.ObjectListView):
    filterset_class = TimetableRunFilterSet
    filter_fields = ("term", "status")
    table_class = tables.TimetableRunTable


class TimetableRunDetailView(TimetableRunMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("term", linkify="term"),
        core_tables.ChoiceColumn("status"),
        core_tables.Column("seconds"),
        core_tables.Column("seed"),
        core_tables.Column("hard_violations"),
        core_tables.Column("soft_cost"),
        core_tables.Column("created_by"),
        core_tables.DateTimeColumn("created_at"),
        core_tables.DateTimeColumn("finished_at"),
        core_tables.DateTimeColumn("published_at"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        cost = obj.cost or {}
        labels = cost_labels()
        context.update(
            {
                "colleges": list(obj.colleges.all()),
                "hard": [(labels.get(k, k), v) for k, v in (cost.get("hard") or {}).items()],
                "soft": [(labels.get(k, k), v) for k, v in (cost.get("soft") or {}).items()],
                "can_copy": obj.status in (TimetableStatus.DRAFT, TimetableStatus.PUBLISHED)
                and policy.can(self.request.user, Action.CHANGE, obj),
                "can_publish": obj.status == TimetableStatus.DRAFT
                and not obj.hard_violations
                and policy.can(self.request.user, Action.CHANGE, obj),
                "has_grid": obj.status in (TimetableStatus.DRAFT, TimetableStatus.PUBLISHED),
                **(job_context(self.request.user, obj.job) if obj.job and not obj.job.is_finished else {}),
            }
        )
        return context


class TimetableRunHistoryView(TimetableRunMixin, generic.ObjectHistoryView):
    pass


@login_required
def term_timetable_start(request, pk: int):
    """Start a timetabling run of a term (scope colleges, time limit, seed)."""
    term = get_object_or_404(selectors.term_list(user=request.user), pk=pk)
    if not policy.can_add(request.user, TimetableRun(term=term)):
        raise PermissionDenied
    form = TimetableStartForm(request.POST or None, term=term)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.timetable_start(
                actor=request.user,
                term=term,
                colleges=form.cleaned_data["colleges"],
                seconds=form.cleaned_data["seconds"],
                seed=form.cleaned_data["seed"],
            )
        except ValidationError as exc:
            generic.apply_validation_error(form, exc)
        else:
            messages.success(request, _("The timetabling run has started."))
            return redirect("timetablerun_detail", pk=run.pk)
    return render(request, "teaching/form_page.html", {"form": form, "object": term, "title": _("Make a timetable")})


@login_required
@require_POST
def timetable_publish(request, pk: int):
    run = get_object_or_404(selectors.timetable_run_list(user=request.user), pk=pk)
    if not policy.can(request.user, Action.CHANGE, run):
        raise PermissionDenied
    try:
        services.timetable_publish(actor=request.user, run=run)
    except ValidationError as exc:
        messages.error(request, generic.error_text(exc))
    else:
        messages.success(request, _("The timetable is published."))
    return redirect("timetablerun_detail", pk=run.pk)


def _grid_choices(entries: list[Any], kind: str) -> list[tuple[int, str]]:
    seen: dict[int, str] = {}
    for e in entries:
        if kind == "room":
            seen.setdefault(e.room.pk, str(e.room))
        for item in (
            e.course.cohorts.all() if kind == "cohort" else e.course.teachers.all() if kind == "teacher" else ()
        ):
            seen.setdefault(item.pk, str(item))
    return sorted(seen.items(), key=lambda kv: kv[1])


@login_required
def timetable_grid(request, pk: int):
    """The week grid (days × periods) of a run for one cohort, teacher or room."""
    run = get_object_or_404(selectors.timetable_run_list(user=request.user).select_related("term"), pk=pk)
    kind = request.GET.get("by") if request.GET.get("by") in GRID_KINDS else "cohort"
    entries = list(
        selectors.timetable_entry_list(user=request.user)
        .filter(run=run)
        .select_related("course", "room")
        .prefetch_related("course__cohorts", "course__teachers__person")
    )
    explanation = explain_run(run, entries)
    notes = explanation.notes()
    for e in entries:
        e.note = notes[e.pk]
    choices = _grid_choices(entries, kind)
    try:
        chosen = int(request.GET.get("id") or (choices[0][0] if choices else 0))
    except ValueError:
        chosen = 0

    def shown(e) -> bool:
        if kind == "room":
            return e.room_id == chosen
        related = e.course.cohorts.all() if kind == "cohort" else e.course.teachers.all()
        return any(item.pk == chosen for item in related)

    term = run.term
    cells: dict[tuple[int, int], list[Any]] = {}
    for e in entries:
        if shown(e):
            cells.setdefault((e.day_of_week, e.period), []).append(e)
    days = [DayOfWeek(d).label for d in range(term.days_per_week)]
    spans = term.period_spans()
    rows = [
        {"period": p, "span": spans[p - 1], "cells": [cells.get((d, p), []) for d in range(term.days_per_week)]}
        for p in range(1, term.periods_per_day + 1)
    ]
    shown_entries = [e for row in rows for cell in row["cells"] for e in cell]
    return render(
        request,
        "teaching/timetable_grid.html",
        {
            "run": run,
            "kind": kind,
            "kinds": [("cohort", pgettext("teaching", "Cohort")), ("teacher", _("Teacher")), ("room", _("Room"))],
            "choices": choices,
            "chosen": chosen,
            "days": days,
            "rows": rows,
            "rooms_count": len(explanation.built.rooms),
            "can_move": run.status == TimetableStatus.DRAFT and policy.can(request.user, Action.CHANGE, run),
            "penalised": [e for e in shown_entries if e.note.penalties or e.note.problems],
            "shown_cost": sum(e.note.cost for e in shown_entries),
        },
    )


@login_required
@require_POST
def timetable_copy(request, pk: int):
    """Copy a timetable into a new draft, to change it by hand."""
    run = get_object_or_404(selectors.timetable_run_list(user=request.user), pk=pk)
    if not policy.can(request.user, Action.CHANGE, run):
        raise PermissionDenied
    try:
        copy = services.timetable_copy(actor=request.user, run=run)
    except ValidationError as exc:
        messages.error(request, generic.error_text(exc))
        return redirect("timetablerun_detail", pk=run.pk)
    messages.success(request, _("A new draft copies this timetable: move its lectures, then publish it."))
    return redirect("timetablerun_detail", pk=copy.pk)


def _int(value: Any, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
def timetable_entry_move(request, pk: int):
    """
    Move one lecture of a draft: the week of the chosen room, each slot either free (with the
    change of cost a move there makes) or refused with the exact reasons; a click moves it.
    """
    entry = get_object_or_404(
        selectors.timetable_entry_list(user=request.user).select_related("run__term", "course", "room"), pk=pk
    )
    run = entry.run
    if not policy.can(request.user, Action.CHANGE, run):
        raise PermissionDenied
    term = run.term
    explanation = explain_run(run)
    rooms = sorted(explanation.built.rooms.values(), key=lambda r: (r.building, r.number))
    data = request.POST if request.method == "POST" else request.GET
    room = next((r for r in rooms if r.pk == _int(data.get("room"))), None) or entry.room
    errors: list[str] = []
    if request.method == "POST":
        day, period = _int(request.POST.get("day"), -1), _int(request.POST.get("period"), -1)
        try:
            services.timetable_entry_move(actor=request.user, entry=entry, day_of_week=day, period=period, room=room)
        except ValidationError as exc:
            errors = list(exc.messages)
        else:
            messages.success(
                request,
                _("%(course)s moved to %(day)s, period %(period)s, %(room)s.")
                % {"course": entry.course, "day": DayOfWeek(day).label, "period": period, "room": room},
            )
            return redirect(f"{reverse('timetablerun_grid', args=[run.pk])}?by=room&id={room.pk}")
        explanation = explain_run(TimetableRun.objects.select_related("term").get(pk=run.pk))
        entry = next((e for e in explanation.entries if e.pk == entry.pk), entry)
    note = explanation.notes().get(entry.pk)
    spans = term.period_spans()
    rows = []
    for period in range(1, term.periods_per_day + 1):
        cells = []
        for day in range(term.days_per_week):
            here = (day, period, room.pk) == (entry.day_of_week, entry.period, entry.room_id)
            refusals, delta = ([], None) if here else explanation.check_move(entry, day, period, room)
            cells.append({"day": day, "here": here, "refusals": refusals, "delta": delta})
        rows.append({"period": period, "span": spans[period - 1], "cells": cells})
    return render(
        request,
        "teaching/timetable_move.html",
        {
            "run": run,
            "entry": entry,
            "note": note,
            "room": room,
            "rooms": rooms,
            "days": [DayOfWeek(d).label for d in range(term.days_per_week)],
            "rows": rows,
            "errors": errors,
            "editable": run.status == TimetableStatus.DRAFT,
        },
    )
