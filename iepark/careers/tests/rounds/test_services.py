"""The rounds' services: preparing and opening a round, students' lists, enterprises' rankings."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from iepark.careers.choices import NotificationKind, RoundStatus, VettingStatus
from iepark.careers.models import MatchingRound, Notification, RoundPosition, RoundStudentList
from iepark.careers.rounds import services
from iepark.careers.testing import make_posting
from iepark.core.choices import StudentStatus
from iepark.core.models import AuditEvent
from iepark.testing import audit_count

from .helpers import COHORT, Scene, make_list, make_position, make_round, make_student

IN_A_WEEK = datetime.timedelta(days=7)


def _messages(excinfo, field):
    return " ".join(excinfo.value.message_dict[field])


# --- creating and preparing a round ------------------------------------------------------


def test_coordinator_creates_a_round_with_audit(world):
    deadline = timezone.now() + IN_A_WEEK
    matching_round = services.round_create(
        actor=world.coordinator, park=world.park, name="2027 届双选", cohort_year=2024, deadline=deadline
    )
    assert matching_round.status == RoundStatus.DRAFT
    assert audit_count(matching_round, "create", matching_round.pk) == 1


@pytest.mark.parametrize("persona", ["hr_e1", "student_a", "committee", "college_a_admin", "other_admin"])
def test_only_the_parks_round_managers_create_rounds(world, persona):
    with pytest.raises(PermissionDenied):
        services.round_create(
            actor=world.users[persona],
            park=world.park,
            name="x",
            cohort_year=2024,
            deadline=timezone.now() + IN_A_WEEK,
        )
    assert not MatchingRound.objects.exists()


def test_a_round_needs_a_future_deadline_and_offers_due_after_it(world):
    with pytest.raises(ValidationError) as excinfo:
        services.round_create(
            actor=world.park_admin,
            park=world.park,
            name="x",
            cohort_year=2024,
            deadline=timezone.now() - datetime.timedelta(hours=1),
        )
    assert "deadline" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        services.round_create(
            actor=world.park_admin,
            park=world.park,
            name="x",
            cohort_year=2024,
            deadline=timezone.now() + IN_A_WEEK,
            offer_deadline=timezone.localdate(),
        )
    assert "offer_deadline" in excinfo.value.message_dict
    assert not MatchingRound.objects.exists()


def test_the_cohort_cannot_change_once_the_round_is_open(world):
    matching_round = make_round(world, status=RoundStatus.OPEN)
    with pytest.raises(ValidationError) as excinfo:
        services.round_update(actor=world.coordinator, matching_round=matching_round, data={"cohort_year": 2025})
    assert "cohort_year" in excinfo.value.message_dict
    services.round_update(actor=world.coordinator, matching_round=matching_round, data={"name": "改名"})
    matching_round.refresh_from_db()
    assert matching_round.name == "改名" and matching_round.cohort_year == COHORT


def test_positions_are_approved_postings_of_the_park_with_seats(world):
    matching_round = make_round(world, status=RoundStatus.DRAFT)
    posting = make_posting(world)
    position = services.round_position_add(
        actor=world.coordinator, matching_round=matching_round, posting=posting, capacity=0
    )
    assert position.capacity == 0 and audit_count(position, "create", position.pk) == 1

    draft = make_posting(world, title="草稿岗位", status=VettingStatus.SUBMITTED)
    with pytest.raises(ValidationError) as excinfo:
        services.round_position_add(actor=world.coordinator, matching_round=matching_round, posting=draft, capacity=1)
    assert "approved" in _messages(excinfo, "posting")
    with pytest.raises(ValidationError) as excinfo:
        services.round_position_add(actor=world.coordinator, matching_round=matching_round, posting=posting, capacity=1)
    assert "posting" in excinfo.value.message_dict
    other = make_posting(world, world.enterprise_2, title="另一岗位")
    with pytest.raises(ValidationError) as excinfo:
        services.round_position_add(actor=world.coordinator, matching_round=matching_round, posting=other, capacity=-1)
    assert "capacity" in excinfo.value.message_dict
    assert RoundPosition.objects.count() == 1


def test_enterprises_do_not_add_positions_or_change_seats(world):
    matching_round = make_round(world, status=RoundStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        services.round_position_add(
            actor=world.hr_e1, matching_round=matching_round, posting=make_posting(world), capacity=3
        )
    position = make_position(world, matching_round)
    with pytest.raises(PermissionDenied):
        services.round_position_update(actor=world.hr_e1, position=position, data={"capacity": 9})
    position.refresh_from_db()
    assert position.capacity == 1


def test_positions_are_removed_only_in_draft(world):
    matching_round = make_round(world, status=RoundStatus.OPEN)
    position = make_position(world, matching_round)
    with pytest.raises(ValidationError):
        services.round_position_delete(actor=world.coordinator, position=position)
    services.round_position_update(actor=world.coordinator, position=position, data={"capacity": 0})
    position.refresh_from_db()
    assert position.capacity == 0


# --- opening -----------------------------------------------------------------------------


def test_opening_notifies_eligible_students_and_the_enterprises_hr(world):
    matching_round = make_round(world, status=RoundStatus.DRAFT)
    make_position(world, matching_round)  # E1 takes part; E2 does not
    withdrawn = make_student(world, 50, status=StudentStatus.WITHDRAWN)
    other_cohort = make_student(world, 51, cohort_year=2025)
    for student in (withdrawn, other_cohort):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_user(username=f"u{student.pk}")
        student.person.user = user
        student.person.save()
    services.round_open(actor=world.coordinator, matching_round=matching_round)
    matching_round.refresh_from_db()
    assert matching_round.status == RoundStatus.OPEN
    told = set(
        Notification.objects.filter(kind=NotificationKind.ROUND_OPENED).values_list("recipient__username", flat=True)
    )
    assert told == {"student_a", "student_b", "hr_e1"}


def test_a_round_opens_only_from_draft_with_positions(world):
    matching_round = make_round(world, status=RoundStatus.DRAFT)
    with pytest.raises(ValidationError) as excinfo:
        services.round_open(actor=world.coordinator, matching_round=matching_round)
    assert "positions" in excinfo.value.message_dict
    make_position(world, matching_round)
    with pytest.raises(PermissionDenied):
        services.round_open(actor=world.hr_e1, matching_round=matching_round)
    services.round_open(actor=world.coordinator, matching_round=matching_round)
    with pytest.raises(ValidationError):
        services.round_open(actor=world.coordinator, matching_round=matching_round)
    assert Notification.objects.filter(kind=NotificationKind.ROUND_OPENED).count() == 3


# --- students' lists ----------------------------------------------------------------------


def test_a_student_submits_and_replaces_their_list(world):
    matching_round = make_round(world)
    p1, p2 = make_position(world, matching_round), make_position(world, matching_round, world.enterprise_2)
    first = services.student_list_submit(
        actor=world.student_a, matching_round=matching_round, student=world.a_student, preferences=[p2.pk, p1.pk]
    )
    assert first.preferences == [p2.pk, p1.pk] and first.submitted_at is not None
    again = services.student_list_submit(
        actor=world.student_a, matching_round=matching_round, student=world.a_student, preferences=[str(p1.pk)]
    )
    assert again.pk == first.pk and again.preferences == [p1.pk]
    assert RoundStudentList.objects.count() == 1
    assert audit_count(first, "update", first.pk) == 1


def test_a_student_cannot_submit_anothers_list(world):
    matching_round = make_round(world)
    position = make_position(world, matching_round)
    with pytest.raises(PermissionDenied):
        services.student_list_submit(
            actor=world.student_b, matching_round=matching_round, student=world.a_student, preferences=[position.pk]
        )
    make_list(matching_round, world.a_student, [position])
    with pytest.raises(PermissionDenied):
        services.student_list_submit(
            actor=world.student_b, matching_round=matching_round, student=world.a_student, preferences=[position.pk]
        )


def test_bad_lists_are_refused_with_every_problem_named(world):
    matching_round = make_round(world)
    position = make_position(world, matching_round)
    elsewhere = make_position(world, make_round(world, name="另一轮"), world.enterprise_2)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.student_list_submit(
            actor=world.student_a,
            matching_round=matching_round,
            student=world.a_student,
            preferences=[position.pk, position.pk, 999999, elsewhere.pk, "abc"],
        )
    text = _messages(excinfo, "preferences")
    assert "listed twice" in text
    assert "Unknown position id 999999" in text
    assert f"Position {elsewhere.pk} is not in this round" in text
    assert "“abc” is not a position id" in text
    with pytest.raises(ValidationError) as excinfo:
        services.student_list_submit(
            actor=world.student_a, matching_round=matching_round, student=world.a_student, preferences=[]
        )
    assert "at least one" in _messages(excinfo, "preferences")
    assert not RoundStudentList.objects.exists() and AuditEvent.objects.count() == before


def test_lists_after_the_deadline_or_outside_an_open_round_are_refused(world):
    late = make_round(world, deadline=timezone.now() - datetime.timedelta(minutes=1))
    position = make_position(world, late)
    with pytest.raises(ValidationError) as excinfo:
        services.student_list_submit(
            actor=world.student_a, matching_round=late, student=world.a_student, preferences=[position.pk]
        )
    assert "deadline" in _messages(excinfo, "round")
    closed = make_round(world, status=RoundStatus.CLOSED, name="已截止")
    position = make_position(world, closed)
    with pytest.raises(ValidationError) as excinfo:
        services.student_list_submit(
            actor=world.student_a, matching_round=closed, student=world.a_student, preferences=[position.pk]
        )
    assert "round" in excinfo.value.message_dict
    assert not RoundStudentList.objects.exists()


def test_students_outside_the_cohort_or_withdrawn_are_not_eligible(world):
    matching_round = make_round(world, cohort_year=2025)
    position = make_position(world, matching_round)
    with pytest.raises(ValidationError) as excinfo:
        services.student_list_submit(
            actor=world.student_a, matching_round=matching_round, student=world.a_student, preferences=[position.pk]
        )
    assert "student" in excinfo.value.message_dict
    world.a_student.cohort_year = 2025
    world.a_student.status = StudentStatus.WITHDRAWN
    world.a_student.save()
    with pytest.raises(ValidationError):
        services.student_list_submit(
            actor=world.student_a, matching_round=matching_round, student=world.a_student, preferences=[position.pk]
        )


# --- enterprises' rankings -----------------------------------------------------------------


def test_hr_ranks_the_students_who_listed_their_position_with_ties(world):
    scene = Scene(world)
    applicants = [lst.student_id for lst in scene.lists if scene.p3.pk in lst.preferences]
    ranking = services.ranking_from_ranks({applicants[0]: 2, applicants[1]: 1, applicants[2]: 2})
    assert ranking == [applicants[1], sorted(applicants[:3:2])]
    position = services.position_ranking_submit(actor=world.hr_e2, position=scene.p3, ranking=ranking)
    assert position.ranking == ranking and position.ranking_submitted_at is not None
    assert audit_count(position, "update", position.pk) == 1


def test_hr_of_another_enterprise_cannot_rank(world):
    scene = Scene(world)
    with pytest.raises(PermissionDenied):
        services.position_ranking_submit(actor=world.hr_e2, position=scene.p1, ranking=[world.a_student.pk])
    with pytest.raises(PermissionDenied):
        services.position_ranking_submit(actor=world.student_a, position=scene.p1, ranking=[world.a_student.pk])


def test_bad_rankings_are_refused_and_nothing_written(world):
    scene = Scene(world)
    stranger = make_student(world, 90)  # eligible, but did not list the position
    other_cohort = make_student(world, 91, cohort_year=2025)
    listed = [lst.student_id for lst in scene.lists if scene.p3.pk in lst.preferences]
    with pytest.raises(ValidationError) as excinfo:
        services.position_ranking_submit(
            actor=world.hr_e2,
            position=scene.p3,
            ranking=[listed[0], [listed[1], listed[0]], 987654, stranger.pk, other_cohort.pk, []],
        )
    text = _messages(excinfo, "ranking")
    assert f"Student {listed[0]} is ranked twice" in text
    assert "Unknown student id 987654" in text
    assert f"Student {stranger.pk} did not list this position" in text
    assert f"Student {other_cohort.pk} is not eligible" in text
    assert "empty" in text
    scene.p3.refresh_from_db()
    assert scene.p3.ranking == [] and scene.p3.ranking_submitted_at is None


def test_rankings_are_closed_once_the_round_is_run(world):
    scene = Scene(world, status=RoundStatus.COMPUTED)
    with pytest.raises(ValidationError) as excinfo:
        services.position_ranking_submit(actor=world.hr_e1, position=scene.p1, ranking=[])
    assert "ranking" in excinfo.value.message_dict


def test_a_round_in_draft_is_deleted_with_its_positions_others_are_cancelled(world):
    draft = make_round(world, status=RoundStatus.DRAFT)
    make_position(world, draft)
    services.round_delete(actor=world.coordinator, matching_round=draft)
    assert not MatchingRound.objects.filter(pk=draft.pk).exists()
    opened = make_round(world, status=RoundStatus.OPEN)
    with pytest.raises(ValidationError):
        services.round_delete(actor=world.coordinator, matching_round=opened)
    services.round_cancel(actor=world.coordinator, matching_round=opened)
    opened.refresh_from_db()
    assert opened.status == RoundStatus.CANCELLED
    with pytest.raises(ValidationError):
        services.round_cancel(actor=world.coordinator, matching_round=opened)
