"""Review: nobody decides their own leave, even when they also hold a role that decides leave."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from iepark.core.models import Membership
from iepark.core.policy import forget_actor
from iepark.teaching.attendance import services
from iepark.teaching.attendance.models import LeaveRequest
from iepark.teaching.tests.factories import START

from .factories import MONDAY


@pytest.fixture
def cadre(world):
    """``student_a`` also works as a student manager of college A (a student cadre)."""
    Membership.objects.create(
        person=world.a_student.person, organisation=world.college_a, role="student_manager", start_date=START
    )
    forget_actor(world.student_a)
    return world.student_a


def test_a_student_manager_does_not_approve_or_reject_their_own_leave(world, cadre):
    leave = services.leave_request_create(
        actor=cadre, student=world.a_student, start_date=MONDAY, end_date=MONDAY, reason="病假"
    )
    assert not services.may_decide(cadre, leave)
    with pytest.raises(PermissionDenied):
        services.leave_approve(actor=cadre, leave=leave)
    with pytest.raises(PermissionDenied):
        services.leave_reject(actor=cadre, leave=leave, note="不批")
    assert LeaveRequest.objects.get(pk=leave.pk).status == "pending"
    # Another student manager of the college decides it.
    assert services.may_decide(world.manager_a, leave)
    assert services.leave_approve(actor=world.manager_a, leave=leave).status == "approved"


def test_the_student_managers_own_leave_page_offers_no_decision(world, cadre, client):
    leave = services.leave_request_create(
        actor=cadre, student=world.a_student, start_date=MONDAY, end_date=MONDAY, reason="病假"
    )
    client.force_login(cadre, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("leaverequest_step", args=[leave.pk, "approve"]))
    assert LeaveRequest.objects.get(pk=leave.pk).status == "pending"
    assert response.status_code in (302, 403)


def test_who_corrects_a_session_without_a_taker_is_recorded_in_its_audit_trail(world):
    from iepark.teaching.attendance.models import AttendanceSession
    from iepark.testing import audit_count

    from .factories import all_present, make_teaching

    t = make_teaching(world)
    session = services.attendance_take(actor=world.teacher_a, entry=t.monday, date=MONDAY, marks=all_present(t))
    AttendanceSession.objects.filter(pk=session.pk).update(taken_by=None)  # the first taker's account was deleted
    before = audit_count(session, "update", session.pk)
    services.attendance_take(actor=world.teacher_a, entry=t.monday, date=MONDAY, marks=all_present(t, A001="late"))
    session.refresh_from_db()
    assert session.taken_by == world.teacher_a
    assert audit_count(session, "update", session.pk) == before + 1
