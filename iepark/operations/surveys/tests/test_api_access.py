"""Standard access tests of the survey endpoints and pages (see iepark.testing.ApiAccessSuite), and their actions."""

from __future__ import annotations

from iepark.operations.surveys.choices import Audience, SurveyStatus
from iepark.operations.surveys.models import Invitation, Question, Response, Survey
from iepark.testing import ApiAccessSuite

from .factories import answers_for, invite, make_survey, open_survey

OUTSIDERS = ("other_admin", "outsider", "hr_e1", "college_a_admin", "manager_a", "teacher_a", "student_a")


def _payload(world, **extra):
    return {
        "owner": world.operator_org.pk,
        "title": "超市满意度",
        "opens_on": "2026-03-01",
        "closes_on": "2026-03-31",
        "audience": "all_students",
        "area": "supermarket",
        **extra,
    }


class TestSurveyAccess(ApiAccessSuite):
    basename = "survey"
    readers = ()
    writer = "operator"
    readonly = ("park_admin", "committee")
    outsiders = OUTSIDERS
    page_list, page_detail, page_edit = "survey_list", "survey_detail", "survey_edit"

    def own(self, world):
        return Survey.objects.filter(owner=world.operator_org, title="own").first() or make_survey(world, title="own")

    def create_payload(self, world):
        return _payload(world)

    def update_payload(self, world, obj):
        return {"title": "超市与快递满意度"}

    def foreign_payload(self, world):
        return _payload(
            world, owner=world.college_a.pk, audience="college_students", audience_college=world.college_a.pk
        )

    def invalid_payload(self, world):
        return _payload(world, closes_on="2026-02-01"), "closes_on"

    def deletable(self, world):
        return make_survey(world, title="to delete")

    def make_many(self, world, n, start):
        for i in range(n):
            make_survey(world, title=f"s{start + i}")


class TestCollegeSurveyAccess(TestSurveyAccess):
    writer = "college_a_admin"
    readers = ("manager_a",)
    outsiders = ("other_admin", "outsider", "college_b_admin", "operator", "teacher_a", "student_a")

    def own(self, world):
        return Survey.objects.filter(owner=world.college_a, title="own").first() or make_survey(
            world, title="own", owner=world.college_a, audience=Audience.TEACHERS, audience_college=world.college_a
        )

    def create_payload(self, world):
        return _payload(world, owner=world.college_a.pk, audience="teachers", area="teaching_facilities")

    def foreign_payload(self, world):
        return _payload(
            world, owner=world.college_b.pk, audience="college_students", audience_college=world.college_b.pk
        )

    def invalid_payload(self, world):
        return _payload(world, owner=world.college_a.pk, audience="all_students"), "audience"

    def deletable(self, world):
        return make_survey(world, title="to delete", owner=world.college_a, audience=Audience.TEACHERS)

    def make_many(self, world, n, start):
        for i in range(n):
            make_survey(world, title=f"s{start + i}", owner=world.college_a, audience=Audience.TEACHERS)


def _draft(world):
    return Survey.objects.filter(title="draft").first() or make_survey(world, title="draft")


class TestSurveyQuestionAccess(ApiAccessSuite):
    basename = "surveyquestion"
    writer = "operator"
    readonly = ("park_admin",)
    outsiders = OUTSIDERS

    def own(self, world):
        return _draft(world).questions.order_by("position").first()

    def create_payload(self, world):
        return {"survey": _draft(world).pk, "text": "收银速度？", "kind": "rating"}

    def update_payload(self, world, obj):
        return {"text": "口味与分量如何？"}

    def foreign_payload(self, world):
        other = make_survey(world, title="college", owner=world.college_a, audience=Audience.TEACHERS)
        return {"survey": other.pk, "text": "x", "kind": "rating"}

    def invalid_payload(self, world):
        return {"survey": _draft(world).pk, "text": "x", "kind": "single", "options": ["只有一个"]}, "options"

    def deletable(self, world):
        return _draft(world).questions.order_by("position").last()

    def make_many(self, world, n, start):
        survey = _draft(world)
        Question.objects.bulk_create([Question(survey=survey, position=start + i, text=f"q{i}") for i in range(n)])


class TestMySurveyAccess(ApiAccessSuite):
    basename = "mysurvey"
    readers = ("student_a",)
    outsiders = ("student_b", "teacher_a", "operator", "park_admin", "college_a_admin", "other_admin", "outsider")
    page_list, page_detail = "my_surveys", "survey_answer"

    def own(self, world):
        survey = Survey.objects.filter(title="mine").first()
        if survey is None:
            survey = make_survey(
                world, title="mine", audience=Audience.COLLEGE_STUDENTS, audience_college=world.college_a
            )
            survey = open_survey(world, survey)
        return survey

    def make_many(self, world, n, start):
        for i in range(n):
            survey = make_survey(world, title=f"m{start + i}")
            invite(survey, world.persons["student_a"])


# --- actions -------------------------------------------------------------------------------------------


def test_open_close_and_results_actions_refuse_other_parties(world, api):
    survey = make_survey(world)
    base = f"/api/v1/surveys/{survey.pk}"
    for persona in ("student_a", "college_a_admin", "other_admin", "hr_e1", "outsider"):
        client = api(world.users[persona])
        assert client.post(f"{base}/open/").status_code == 404, persona
        assert client.get(f"{base}/results/").status_code == 404, persona
    assert api(world.park_admin).post(f"{base}/open/").status_code == 403
    assert api().post(f"{base}/open/").status_code in (401, 403)
    assert Survey.objects.get(pk=survey.pk).status == SurveyStatus.DRAFT and not Invitation.objects.exists()
    opened = api(world.operator).post(f"{base}/open/")
    assert opened.status_code == 200 and opened.json()["invited_count"] == 2
    again = api(world.operator).post(f"{base}/open/")
    assert again.status_code == 400 and "Only a draft survey can be opened." in str(again.json())
    assert api(world.park_admin).get(f"{base}/results/").status_code == 200
    assert api(world.park_admin).post(f"{base}/close/").status_code == 403
    assert api(world.student_a).post(f"{base}/close/").status_code == 404
    closed = api(world.operator).post(f"{base}/close/")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_question_move_action_refuses_other_parties(world, api):
    survey = make_survey(world)
    first, second = survey.questions.order_by("position")[:2]
    url = f"/api/v1/survey-questions/{second.pk}/move/"
    assert api(world.park_admin).post(url, {"offset": -1}, format="json").status_code == 403
    for persona in ("student_a", "college_a_admin", "outsider"):
        assert api(world.users[persona]).post(url, {"offset": -1}, format="json").status_code == 404, persona
    ok = api(world.operator).post(url, {"offset": -1}, format="json")
    assert ok.status_code == 200 and ok.json()["position"] == 1


def test_editing_questions_after_opening_is_a_clear_400(world, api):
    survey = open_survey(world, make_survey(world))
    question = survey.questions.first()
    response = api(world.operator).patch(f"/api/v1/survey-questions/{question.pk}/", {"text": "x"}, format="json")
    assert response.status_code == 400
    assert "The questions cannot change once the survey has been opened" in str(response.json())
    added = api(world.operator).post(
        "/api/v1/survey-questions/", {"survey": survey.pk, "text": "new", "kind": "text"}, format="json"
    )
    assert added.status_code == 400 and survey.questions.count() == 3


def test_answer_endpoint(world, api):
    survey = open_survey(
        world, make_survey(world, audience=Audience.COLLEGE_STUDENTS, audience_college=world.college_a)
    )
    url = f"/api/v1/my-surveys/{survey.pk}/answer/"
    answers = {str(k): v for k, v in answers_for(survey).items()}
    for persona in ("student_b", "operator", "park_admin", "outsider"):
        assert api(world.users[persona]).post(url, {"answers": answers}, format="json").status_code == 404, persona
    assert api().post(url, {"answers": answers}, format="json").status_code in (401, 403)
    rating = str(survey.questions.order_by("position").first().pk)
    bad = api(world.student_a).post(url, {"answers": {**answers, rating: 9}}, format="json")
    assert bad.status_code == 400 and bad.json() == {f"question_{rating}": ["Give a rating from 1 to 5."]}
    missing = api(world.student_a).post(
        url, {"answers": {k: v for k, v in answers.items() if k != rating}}, format="json"
    )
    assert missing.status_code == 400 and missing.json()[f"question_{rating}"] == ["This question needs an answer."]
    assert not Response.objects.exists()
    ok = api(world.student_a).post(url, {"answers": answers}, format="json")
    assert ok.status_code == 204 and not ok.content
    twice = api(world.student_a).post(url, {"answers": answers}, format="json")
    assert twice.status_code == 400 and twice.json() == {"non_field_errors": ["You have already answered this survey."]}
    listed = api(world.student_a).get("/api/v1/my-surveys/").json()["results"]
    assert listed[0]["answered"] is True and len(listed[0]["questions"]) == 3


def test_satisfaction_endpoint(world, api):
    url = "/api/v1/surveys/satisfaction/"
    assert api(world.operator).get(url, {"park": world.park.pk}).status_code == 200
    assert api(world.other_admin).get(url, {"park": world.park.pk}).status_code == 404
    assert api(world.operator).get(url, {"park": world.park.pk, "area": "nope"}).status_code == 400
    assert api(world.operator).get(url, {"park": world.park.pk, "months": 0}).status_code == 400
    assert api().get(url, {"park": world.park.pk}).status_code in (401, 403)
