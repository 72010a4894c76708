"""Services of surveys: building, opening, answering, closing, and the clear refusals of bad input."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from iepark.core.models import AuditEvent
from iepark.operations.surveys import services
from iepark.operations.surveys.choices import Audience, QuestionKind, SurveyStatus
from iepark.operations.surveys.models import Answer, Invitation, Question, Response, Survey
from iepark.operations.tests.factories import make_assignment, make_building, make_room, make_students

from .factories import answers_for, make_survey, open_survey

DAY = datetime.timedelta(days=1)


def _audit() -> int:
    return AuditEvent.objects.count()


def test_create_survey_is_audited_and_takes_the_owners_park(world):
    today = timezone.localdate()
    survey = services.survey_create(
        actor=world.operator,
        owner=world.operator_org,
        title="住宿调查",
        opens_on=today,
        closes_on=today + DAY,
        audience=Audience.ALL_STUDENTS,
    )
    assert survey.park == world.park and survey.status == SurveyStatus.DRAFT
    assert AuditEvent.objects.filter(object_type="surveys.survey", object_id=str(survey.pk), action="create").exists()


def test_close_before_open_is_refused_and_nothing_written(world):
    today = timezone.localdate()
    before = _audit()
    with pytest.raises(ValidationError) as exc:
        services.survey_create(
            actor=world.operator,
            owner=world.operator_org,
            title="x",
            opens_on=today,
            closes_on=today - DAY,
            audience=Audience.ALL_STUDENTS,
        )
    assert "The survey cannot close before it opens." in exc.value.message_dict["closes_on"]
    assert not Survey.objects.exists() and _audit() == before


def test_other_organisations_cannot_build_surveys_for_an_owner(world):
    today = timezone.localdate()
    fields = {"title": "x", "opens_on": today, "closes_on": today, "audience": Audience.ALL_STUDENTS}
    for persona in ("college_a_admin", "park_admin", "student_a", "other_admin", "hr_e1"):
        with pytest.raises(PermissionDenied):
            services.survey_create(actor=world.users[persona], owner=world.operator_org, **fields)
    assert not Survey.objects.exists()


def test_a_college_surveys_only_its_own_people(world):
    today = timezone.localdate()
    base = {"title": "x", "opens_on": today, "closes_on": today}
    with pytest.raises(ValidationError) as exc:
        services.survey_create(
            actor=world.college_a_admin, owner=world.college_a, audience=Audience.ALL_STUDENTS, **base
        )
    assert "audience" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.survey_create(
            actor=world.college_a_admin,
            owner=world.college_a,
            audience=Audience.COLLEGE_STUDENTS,
            audience_college=world.college_b,
            **base,
        )
    assert "audience_college" in exc.value.message_dict
    survey = services.survey_create(
        actor=world.manager_a, owner=world.college_a, audience=Audience.COLLEGE_STUDENTS, **base
    )
    assert survey.audience_college == world.college_a
    # A major of the park narrows the college's own students, never the other colleges'.
    by_major = services.survey_create(
        actor=world.college_a_admin, owner=world.college_a, audience=Audience.MAJOR, audience_major=world.major, **base
    )
    assert by_major.audience_college == world.college_a
    assert services.audience_person_ids(by_major) == [world.a_student.person_id]
    services.survey_update(actor=world.college_a_admin, survey=by_major, data={"audience_college": None})
    assert by_major.audience_college == world.college_a


def test_opening_invites_the_audience_and_freezes_the_questions(world):
    survey = make_survey(world)
    survey = open_survey(world, survey)
    assert survey.status == SurveyStatus.OPEN and survey.invited_count == 2
    assert set(Invitation.objects.filter(survey=survey).values_list("person_id", flat=True)) == {
        world.a_student.person_id,
        world.b_student.person_id,
    }
    question = survey.questions.first()
    before = _audit()
    for call in (
        lambda: services.question_create(actor=world.operator, survey=survey, text="new", kind=QuestionKind.TEXT),
        lambda: services.question_update(actor=world.operator, question=question, data={"text": "changed"}),
        lambda: services.question_delete(actor=world.operator, question=question),
        lambda: services.question_move(actor=world.operator, question=question, offset=1),
    ):
        with pytest.raises(ValidationError) as exc:
            call()
        assert "The questions cannot change once the survey has been opened" in exc.value.messages[0]
    assert Question.objects.get(pk=question.pk).text == question.text and _audit() == before
    with pytest.raises(ValidationError) as exc:
        services.survey_update(actor=world.operator, survey=survey, data={"anonymous": False})
    assert "anonymous" in exc.value.message_dict


def test_opening_needs_questions_and_an_audience(world):
    empty = make_survey(world, questions=False)
    with pytest.raises(ValidationError, match="Add at least one question"):
        open_survey(world, empty)
    building = make_building(world.park)
    nobody = make_survey(world, audience=Audience.RESIDENTS, audience_building=building)
    with pytest.raises(ValidationError) as exc:
        open_survey(world, nobody)
    assert "Nobody is in this audience" in exc.value.message_dict["audience"][0]
    assert not Invitation.objects.exists()
    assert Survey.objects.get(pk=nobody.pk).status == SurveyStatus.DRAFT


def test_audiences_resolve_to_the_right_people(world):
    building = make_building(world.park)
    room = make_room(building, beds=2)
    resident = make_students(world, 1, start=50)[0]
    make_assignment(resident, room.beds.first())
    gone = make_students(world, 1, start=60)[0]
    make_assignment(gone, room.beds.last(), end=datetime.date(2025, 10, 1))
    cohort = make_students(world, 2, start=70, cohort_year=2023, college=world.college_b)
    cases = {
        "residents": ({"audience": Audience.RESIDENTS, "audience_building": building}, {resident.person_id}),
        "teachers": ({"audience": Audience.TEACHERS}, {world.a_teacher.person_id}),
        "cohort": ({"audience": Audience.COHORT, "audience_cohort_year": 2023}, {s.person_id for s in cohort}),
        "major+college": (
            {"audience": Audience.MAJOR, "audience_major": world.major, "audience_college": world.college_b},
            {world.b_student.person_id} | {s.person_id for s in cohort},
        ),
    }
    for name, (fields, expected) in cases.items():
        survey = make_survey(world, title=name, **fields)
        assert set(services.audience_person_ids(survey)) == expected, name


def _open_with_answers(world, **fields):
    survey = open_survey(world, make_survey(world, **fields))
    return survey


def test_answering_an_anonymous_survey_keeps_no_link(world):
    survey = _open_with_answers(world)
    services.survey_answer(actor=world.student_a, survey=survey, answers=answers_for(survey, text="太咸了"))
    response = Response.objects.get(survey=survey)
    invitation = Invitation.objects.get(survey=survey, person=world.persons["student_a"])
    assert invitation.answered and invitation.response_id is None and invitation.answered_on is None
    assert response.submitted_on == timezone.localdate().replace(day=1)
    assert Survey.objects.get(pk=survey.pk).answered_count == 1
    assert Answer.objects.filter(response=response).count() == 3
    event = AuditEvent.objects.filter(object_type="surveys.invitation").get()
    assert event.changes == {"answered": [False, True]}
    assert str(response.pk) not in str(event.changes) + event.object_repr + event.object_id
    assert not AuditEvent.objects.filter(object_type__in=["surveys.response", "surveys.answer"]).exists()
    assert not AuditEvent.objects.filter(changes__icontains="太咸了").exists()


def test_answering_a_named_survey_links_the_person(world):
    survey = _open_with_answers(world, anonymous=False)
    services.survey_answer(actor=world.student_a, survey=survey, answers=answers_for(survey))
    invitation = Invitation.objects.get(survey=survey, person=world.persons["student_a"])
    assert invitation.response is not None and invitation.answered_on == timezone.localdate()
    assert invitation.response.submitted_on == timezone.localdate()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({0: None}, 0, "This question needs an answer."),
        ({0: 6}, 0, "Give a rating from 1 to 5."),
        ({0: 0}, 0, "Give a rating from 1 to 5."),
        ({0: "four"}, 0, "Give a rating from 1 to 5."),
        ({0: True}, 0, "Give a rating from 1 to 5."),
        ({1: 7}, 1, "Choose among the question's options."),
        ({2: ["a list"]}, 2, "Give the answer as text."),
    ],
)
def test_bad_answers_are_refused_and_nothing_written(world, change, field, message):
    survey = _open_with_answers(world)
    questions = list(survey.questions.order_by("position"))
    answers = answers_for(survey)
    for index, value in change.items():
        answers[questions[index].pk] = value
    before = _audit()
    with pytest.raises(ValidationError) as exc:
        services.survey_answer(actor=world.student_a, survey=survey, answers=answers)
    assert exc.value.message_dict[f"question_{questions[field].pk}"] == [message]
    assert not Response.objects.exists() and not Answer.objects.exists() and _audit() == before
    assert not Invitation.objects.filter(answered=True).exists()
    assert Survey.objects.get(pk=survey.pk).answered_count == 0


def test_answering_twice_is_refused(world):
    survey = _open_with_answers(world)
    services.survey_answer(actor=world.student_a, survey=survey, answers=answers_for(survey))
    with pytest.raises(ValidationError, match="You have already answered this survey."):
        services.survey_answer(actor=world.student_a, survey=survey, answers=answers_for(survey))
    assert Response.objects.count() == 1 and Survey.objects.get(pk=survey.pk).answered_count == 1


def test_answering_a_closed_or_not_yet_open_survey_is_refused(world):
    today = timezone.localdate()
    closed = _open_with_answers(world)
    services.survey_close(actor=world.operator, survey=closed)
    with pytest.raises(ValidationError, match="This survey is closed"):
        services.survey_answer(actor=world.student_a, survey=closed, answers=answers_for(closed))
    later = _open_with_answers(world, opens_on=today + 2 * DAY, closes_on=today + 9 * DAY)
    with pytest.raises(ValidationError, match="This survey opens on"):
        services.survey_answer(actor=world.student_a, survey=later, answers=answers_for(later))
    draft = make_survey(world)
    with pytest.raises(PermissionDenied):  # nobody is invited to a draft
        services.survey_answer(actor=world.student_a, survey=draft, answers=answers_for(draft))
    past = _open_with_answers(world)
    with pytest.raises(ValidationError, match="This survey is closed"):
        services.submit_answers(
            actor=world.student_a,
            invitation=Invitation.objects.get(survey=past, person=world.persons["student_a"]),
            answers=answers_for(past),
            today=past.closes_on + DAY,
        )
    assert not Response.objects.exists()


def test_people_not_invited_cannot_answer(world):
    survey = _open_with_answers(world, audience=Audience.COLLEGE_STUDENTS, audience_college=world.college_a)
    for persona in ("student_b", "teacher_a", "operator", "outsider"):
        with pytest.raises(PermissionDenied):
            services.survey_answer(actor=world.users[persona], survey=survey, answers=answers_for(survey))
    assert not Response.objects.exists()


def test_closing_an_anonymous_survey_keeps_its_answers(world):
    survey = _open_with_answers(world)
    services.survey_answer(actor=world.student_a, survey=survey, answers=answers_for(survey, rating=2))
    services.survey_answer(actor=world.student_b, survey=survey, answers=answers_for(survey, rating=5))
    keys = set(Response.objects.values_list("pk", flat=True))
    survey = services.survey_close(actor=world.operator, survey=survey)
    assert survey.status == SurveyStatus.CLOSED
    assert set(Response.objects.values_list("pk", flat=True)) == keys
    assert sorted(Answer.objects.filter(rating__isnull=False).values_list("rating", flat=True)) == [2, 5]
    with pytest.raises(ValidationError, match="Only an open survey can be closed."):
        services.survey_close(actor=world.operator, survey=survey)
    with pytest.raises(ValidationError, match="A closed survey cannot change."):
        services.survey_update(actor=world.operator, survey=survey, data={"title": "x"})


def test_question_editor_orders_and_validates(world):
    survey = make_survey(world, questions=False)
    a = services.question_create(actor=world.operator, survey=survey, text="A", kind=QuestionKind.RATING)
    b = services.question_create(
        actor=world.operator, survey=survey, text="B", kind=QuestionKind.SINGLE, options="甲\n乙\n"
    )
    assert (a.position, b.position) == (1, 2) and b.options == ["甲", "乙"]
    services.question_move(actor=world.operator, question=b, offset=-1)
    assert list(survey.questions.order_by("position").values_list("text", flat=True)) == ["B", "A"]
    with pytest.raises(ValidationError) as exc:
        services.question_create(
            actor=world.operator, survey=survey, text="C", kind=QuestionKind.MULTIPLE, options=["x"]
        )
    assert exc.value.message_dict["options"] == ["A choice question needs at least two options."]
    with pytest.raises(ValidationError) as exc:
        services.question_create(actor=world.operator, survey=survey, text="D", kind=QuestionKind.RATING, options=["x"])
    assert exc.value.message_dict["options"] == ["Only choice questions have options."]
    with pytest.raises(PermissionDenied):
        services.question_create(actor=world.college_a_admin, survey=survey, text="E")
    assert survey.questions.count() == 2


def test_only_drafts_are_deleted(world):
    draft = make_survey(world)
    services.survey_delete(actor=world.operator, survey=draft)
    assert not Survey.objects.filter(pk=draft.pk).exists() and not Question.objects.exists()
    opened = open_survey(world, make_survey(world))
    with pytest.raises(ValidationError, match="Only a draft survey can be deleted"):
        services.survey_delete(actor=world.operator, survey=opened)
