"""Results, satisfaction over time and the dashboard figures."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from iepark.operations.surveys import selectors, services
from iepark.operations.surveys.choices import Audience, ServiceArea
from iepark.operations.surveys.models import Invitation, Survey
from iepark.operations.tests.factories import make_students

from .factories import answers_for, make_survey, open_survey

DAY = datetime.timedelta(days=1)


def _answer_many(world, survey, ratings, texts=None):
    """Let one new student per rating answer ``survey`` (a survey of college A's cohort 2030)."""
    students = make_students(world, len(ratings), start=500 + len(Invitation.objects.all()))
    Invitation.objects.bulk_create(
        [Invitation(survey=survey, person_id=s.person_id, anonymous=survey.anonymous) for s in students]
    )
    survey.invited_count += len(students)
    survey.save(update_fields=["invited_count"])
    for i, (student, rating) in enumerate(zip(students, ratings, strict=True)):
        invitation = Invitation.objects.get(survey=survey, person_id=student.person_id)
        text = (texts or [""] * len(ratings))[i]
        services.submit_answers(
            actor=world.operator, invitation=invitation, answers=answers_for(survey, rating=rating, text=text)
        )


def test_results_give_rate_distribution_options_and_texts(world):
    survey = open_survey(world, make_survey(world))
    _answer_many(world, survey, [5, 4, 4, 2, 5], texts=["好", "", "贵", "", "干净"])
    survey = services.survey_close(actor=world.operator, survey=survey)
    results = selectors.survey_results(user=world.operator, survey=survey)
    assert results["invited"] == 7 and results["answered"] == 5 and results["rate"] == pytest.approx(5 / 7)
    rating, choice, text = results["questions"]
    assert rating["distribution"] == [0, 1, 0, 2, 2] and rating["mean"] == 4.0
    assert choice["options"][0] == {"option": "早", "count": 5}
    assert sorted(text["texts"]) == sorted(["好", "贵", "干净"])
    assert results["respondents"] is None and not results["hidden"]


def test_anonymous_results_stay_hidden_below_the_threshold(world, settings):
    survey = open_survey(world, make_survey(world))
    _answer_many(world, survey, [1, 5])
    survey.refresh_from_db()
    results = selectors.survey_results(user=world.park_admin, survey=survey)
    assert results["hidden"] and results["threshold"] == 5 and results["answered"] == 2
    assert all(q["distribution"] is None and q["texts"] is None and q["options"] is None for q in results["questions"])
    settings.SURVEYS_ANONYMITY_THRESHOLD = 2
    # Still open: only the months already over count, and both answers are of this month.
    assert selectors.survey_results(user=world.park_admin, survey=survey)["hidden"]
    survey = services.survey_close(actor=world.operator, survey=survey)
    assert not selectors.survey_results(user=world.park_admin, survey=survey)["hidden"]


def test_open_anonymous_results_cover_the_months_already_over(world, settings):
    """Read twice in the same month, the figures of an open anonymous survey do not move."""
    settings.SURVEYS_ANONYMITY_THRESHOLD = 2
    survey = _rated(world, ServiceArea.CATERING, {_month(-1): [2, 4]})
    before = selectors.survey_results(user=world.operator, survey=survey)
    assert before["covered_until"] == _month(0) and before["counted"] == 2
    assert before["questions"][0]["distribution"] == [0, 1, 0, 1, 0]
    _answer_many(world, survey, [5])  # answered this month
    after = selectors.survey_results(user=world.operator, survey=Survey.objects.get(pk=survey.pk))
    assert after["answered"] == 3 and after["questions"][0]["distribution"] == [0, 1, 0, 1, 0]
    assert [r["count"] for r in selectors.satisfaction_series(world.operator, world.park, "catering")] == [2]


def test_named_results_show_who_answered(world):
    survey = open_survey(world, make_survey(world, anonymous=False))
    services.survey_answer(actor=world.student_a, survey=survey, answers=answers_for(survey))
    survey.refresh_from_db()
    results = selectors.survey_results(user=world.operator, survey=survey)
    assert not results["hidden"]
    assert [r["person_id"] for r in results["respondents"]] == [world.a_student.person_id]


def test_results_are_refused_to_others(world):
    survey = open_survey(world, make_survey(world))
    for persona in ("student_a", "college_a_admin", "other_admin", "teacher_a"):
        with pytest.raises(PermissionDenied):
            selectors.survey_results(user=world.users[persona], survey=survey)
    # The committee oversees the park's service levels: it reads results (read-only).
    assert "hidden" in selectors.survey_results(user=world.users["committee"], survey=survey)


def _month(offset: int) -> datetime.date:
    today = timezone.localdate().replace(day=1)
    index = today.year * 12 + today.month - 1 + offset
    return datetime.date(index // 12, index % 12 + 1, 1)


def _rated(world, area, ratings_by_month, **fields):
    today = timezone.localdate()
    draft = make_survey(world, area=area, opens_on=_month(-5), closes_on=today + 5 * DAY, **fields)
    owner_login = world.college_a_admin if draft.owner == world.college_a else world.operator
    survey = open_survey(world, draft, actor=owner_login)
    students = make_students(world, sum(len(r) for r in ratings_by_month.values()), start=900 + survey.pk * 50)
    Invitation.objects.bulk_create(
        [Invitation(survey=survey, person_id=s.person_id, anonymous=survey.anonymous) for s in students]
    )
    survey.invited_count += len(students)
    survey.save(update_fields=["invited_count"])
    people = iter(students)
    for month, ratings in ratings_by_month.items():
        for rating in ratings:
            invitation = Invitation.objects.get(survey=survey, person_id=next(people).person_id)
            services.submit_answers(
                actor=world.operator,
                invitation=invitation,
                answers=answers_for(survey, rating=rating),
                today=month + datetime.timedelta(days=3),
            )
    return survey


@pytest.fixture
def rated_work_orders(world):
    """Two real work orders, each rated 2 by its reporter last month (the maintenance area's satisfaction)."""
    from iepark.operations.workorders import services as workorders
    from iepark.operations.workorders.models import WorkOrder
    from iepark.operations.workorders.tests.factories import operator_person, report

    for title in ("Light flickering", "Door lock broken"):
        order = report(world, title=title)
        workorders.work_order_assign(actor=world.park_admin, order=order, assignee=operator_person(world))
        workorders.work_order_start(actor=world.operator, order=order)
        workorders.work_order_resolve(actor=world.operator, order=order, note="fixed")
        workorders.work_order_confirm(actor=world.users["student_a"], order=order, rating=2)
    # Rated last month (a fixture row written directly).
    WorkOrder.objects.update(rated_at=timezone.make_aware(datetime.datetime.combine(_month(-1), datetime.time(12))))


def test_satisfaction_series_per_area_and_month_with_work_orders(world, rated_work_orders):
    _rated(world, ServiceArea.CATERING, {_month(-2): [3, 4], _month(0): [5]}, anonymous=False)
    _rated(world, ServiceArea.MAINTENANCE, {_month(-1): [4, 4]}, anonymous=False)
    rows = selectors.satisfaction_series(world.operator, world.park, months=6)
    as_tuples = [(r["area"], r["month"], r["count"], r["mean"]) for r in rows]
    assert as_tuples == [
        ("catering", _month(-2), 2, 3.5),
        ("catering", _month(0), 1, 5.0),
        ("maintenance", _month(-1), 4, 3.0),  # two survey ratings of 4 and two work orders' of 2
    ]
    assert rows[0]["label"] == "Catering"
    only = selectors.satisfaction_series(world.operator, world.park, ServiceArea.CATERING, months=1)
    assert [(r["month"], r["count"]) for r in only] == [(_month(0), 1)]


def test_satisfaction_counts_only_surveys_whose_results_the_actor_reads(world, rated_work_orders):
    _rated(world, ServiceArea.CATERING, {_month(0): [2]}, anonymous=False)
    _rated(
        world,
        ServiceArea.CATERING,
        {_month(0): [5]},
        anonymous=False,
        owner=world.college_a,
        audience=Audience.COLLEGE_STUDENTS,
        audience_college=world.college_a,
    )
    operator = [r["mean"] for r in selectors.satisfaction_series(world.operator, world.park, "catering")]
    college = [r["mean"] for r in selectors.satisfaction_series(world.college_a_admin, world.park, "catering")]
    admin = [r["mean"] for r in selectors.satisfaction_series(world.park_admin, world.park, "catering")]
    assert operator == [2.0] and college == [5.0] and admin == [3.5]
    assert selectors.satisfaction_series(world.other_admin, world.park, "catering") == []


def test_dashboard_figures(world, rated_work_orders):
    _rated(world, ServiceArea.CATERING, {_month(-1): [4], _month(0): [2]}, anonymous=False)
    make_survey(world, title="draft")
    figures = selectors.dashboard_figures(world.operator, world.park)
    assert figures["open_surveys"] == 1
    assert figures["mean_response_rate"] == pytest.approx(2 / 4)  # 2 of the 2 students + 2 answering
    assert figures["latest_satisfaction"] == {"catering": 3.0, "maintenance": 2.0}
    assert figures["links"]["surveys"] == "/surveys/" and figures["links"]["satisfaction"] == "/surveys/satisfaction/"
    assert selectors.dashboard_figures(world.student_a, world.park)["open_surveys"] == 0


def test_satisfaction_leaves_out_anonymous_surveys_with_too_few_answers(world, rated_work_orders):
    _rated(world, ServiceArea.CATERING, {_month(-1): [1]})  # anonymous, one answer: it would be that person's
    assert selectors.satisfaction_series(world.operator, world.park, "catering") == []
