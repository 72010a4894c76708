"""Test data of surveys, written directly (fixtures bypass services; service tests use services)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from iepark.operations.surveys import services
from iepark.operations.surveys.choices import Audience, QuestionKind, ServiceArea, SurveyStatus
from iepark.operations.surveys.models import Invitation, Question, Survey

TODAY = timezone.localdate


def make_survey(world, *, owner=None, questions: bool = True, **fields: Any) -> Survey:
    """Return a draft survey (of the operating company, for all students, anonymous) with three questions."""
    owner = owner or world.operator_org
    today = timezone.localdate()
    fields.setdefault("title", "食堂满意度")
    fields.setdefault("opens_on", today - datetime.timedelta(days=1))
    fields.setdefault("closes_on", today + datetime.timedelta(days=10))
    fields.setdefault("audience", Audience.ALL_STUDENTS)
    fields.setdefault("area", ServiceArea.CATERING)
    if owner.is_college:
        fields.setdefault("audience_college", owner)
    survey = Survey(park=owner.park, owner=owner, **fields)
    survey.full_clean()
    survey.save()
    if questions:
        add_questions(survey)
    return survey


def add_questions(survey: Survey) -> list[Question]:
    rows = [
        Question(survey=survey, position=1, text="口味如何？", kind=QuestionKind.RATING, required=True),
        Question(
            survey=survey, position=2, text="常在何时就餐？", kind=QuestionKind.SINGLE, options=["早", "中", "晚"]
        ),
        Question(survey=survey, position=3, text="建议", kind=QuestionKind.TEXT, required=False),
    ]
    return Question.objects.bulk_create(rows)


def open_survey(world, survey: Survey, actor=None) -> Survey:
    return services.survey_open(actor=actor or world.operator, survey=survey)


def invite(survey: Survey, *people) -> None:
    """Invite people to an open survey directly (for list tests)."""
    Invitation.objects.bulk_create([Invitation(survey=survey, person=p, anonymous=survey.anonymous) for p in people])
    Survey.objects.filter(pk=survey.pk).update(status=SurveyStatus.OPEN, invited_count=len(people))


def answers_for(survey: Survey, rating=4, choice=0, text="很好") -> dict[int, Any]:
    q = list(survey.questions.order_by("position"))
    return {q[0].pk: rating, q[1].pk: choice, q[2].pk: text}


def invite_students(survey: Survey, students) -> list[Invitation]:
    """Invite more students to an open survey directly (as if they had been in its audience)."""
    rows = Invitation.objects.bulk_create(
        [Invitation(survey=survey, person_id=s.person_id, anonymous=survey.anonymous) for s in students]
    )
    Survey.objects.filter(pk=survey.pk).update(invited_count=survey.invitations.count())
    survey.refresh_from_db()
    return rows
