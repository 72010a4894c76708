"""
Reads of satisfaction surveys, always scoped by the acting user through the policy.

``satisfaction_series`` and ``dashboard_figures`` are the interface of the
operator's dashboard; they take the acting user (or an ``Actor``) and a park.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from iepark.core import policy
from iepark.core.models import Park
from iepark.core.policy import Action

from .choices import CHOICE_KINDS, QuestionKind, ServiceArea, SurveyStatus
from .models import Answer, Invitation, Question, Response, Survey
from .policy import as_actor, as_user, results_q, sees_results

# An anonymous survey's per-question figures and texts stay hidden below this many responses
# (k-anonymity): with fewer, a person's answers could be told from the others'.
ANONYMITY_THRESHOLD: int = getattr(settings, "SURVEYS_ANONYMITY_THRESHOLD", 5)


def anonymity_threshold() -> int:
    return int(getattr(settings, "SURVEYS_ANONYMITY_THRESHOLD", ANONYMITY_THRESHOLD))


def survey_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Survey]:
    return policy.restrict(Survey.objects.select_related("owner", "park", "service_point"), user, action)


def results_survey_list(*, user: Any) -> QuerySet[Survey]:
    """Return the surveys whose results ``user`` reads."""
    return Survey.objects.filter(results_q(user)).select_related("owner", "park")


def question_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Question]:
    return policy.restrict(Question.objects.select_related("survey"), user, action)


def invitation_list(*, user: Any) -> QuerySet[Invitation]:
    return policy.restrict(Invitation.objects.select_related("person", "survey"), user)


def my_survey_list(*, user: Any) -> QuerySet[Survey]:
    """Return the surveys (open or closed) the user is invited to, with ``i_answered``."""
    actor = as_actor(user)
    if not actor.person_id:
        return Survey.objects.none()
    mine = Invitation.objects.filter(survey=OuterRef("pk"), person_id=actor.person_id)
    return (
        Survey.objects.filter(Exists(mine))
        .exclude(status=SurveyStatus.DRAFT)
        .annotate(i_answered=Exists(mine.filter(answered=True)))
        .select_related("owner")
        .order_by("-closes_on", "-pk")
    )


def anonymous_cutoff(survey: Survey, today: datetime.date | None = None) -> datetime.date | None:
    """For an open anonymous survey, the first day of the current month: its results count answers before it."""
    if not survey.anonymous or survey.status == SurveyStatus.CLOSED:
        return None
    return (today or timezone.localdate()).replace(day=1)


def survey_results(*, user: Any, survey: Survey) -> dict[str, Any]:
    """
    Return the results of ``survey``: response rate, and per question its figures and texts.

    For an anonymous survey with fewer responses than the anonymity threshold, only the
    counts are given (``hidden`` is true); texts come in random order, without a date or key.
    """
    if not sees_results(user, survey):
        raise PermissionDenied
    threshold = anonymity_threshold()
    answered = survey.answered_count
    responses = Response.objects.filter(survey=survey)
    # While an anonymous survey is open, its figures cover the months already over, in one batch per month:
    # two readings never differ by one person's answers. Closed, they cover every response.
    covered_until = anonymous_cutoff(survey)
    if covered_until is not None:
        responses = responses.filter(submitted_on__lt=covered_until)
    counted = responses.count() if covered_until is not None else answered
    hidden = survey.anonymous and counted < threshold  # too few for no answer to stand out
    questions = list(survey.questions.order_by("position", "pk"))
    rows: dict[int, dict[str, Any]] = {
        q.pk: {
            "id": q.pk,
            "text": q.text,
            "kind": q.kind,
            "kind_label": q.get_kind_display(),
            "required": q.required,
            "answered": 0,
            "mean": None,
            "distribution": None,
            "options": None,
            "texts": None,
        }
        for q in questions
    }
    if not hidden:
        answers = Answer.objects.filter(response__in=responses)
        for qid, n in answers.values_list("question_id").annotate(n=Count("id")).order_by():
            rows[qid]["answered"] = n
        by_rating: dict[int, list[int]] = defaultdict(lambda: [0] * 5)
        for qid, rating, n in (
            answers.filter(rating__isnull=False).values_list("question_id", "rating").annotate(n=Count("id")).order_by()
        ):
            by_rating[qid][rating - 1] = n
        choice_ids = [q.pk for q in questions if q.kind in CHOICE_KINDS]
        chosen: dict[int, list[int]] = {q.pk: [0] * len(q.options) for q in questions if q.kind in CHOICE_KINDS}
        for qid, picks in answers.filter(question_id__in=choice_ids).values_list("question_id", "choices"):
            for index in picks or []:
                if 0 <= index < len(chosen[qid]):
                    chosen[qid][index] += 1
        texts: dict[int, list[str]] = defaultdict(list)
        # Ordered by the random key: the order says nothing about who wrote what, or when.
        for qid, text in (
            answers.filter(question__kind=QuestionKind.TEXT)
            .exclude(text="")
            .order_by("id")
            .values_list("question_id", "text")
        ):
            texts[qid].append(text)
        for q in questions:
            row = rows[q.pk]
            if q.kind == QuestionKind.RATING:
                dist = by_rating[q.pk]
                total = sum(dist)
                row["distribution"] = dist
                row["mean"] = round(sum((i + 1) * n for i, n in enumerate(dist)) / total, 2) if total else None
            elif q.kind in CHOICE_KINDS:
                row["options"] = [{"option": o, "count": c} for o, c in zip(q.options, chosen[q.pk], strict=True)]
            else:
                row["texts"] = texts[q.pk]
    respondents = None
    if not survey.anonymous:
        respondents = [
            {"person": inv.person, "person_id": inv.person_id, "answered_on": inv.answered_on}
            for inv in survey.invitations.filter(answered=True).select_related("person").order_by("person__name")
        ]
    return {
        "survey": survey,
        "invited": survey.invited_count,
        "answered": answered,
        "rate": survey.response_rate,
        "anonymous": survey.anonymous,
        "threshold": threshold,
        "hidden": hidden,
        "counted": counted,
        "covered_until": covered_until,
        "questions": [rows[q.pk] for q in questions],
        "respondents": respondents,
    }


# --- satisfaction over time -----------------------------------------------------------------------


def _months_back(today: datetime.date, months: int) -> datetime.date:
    """Return the first day of the month ``months - 1`` months before ``today``'s month."""
    index = today.year * 12 + today.month - 1 - (max(months, 1) - 1)
    return datetime.date(index // 12, index % 12 + 1, 1)


def _work_order_ratings(actor: Any, park: Park, since: datetime.date) -> list[dict[str, Any]]:
    """Return the work orders' ratings per month (the work orders app's figures), or nothing without it."""
    try:
        from iepark.operations.workorders.selectors import ratings_by_month
    except ImportError:  # the work orders app does not rate yet
        return []
    return list(ratings_by_month(actor, park, since=since, until=None) or [])


def satisfaction_series(actor: Any, park: Park, area: str | None = None, *, months: int = 12) -> list[dict[str, Any]]:
    """
    Return the mean rating per service area and month over the last ``months`` months.

    Rows ``{"area", "label", "month" (first day), "count", "mean"}``, sorted by area then
    month, only for months with ratings. Counted are the answers to rating questions of
    the surveys whose results ``actor`` reads, by the month they were given; the
    maintenance area also counts the work orders' ratings.
    """
    user = as_user(actor)
    since = _months_back(timezone.localdate(), months)
    answers = Answer.objects.filter(
        rating__isnull=False,
        question__kind=QuestionKind.RATING,
        response__survey__park=park,
        response__submitted_on__gte=since,
    )
    readable = results_survey_list(user=user).filter(park=park)
    answers = answers.filter(response__survey__in=readable.values("pk"))
    # As on their results pages: an open anonymous survey counts the months already over, and an anonymous
    # survey with too few responses does not count.
    this_month = timezone.localdate().replace(day=1)
    answers = answers.exclude(
        response__survey__anonymous=True,
        response__survey__status=SurveyStatus.OPEN,
        response__submitted_on__gte=this_month,
    ).exclude(response__survey__anonymous=True, response__survey__answered_count__lt=anonymity_threshold())
    if area:
        answers = answers.filter(response__survey__area=area)
    totals: dict[tuple[str, datetime.date], list[float]] = defaultdict(lambda: [0, 0.0])
    for row in (
        answers.annotate(month=TruncMonth("response__submitted_on"))
        .values("response__survey__area", "month")
        .annotate(count=Count("id"), total=Sum("rating"))
        .order_by()
    ):
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        cell = totals[(row["response__survey__area"], month)]
        cell[0] += row["count"]
        cell[1] += float(row["total"])
    if area in (None, ServiceArea.MAINTENANCE):
        for row in _work_order_ratings(actor, park, since):
            if not row.get("count"):
                continue
            month = row["month"].replace(day=1)
            if month < since:
                continue
            cell = totals[(ServiceArea.MAINTENANCE.value, month)]
            cell[0] += int(row["count"])
            cell[1] += float(row["mean"]) * int(row["count"])
    order = {value: i for i, value in enumerate(ServiceArea.values)}
    labels = dict(ServiceArea.choices)
    return [
        {
            "area": key_area,
            "label": str(labels.get(key_area, key_area)),
            "month": month,
            "count": int(count),
            "mean": round(total / count, 2),
        }
        for (key_area, month), (count, total) in sorted(
            totals.items(), key=lambda kv: (order.get(kv[0][0], 99), kv[0][1])
        )
        if count
    ]


def dashboard_figures(actor: Any, park: Park) -> dict[str, Any]:
    """
    Return the survey figures of the operator's dashboard for ``park``.

    ``open_surveys``: surveys open now; ``mean_response_rate``: the mean response rate of the
    opened surveys (None without any); ``latest_satisfaction``: area → mean rating of the last
    three months; ``links``: the pages behind the figures.
    """
    user = as_user(actor)
    surveys = results_survey_list(user=user).filter(park=park)
    open_count = surveys.filter(status=SurveyStatus.OPEN).count()
    rates = [
        answered / invited
        for answered, invited in surveys.exclude(status=SurveyStatus.DRAFT)
        .filter(invited_count__gt=0)
        .values_list("answered_count", "invited_count")
    ]
    sums: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for row in satisfaction_series(actor, park, months=3):
        sums[row["area"]][0] += row["count"]
        sums[row["area"]][1] += row["mean"] * row["count"]
    return {
        "open_surveys": open_count,
        "mean_response_rate": round(sum(rates) / len(rates), 4) if rates else None,
        "latest_satisfaction": {area: round(total / count, 2) for area, (count, total) in sums.items() if count},
        "links": {
            "surveys": reverse("survey_list"),
            "satisfaction": reverse("survey_satisfaction"),
            "my_surveys": reverse("my_surveys"),
        },
    }
