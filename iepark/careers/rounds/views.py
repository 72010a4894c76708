"""
Pages of matching rounds: the rounds and their workflow, students' lists, the
enterprises' rankings and the results.

Object pages are declared over ``iepark.core.generic_views``; the workflow steps
(open, close, run, publish, cancel), a student's list and an enterprise's
ranking are forms posting to their own views. Every read goes through the
selectors, every write through the services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from iepark.core import generic_views as generic
from iepark.core import policy
from iepark.core.forms import style_form
from iepark.core.policy import Action, Actor
from iepark.core.views import job_context

from ..choices import RoundStatus
from ..models import MatchingRound, RoundMatch, RoundPosition, RoundStudentList
from . import selectors, services, tables
from .display import explanation_lines, report_view
from .filtersets import MatchingRoundFilterSet, RoundMatchFilterSet, RoundPositionFilterSet, RoundStudentListFilterSet
from .forms import MatchingRoundForm, RankingForm, RoundPositionForm, StudentListForm


def in_a_park(actor: Actor) -> bool:
    return bool(actor.grants)


generic.register_menu_items(
    "careers",
    gettext_lazy("Careers"),
    [generic.MenuItem(gettext_lazy("Matching rounds"), "matchinground_list", "shuffle", in_a_park, MatchingRound)],
    weight=30,
)


def _error(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, generic.error_text(exc))


# ---------------------------------------------------------------------------
# Rounds.
# ---------------------------------------------------------------------------


class MatchingRoundMixin:
    model = MatchingRound
    selector = staticmethod(selectors.round_list)


class MatchingRoundListView(MatchingRoundMixin, generic.ObjectListView):
    filterset_class = MatchingRoundFilterSet
    filter_fields = ("q", "status", "cohort_year")
    table_class = tables.MatchingRoundTable


CONFIRMS = {
    "open": gettext_lazy("Open the round and notify its students and enterprises?"),
    "close": gettext_lazy("Close the round to lists?"),
    "publish": gettext_lazy("Publish the results? Every match becomes an offer and everybody is notified."),
    "cancel": gettext_lazy("Cancel this round? This cannot be undone."),
}


def available_steps(matching_round: MatchingRound) -> list[tuple[str, Any, str, str, Any]]:
    """Return the workflow buttons of a round for its manager: (step, label, icon, colour, confirmation)."""
    status = matching_round.status
    running = services.run_in_progress(matching_round)
    steps: list[tuple[str, Any, str, str, Any]] = []
    if status == RoundStatus.DRAFT:
        steps.append(("open", gettext_lazy("Open for lists"), "unlock", "success", CONFIRMS["open"]))
    elif status == RoundStatus.OPEN:
        steps.append(("close", gettext_lazy("Close lists"), "lock", "warning", CONFIRMS["close"]))
    elif status == RoundStatus.CLOSED or (status == RoundStatus.RUNNING and not running):
        steps.append(("run", gettext_lazy("Run the matching"), "play-circle", "primary", ""))
    elif status == RoundStatus.COMPUTED:
        steps.append(("publish", gettext_lazy("Publish results"), "megaphone", "primary", CONFIRMS["publish"]))
        steps.append(("run", gettext_lazy("Run again"), "arrow-repeat", "outline-primary", ""))
    if status not in (RoundStatus.PUBLISHED, RoundStatus.CANCELLED) and not running:
        steps.append(("cancel", gettext_lazy("Cancel round"), "x-octagon", "outline-danger", CONFIRMS["cancel"]))
    return steps


class MatchingRoundTabsMixin:
    """The round's tabs: details, results (once computed, or for its managers) and history."""

    def get_tabs(self, obj):
        user = self.request.user
        tabs = super().get_tabs(obj)
        if not selectors.sees_round_report(user, obj):
            tabs = [tab for tab in tabs if tab[0] != "history"]
        if obj.status in (RoundStatus.COMPUTED, RoundStatus.PUBLISHED) or selectors.manages_round(user, obj):
            tabs.insert(1, ("results", gettext_lazy("Results"), reverse("matchinground_results", args=[obj.pk])))
        return tabs


class MatchingRoundDetailView(MatchingRoundTabsMixin, MatchingRoundMixin, generic.ObjectDetailView):
    detail_fields = tables.ROUND_FIELDS

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        manager = selectors.manages_round(user, obj)
        positions = list(
            selectors.round_position_list(user=user).filter(round=obj).order_by("posting__enterprise__name", "pk")
        )
        hr_orgs = selectors.hr_enterprises(user)
        student = selectors.student_of(user)
        my_list = my_match = None
        if student is not None:
            my_list = selectors.round_student_list_list(user=user).filter(round=obj, student=student).first()
            my_match = selectors.round_match_list(user=user).filter(round=obj, student=student).first()
        by_id = {p.pk: p for p in positions}
        job = obj.job if obj.job_id and policy.can(user, Action.VIEW, obj.job) else None
        context.update(
            {
                "manager": manager,
                "steps": available_steps(obj) if manager else [],
                "positions": positions,
                "my_positions": [p for p in positions if p.posting.enterprise_id in hr_orgs],
                "may_add_position": manager and obj.status in services.POSITION_ADD_STATUSES,
                "position_add_url": reverse("roundposition_create") + f"?round={obj.pk}",
                "student": student,
                "eligible": selectors.is_eligible(student, obj),
                "accepting_lists": obj.status == RoundStatus.OPEN and timezone.now() <= obj.deadline,
                "my_list": my_list,
                "my_list_positions": [by_id.get(pk) for pk in (my_list.preferences if my_list else [])],
                "my_match": my_match,
                "my_explanation": explanation_lines(my_match.explanation, by_id) if my_match else [],
                "list_count": obj.student_lists.count() if manager else None,
                "eligible_count": selectors.eligible_students(obj).count() if manager else None,
                "job": job,
                "stale_run": obj.status == RoundStatus.RUNNING and not services.run_in_progress(obj),
                **(job_context(user, job) if job else {}),
            }
        )
        return context


class MatchingRoundHistoryView(MatchingRoundTabsMixin, MatchingRoundMixin, generic.ObjectHistoryView):
    """The round's audit trail, with its reports: for its managers and the zone's readers."""

    def get_context_data(self, obj):
        if not selectors.sees_round_report(self.request.user, obj):
            raise Http404
        return super().get_context_data(obj)


class MatchingRoundEditView(MatchingRoundMixin, generic.ObjectEditView):
    form_class = MatchingRoundForm

    def get_initial(self):
        return {"cohort_year": selectors.graduating_cohort(timezone.localdate())}

    def create_object(self, form):
        return services.round_create(actor=self.request.user, **form.service_data())

    def update_object(self, obj, form):
        return services.round_update(actor=self.request.user, matching_round=obj, data=form.service_data())


class MatchingRoundDeleteView(MatchingRoundMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.round_delete(actor=self.request.user, matching_round=obj)


@login_required
@require_POST
def round_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Move a round on: open, close, run (in the background), publish or cancel it."""
    actions = {
        "open": (services.round_open, _("The round is open; its students and enterprises were notified.")),
        "close": (services.round_close, _("The round is closed to lists.")),
        "run": (services.round_run, _("The matching is running in the background.")),
        "publish": (services.round_publish, _("The results are published and the offers made.")),
        "cancel": (services.round_cancel, _("The round is cancelled.")),
    }
    if step not in actions:
        raise Http404
    matching_round = get_object_or_404(selectors.round_list(user=request.user), pk=pk)
    service, done = actions[step]
    try:
        service(actor=request.user, matching_round=matching_round)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, done)
    return HttpResponseRedirect(reverse("matchinground_detail", args=[pk]))


class MatchingRoundResultsView(MatchingRoundTabsMixin, MatchingRoundMixin, generic.ObjectDetailView):
    """
    The results of a round: each student's position, choice obtained and, for who may read it, why not higher.

    Managers and the zone's readers see every student and the report with its
    charts; after publication a student sees their own row, a college its
    students' and an enterprise the students matched to its positions.
    """

    template_name = "careers/rounds/results.html"
    active_tab = "results"

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        request = self.request
        matches = selectors.round_match_list(user=user).filter(round=obj)
        filterset = RoundMatchFilterSet(request.GET or None, queryset=matches, request=request)
        generic.restrict_form_querysets(filterset.form, user)
        style_form(filterset.form)
        generic.label_yes_no_filters(filterset.form)
        del filterset.form.fields["round"]
        ordered = filterset.qs.order_by("student__college__name", "student__student_number", "pk")
        page = Paginator(ordered, generic.PAGE_SIZE).get_page(request.GET.get("page"))
        positions = {p.pk: p for p in selectors.round_position_list(user=user).filter(round=obj)}
        report = selectors.sees_round_report(user, obj)
        rows = []
        for match in page.object_list:
            explained = report or selectors.sees_explanation(user, match)
            rows.append((match, explanation_lines(match.explanation, positions) if explained else None))
        context.update(
            {
                "rows": rows,
                "page_obj": page,
                "filter_form": filterset.form,
                "report": report_view(obj) if report else None,
                "unpublished": obj.status != RoundStatus.PUBLISHED,
                "can_change": False,
                "can_delete": False,
            }
        )
        return context


@login_required
def my_list(request: HttpRequest, pk: int) -> HttpResponse:
    """A student's page to rank the round's positions (re-submitting replaces the list)."""
    matching_round = get_object_or_404(selectors.round_list(user=request.user), pk=pk)
    student = selectors.student_of(request.user)
    if student is None:
        raise PermissionDenied
    positions = list(
        selectors.round_position_list(user=request.user)
        .filter(round=matching_round)
        .order_by("posting__enterprise__name", "pk")
    )
    existing = (
        selectors.round_student_list_list(user=request.user).filter(round=matching_round, student=student).first()
    )
    current = existing.preferences if existing else []
    form = StudentListForm(request.POST or None, positions=positions, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.student_list_submit(
                actor=request.user, matching_round=matching_round, student=student, preferences=form.preferences()
            )
        except ValidationError as exc:
            generic.apply_validation_error(form, exc)
        else:
            messages.success(request, _("Your list is saved. You may change it until the deadline."))
            return HttpResponseRedirect(reverse("matchinground_detail", args=[pk]))
    context = {
        "object": matching_round,
        "form": form,
        "existing": existing,
        "eligible": selectors.is_eligible(student, matching_round),
        "accepting": matching_round.status == RoundStatus.OPEN and timezone.now() <= matching_round.deadline,
    }
    return render(request, "careers/rounds/my_list.html", context)


# ---------------------------------------------------------------------------
# Positions and the enterprises' rankings.
# ---------------------------------------------------------------------------


class RoundPositionMixin:
    model = RoundPosition
    selector = staticmethod(selectors.round_position_list)


class RoundPositionListView(RoundPositionMixin, generic.ObjectListView):
    filterset_class = RoundPositionFilterSet
    filter_fields = ("q", "round", "enterprise", "ranked")
    table_class = tables.RoundPositionTable


class RoundPositionDetailView(RoundPositionMixin, generic.ObjectDetailView):
    detail_fields = tables.POSITION_FIELDS

    def get_tabs(self, obj):
        tabs = super().get_tabs(obj)
        if not policy.can(self.request.user, Action.CHANGE, obj):
            tabs = [tab for tab in tabs if tab[0] != "history"]
        return tabs

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        ranks = policy.can(user, Action.CHANGE, obj)
        context.update(
            {
                "may_rank": ranks and obj.round.status in services.RANKING_STATUSES,
                "applicants": selectors.round_position_applicants(user=user, position=obj) if ranks else None,
                "may_change_capacity": selectors.manages_round(user, obj.round)
                and obj.round.status in services.CAPACITY_STATUSES,
            }
        )
        # The enterprise ranks through its own page; only the round's managers edit the seats.
        context["can_change"] = context["can_change"] and context["may_change_capacity"]
        return context


class RoundPositionHistoryView(RoundPositionMixin, generic.ObjectHistoryView):
    """The position's audit trail: it records the enterprise's rankings, so only who ranks it reads it."""

    def get_context_data(self, obj):
        if not policy.can(self.request.user, Action.CHANGE, obj):
            raise Http404
        return super().get_context_data(obj)


class RoundPositionEditView(RoundPositionMixin, generic.ObjectEditView):
    form_class = RoundPositionForm

    def get_object_for(self, pk, action):
        position = super().get_object_for(pk, action)
        if not selectors.manages_round(self.request.user, position.round):
            raise PermissionDenied  # the enterprise ranks on its own page; the seats are the round's
        return position

    def get_initial(self):
        chosen = self.request.GET.get("round", "")
        return {"round": chosen} if chosen.isdigit() else {}

    def create_object(self, form):
        data = form.service_data()
        return services.round_position_add(
            actor=self.request.user, matching_round=data["round"], posting=data["posting"], capacity=data["capacity"]
        )

    def update_object(self, obj, form):
        return services.round_position_update(actor=self.request.user, position=obj, data=form.service_data())

    def get_success_url(self, obj):
        return generic.safe_return_url(self.request, reverse("matchinground_detail", args=[obj.round_id]))


class RoundPositionDeleteView(RoundPositionMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.round_position_delete(actor=self.request.user, position=obj)


@login_required
def position_rank(request: HttpRequest, pk: int) -> HttpResponse:
    """An enterprise's page to rank the students who listed one of its positions."""
    position = get_object_or_404(selectors.round_position_list(user=request.user), pk=pk)
    applicants = selectors.round_position_applicants(user=request.user, position=position)
    form = RankingForm(request.POST or None, applicants=applicants)
    if request.method == "POST" and form.is_valid():
        try:
            ranking = services.ranking_from_ranks(form.ranks())
            services.position_ranking_submit(actor=request.user, position=position, ranking=ranking)
        except ValidationError as exc:
            generic.apply_validation_error(form, exc)
        else:
            messages.success(request, _("The ranking is saved. You may change it until the round is run."))
            return HttpResponseRedirect(reverse("roundposition_detail", args=[pk]))
    context = {
        "object": position,
        "form": form,
        "open_for_ranking": position.round.status in services.RANKING_STATUSES,
        "unranked": sum(1 for a in applicants if a.rank is None),
    }
    return render(request, "careers/rounds/rank.html", context)


# ---------------------------------------------------------------------------
# Students' lists and the results.
# ---------------------------------------------------------------------------


class RoundStudentListMixin:
    model = RoundStudentList
    selector = staticmethod(selectors.round_student_list_list)


class RoundStudentListListView(RoundStudentListMixin, generic.ObjectListView):
    filterset_class = RoundStudentListFilterSet
    filter_fields = ("q", "round", "college")
    table_class = tables.RoundStudentListTable


class RoundStudentListDetailView(RoundStudentListMixin, generic.ObjectDetailView):
    detail_fields = tables.LIST_FIELDS

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        positions = {p.pk: p for p in selectors.round_position_list(user=self.request.user).filter(round=obj.round_id)}
        context["ranked"] = [positions.get(pk) for pk in obj.preferences or []]
        context["can_change"] = False  # a student changes their list on the round's page
        return context


class RoundStudentListHistoryView(RoundStudentListMixin, generic.ObjectHistoryView):
    pass


class RoundMatchMixin:
    model = RoundMatch
    selector = staticmethod(selectors.round_match_list)


class RoundMatchListView(RoundMatchMixin, generic.ObjectListView):
    filterset_class = RoundMatchFilterSet
    filter_fields = ("q", "round", "college", "matched")
    table_class = tables.RoundMatchTable


class RoundMatchDetailView(RoundMatchMixin, generic.ObjectDetailView):
    detail_fields = tables.MATCH_FIELDS

    def get_tabs(self, obj):
        return [("details", gettext_lazy("Details"), self.object_page(obj, "detail"))]

    def get_context_data(self, obj: Any):
        context = super().get_context_data(obj)
        explained = selectors.sees_explanation(self.request.user, obj)
        positions = {p.pk: p for p in selectors.round_position_list(user=self.request.user).filter(round=obj.round_id)}
        context["explanation"] = explanation_lines(obj.explanation, positions) if explained else None
        return context
