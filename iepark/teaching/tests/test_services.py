"""Writes of teaching: policy, validation, audit, nothing half-written."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from iepark.careers.models import Notification
from iepark.core.models import AuditEvent
from iepark.teaching import services
from iepark.teaching.choices import AgreementScope, AgreementStatus, AgreementType, CohortType, CourseType, RoomKind
from iepark.teaching.models import Cohort, CooperationAgreement, Course, Enrolment, Room, Term
from iepark.teaching.selectors import agreement_list
from iepark.testing import audit_count

from .factories import (
    START,
    enrol,
    make_agreement,
    make_cohort,
    make_course,
    make_feature,
    make_order_class,
    make_room,
    make_students,
    make_term,
)

TODAY = timezone.localdate()


def _agreement(world, user, **extra):
    fields = {
        "park": world.park,
        "title": "订单班合作协议",
        "agreement_type": AgreementType.SCHOOL_ENTERPRISE,
        "parties": [world.college_a, world.enterprise_1],
        "scopes": [AgreementScope.ORDER_CLASS],
        "start_date": TODAY - datetime.timedelta(days=10),
        "end_date": TODAY + datetime.timedelta(days=700),
    }
    return services.agreement_create(actor=user, **{**fields, **extra})


# --- agreements --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["park_admin", "coordinator"])
def test_teaching_admins_create_agreements_with_audit(world, persona):
    agreement = _agreement(world, world.users[persona])
    assert set(agreement.parties.all()) == {world.college_a, world.enterprise_1}
    assert agreement.agreement_status == AgreementStatus.DRAFT
    assert audit_count(CooperationAgreement, "create", agreement.pk) == 1


@pytest.mark.parametrize("persona", ["committee", "college_a_admin", "hr_e1", "student_a", "other_admin", "outsider"])
def test_others_cannot_create_agreements(world, persona):
    with pytest.raises(PermissionDenied):
        _agreement(world, world.users[persona])
    assert not CooperationAgreement.objects.exists() and not AuditEvent.objects.exists()


def test_agreement_parties_are_checked(world):
    admin = world.park_admin
    with pytest.raises(ValidationError) as exc:
        _agreement(world, admin, parties=[world.college_a])
    assert "at least two parties" in exc.value.message_dict["parties"][0]
    with pytest.raises(ValidationError) as exc:
        _agreement(world, admin, parties=[world.college_a, world.college_b])
    assert "one college and one enterprise" in exc.value.message_dict["parties"][0]
    with pytest.raises(ValidationError) as exc:
        _agreement(world, admin, agreement_type=AgreementType.SCHOOL_SCHOOL)
    assert "between colleges" in exc.value.message_dict["parties"][0]
    with pytest.raises(ValidationError) as exc:
        _agreement(world, admin, parties=[world.college_a, world.other_college, world.enterprise_1])
    assert "parties" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _agreement(world, admin, scopes=[])
    assert "scopes" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _agreement(world, admin, end_date=TODAY - datetime.timedelta(days=30))
    assert "end_date" in exc.value.message_dict
    school = _agreement(
        world, admin, agreement_type=AgreementType.SCHOOL_SCHOOL, parties=[world.college_a, world.college_b]
    )
    assert school.pk
    assert CooperationAgreement.objects.count() == 1 and audit_count(CooperationAgreement) == 1


def test_agreement_lifecycle_and_termination_needs_a_reason(world):
    admin = world.park_admin
    agreement = _agreement(world, admin)
    with pytest.raises(ValidationError):
        services.agreement_activate(actor=admin, agreement=agreement)  # a draft is signed first
    agreement = services.agreement_sign(actor=admin, agreement=agreement)
    assert agreement.agreement_status == AgreementStatus.SIGNED and agreement.signed_on == TODAY
    agreement = services.agreement_activate(actor=admin, agreement=agreement)
    assert agreement.agreement_status == AgreementStatus.ACTIVE
    with pytest.raises(ValidationError) as exc:
        services.agreement_terminate(actor=admin, agreement=agreement, reason="  ")
    assert exc.value.message_dict["termination_reason"] == ["Give the reason for the termination."]
    with pytest.raises(PermissionDenied):
        services.agreement_terminate(actor=world.college_a_admin, agreement=agreement, reason="x")
    agreement = services.agreement_terminate(actor=admin, agreement=agreement, reason="企业停产")
    assert agreement.agreement_status == AgreementStatus.TERMINATED and agreement.terminated_on == TODAY
    with pytest.raises(ValidationError):
        services.agreement_sign(actor=admin, agreement=agreement)
    assert audit_count(CooperationAgreement, "update", agreement.pk) == 3
    with pytest.raises(ValidationError):
        services.agreement_delete(actor=admin, agreement=agreement)


def test_terminated_without_reason_is_refused_by_the_database(world):
    agreement = make_agreement(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        CooperationAgreement.objects.filter(pk=agreement.pk).update(agreement_status=AgreementStatus.TERMINATED)


def test_expiry_is_computed_from_the_end_date(world):
    past = make_agreement(
        world, title="过期", start_date=datetime.date(2020, 1, 1), end_date=TODAY - datetime.timedelta(days=1)
    )
    draft = make_agreement(
        world,
        title="草稿",
        status=AgreementStatus.DRAFT,
        start_date=datetime.date(2020, 1, 1),
        end_date=TODAY - datetime.timedelta(days=1),
    )
    rows = {a.pk: a for a in agreement_list(user=world.park_admin)}
    assert rows[past.pk].current_status == AgreementStatus.EXPIRED
    assert rows[draft.pk].current_status == AgreementStatus.DRAFT
    assert past.live_status() == AgreementStatus.EXPIRED
    with pytest.raises(ValidationError):
        services.agreement_terminate(actor=world.park_admin, agreement=past, reason="x")


def test_reminders_go_once_to_the_parties_administrators(world):
    soon = make_agreement(world, title="将到期", end_date=TODAY + datetime.timedelta(days=20), reminder_days=30)
    make_agreement(world, title="远期", end_date=TODAY + datetime.timedelta(days=200))
    make_agreement(world, title="草稿", status=AgreementStatus.DRAFT, end_date=TODAY + datetime.timedelta(days=5))
    call_command("teaching_tick")
    reminded = Notification.objects.filter(kind="teaching.agreement_expiring")
    assert {n.recipient for n in reminded} == {world.college_a_admin, world.hr_e1}
    soon.refresh_from_db()
    assert soon.reminder_sent_at is not None
    assert audit_count(CooperationAgreement, "update", soon.pk) == 1
    call_command("teaching_tick")
    assert Notification.objects.filter(kind="teaching.agreement_expiring").count() == 2


def test_tick_task_runs(world, settings, django_capture_on_commit_callbacks):
    from iepark.core.tasks import job_start

    settings.IEPARK_TASK_RUNNER = "sync"
    make_agreement(world, end_date=TODAY + datetime.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=world.park_admin, kind="teaching.tick")
    job.refresh_from_db()
    assert job.status == "succeeded" and len(job.result["reminded"]) == 1


# --- cohorts and enrolments ------------------------------------------------------------------------------


def _order_class(world, user, **extra):
    agreement = extra.pop("agreement", None) or make_agreement(world)
    fields = {
        "college": world.college_a,
        "major": world.major,
        "name": "国能订单班",
        "intake_year": 2024,
        "cohort_type": CohortType.ORDER_CLASS,
        "sponsor": world.enterprise_1,
        "seats": 30,
        "hiring_commitment": 25,
        "hiring_terms": "毕业考核合格者录用",
        "agreement": agreement,
    }
    return services.cohort_create(actor=user, **{**fields, **extra})


@pytest.mark.parametrize("persona", ["park_admin", "coordinator", "college_a_admin"])
def test_order_class_is_created_by_teaching_admins_and_its_college(world, persona):
    cohort = _order_class(world, world.users[persona])
    assert cohort.sponsor == world.enterprise_1 and audit_count(Cohort, "create", cohort.pk) == 1


@pytest.mark.parametrize("persona", ["college_b_admin", "manager_a", "hr_e1", "teacher_a", "committee", "other_admin"])
def test_others_cannot_create_cohorts_of_college_a(world, persona):
    with pytest.raises(PermissionDenied):
        _order_class(world, world.users[persona])
    assert not Cohort.objects.exists()


def test_order_class_needs_a_matching_agreement(world):
    admin = world.park_admin
    with pytest.raises(ValidationError) as exc:
        _order_class(world, admin, agreement=make_agreement(world, title="实习", scopes=[AgreementScope.INTERNSHIP]))
    assert exc.value.message_dict["agreement"] == ["The agreement does not cover order classes."]
    with pytest.raises(ValidationError) as exc:
        _order_class(world, admin, sponsor=world.enterprise_2)
    assert exc.value.message_dict["agreement"] == ["The sponsoring enterprise is not a party to the agreement."]
    with pytest.raises(ValidationError) as exc:
        _order_class(world, admin, seats=None)
    assert "seats" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _order_class(world, admin, sponsor=world.college_b)
    assert "sponsor" in exc.value.message_dict
    assert not Cohort.objects.exists() and audit_count(Cohort) == 0


def test_agreement_class_and_regular_class(world):
    admin = world.college_a_admin
    agreement = make_agreement(world, scopes=[AgreementScope.AGREEMENT_CLASS])
    cohort = services.cohort_create(
        actor=admin,
        college=world.college_a,
        major=world.major,
        name="协议班",
        intake_year=2024,
        cohort_type=CohortType.AGREEMENT_CLASS,
        agreement=agreement,
        sponsor=world.enterprise_1,  # ignored: only order classes have sponsors
    )
    assert cohort.sponsor is None
    with pytest.raises(ValidationError):
        services.cohort_create(
            actor=admin,
            college=world.college_a,
            major=world.major,
            name="x",
            intake_year=2024,
            cohort_type="agreement_class",
        )


def test_enrolment_respects_seats_college_and_keeps_history(world):
    cohort = make_order_class(world, seats=2)
    students = make_students(world, 3)
    admin = world.college_a_admin
    first = services.enrol(actor=admin, cohort=cohort, student=students[0])
    services.enrol(actor=admin, cohort=cohort, student=students[1])
    with pytest.raises(ValidationError) as exc:
        services.enrol(actor=admin, cohort=cohort, student=students[2])
    assert exc.value.message_dict["cohort"] == ["The order class is full (2 seats)."]
    with pytest.raises(ValidationError) as exc:
        services.enrol(actor=admin, cohort=cohort, student=students[0])
    assert "student" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.enrol(actor=world.park_admin, cohort=cohort, student=world.b_student)
    assert exc.value.message_dict["student"] == ["Only students of the cohort's college can join it."]
    with pytest.raises(PermissionDenied):
        services.enrol(actor=world.college_b_admin, cohort=cohort, student=students[2])
    with pytest.raises(ValidationError) as exc:
        services.enrolment_end(actor=admin, enrolment=first, reason="")
    assert "leave_reason" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.enrolment_end(actor=world.hr_e1, enrolment=first, reason="x")
    left = services.enrolment_end(actor=admin, enrolment=first, reason="转专业", end_date=TODAY)
    assert left.end_date and left.leave_reason == "转专业"
    services.enrol(actor=admin, cohort=cohort, student=students[2])
    assert Enrolment.objects.filter(cohort=cohort).count() == 3  # the one who left stays in the history
    assert audit_count(Enrolment, "create") == 3 and audit_count(Enrolment, "update") == 1
    with pytest.raises(ValidationError) as exc:
        services.cohort_update(actor=admin, cohort=cohort, data={"seats": 1})
    assert "seats" in exc.value.message_dict


def test_database_refuses_a_second_current_enrolment_and_an_incomplete_order_class(world):
    cohort = make_cohort(world)
    enrol(cohort, world.a_student)
    with pytest.raises(IntegrityError), transaction.atomic():
        enrol(cohort, world.a_student)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cohort.objects.create(
            college=world.college_a, major=world.major, name="残缺", intake_year=2024, cohort_type="order_class"
        )


# --- terms, rooms, courses -----------------------------------------------------------------------------------


def test_term_validation(world):
    admin = world.coordinator
    fields = {
        "park": world.park,
        "name": "2025秋",
        "start_date": START,
        "end_date": START + datetime.timedelta(days=125),
    }
    with pytest.raises(ValidationError) as exc:
        services.term_create(actor=admin, teaching_weeks=30, **fields)
    assert "teaching_weeks" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.term_create(actor=admin, teaching_weeks=18, holidays=["2026-05-01"], **fields)
    assert "Holidays must fall inside the term: 2026-05-01." in exc.value.message_dict["holidays"]
    with pytest.raises(ValidationError) as exc:
        services.term_create(actor=admin, teaching_weeks=18, **{**fields, "end_date": START})
    assert "end_date" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.term_create(actor=world.college_a_admin, teaching_weeks=18, **fields)
    term = services.term_create(
        actor=admin, teaching_weeks=18, holidays=[datetime.date(2025, 10, 1), "2025-10-01"], **fields
    )
    assert term.holidays == ["2025-10-01"] and audit_count(Term, "create", term.pk) == 1


def test_room_owner_and_features(world):
    admin = world.park_admin
    sim = make_feature(world.park)
    room = services.room_create(
        actor=admin,
        park=world.park,
        building="实训楼",
        number="201",
        room_kind=RoomKind.TRAINING_ROOM,
        capacity=40,
        owner=world.enterprise_1,
        features=[sim],
    )
    assert list(room.features.all()) == [sim]
    with pytest.raises(ValidationError) as exc:
        services.room_create(
            actor=admin, park=world.park, building="x", number="1", room_kind="lab", capacity=10, owner=world.committee
        )
    assert "owner" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.room_create(
            actor=admin,
            park=world.park,
            building="x",
            number="2",
            room_kind="lab",
            capacity=10,
            owner=world.operator_org,
            features=[make_feature(world.other_park)],
        )
    with pytest.raises(PermissionDenied):
        services.room_create(
            actor=world.operator,
            park=world.park,
            building="x",
            number="3",
            room_kind="lab",
            capacity=5,
            owner=world.operator_org,
        )
    assert Room.objects.count() == 1


def test_course_rules(world):
    admin = world.college_a_admin
    term = make_term(world.park)
    cohort = make_cohort(world)
    sim = make_feature(world.park)
    base = {
        "term": term,
        "college": world.college_a,
        "code": "P201",
        "name": "煤化工仿真实训",
        "teachers": [world.a_teacher],
        "cohorts": [cohort],
        "lectures_per_week": 4,
        "min_working_days": 2,
    }
    with pytest.raises(ValidationError) as exc:
        services.course_create(actor=admin, course_type=CourseType.PRACTICAL, **base)
    assert "required_room_kind" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.course_create(
            actor=admin,
            course_type=CourseType.PRACTICAL,
            required_room_kind=RoomKind.TRAINING_ROOM,
            required_features=[sim],
            **base,
        )
    assert exc.value.message_dict["required_room_kind"] == [
        "No active room of the park has this kind and all the required features."
    ]
    make_room(world, "实训201", room_kind=RoomKind.TRAINING_ROOM, features=[sim])
    course = services.course_create(
        actor=admin,
        course_type=CourseType.PRACTICAL,
        required_room_kind=RoomKind.TRAINING_ROOM,
        required_features=[sim],
        **base,
    )
    assert audit_count(Course, "create", course.pk) == 1
    with pytest.raises(ValidationError) as exc:
        services.course_create(actor=admin, **{**base, "code": "X1", "min_working_days": 6})
    assert "min_working_days" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.course_create(
            actor=world.park_admin,
            **{**base, "code": "X2", "cohorts": [make_cohort(world, "乙班", college=world.college_b)]},
        )
    assert "cohorts" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.course_create(actor=world.college_b_admin, **{**base, "code": "X3"})
    with pytest.raises(ValidationError) as exc:
        services.course_update(actor=admin, course=course, data={"lectures_per_week": 41})
    assert "lectures_per_week" in exc.value.message_dict
    updated = services.course_update(
        actor=admin, course=course, data={"lectures_per_week": 5}, teachers=[world.a_teacher]
    )
    assert updated.lectures_per_week == 5 and audit_count(Course, "update", course.pk) == 1


def test_teacher_unavailability_fits_the_term(world):
    term = make_term(world.park, days_per_week=5, periods_per_day=8)
    admin = world.college_a_admin
    with pytest.raises(ValidationError) as exc:
        services.teacher_unavailability_create(
            actor=admin, term=term, teacher=world.a_teacher, day_of_week=5, first_period=1, last_period=2
        )
    assert "day_of_week" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.teacher_unavailability_create(
            actor=admin, term=term, teacher=world.a_teacher, day_of_week=1, first_period=3, last_period=2
        )
    assert "last_period" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.teacher_unavailability_create(
            actor=world.college_b_admin,
            term=term,
            teacher=world.a_teacher,
            day_of_week=1,
            first_period=1,
            last_period=2,
        )
    row = services.teacher_unavailability_create(
        actor=admin, term=term, teacher=world.a_teacher, day_of_week=0, first_period=1, last_period=4, reason="教研活动"
    )
    assert row.pk


def test_term_change_that_breaks_a_course_is_refused(world):
    make_cohort(world)
    course = make_course(world, lectures_per_week=5, min_working_days=5)
    with pytest.raises(ValidationError):
        services.term_update(actor=world.park_admin, term=course.term, data={"days_per_week": 4})
    course.term.refresh_from_db()
    assert course.term.days_per_week == 5


def test_tick_command_options(world):
    from django.core.management.base import CommandError

    later = make_agreement(world, title="明年到期", end_date=TODAY + datetime.timedelta(days=200))
    call_command("teaching_tick", "--park", world.other_park.code)
    call_command("teaching_tick", "--date", TODAY.isoformat())
    later.refresh_from_db()
    assert later.reminder_sent_at is None
    call_command(
        "teaching_tick", "--park", world.park.code, "--date", (TODAY + datetime.timedelta(days=180)).isoformat()
    )
    later.refresh_from_db()
    assert later.reminder_sent_at is not None
    with pytest.raises(CommandError):
        call_command("teaching_tick", "--date", "tomorrow")
    with pytest.raises(CommandError):
        call_command("teaching_tick", "--park", "nowhere")
