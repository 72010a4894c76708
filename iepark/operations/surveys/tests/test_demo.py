"""The surveys part of the demo park."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from iepark.core.demo.builder import DEMO_EXTENSIONS
from iepark.operations.surveys import demo, selectors
from iepark.operations.surveys.choices import ServiceArea, SurveyStatus
from iepark.operations.surveys.models import Answer, Invitation, Survey
from iepark.operations.tests.factories import make_assignment, make_building, make_point, make_room, make_students


def _park(world):
    building = make_building(world.park)
    students = make_students(world, 12, start=700, cohort_year=2025)
    for n, student in enumerate(students):
        room = make_room(building, f"1{n:02d}", beds=1)
        make_assignment(student, room.beds.first())
    make_point(world.park)


def test_demo_is_registered():
    assert demo.build in DEMO_EXTENSIONS


def test_demo_builds_surveys_with_answers_fast_and_deterministically(world):
    _park(world)
    admin = get_user_model().objects.create_superuser("demo-admin", password="x")
    said: list[str] = []
    demo.build(world.park, actor=admin, seed=7, say=said.append)
    assert said
    surveys = {s.area: s for s in Survey.objects.filter(park=world.park)}
    accommodation = surveys[ServiceArea.ACCOMMODATION]
    assert accommodation.anonymous and accommodation.status == SurveyStatus.CLOSED
    assert accommodation.invited_count == 12 and accommodation.answered_count == 7
    assert surveys[ServiceArea.CATERING].status == SurveyStatus.OPEN
    teaching = surveys[ServiceArea.TEACHING_FACILITIES]
    assert not teaching.anonymous and teaching.status == SurveyStatus.OPEN
    assert not Invitation.objects.get(survey=teaching, person=world.persons["student_a"]).answered
    catering = selectors.satisfaction_series(admin, world.park, ServiceArea.CATERING, months=12)
    assert len(catering) >= 3
    # Built once per park.
    demo.build(world.park, actor=admin, seed=7)
    assert Survey.objects.filter(park=world.park).count() == 3


def _ratings() -> list[tuple]:
    return sorted(
        Answer.objects.filter(rating__isnull=False).values_list("question__text", "rating", "response__submitted_on")
    )


def test_demo_is_deterministic_for_the_seed(world):
    from django.db import transaction

    _park(world)
    admin = get_user_model().objects.create_superuser("demo-admin", password="x")

    class Rollback(Exception):
        pass

    runs = []
    for _ in range(2):
        try:
            with transaction.atomic():
                demo.build(world.park, actor=admin, seed=3)
                runs.append(_ratings())
                raise Rollback
        except Rollback:
            pass
    assert runs[0] and runs[0] == runs[1]
