"""
Pages of satisfaction surveys, over the generic views: they read through selectors
and write through services, like the API (``api.py``).

Owners: the survey list, a survey's page with its question editor (htmx), open and
close, its results with charts and the Excel export. Respondents: "My surveys" and
the answering form (phones first). Everybody who reads results: satisfaction over time.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from iepark.core import generic_views as generic
from iepark.core import policy
from iepark.core import tables as core_tables
from iepark.core.models import Park
from iepark.core.policy import Action, Actor

from . import selectors, services, tables
from .choices import ServiceArea
from .filtersets import SurveyFilterSet
from .forms import AnswerForm, QuestionForm, SurveyForm
from .models import Question, Survey
from .policy import reads_survey_results, sees_results


def is_invitable(actor: Actor) -> bool:
    return bool(actor.person_id)


generic.register_menu_items(
    "operations",
    gettext_lazy("Operations"),
    [
        generic.MenuItem(gettext_lazy("Surveys"), "survey_list", "clipboard-check", reads_survey_results, Survey),
        generic.MenuItem(gettext_lazy("Satisfaction"), "survey_satisfaction", "graph-up", reads_survey_results),
        generic.MenuItem(gettext_lazy("My surveys"), "my_surveys", "ui-radios", is_invitable),
    ],
    weight=35,
)


class SurveyMixin:
    model = Survey
    selector = staticmethod(selectors.survey_list)


class SurveyListView(SurveyMixin, generic.ObjectListView):
    filterset_class = SurveyFilterSet
    filter_fields = ("q", "status", "area")
    table_class = tables.SurveyTable

    def get_queryset(self):
        # The list is the owners' and park administrators' (respondents use "My surveys").
        return selectors.results_survey_list(user=self.request.user)


SURVEY_FIELDS = [
    core_tables.Column("owner"),
    core_tables.ChoiceColumn("status"),
    core_tables.BooleanColumn("anonymous"),
    core_tables.DateColumn("opens_on"),
    core_tables.DateColumn("closes_on"),
    core_tables.ChoiceColumn("area", as_badge=False),
    core_tables.Column("service_point"),
    core_tables.ChoiceColumn("audience", as_badge=False),
    core_tables.Column("audience_college"),
    core_tables.Column("audience_major"),
    core_tables.Column("audience_cohort_year"),
    core_tables.Column("audience_building"),
    core_tables.Column("introduction"),
]


def _questions_context(request, survey: Survey, form: QuestionForm | None = None) -> dict:
    editable = survey.is_draft and policy.can(request.user, Action.CHANGE, survey)
    return {
        "survey": survey,
        "questions": list(survey.questions.order_by("position", "pk")),
        "editable": editable,
        "question_form": form or (QuestionForm(user=request.user) if editable else None),
    }


class SurveyDetailView(SurveyMixin, generic.ObjectDetailView):
    detail_fields = SURVEY_FIELDS

    def get(self, request, pk):
        obj = self.get_object(pk)
        if not sees_results(request.user, obj):
            # An invited person answers on "My surveys"; the owners' page is not theirs.
            return redirect("survey_answer", pk=obj.pk)
        return self.render(self.get_context_data(obj))

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        can_change = policy.can(self.request.user, Action.CHANGE, obj)
        context.update(_questions_context(self.request, obj))
        context.update(
            {
                "can_change": can_change and obj.status != "closed",
                "can_delete": can_change and obj.is_draft,
                "can_open": can_change and obj.is_draft,
                "can_close": can_change and obj.status == "open",
            }
        )
        return context


class SurveyHistoryView(SurveyMixin, generic.ObjectHistoryView):
    pass


class SurveyEditView(SurveyMixin, generic.ObjectEditView):
    form_class = SurveyForm

    def create_object(self, form):
        data = form.service_data()
        return services.survey_create(actor=self.request.user, owner=data.pop("owner"), **data)

    def update_object(self, obj, form):
        return services.survey_update(actor=self.request.user, survey=obj, data=form.service_data())


class SurveyDeleteView(SurveyMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.survey_delete(actor=self.request.user, survey=obj)


def _survey_for_change(request, pk: int) -> Survey:
    survey = get_object_or_404(selectors.survey_list(user=request.user), pk=pk)
    if not policy.can(request.user, Action.CHANGE, survey):
        raise PermissionDenied
    return survey


@login_required
@require_POST
def survey_open(request, pk: int):
    """Open a draft survey (its questions freeze and its audience is invited)."""
    survey = _survey_for_change(request, pk)
    try:
        survey = services.survey_open(actor=request.user, survey=survey)
    except ValidationError as exc:
        messages.error(request, generic.error_text(exc))
    else:
        messages.success(request, _("The survey is open: %(count)s people invited.") % {"count": survey.invited_count})
    return redirect("survey_detail", pk=pk)


@login_required
@require_POST
def survey_close(request, pk: int):
    """Close an open survey."""
    survey = _survey_for_change(request, pk)
    try:
        services.survey_close(actor=request.user, survey=survey)
    except ValidationError as exc:
        messages.error(request, generic.error_text(exc))
    else:
        messages.success(request, _("The survey is closed."))
    return redirect("survey_detail", pk=pk)


# --- the question editor ---------------------------------------------------------------------------


def _questions_response(request, survey: Survey, form: QuestionForm | None = None):
    """Answer an htmx request with the editor alone, others with a redirect to the survey's page."""
    if getattr(request, "htmx", False):
        survey.refresh_from_db()
        return render(request, "surveys/includes/questions.html", _questions_context(request, survey, form))
    if form is not None and form.errors:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("survey_detail", pk=survey.pk)


def _question_for_change(request, pk: int) -> Question:
    question = get_object_or_404(selectors.question_list(user=request.user), pk=pk)
    if not policy.can(request.user, Action.CHANGE, question):
        raise PermissionDenied
    return question


@login_required
@require_POST
def question_add(request, pk: int):
    survey = _survey_for_change(request, pk)
    form = QuestionForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.question_create(actor=request.user, survey=survey, **form.service_data())
        except ValidationError as exc:
            generic.apply_validation_error(form, exc)
        else:
            return _questions_response(request, survey)
    # htmx swaps only successful answers: the form comes back with its errors as a 200.
    return _questions_response(request, survey, form)


@login_required
def question_edit(request, pk: int):
    question = _question_for_change(request, pk)
    form = QuestionForm(request.POST or None, user=request.user, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(actor=request.user, question=question, data=form.service_data())
        except ValidationError as exc:
            generic.apply_validation_error(form, exc)
        else:
            messages.success(request, _("Question saved."))
            return redirect("survey_detail", pk=question.survey_id)
    return render(
        request, "surveys/question_edit.html", {"form": form, "question": question, "survey": question.survey}
    )


@login_required
@require_POST
def question_delete(request, pk: int):
    question = _question_for_change(request, pk)
    survey = question.survey
    try:
        services.question_delete(actor=request.user, question=question)
    except ValidationError as exc:
        messages.error(request, generic.error_text(exc))
    return _questions_response(request, survey)


@login_required
@require_POST
def question_move(request, pk: int, direction: str):
    if direction not in ("up", "down"):
        raise Http404
    question = _question_for_change(request, pk)
    try:
        services.question_move(actor=request.user, question=question, offset=-1 if direction == "up" else 1)
    except ValidationError as exc:
        messages.error(request, generic.error_text(exc))
    return _questions_response(request, question.survey)


# --- results ---------------------------------------------------------------------------------------


def _results_survey(request, pk: int) -> Survey:
    survey = get_object_or_404(selectors.results_survey_list(user=request.user), pk=pk)
    return survey


@login_required
def survey_results(request, pk: int):
    """Response rate, per-question charts and numbers, texts; respondents of a named survey."""
    survey = _results_survey(request, pk)
    results = selectors.survey_results(user=request.user, survey=survey)
    charts = [
        {
            "id": q["id"],
            "kind": q["kind"],
            "labels": ["1", "2", "3", "4", "5"]
            if q["distribution"] is not None
            else [o["option"] for o in q["options"] or []],
            "values": q["distribution"] if q["distribution"] is not None else [o["count"] for o in q["options"] or []],
        }
        for q in results["questions"]
        if q["distribution"] is not None or q["options"] is not None
    ]
    return render(request, "surveys/survey_results.html", {"object": survey, "results": results, "charts": charts})


@login_required
def survey_results_export(request, pk: int):
    """The results as an Excel workbook: a summary sheet, and the texts (or respondents) sheet."""
    from openpyxl import Workbook

    survey = _results_survey(request, pk)
    results = selectors.survey_results(user=request.user, survey=survey)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Summary")[:31]
    sheet.append([survey.title])
    sheet.append([_("Invited"), results["invited"]])
    sheet.append([_("Answered"), results["answered"]])
    sheet.append([_("Response rate"), round(results["rate"], 4) if results["rate"] is not None else ""])
    sheet.append([])
    if results["covered_until"]:
        sheet.append(
            [
                _("Still open: the figures cover the responses given before %(date)s.")
                % {"date": results["covered_until"].isoformat()}
            ]
        )
    if results["hidden"]:
        sheet.append(
            [
                _("Fewer than %(n)s responses: the figures of this anonymous survey stay hidden.")
                % {"n": results["threshold"]}
            ]
        )
    sheet.append([_("Question"), _("Kind"), _("Answers"), _("Mean"), _("Figures")])
    for q in results["questions"]:
        if q["distribution"] is not None:
            figures = ", ".join(f"{i + 1}: {n}" for i, n in enumerate(q["distribution"]))
        elif q["options"] is not None:
            figures = ", ".join(f"{o['option']}: {o['count']}" for o in q["options"])
        else:
            figures = ""
        sheet.append(
            [q["text"], str(q["kind_label"]), q["answered"], q["mean"] if q["mean"] is not None else "", figures]
        )
    texts = book.create_sheet(_("Texts")[:31])
    texts.append([_("Question"), _("Answer")])
    for q in results["questions"]:
        for text in q["texts"] or []:
            texts.append([q["text"], text])
    if results["respondents"] is not None:
        people = book.create_sheet(_("Respondents")[:31])
        people.append([_("Person"), _("Answered on")])
        for row in results["respondents"]:
            people.append([str(row["person"]), row["answered_on"]])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-results.xlsx"'
    return response


@login_required
def satisfaction(request):
    """Mean rating per service area and month, with the work orders' ratings in maintenance."""
    actor = policy.actor_for(request.user)
    if not (actor.is_superuser or reads_survey_results(actor)):
        raise PermissionDenied
    parks = policy.restrict(Park.objects.all(), request.user).order_by("name")
    park_id = request.GET.get("park", "")
    park = parks.filter(pk=park_id).first() if park_id.isdigit() else parks.first()
    area = request.GET.get("area", "")
    if area not in ServiceArea.values:
        area = ""
    try:
        months = max(1, min(int(request.GET.get("months", 12)), 60))
    except ValueError:
        months = 12
    rows = selectors.satisfaction_series(request.user, park, area or None, months=months) if park else []
    month_keys = sorted({row["month"] for row in rows})
    series: dict[str, dict] = {}
    for row in rows:
        entry = series.setdefault(row["area"], {"name": row["label"], "values": {}})
        entry["values"][row["month"].isoformat()] = row["mean"]
    chart = {
        "months": [m.strftime("%Y-%m") for m in month_keys],
        "series": [
            {"name": s["name"], "data": [s["values"].get(m.isoformat()) for m in month_keys]} for s in series.values()
        ],
    }
    return render(
        request,
        "surveys/satisfaction.html",
        {
            "parks": parks,
            "park": park,
            "area": area,
            "areas": ServiceArea.choices,
            "months": months,
            "rows": rows,
            "chart": chart,
            "has_chart": bool(rows),
        },
    )


# --- respondents -----------------------------------------------------------------------------------


@login_required
def my_surveys(request):
    """The surveys the user is invited to: open ones to answer first, then answered and closed ones."""
    surveys = list(selectors.my_survey_list(user=request.user))
    to_answer = [s for s in surveys if s.accepts_answers() and not s.i_answered]
    others = [s for s in surveys if s not in to_answer]
    return render(request, "surveys/my_surveys.html", {"to_answer": to_answer, "others": others})


@login_required
def survey_answer(request, pk: int):
    """The answering form of a survey the user is invited to (phone-friendly)."""
    survey = selectors.my_survey_list(user=request.user).filter(pk=pk).first()
    if survey is None:
        raise Http404
    form = AnswerForm(request.POST or None, survey=survey)
    state = "answered" if survey.i_answered else ("open" if survey.accepts_answers() else "closed")
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(actor=request.user, survey=survey, answers=form.answers())
        except ValidationError as exc:
            generic.apply_validation_error(form, exc)
        else:
            messages.success(request, _("Thank you: your answers are recorded."))
            return redirect("my_surveys")
    return render(request, "surveys/survey_answer.html", {"survey": survey, "form": form, "state": state})
