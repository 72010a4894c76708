"""
Anonymity: nothing in the schema, the API, the pages or the audit trail leads from a response
of an anonymous survey to the person who gave it, not even for a superuser.
"""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from iepark.core.models import AuditEvent, Person
from iepark.operations.surveys import services
from iepark.operations.surveys.models import Answer, Invitation, Response, Survey
from iepark.operations.tests.factories import make_students

from .factories import answers_for, invite_students, make_survey, open_survey

SECRET = "宿舍楼道灯坏了三周"


@pytest.fixture
def answered(world):
    """An anonymous survey answered by six people, one of them writing ``SECRET``; already closed."""
    survey = open_survey(world, make_survey(world))
    others = make_students(world, 4, start=300)
    invite_students(survey, others)
    services.survey_answer(actor=world.student_a, survey=survey, answers=answers_for(survey, rating=1, text=SECRET))
    services.survey_answer(actor=world.student_b, survey=survey, answers=answers_for(survey, rating=5))
    for student in others:
        invitation = Invitation.objects.get(survey=survey, person_id=student.person_id)
        services.submit_answers(actor=world.operator, invitation=invitation, answers=answers_for(survey, rating=3))
    return services.survey_close(actor=world.operator, survey=Survey.objects.get(pk=survey.pk))


def test_response_and_answer_tables_have_no_link_to_a_person(db):
    person_models = {Person, get_user_model(), Invitation}
    for model in (Response, Answer):
        relations = {f.related_model for f in model._meta.concrete_fields if f.is_relation}
        assert not relations & person_models, model
        assert isinstance(model._meta.pk.default(), uuid.UUID), "random keys, not a sequence"
        assert not [f for f in model._meta.concrete_fields if f.get_internal_type() == "DateTimeField"], model
    with connection.cursor() as cursor:
        for table in (Response._meta.db_table, Answer._meta.db_table):
            targets = {
                target for _column, (_field, target) in connection.introspection.get_relations(cursor, table).items()
            }
            assert targets <= {"surveys_survey", "surveys_question", "surveys_response"}, (table, targets)


def test_the_database_refuses_a_link_from_an_anonymous_invitation(answered):
    invitation = Invitation.objects.filter(survey=answered, answered=True).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk).update(response=Response.objects.first())
    assert not Invitation.objects.filter(response__isnull=False).exists()


def test_audit_trail_names_no_response_and_no_answer(answered):
    keys = [str(pk) for pk in Response.objects.values_list("pk", flat=True)]
    events = list(AuditEvent.objects.values_list("object_type", "object_id", "object_repr", "changes"))
    text = str(events)
    assert SECRET not in text
    assert not any(key in text for key in keys)
    assert not any(t in ("surveys.response", "surveys.answer") for t, *_ in events)


def test_a_superuser_cannot_get_from_a_response_to_a_person(answered, api, browser_client):
    root = get_user_model().objects.create_superuser("root", password="x")
    client = api(root)
    results = client.get(f"/api/v1/surveys/{answered.pk}/results/").json()
    assert results["respondents"] is None and results["anonymous"] is True
    body = str(results)
    assert SECRET in body  # the text is shown (six responses, over the threshold)...
    for name in ("student_a", "student_b"):  # ...but nothing names or points to who wrote it
        person = answered.invitations.get(person__user__username=name).person
        assert person.name not in body and str(person.pk) not in str(results.get("respondents"))
    assert not any(str(k) in body for k in Response.objects.values_list("pk", flat=True))
    page = browser_client(root).get(reverse("survey_results", args=[answered.pk])).content.decode()
    assert SECRET in page and "测试student_a" not in page
    # The audit trail of the invitations says who answered, and nothing of what or which response.
    events = client.get("/api/v1/audit-events/", {"page_size": 500}).json()
    rows = events["results"] if isinstance(events, dict) else events
    answering = [e for e in rows if e.get("object_type") == "surveys.invitation"]
    assert answering and all(e["changes"] == {"answered": [False, True]} for e in answering)
    assert SECRET not in str(rows)


def test_closing_rewrites_the_order_rows_were_stored_in(world):
    """Rows keep their writing order on disk; closing stores them again in random order."""
    survey = open_survey(world, make_survey(world))
    others = make_students(world, 30, start=400)
    invite_students(survey, others)
    for student in others:
        invitation = Invitation.objects.get(survey=survey, person_id=student.person_id)
        services.submit_answers(actor=world.operator, invitation=invitation, answers=answers_for(survey))
    written = [str(pk) for pk in Response.objects.order_by("submitted_on").values_list("pk", flat=True)]
    stored_before = _physical_order()
    services.survey_close(actor=world.operator, survey=survey)
    stored_after = _physical_order()
    assert set(stored_after) == set(written) and stored_after != stored_before


def _physical_order() -> list[str]:
    """Return the responses' keys in the order the database stores them (rowid in SQLite, ctid in PostgreSQL)."""
    table = Response._meta.db_table
    column = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} ORDER BY {column}")  # noqa: S608 - fixed names
        return [str(uuid.UUID(str(row[0]))) if not isinstance(row[0], uuid.UUID) else str(row[0]) for row in cursor]


def test_the_threshold_is_configurable():
    assert getattr(settings, "SURVEYS_ANONYMITY_THRESHOLD", 5) >= 1


def test_only_the_respondent_reads_the_event_of_answering(world, answered, api):
    """Who answered when, beside two readings of the results, could single out answers: nobody else sees it."""

    def answering_events(user):
        rows = api(user).get("/api/v1/audit-events/", {"page_size": 500}).json()["results"]
        return [e for e in rows if e["object_type"] == "surveys.invitation"]

    assert len(answering_events(world.users["student_a"])) == 1
    for name in ("park_admin", "committee", "operator", "college_a_admin"):
        user = world.users[name]
        # (The fixture lets the operator answer for the other students: those events are the operator's own.)
        assert all(e["actor"] == user.pk for e in answering_events(user)), name
    assert not [e for e in answering_events(world.users["park_admin"]) if e["actor_label"] == "student_a"]
