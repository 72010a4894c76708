"""Pages of timetabling runs: start a run from a term, follow its progress, see the week grids, publish."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
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
from .models import Room, TimetableRun

GRID_KINDS = ("cohort", "teacher", "room")


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
        context.update(
            {
                "colleges": list(obj.colleges.all()),
                "hard": list((cost.get("hard") or {}).items()),
                "soft": list((cost.get("soft") or {}).items()),
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
    rows = [
        {"period": p, "cells": [cells.get((d, p), []) for d in range(term.days_per_week)]}
        for p in range(1, term.periods_per_day + 1)
    ]
    return render(
        request,
        "teaching/timetable_grid.html",
        {
            "run": run,
            "kind": kind,
            "kinds": [("cohort", _("Cohort")), ("teacher", _("Teacher")), ("room", _("Room"))],
            "choices": choices,
            "chosen": chosen,
            "days": days,
            "rows": rows,
            "rooms_count": Room.objects.filter(park_id=term.park_id, is_active=True).count(),
        },
    )
