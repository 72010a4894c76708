"""The survey pages in a browser: building with the question editor, answering on a phone, results, satisfaction."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from iepark.operations.surveys.choices import Audience, SurveyStatus
from iepark.operations.surveys.models import Invitation, Question, Response, Survey

from .factories import answers_for, make_survey, open_survey


def test_owner_builds_opens_and_closes_a_survey_in_the_browser(world, browser_client):
    client = browser_client(world.operator)
    assert client.get(reverse("survey_list")).status_code == 200
    assert client.get(reverse("survey_create")).status_code == 200
    response = client.post(
        reverse("survey_create"),
        {
            "owner": world.operator_org.pk,
            "title": "快递驿站满意度",
            "anonymous": "on",
            "opens_on": "2020-01-01",
            "closes_on": "2099-01-01",
            "area": "express",
            "audience": "all_students",
        },
    )
    survey = Survey.objects.get(title="快递驿站满意度")
    assert response.status_code == 302 and survey.park == world.park
    add = reverse("survey_question_add", args=[survey.pk])
    htmx = client.post(add, {"text": "取件快吗？", "kind": "rating", "required": "on"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and "取件快吗？" in htmx.content.decode()
    bad = client.post(
        add,
        {"text": "哪种？", "kind": "single", "options_text": "只有一个"},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "A choice question needs at least two options." in bad.content.decode()
    assert survey.questions.count() == 1
    client.post(add, {"text": "建议", "kind": "text"})
    second = survey.questions.get(text="建议")
    client.post(reverse("survey_question_move", args=[second.pk, "up"]), HTTP_HX_REQUEST="true")
    assert list(survey.questions.order_by("position").values_list("text", flat=True)) == ["建议", "取件快吗？"]
    assert client.get(reverse("survey_question_edit", args=[second.pk])).status_code == 200
    client.post(reverse("survey_question_delete", args=[second.pk]), HTTP_HX_REQUEST="true")
    assert survey.questions.count() == 1
    client.post(reverse("survey_open", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN and survey.invited_count == 2
    page = client.get(reverse("survey_detail", args=[survey.pk])).content.decode()
    assert "survey_question_add" not in page and reverse("survey_question_add", args=[survey.pk]) not in page
    client.post(reverse("survey_close", args=[survey.pk]))
    assert Survey.objects.get(pk=survey.pk).status == SurveyStatus.CLOSED


def test_close_before_open_shows_a_clear_error(world, browser_client):
    response = browser_client(world.operator).post(
        reverse("survey_create"),
        {
            "owner": world.operator_org.pk,
            "title": "x",
            "opens_on": "2026-05-01",
            "closes_on": "2026-04-01",
            "area": "general",
            "audience": "all_students",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and "The survey cannot close before it opens." in response.content.decode()
    assert not Survey.objects.exists()


def test_question_pages_refuse_other_parties(world, browser_client):
    survey = make_survey(world)
    question = survey.questions.first()
    urls = [
        reverse("survey_question_add", args=[survey.pk]),
        reverse("survey_question_delete", args=[question.pk]),
        reverse("survey_question_move", args=[question.pk, "down"]),
        reverse("survey_open", args=[survey.pk]),
        reverse("survey_close", args=[survey.pk]),
    ]
    for persona, expected in (("student_a", 404), ("college_a_admin", 404), ("park_admin", 403)):
        client = browser_client(world.users[persona])
        for url in urls:
            assert client.post(url, {"text": "x", "kind": "text"}).status_code == expected, (persona, url)
        assert client.get(reverse("survey_question_edit", args=[question.pk])).status_code == expected
    assert Question.objects.filter(survey=survey).count() == 3 and Survey.objects.get(pk=survey.pk).is_draft


def test_student_answers_on_my_surveys(world, browser_client):
    survey = open_survey(
        world, make_survey(world, audience=Audience.COLLEGE_STUDENTS, audience_college=world.college_a)
    )
    client = browser_client(world.student_a)
    listing = client.get(reverse("my_surveys")).content.decode()
    assert survey.title in listing
    form = client.get(reverse("survey_answer", args=[survey.pk]))
    assert form.status_code == 200 and 'name="viewport"' in form.content.decode()
    q = list(survey.questions.order_by("position"))
    missing = client.post(
        reverse("survey_answer", args=[survey.pk]), {f"question_{q[1].pk}": "0"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert missing.status_code == 200 and "This question needs an answer." in missing.content.decode()
    assert not Response.objects.exists()
    done = client.post(
        reverse("survey_answer", args=[survey.pk]),
        {f"question_{q[0].pk}": "4", f"question_{q[1].pk}": "2", f"question_{q[2].pk}": "不错"},
    )
    assert done.status_code == 302 and Response.objects.count() == 1
    assert Invitation.objects.get(survey=survey, person=world.persons["student_a"]).answered
    again = client.get(reverse("survey_answer", args=[survey.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You have already answered this survey." in again and '<form method="post" novalidate>' not in again
    # The owners' page of the survey is not the respondent's: it sends them to the answering page.
    assert browser_client(world.student_a).get(reverse("survey_detail", args=[survey.pk])).status_code == 302
    assert browser_client(world.student_b).get(reverse("survey_answer", args=[survey.pk])).status_code == 404


def test_results_page_and_excel_export(world, browser_client):
    survey = open_survey(world, make_survey(world, anonymous=False))
    from iepark.operations.surveys import services

    services.survey_answer(actor=world.student_a, survey=survey, answers=answers_for(survey, text="菜太咸"))
    client = browser_client(world.operator)
    page = client.get(reverse("survey_results", args=[survey.pk])).content.decode()
    assert "菜太咸" in page and "测试student_a" in page and "echarts" in page
    export = client.get(reverse("survey_results_export", args=[survey.pk]))
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(export.content))
    assert book.worksheets[0]["B2"].value == 2 and book.worksheets[0]["B3"].value == 1
    assert any(row[1] == "菜太咸" for row in book.worksheets[1].iter_rows(values_only=True))
    for persona in ("student_a", "college_a_admin", "other_admin"):
        other = browser_client(world.users[persona])
        assert other.get(reverse("survey_results", args=[survey.pk])).status_code == 404, persona
        assert other.get(reverse("survey_results_export", args=[survey.pk])).status_code == 404, persona


def test_anonymous_results_page_hides_figures_below_the_threshold(world, browser_client):
    from iepark.operations.surveys import services

    survey = open_survey(world, make_survey(world))
    services.survey_answer(actor=world.student_a, survey=survey, answers=answers_for(survey, text="秘密意见"))
    page = browser_client(world.park_admin).get(reverse("survey_results", args=[survey.pk])).content.decode()
    assert "秘密意见" not in page and "测试student_a" not in page


def test_satisfaction_page(world, browser_client):
    assert browser_client(world.operator).get(reverse("survey_satisfaction")).status_code == 200
    assert browser_client(world.park_admin).get(reverse("survey_satisfaction"), {"area": "catering"}).status_code == 200
    assert browser_client(world.student_a).get(reverse("survey_satisfaction")).status_code == 403
    assert browser_client(world.outsider).get(reverse("survey_satisfaction")).status_code == 403


def test_menu_shows_surveys_to_owners_and_my_surveys_to_people(world, browser_client):
    operator_page = browser_client(world.operator).get(reverse("my_surveys")).content.decode()
    assert reverse("survey_list") in operator_page and reverse("survey_satisfaction") in operator_page
    student_page = browser_client(world.student_a).get(reverse("my_surveys")).content.decode()
    assert reverse("survey_satisfaction") not in student_page
