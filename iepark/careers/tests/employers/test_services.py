"""Tests of the employers' services: each workflow step's happy path, the wrong party refused, bad transitions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from iepark.careers.choices import NotificationKind, PlanStatus, VettingStatus
from iepark.careers.employers import services
from iepark.careers.models import DemandLine, DemandPlan, EmployerProfile, Notification, Posting
from iepark.careers.testing import make_employer, make_posting
from iepark.core.models import AuditEvent
from iepark.testing import audit_count

from .helpers import NEXT_YEAR, make_line, make_plan

VETTERS = {"park_admin", "committee", "coordinator", "college_a_admin", "college_b_admin"}


def _events() -> int:
    return AuditEvent.objects.count()


def _recipients(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def _refused(error_type, func, **kwargs):
    """Assert ``func`` raises ``error_type`` and writes nothing; return the error."""
    before = _events()
    with pytest.raises(error_type) as info:
        func(**kwargs)
    assert _events() == before
    return info.value


# --- employer profiles ---------------------------------------------------------------------


def test_hr_creates_a_draft_profile_with_audit(world):
    profile = services.employer_profile_create(
        actor=world.hr_e1, organisation=world.enterprise_1, summary="煤化工企业", vetting_status="approved"
    )
    assert profile.vetting_status == VettingStatus.DRAFT  # the vetting fields are not the HR's to set
    assert audit_count(profile, "create", profile.pk) == 1


def test_profile_of_another_enterprise_is_refused(world):
    for name in ("hr_e2", "mentor_e1", "student_a", "committee"):
        _refused(
            PermissionDenied,
            services.employer_profile_create,
            actor=world.users[name],
            organisation=world.enterprise_1,
            summary="x",
        )
    assert not EmployerProfile.objects.exists()


def test_profile_submit_and_approve_notifies_the_enterprises_hr(world):
    profile = make_employer(world.enterprise_1, status=VettingStatus.DRAFT)
    profile = services.employer_profile_submit(actor=world.hr_e1, profile=profile)
    assert profile.vetting_status == VettingStatus.SUBMITTED
    # The park's vetters hear of it (committee, coordinator, park and college administrators), nobody else.
    assert _recipients(NotificationKind.EMPLOYER_SUBMITTED) == {
        "park_admin",
        "committee",
        "coordinator",
        "college_a_admin",
        "college_b_admin",
    }
    profile = services.employer_profile_approve(actor=world.users["committee"], profile=profile)
    profile.refresh_from_db()
    assert profile.vetting_status == VettingStatus.APPROVED
    assert profile.vetted_by == world.users["committee"] and profile.vetted_at is not None
    assert _recipients(NotificationKind.EMPLOYER_VETTED) == {"hr_e1"}
    note = Notification.objects.get(kind=NotificationKind.EMPLOYER_VETTED)
    assert note.params == {"status": "approved"}
    assert note.url == f"/employer-profiles/{profile.pk}/"


def test_every_vetter_role_of_the_park_may_vet_and_no_one_else(world):
    for name in ("hr_e1", "hr_e2", "mentor_e1", "student_a", "teacher_a", "operator", "other_admin", "outsider"):
        profile = make_employer(world.enterprise_1, status=VettingStatus.SUBMITTED)
        _refused(PermissionDenied, services.employer_profile_approve, actor=world.users[name], profile=profile)
        _refused(
            PermissionDenied, services.employer_profile_reject, actor=world.users[name], profile=profile, reason="x"
        )
    for name in sorted(VETTERS):
        profile = make_employer(world.enterprise_1, status=VettingStatus.SUBMITTED)
        assert services.employer_profile_approve(actor=world.users[name], profile=profile).vetting_status == "approved"


def test_profile_bad_transitions_are_refused(world):
    profile = make_employer(world.enterprise_1, status=VettingStatus.APPROVED)
    error = _refused(ValidationError, services.employer_profile_submit, actor=world.hr_e1, profile=profile)
    assert "vetting_status" in error.message_dict
    _refused(ValidationError, services.employer_profile_approve, actor=world.users["committee"], profile=profile)
    draft = make_employer(world.enterprise_2, status=VettingStatus.DRAFT)
    _refused(ValidationError, services.employer_profile_approve, actor=world.users["committee"], profile=draft)
    _refused(
        ValidationError, services.employer_profile_reject, actor=world.users["committee"], profile=draft, reason="x"
    )


def test_profile_rejection_needs_a_reason_and_is_kept(world):
    profile = make_employer(world.enterprise_1, status=VettingStatus.SUBMITTED)
    for reason in ("", "   ", None):
        error = _refused(
            ValidationError,
            services.employer_profile_reject,
            actor=world.users["committee"],
            profile=profile,
            reason=reason,
        )
        assert "reason" in error.message_dict
    profile.refresh_from_db()
    assert profile.vetting_status == VettingStatus.SUBMITTED
    services.employer_profile_reject(actor=world.users["committee"], profile=profile, reason="  简介内容不完整。 ")
    profile.refresh_from_db()
    assert profile.vetting_status == VettingStatus.REJECTED and profile.rejection_reason == "简介内容不完整。"
    assert Notification.objects.get(kind=NotificationKind.EMPLOYER_VETTED).params == {"status": "rejected"}
    # The enterprise corrects and resubmits; an approval clears the old reason.
    services.employer_profile_submit(actor=world.hr_e1, profile=profile)
    services.employer_profile_approve(actor=world.coordinator, profile=profile)
    profile.refresh_from_db()
    assert profile.rejection_reason == ""


def test_vetters_may_withdraw_an_approval_with_a_reason(world):
    profile = make_employer(world.enterprise_1)
    services.employer_profile_reject(actor=world.park_admin, profile=profile, reason="企业已停产。")
    profile.refresh_from_db()
    assert profile.vetting_status == VettingStatus.REJECTED


def test_changing_an_approved_profiles_content_sends_it_back_to_vetting(world):
    profile = make_employer(world.enterprise_1)
    before = _events()
    services.employer_profile_update(actor=world.hr_e1, profile=profile, data={"summary": profile.summary})
    profile.refresh_from_db()
    assert profile.vetting_status == VettingStatus.APPROVED and _events() == before  # nothing changed
    services.employer_profile_update(actor=world.hr_e1, profile=profile, data={"housing": "员工公寓两人一间"})
    profile.refresh_from_db()
    assert profile.vetting_status == VettingStatus.SUBMITTED and profile.housing == "员工公寓两人一间"
    event = AuditEvent.objects.filter(object_id=str(profile.pk), action="update").latest("id")
    assert event.changes["vetting_status"] == ["approved", "submitted"]


def test_profile_edit_by_another_party_is_refused(world):
    profile = make_employer(world.enterprise_1)
    for name in ("hr_e2", "mentor_e1", "committee", "student_a"):
        _refused(
            PermissionDenied,
            services.employer_profile_update,
            actor=world.users[name],
            profile=profile,
            data={"summary": "篡改"},
        )


# --- demand plans -------------------------------------------------------------------------


def test_plan_years_follow_the_horizon(world):
    plan = services.demand_plan_create(
        actor=world.hr_e1, enterprise=world.enterprise_1, title="三年规划", horizon="3y", year_from=NEXT_YEAR
    )
    assert (plan.year_from, plan.year_to, plan.status) == (NEXT_YEAR, NEXT_YEAR + 2, PlanStatus.DRAFT)
    assert audit_count(plan, "create", plan.pk) == 1
    error = _refused(
        ValidationError,
        services.demand_plan_create,
        actor=world.hr_e1,
        enterprise=world.enterprise_1,
        title="x",
        horizon="1y",
        year_from=NEXT_YEAR,
        year_to=NEXT_YEAR + 1,
    )
    assert "year_to" in error.message_dict
    error = _refused(
        ValidationError,
        services.demand_plan_create,
        actor=world.hr_e1,
        enterprise=world.enterprise_1,
        title="x",
        year_from=20260,
    )
    assert "year_from" in error.message_dict


def test_plans_of_another_enterprise_are_refused(world):
    for name in ("hr_e2", "committee", "park_admin", "mentor_e1"):
        _refused(
            PermissionDenied,
            services.demand_plan_create,
            actor=world.users[name],
            enterprise=world.enterprise_1,
            title="x",
            year_from=NEXT_YEAR,
        )
    plan = make_plan(world)
    for name in ("hr_e2", "committee", "park_admin"):
        _refused(PermissionDenied, services.demand_plan_submit, actor=world.users[name], plan=plan)
        _refused(
            PermissionDenied,
            services.demand_line_create,
            actor=world.users[name],
            plan=plan,
            year=NEXT_YEAR,
            post="x",
            major=world.major,
            headcount=1,
        )


def test_lines_are_checked_against_the_plan(world):
    plan = make_plan(world, years=(NEXT_YEAR, NEXT_YEAR + 2))
    line = services.demand_line_create(
        actor=world.hr_e1, plan=plan, year=NEXT_YEAR + 1, post="化工总控工", major=world.major, headcount=6
    )
    assert audit_count(line, "create", line.pk) == 1
    cases = [
        ({"year": NEXT_YEAR + 3}, "year"),
        ({"major": world.other_major}, "major"),
        ({"headcount": 0}, "headcount"),
    ]
    for change, field in cases:
        fields = {"year": NEXT_YEAR, "post": "x", "major": world.major, "headcount": 2, **change}
        error = _refused(ValidationError, services.demand_line_create, actor=world.hr_e1, plan=plan, **fields)
        assert field in error.message_dict, error
    error = _refused(
        ValidationError,
        services.demand_line_create,
        actor=world.hr_e1,
        plan=plan,
        year=NEXT_YEAR,
        post="x",
        major=world.major,
        headcount=2,
        pay_min=9000,
        pay_max=6000,
    )
    assert "pay range" in str(error)
    assert DemandLine.objects.count() == 1


def test_plan_submit_and_reopen(world):
    plan = make_plan(world)
    error = _refused(ValidationError, services.demand_plan_submit, actor=world.hr_e1, plan=plan)
    assert "lines" in error.message_dict
    make_line(plan, world.major)
    plan = services.demand_plan_submit(actor=world.hr_e1, plan=plan)
    assert plan.status == PlanStatus.SUBMITTED and plan.submitted_at is not None
    assert "status" in _refused(ValidationError, services.demand_plan_submit, actor=world.hr_e1, plan=plan).message_dict
    # A submitted plan is locked: its lines and fields change only once reopened.
    line = plan.lines.get()
    _refused(ValidationError, services.demand_line_update, actor=world.hr_e1, line=line, data={"headcount": 9})
    _refused(ValidationError, services.demand_line_delete, actor=world.hr_e1, line=line)
    _refused(
        ValidationError,
        services.demand_line_create,
        actor=world.hr_e1,
        plan=plan,
        year=NEXT_YEAR,
        post="x",
        major=world.major,
        headcount=1,
    )
    _refused(ValidationError, services.demand_plan_update, actor=world.hr_e1, plan=plan, data={"title": "新"})
    _refused(ValidationError, services.demand_plan_delete, actor=world.hr_e1, plan=plan)
    plan = services.demand_plan_reopen(actor=world.hr_e1, plan=plan)
    assert plan.status == PlanStatus.DRAFT and plan.submitted_at is None
    _refused(ValidationError, services.demand_plan_reopen, actor=world.hr_e1, plan=plan)
    services.demand_line_update(actor=world.hr_e1, line=line, data={"headcount": 9})
    line.refresh_from_db()
    assert line.headcount == 9


def test_plan_years_cannot_leave_lines_behind(world):
    plan = make_plan(world, years=(NEXT_YEAR, NEXT_YEAR + 2))
    make_line(plan, world.major, year=NEXT_YEAR + 2)
    error = _refused(ValidationError, services.demand_plan_update, actor=world.hr_e1, plan=plan, data={"horizon": "1y"})
    assert "year_from" in error.message_dict and str(NEXT_YEAR + 2) in str(error)
    services.demand_plan_update(actor=world.hr_e1, plan=plan, data={"title": "新标题"})
    plan.refresh_from_db()
    assert plan.title == "新标题" and plan.year_to == NEXT_YEAR + 2


def test_deleting_a_draft_plan_deletes_its_lines_with_audit(world):
    plan = make_plan(world)
    line = make_line(plan, world.major)
    services.demand_plan_delete(actor=world.hr_e1, plan=plan)
    assert not DemandPlan.objects.exists() and not DemandLine.objects.exists()
    assert audit_count(line, "delete", line.pk) == 1 and audit_count(plan, "delete", plan.pk) == 1


# --- postings -----------------------------------------------------------------------------


def _new_posting(world, **extra):
    fields = {"title": "化工总控工", "description": "负责装置操作。", "majors": [world.major], "headcount": 3}
    fields.update(extra)
    return services.posting_create(actor=world.hr_e1, enterprise=world.enterprise_1, **fields)


def test_hr_creates_a_draft_posting_with_its_majors(world):
    posting = _new_posting(world, vetting_status="approved")
    assert posting.vetting_status == VettingStatus.DRAFT
    assert list(posting.majors.all()) == [world.major]
    event = AuditEvent.objects.get(object_id=str(posting.pk), action="create", object_type="careers.posting")
    assert event.changes["majors"] == [None, [world.major.pk]]


def test_posting_creation_is_checked(world):
    for name in ("hr_e2", "mentor_e1", "student_a", "committee", "park_admin"):
        _refused(
            PermissionDenied,
            services.posting_create,
            actor=world.users[name],
            enterprise=world.enterprise_1,
            title="x",
            description="x",
        )
    error = _refused(ValidationError, _new_posting, world=world, majors=[world.other_major])
    assert "majors" in error.message_dict
    other_line = make_line(make_plan(world, world.enterprise_2), world.major)
    error = _refused(ValidationError, _new_posting, world=world, demand_line=other_line)
    assert "demand_line" in error.message_dict
    assert not Posting.objects.exists()


def test_posting_workflow_notifies_each_side(world):
    posting = _new_posting(world)
    posting = services.posting_submit(actor=world.hr_e1, posting=posting)
    assert posting.vetting_status == VettingStatus.SUBMITTED
    assert _recipients(NotificationKind.POSTING_SUBMITTED) == VETTERS
    note = Notification.objects.filter(kind=NotificationKind.POSTING_SUBMITTED).first()
    assert note.params == {"enterprise": world.enterprise_1.name, "posting": "化工总控工"}
    posting = services.posting_approve(actor=world.coordinator, posting=posting)
    assert posting.vetting_status == VettingStatus.APPROVED and posting.vetted_by == world.coordinator
    assert _recipients(NotificationKind.POSTING_VETTED) == {"hr_e1"}
    posting = services.posting_close(actor=world.hr_e1, posting=posting)
    assert posting.vetting_status == VettingStatus.CLOSED
    # Submitting a closed posting reopens it for vetting.
    assert services.posting_submit(actor=world.hr_e1, posting=posting).vetting_status == VettingStatus.SUBMITTED


def test_posting_bad_transitions_are_refused_with_a_clear_error(world):
    draft = make_posting(world, status=VettingStatus.DRAFT)
    approved = make_posting(world, title="已批准")
    closed = make_posting(world, status=VettingStatus.CLOSED, title="已关闭")
    rejected = make_posting(world, status=VettingStatus.REJECTED, title="已退回", rejection_reason="x")
    committee = world.users["committee"]
    cases = [
        (services.posting_approve, {"actor": committee, "posting": approved}),
        (services.posting_approve, {"actor": committee, "posting": rejected}),
        (services.posting_approve, {"actor": committee, "posting": closed}),
        (services.posting_reject, {"actor": committee, "posting": closed, "reason": "x"}),
        (services.posting_submit, {"actor": world.hr_e1, "posting": approved}),
        (services.posting_close, {"actor": world.hr_e1, "posting": draft}),
        (services.posting_close, {"actor": world.hr_e1, "posting": closed}),
    ]
    for func, kwargs in cases:
        error = _refused(ValidationError, func, **kwargs)
        assert "vetting_status" in error.message_dict, func.__name__
    # A draft is the enterprise's own: the park does not even see it.
    _refused(PermissionDenied, services.posting_approve, actor=committee, posting=draft)


def test_posting_steps_by_the_wrong_party_are_refused(world):
    submitted = make_posting(world, status=VettingStatus.SUBMITTED)
    approved = make_posting(world, title="已批准")
    for name in ("hr_e1", "hr_e2", "mentor_e1", "student_a", "operator", "other_admin"):
        user = world.users[name]
        _refused(PermissionDenied, services.posting_approve, actor=user, posting=submitted)
        _refused(PermissionDenied, services.posting_reject, actor=user, posting=submitted, reason="x")
    for name in ("hr_e2", "mentor_e1", "student_a", "committee", "other_admin"):
        user = world.users[name]
        _refused(PermissionDenied, services.posting_close, actor=user, posting=approved)
        _refused(PermissionDenied, services.posting_update, actor=user, posting=approved, data={"headcount": 9})
    _refused(PermissionDenied, services.posting_submit, actor=world.hr_e2, posting=submitted)
    assert Posting.objects.get(pk=submitted.pk).vetting_status == VettingStatus.SUBMITTED


def test_posting_rejection_needs_a_reason(world):
    posting = make_posting(world, status=VettingStatus.SUBMITTED)
    error = _refused(
        ValidationError, services.posting_reject, actor=world.users["committee"], posting=posting, reason=" "
    )
    assert "reason" in error.message_dict
    assert not Notification.objects.exists()
    services.posting_reject(actor=world.users["committee"], posting=posting, reason="薪资范围不明确。")
    posting.refresh_from_db()
    assert posting.vetting_status == VettingStatus.REJECTED and posting.rejection_reason == "薪资范围不明确。"
    assert Notification.objects.get(kind=NotificationKind.POSTING_VETTED).params["status"] == "rejected"


def test_changing_an_approved_postings_content_sends_it_back_to_vetting(world):
    posting = make_posting(world)
    services.posting_update(
        actor=world.hr_e1, posting=posting, data={"closes_on": datetime.date(2031, 1, 1), "is_public": False}
    )
    posting.refresh_from_db()
    assert posting.vetting_status == VettingStatus.APPROVED  # dates and the portal flag need no new vetting
    services.posting_update(actor=world.hr_e1, posting=posting, data={"majors": [world.major]})
    posting.refresh_from_db()
    assert posting.vetting_status == VettingStatus.APPROVED  # the same majors: nothing changed
    assert not Notification.objects.exists()
    services.posting_update(actor=world.hr_e1, posting=posting, data={"pay_max": 9000})
    posting.refresh_from_db()
    assert posting.vetting_status == VettingStatus.SUBMITTED and posting.pay_max == 9000
    assert _recipients(NotificationKind.POSTING_SUBMITTED) == VETTERS


def test_a_posting_students_may_have_seen_is_closed_not_deleted(world):
    approved = make_posting(world)
    error = _refused(ValidationError, services.posting_delete, actor=world.hr_e1, posting=approved)
    assert "vetting_status" in error.message_dict
    draft = make_posting(world, status=VettingStatus.DRAFT)
    _refused(PermissionDenied, services.posting_delete, actor=world.hr_e2, posting=draft)
    services.posting_delete(actor=world.hr_e1, posting=draft)
    assert not Posting.objects.filter(pk=draft.pk).exists()
    assert audit_count(draft, "delete", draft.pk) == 1


def test_hr_users_are_the_current_hr_of_the_enterprise(world):
    from iepark.core.models import Membership

    assert [u.username for u in services.hr_users(world.enterprise_1)] == ["hr_e1"]
    Membership.objects.filter(person=world.persons["hr_e1"]).update(end_date=datetime.date(2021, 1, 1))
    assert services.hr_users(world.enterprise_1) == []
    assert {u.username for u in services.vetter_users(world.park.pk)} == VETTERS
