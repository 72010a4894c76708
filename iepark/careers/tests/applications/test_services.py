"""The workflow services: each step's happy path, the wrong party refused, bad transitions refused, nothing half-written."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from iepark.careers.applications import services
from iepark.careers.choices import (
    ApplicationStatus,
    ContractType,
    InterviewStatus,
    NotificationKind,
    OfferStatus,
    PostingKind,
    RecordSource,
    RoundStatus,
    VettingStatus,
)
from iepark.careers.models import Application, EmploymentRecord, Interview, MatchingRound, Notification, Offer
from iepark.careers.testing import make_application, make_offer, make_posting
from iepark.core.models import AuditEvent

from .helpers import in_days, make_interview, make_student, other_park_posting, soon


def audit_total() -> int:
    return AuditEvent.objects.count()


def notes(user, kind=None):
    qs = Notification.objects.filter(recipient=user)
    return qs.filter(kind=kind) if kind else qs


# --- career profiles ------------------------------------------------------------------------


def test_student_creates_and_edits_their_own_profile(world):
    profile = services.student_profile_create(
        actor=world.student_a, student=world.a_student, skills="DCS 操作", open_to_offers=True
    )
    services.student_profile_update(actor=world.student_a, profile=profile, data={"cv": "两年实习经历"})
    profile.refresh_from_db()
    assert profile.skills == "DCS 操作" and profile.cv == "两年实习经历"
    assert AuditEvent.objects.filter(object_type="careers.studentprofile", object_id=str(profile.pk)).count() == 2


def test_a_student_cannot_write_another_students_profile(world):
    with pytest.raises(PermissionDenied):
        services.student_profile_create(actor=world.student_b, student=world.a_student, skills="x")
    profile = services.student_profile_create(actor=world.manager_a, student=world.a_student, skills="焊接")
    before = audit_total()
    for intruder in (world.student_b, world.hr_e1, world.college_b_admin):
        with pytest.raises(PermissionDenied):
            services.student_profile_update(actor=intruder, profile=profile, data={"skills": "改写"})
    assert audit_total() == before


def test_a_second_profile_is_refused_with_a_clear_error(world):
    services.student_profile_create(actor=world.student_a, student=world.a_student)
    with pytest.raises(ValidationError) as exc:
        services.student_profile_create(actor=world.student_a, student=world.a_student)
    assert "student" in exc.value.message_dict


# --- applying -------------------------------------------------------------------------------


def test_student_applies_and_the_enterprises_hr_is_notified(world, posting):
    application = services.application_create(actor=world.student_a, posting=posting, cover_letter=" 我想加入 ")
    assert application.student == world.a_student and application.status == ApplicationStatus.APPLIED
    assert application.cover_letter == "我想加入"
    assert AuditEvent.objects.filter(
        object_type="careers.application", object_id=str(application.pk), action="create", actor=world.student_a
    ).exists()
    assert notes(world.hr_e1, NotificationKind.APPLICATION_RECEIVED).count() == 1
    assert not notes(world.hr_e2).exists() and not notes(world.mentor_e1).exists()


def test_applying_twice_is_refused(world, posting):
    services.application_create(actor=world.student_a, posting=posting)
    before = audit_total()
    with pytest.raises(ValidationError) as exc:
        services.application_create(actor=world.student_a, posting=posting)
    assert "posting" in exc.value.message_dict
    assert Application.objects.filter(posting=posting).count() == 1
    assert audit_total() == before


@pytest.mark.parametrize(
    "fields",
    [
        {"status": VettingStatus.SUBMITTED},
        {"status": VettingStatus.REJECTED, "rejection_reason": "不合规"},
        {"status": VettingStatus.CLOSED},
        {"employer_status": VettingStatus.SUBMITTED},
        {"closes_on": datetime.date(2020, 1, 1)},
    ],
    ids=["unvetted", "rejected", "closed", "employer-unvetted", "past-closing-date"],
)
def test_applying_to_a_posting_that_is_not_open_is_refused(world, fields):
    posting = make_posting(world, **fields)
    before = audit_total()
    with pytest.raises(ValidationError) as exc:
        services.application_create(actor=world.student_a, posting=posting)
    assert "posting" in exc.value.message_dict
    assert not Application.objects.exists() and audit_total() == before


def test_a_posting_closing_today_is_still_open(world):
    posting = make_posting(world, closes_on=timezone.localdate())
    assert services.application_create(actor=world.student_a, posting=posting).pk


def test_only_students_of_the_postings_park_may_apply(world):
    posting = other_park_posting(world)
    with pytest.raises(ValidationError) as exc:
        services.application_create(actor=world.student_a, posting=posting)
    assert "posting" in exc.value.message_dict
    assert not Application.objects.exists()


@pytest.mark.parametrize("persona", ["hr_e1", "college_a_admin", "park_admin", "outsider"])
def test_non_students_cannot_apply(world, posting, persona):
    with pytest.raises(PermissionDenied):
        services.application_create(actor=world.users[persona], posting=posting)
    assert not Application.objects.exists()


def test_a_student_cannot_apply_in_another_students_name(world, posting):
    with pytest.raises(PermissionDenied):
        services.application_create(actor=world.student_a, posting=posting, student=world.b_student)
    assert not Application.objects.exists()


# --- the pipeline ----------------------------------------------------------------------------


def test_hr_screens_an_application_and_the_student_is_notified(world, application):
    services.application_move(actor=world.hr_e1, application=application, status=ApplicationStatus.SCREENED)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SCREENED
    note = notes(world.student_a, NotificationKind.APPLICATION_MOVED).get()
    assert note.params["status"] == ApplicationStatus.SCREENED and note.url.endswith(f"/applications/{application.pk}/")


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (ApplicationStatus.APPLIED, ApplicationStatus.INTERVIEW),
        (ApplicationStatus.APPLIED, ApplicationStatus.ACCEPTED),
        (ApplicationStatus.INTERVIEW, ApplicationStatus.SCREENED),
        (ApplicationStatus.WITHDRAWN, ApplicationStatus.SCREENED),
        (ApplicationStatus.REJECTED, ApplicationStatus.SCREENED),
    ],
)
def test_bad_transitions_are_refused_and_nothing_is_written(world, posting, start, target):
    application = make_application(posting, world.a_student, status=start)
    before = audit_total()
    with pytest.raises(ValidationError) as exc:
        services.application_move(actor=world.hr_e1, application=application, status=target)
    assert "status" in exc.value.message_dict
    application.refresh_from_db()
    assert application.status == start and audit_total() == before
    assert not notes(world.student_a).exists()


def test_moving_to_offer_needs_the_offers_terms(world, posting):
    application = make_application(posting, world.a_student, status=ApplicationStatus.SCREENED)
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.application_move(actor=world.hr_e1, application=application, status=ApplicationStatus.OFFER)
    assert "offer" in str(exc.value.message_dict["status"]).lower()


@pytest.mark.parametrize("persona", ["hr_e2", "mentor_e1", "student_a", "college_a_admin", "park_admin"])
def test_only_the_enterprises_hr_moves_the_pipeline(world, application, persona):
    before = audit_total()
    with pytest.raises(PermissionDenied):
        services.application_move(
            actor=world.users[persona], application=application, status=ApplicationStatus.SCREENED
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPLIED and audit_total() == before


def test_rejecting_needs_a_reason(world, application):
    with pytest.raises(ValidationError) as exc:
        services.application_reject(actor=world.hr_e1, application=application, reason="  ")
    assert "reason" in exc.value.message_dict
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPLIED


def test_rejecting_at_the_interview_step_cancels_its_times(world, at_interview):
    proposed = make_interview(at_interview)
    chosen = make_interview(at_interview, days=4, status=InterviewStatus.CHOSEN)
    services.application_reject(actor=world.hr_e1, application=at_interview, reason="岗位已满")
    at_interview.refresh_from_db()
    assert at_interview.status == ApplicationStatus.REJECTED and at_interview.status_reason == "岗位已满"
    assert {i.status for i in Interview.objects.filter(pk__in=[proposed.pk, chosen.pk])} == {InterviewStatus.CANCELLED}
    assert notes(world.student_a, NotificationKind.APPLICATION_MOVED).get().params["status"] == "rejected"


def test_rejecting_at_the_offer_step_withdraws_the_offer(world, offer):
    services.application_reject(actor=world.hr_e1, application=offer.application, reason="预算取消")
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN
    assert offer.application.status == ApplicationStatus.REJECTED


def test_a_closed_application_cannot_be_rejected(world, posting):
    application = make_application(posting, world.a_student, status=ApplicationStatus.WITHDRAWN)
    with pytest.raises(ValidationError):
        services.application_reject(actor=world.hr_e1, application=application, reason="迟了")


def test_the_student_withdraws_and_hr_is_notified(world, at_interview):
    interview = make_interview(at_interview)
    services.application_withdraw(actor=world.student_a, application=at_interview, reason="已找到工作")
    at_interview.refresh_from_db()
    interview.refresh_from_db()
    assert at_interview.status == ApplicationStatus.WITHDRAWN
    assert interview.status == InterviewStatus.CANCELLED
    assert notes(world.hr_e1, NotificationKind.APPLICATION_WITHDRAWN).count() == 1


def test_withdrawing_with_a_pending_offer_declines_it(world, offer):
    services.application_withdraw(actor=world.student_a, application=offer.application)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED and offer.answered_at is not None


@pytest.mark.parametrize("persona", ["hr_e1", "student_b", "college_a_admin"])
def test_only_the_student_withdraws(world, application, persona):
    with pytest.raises(PermissionDenied):
        services.application_withdraw(actor=world.users[persona], application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPLIED


def test_a_closed_application_cannot_be_withdrawn(world, posting):
    application = make_application(posting, world.a_student, status=ApplicationStatus.ACCEPTED)
    with pytest.raises(ValidationError) as exc:
        services.application_withdraw(actor=world.student_a, application=application)
    assert "status" in exc.value.message_dict


# --- interviews ------------------------------------------------------------------------------


def test_hr_proposes_times_and_the_application_moves_to_interview(world, posting):
    application = make_application(posting, world.a_student, status=ApplicationStatus.SCREENED)
    slots = [
        {"starts_at": soon(3), "duration_minutes": 45, "location": "行政楼 301"},
        {"starts_at": soon(4), "location": "https://meeting.example.cn/1"},
    ]
    interviews = services.interview_propose(actor=world.hr_e1, application=application, slots=slots)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INTERVIEW
    assert [i.status for i in interviews] == [InterviewStatus.PROPOSED] * 2
    assert interviews[1].duration_minutes == 30
    assert notes(world.student_a, NotificationKind.INTERVIEW_PROPOSED).count() == 1


def test_proposing_for_a_fresh_application_is_refused(world, application):
    with pytest.raises(ValidationError) as exc:
        services.interview_propose(
            actor=world.hr_e1, application=application, slots=[{"starts_at": soon(), "location": "x"}]
        )
    assert "application" in exc.value.message_dict
    assert not Interview.objects.exists()


def test_a_past_time_refuses_the_whole_proposal(world, at_interview):
    past = timezone.now() - datetime.timedelta(hours=1)
    before = audit_total()
    with pytest.raises(ValidationError) as exc:
        services.interview_propose(
            actor=world.hr_e1,
            application=at_interview,
            slots=[{"starts_at": soon(), "location": "A"}, {"starts_at": past, "location": "B"}],
        )
    assert "starts_at" in exc.value.message_dict
    assert not Interview.objects.exists() and audit_total() == before


@pytest.mark.parametrize("persona", ["hr_e2", "student_a", "mentor_e1"])
def test_only_the_enterprises_hr_proposes_times(world, at_interview, persona):
    with pytest.raises(PermissionDenied):
        services.interview_propose(
            actor=world.users[persona], application=at_interview, slots=[{"starts_at": soon(), "location": "A"}]
        )
    assert not Interview.objects.exists()


def test_the_student_chooses_a_time_and_the_others_are_not_chosen(world, at_interview):
    first, second, cancelled = (
        make_interview(at_interview, days=2),
        make_interview(at_interview, days=3),
        make_interview(at_interview, days=4, status=InterviewStatus.CANCELLED),
    )
    services.interview_choose(actor=world.student_a, interview=second)
    statuses = dict(Interview.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: InterviewStatus.NOT_CHOSEN,
        second.pk: InterviewStatus.CHOSEN,
        cancelled.pk: InterviewStatus.CANCELLED,
    }
    note = notes(world.hr_e1, NotificationKind.INTERVIEW_CHOSEN).get()
    assert note.params["time"] == f"{timezone.localtime(second.starts_at):%Y-%m-%d %H:%M}"


@pytest.mark.parametrize("status", [InterviewStatus.CANCELLED, InterviewStatus.NOT_CHOSEN, InterviewStatus.CHOSEN])
def test_choosing_a_time_that_is_not_proposed_is_refused(world, at_interview, status):
    interview = make_interview(at_interview, status=status)
    with pytest.raises(ValidationError) as exc:
        services.interview_choose(actor=world.student_a, interview=interview)
    assert "interview" in exc.value.message_dict
    interview.refresh_from_db()
    assert interview.status == status


def test_choosing_a_past_time_is_refused(world, at_interview):
    interview = make_interview(at_interview, starts_at=timezone.now() - datetime.timedelta(hours=2))
    with pytest.raises(ValidationError):
        services.interview_choose(actor=world.student_a, interview=interview)


@pytest.mark.parametrize("persona", ["hr_e1", "student_b", "college_a_admin"])
def test_only_the_student_chooses(world, at_interview, persona):
    interview = make_interview(at_interview)
    with pytest.raises(PermissionDenied):
        services.interview_choose(actor=world.users[persona], interview=interview)
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.PROPOSED


def test_hr_cancels_a_time_but_the_student_cannot(world, at_interview):
    interview = make_interview(at_interview, status=InterviewStatus.CHOSEN)
    with pytest.raises(PermissionDenied):
        services.interview_cancel(actor=world.student_a, interview=interview)
    services.interview_cancel(actor=world.hr_e1, interview=interview)
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.CANCELLED
    # The student hears of it, with the time that was cancelled.
    note = Notification.objects.get(kind="interview_cancelled")
    assert note.recipient == world.student_a
    assert note.params["time"] == f"{timezone.localtime(interview.starts_at):%Y-%m-%d %H:%M}"
    with pytest.raises(ValidationError):
        services.interview_cancel(actor=world.hr_e1, interview=interview)


# --- offers -----------------------------------------------------------------------------------

OFFER = {
    "post": "DCS 操作员",
    "monthly_pay": 6500,
    "contract_type": ContractType.FIXED_TERM,
    "terms": "三年合同，提供宿舍",
}


def offer_fields(**overrides):
    return {**OFFER, "start_date": in_days(40), "deadline": in_days(10), **overrides}


def test_hr_makes_an_offer_and_the_student_is_notified(world, at_interview):
    make_interview(at_interview)
    offer = services.offer_make(actor=world.hr_e1, application=at_interview, **offer_fields())
    at_interview.refresh_from_db()
    assert at_interview.status == ApplicationStatus.OFFER
    assert offer.status == OfferStatus.PENDING and offer.monthly_pay == 6500
    assert at_interview.interviews.get().status == InterviewStatus.CANCELLED  # the unpicked time is moot
    note = notes(world.student_a, NotificationKind.OFFER_MADE).get()
    assert note.params == {
        "enterprise": world.enterprise_1.name,
        "post": "DCS 操作员",
        "deadline": in_days(10).isoformat(),
    }


def test_the_post_defaults_to_the_postings_title(world, posting):
    application = make_application(posting, world.a_student, status=ApplicationStatus.SCREENED)
    offer = services.offer_make(actor=world.hr_e1, application=application, **offer_fields(post=""))
    assert offer.post == posting.title


@pytest.mark.parametrize(
    "status",
    [
        ApplicationStatus.APPLIED,
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.REJECTED,
        ApplicationStatus.DECLINED,
        ApplicationStatus.ACCEPTED,
    ],
)
def test_offering_on_an_application_not_ready_for_it_is_refused(world, posting, status):
    application = make_application(posting, world.a_student, status=status)
    before = audit_total()
    with pytest.raises(ValidationError) as exc:
        services.offer_make(actor=world.hr_e1, application=application, **offer_fields())
    assert "application" in exc.value.message_dict
    assert not Offer.objects.exists() and audit_total() == before


def test_a_second_offer_on_one_application_is_refused(world, offer):
    with pytest.raises(ValidationError):
        services.offer_make(actor=world.hr_e1, application=offer.application, **offer_fields())
    assert Offer.objects.count() == 1


@pytest.mark.parametrize(
    "dates",
    [
        {"deadline": in_days(-1)},
        {"deadline": in_days(0)},
        {"deadline": in_days(40), "start_date": in_days(40)},
        {"deadline": in_days(50), "start_date": in_days(40)},
    ],
    ids=["past", "today", "on-start", "after-start"],
)
def test_the_deadline_must_be_in_the_future_and_before_the_start(world, at_interview, dates):
    with pytest.raises(ValidationError) as exc:
        services.offer_make(actor=world.hr_e1, application=at_interview, **offer_fields(**dates))
    assert "deadline" in exc.value.message_dict
    at_interview.refresh_from_db()
    assert at_interview.status == ApplicationStatus.INTERVIEW and not Offer.objects.exists()


@pytest.mark.parametrize("persona", ["hr_e2", "student_a", "mentor_e1", "committee"])
def test_only_the_enterprises_hr_makes_offers(world, at_interview, persona):
    with pytest.raises(PermissionDenied):
        services.offer_make(actor=world.users[persona], application=at_interview, **offer_fields())
    assert not Offer.objects.exists()


def test_accepting_creates_the_employment_record(world, offer):
    services.offer_accept(actor=world.student_a, offer=offer)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED and offer.answered_at is not None
    assert offer.application.status == ApplicationStatus.ACCEPTED
    record = EmploymentRecord.objects.get()
    assert record.offer == offer and record.source == RecordSource.OFFER
    assert record.student == world.a_student and record.employer == world.enterprise_1
    assert record.start_date == offer.start_date and record.contract_type == offer.contract_type
    assert record.post == offer.post and record.pay_band == "6k-8k" and not record.via_order_class
    assert AuditEvent.objects.filter(object_type="careers.employmentrecord", action="create").count() == 1
    assert notes(world.hr_e1, NotificationKind.OFFER_ANSWERED).get().params["status"] == OfferStatus.ACCEPTED


def test_an_order_class_seat_is_recorded_as_hired_through_an_order_class(world):
    posting = make_posting(world, kind=PostingKind.ORDER_SEAT, title="订单班")
    application = make_application(posting, world.a_student, status=ApplicationStatus.SCREENED)
    offer = services.offer_make(actor=world.hr_e1, application=application, **offer_fields(monthly_pay=9000))
    services.offer_accept(actor=world.student_a, offer=offer)
    record = EmploymentRecord.objects.get()
    assert record.via_order_class and record.pay_band == "8k-12k"


def test_accepting_after_the_deadline_is_refused_and_nothing_is_written(world, posting):
    application = make_application(posting, world.a_student, status=ApplicationStatus.INTERVIEW)
    offer = make_offer(application, deadline=in_days(-1), start_date=in_days(20))
    before = audit_total()
    with pytest.raises(ValidationError) as exc:
        services.offer_accept(actor=world.student_a, offer=offer)
    assert "deadline" in exc.value.message_dict
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING and not EmploymentRecord.objects.exists()
    assert audit_total() == before


def test_the_student_may_answer_on_the_deadline_day(world, posting):
    application = make_application(posting, world.a_student, status=ApplicationStatus.INTERVIEW)
    offer = make_offer(application, deadline=in_days(0), start_date=in_days(20))
    services.offer_decline(actor=world.student_a, offer=offer, reason="选择了别家")
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED
    assert offer.application.status == ApplicationStatus.DECLINED
    assert offer.application.status_reason == "选择了别家"


def test_an_answered_offer_cannot_be_answered_again(world, offer):
    services.offer_decline(actor=world.student_a, offer=offer)
    with pytest.raises(ValidationError) as exc:
        services.offer_accept(actor=world.student_a, offer=offer)
    assert "status" in exc.value.message_dict
    assert not EmploymentRecord.objects.exists()


@pytest.mark.parametrize("persona", ["hr_e1", "student_b", "college_a_admin", "park_admin"])
def test_only_the_student_answers(world, offer, persona):
    for step in (services.offer_accept, services.offer_decline):
        with pytest.raises(PermissionDenied):
            step(actor=world.users[persona], offer=offer)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING and not EmploymentRecord.objects.exists()


def test_expire_offers_expires_overdue_offers_only(world, posting):
    overdue = make_offer(
        make_application(posting, world.a_student, status=ApplicationStatus.INTERVIEW),
        deadline=in_days(-2),
        start_date=in_days(20),
    )
    current = make_offer(
        make_application(posting, world.b_student, status=ApplicationStatus.INTERVIEW),
        deadline=in_days(0),
        start_date=in_days(20),
    )
    assert services.offer_status(overdue) == OfferStatus.EXPIRED
    assert services.expire_offers(timezone.localdate()) == 1
    overdue.refresh_from_db()
    current.refresh_from_db()
    assert overdue.status == OfferStatus.EXPIRED and overdue.application.status == ApplicationStatus.DECLINED
    assert current.status == OfferStatus.PENDING
    event = AuditEvent.objects.filter(object_type="careers.offer", object_id=str(overdue.pk), action="update").get()
    assert event.actor is None and event.actor_label == "system"
    assert services.expire_offers(timezone.localdate()) == 0
    assert services.expire_offers(in_days(1)) == 1


def test_the_expire_offers_command(world, posting):
    from io import StringIO

    from django.core.management import call_command

    offer = make_offer(
        make_application(posting, world.a_student, status=ApplicationStatus.INTERVIEW),
        deadline=in_days(3),
        start_date=in_days(20),
    )
    out = StringIO()
    call_command("expire_offers", "--date", in_days(4).isoformat(), stdout=out)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED and "1 offer" in out.getvalue()


# --- offers from a matching round -------------------------------------------------------------


def make_round(world) -> MatchingRound:
    return MatchingRound.objects.create(
        park=world.park,
        name="2026 届双选",
        cohort_year=2024,
        deadline=timezone.now() + datetime.timedelta(days=1),
        status=RoundStatus.PUBLISHED,
    )


@pytest.mark.parametrize("persona", ["system", "coordinator", "hr_e1"])
def test_a_published_match_becomes_an_application_with_an_offer(world, posting, persona, django_user_model):
    actor = (
        django_user_model.objects.create_superuser("system", password=None)
        if persona == "system"
        else world.users[persona]
    )
    matching_round = make_round(world)
    offer = services.offer_make_for_match(
        actor=actor, posting=posting, student=world.a_student, deadline=in_days(14), matching_round=matching_round
    )
    application = offer.application
    assert application.matching_round == matching_round and application.status == ApplicationStatus.OFFER
    assert offer.deadline == in_days(14) and offer.start_date > offer.deadline
    assert offer.post == posting.title and offer.monthly_pay == posting.pay_min
    assert notes(world.student_a, NotificationKind.OFFER_MADE).count() == 1


def test_a_match_moves_an_existing_application_to_offer(world, application):
    matching_round = make_round(world)
    offer = services.offer_make_for_match(
        actor=world.coordinator,
        posting=application.posting,
        student=world.a_student,
        deadline=in_days(10),
        matching_round=matching_round,
        monthly_pay=7000,
    )
    assert offer.application_id == application.pk and offer.monthly_pay == 7000
    application.refresh_from_db()
    assert application.status == ApplicationStatus.OFFER and application.matching_round == matching_round


@pytest.mark.parametrize("persona", ["hr_e2", "student_a", "college_a_admin", "committee"])
def test_others_cannot_turn_matches_into_offers(world, posting, persona):
    with pytest.raises(PermissionDenied):
        services.offer_make_for_match(
            actor=world.users[persona],
            posting=posting,
            student=world.a_student,
            deadline=in_days(10),
            matching_round=make_round(world),
        )
    assert not Application.objects.exists()


def test_a_match_with_a_past_deadline_writes_nothing(world, posting):
    with pytest.raises(ValidationError):
        services.offer_make_for_match(
            actor=world.coordinator, posting=posting, student=world.a_student, deadline=in_days(-1), matching_round=None
        )
    assert not Application.objects.exists() and not Offer.objects.exists()


# --- notifications -----------------------------------------------------------------------------


def test_marking_notifications_read(world, posting):
    for n in range(3):
        services.application_create(actor=make_student(world, n).person.user, posting=posting)
    inbox = list(Notification.objects.filter(recipient=world.hr_e1))
    assert len(inbox) == 3
    services.notification_mark_read(actor=world.hr_e1, notification=inbox[0])
    with pytest.raises(PermissionDenied):
        services.notification_mark_read(actor=world.hr_e2, notification=inbox[1])
    assert services.notification_mark_all_read(actor=world.hr_e1) == 2
    assert not Notification.objects.filter(recipient=world.hr_e1, read_at=None).exists()
