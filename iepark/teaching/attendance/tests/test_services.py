"""Services of attendance: taking and correcting attendance, leave requests, the threshold; each refusal."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from iepark.careers.models import Notification
from iepark.core.models import AuditEvent
from iepark.teaching.attendance import selectors, services
from iepark.teaching.attendance.models import AttendanceRecord, AttendanceSession, AttendanceSetting, LeaveRequest
from iepark.teaching.choices import TimetableStatus
from iepark.testing import audit_count

from .factories import MONDAY, WEDNESDAY, all_present, make_teaching

pytestmark = pytest.mark.django_db


def _take(world, t, date=MONDAY, entry=None, **overrides):
    return services.attendance_take(
        actor=world.teacher_a, entry=entry or t.monday, date=date, marks=all_present(t, **overrides)
    )


def test_teacher_takes_attendance_in_one_audited_step(world):
    t = make_teaching(world)
    session = _take(world, t, S0001="late", S0002="absent")
    assert session.course == t.course and session.period == 1
    assert (session.start_time, session.end_time) == t.term.period_span(1)
    statuses = dict(AttendanceRecord.objects.filter(session=session).values_list("student__student_number", "status"))
    assert statuses == {"A001": "present", "S0001": "late", "S0002": "absent", "S0003": "present"}
    assert audit_count(AttendanceSession, "create") == 1
    assert audit_count(AttendanceRecord, "create") == 4


def test_students_not_named_get_the_preset(world):
    t = make_teaching(world)
    session = services.attendance_take(
        actor=world.teacher_a, entry=t.monday, date=MONDAY, marks=[{"student": t.students[1].pk, "status": "absent"}]
    )
    assert session.records.filter(status="present").count() == 3
    assert session.records.get(student=t.students[1]).status == "absent"


def test_correction_is_audited_and_creates_no_second_session(world):
    t = make_teaching(world)
    _take(world, t)
    before = audit_count(AttendanceRecord, "update")
    session = _take(world, t, S0003="absent")
    assert AttendanceSession.objects.count() == 1
    assert session.records.get(student__student_number="S0003").status == "absent"
    assert audit_count(AttendanceRecord, "update") == before + 1
    event = AuditEvent.objects.filter(action="update", object_type__endswith="attendancerecord").latest("pk")
    assert event.changes["status"] == ["present", "absent"] and event.actor == world.teacher_a


@pytest.mark.parametrize(
    "persona", ["student_a", "manager_a", "college_a_admin", "park_admin", "committee", "other_admin"]
)
def test_only_the_courses_teachers_take_attendance(world, persona):
    t = make_teaching(world)
    with pytest.raises(PermissionDenied):
        _take(world, t) if persona == "teacher_a" else services.attendance_take(
            actor=world.users[persona], entry=t.monday, date=MONDAY, marks=all_present(t)
        )
    assert not AttendanceSession.objects.exists()


def test_nobody_but_its_teachers_corrects_a_session(world):
    t = make_teaching(world)
    _take(world, t)
    with pytest.raises(PermissionDenied):
        services.attendance_take(actor=world.manager_a, entry=t.monday, date=MONDAY, marks=all_present(t))


def test_bad_status_and_unknown_student_are_named_and_nothing_is_written(world):
    t = make_teaching(world)
    marks = all_present(t)
    marks[0]["status"] = "asleep"
    marks.append({"student": world.b_student.pk, "status": "present"})
    with pytest.raises(ValidationError) as caught:
        services.attendance_take(actor=world.teacher_a, entry=t.monday, date=MONDAY, marks=marks)
    messages = caught.value.message_dict["records"]
    assert any("“asleep” is not an attendance status" in m for m in messages)
    assert any(f"Student {world.b_student.pk} is not on the roster" in m for m in messages)
    assert not AttendanceSession.objects.exists() and not AttendanceRecord.objects.exists()
    assert audit_count(AttendanceSession) == 0


def test_a_correction_with_a_bad_status_changes_nothing(world):
    t = make_teaching(world)
    _take(world, t, S0001="late")
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        _take(world, t, S0001="absent", S0002="gone")
    assert AttendanceRecord.objects.get(student__student_number="S0001").status == "late"
    assert AuditEvent.objects.count() == before


def test_dates_outside_the_term_or_not_teaching_dates_are_refused(world):
    t = make_teaching(world)
    with pytest.raises(ValidationError, match="outside the term"):
        _take(world, t, date=MONDAY - datetime.timedelta(days=7))
    with pytest.raises(ValidationError, match="has no lecture on 2025-09-02"):
        _take(world, t, date=MONDAY + datetime.timedelta(days=1))
    t.term.holidays = [(MONDAY + datetime.timedelta(days=7)).isoformat()]
    t.term.save()
    with pytest.raises(ValidationError, match="no lecture on 2025-09-08"):
        _take(world, t, date=MONDAY + datetime.timedelta(days=7))
    with pytest.raises(ValidationError, match="before that day"):
        services.attendance_take(
            actor=world.teacher_a, entry=t.monday, date=MONDAY + datetime.timedelta(days=14), today=MONDAY
        )
    assert not AttendanceSession.objects.exists()


def test_a_lecture_of_an_unpublished_timetable_is_refused(world):
    t = make_teaching(world)
    t.run.status = TimetableStatus.DRAFT
    t.run.save()
    with pytest.raises(ValidationError, match="published timetable"):
        _take(world, t)


def test_roster_follows_enrolments_on_the_date(world):
    t = make_teaching(world)
    enrolment = t.cohort.enrolments.get(student=t.students[3])
    enrolment.end_date, enrolment.leave_reason = MONDAY + datetime.timedelta(days=1), "转学"
    enrolment.save()
    assert len(selectors.roster(t.monday, MONDAY)) == 4
    assert {line.student.pk for line in selectors.roster(t.wednesday, WEDNESDAY)} == {s.pk for s in t.students[:3]}


# --- leave ------------------------------------------------------------------------------------------------------


def _leave(world, student=None, actor=None, **fields):
    fields.setdefault("start_date", MONDAY)
    fields.setdefault("end_date", MONDAY)
    fields.setdefault("reason", "发烧就医")
    return services.leave_request_create(actor=actor or world.student_a, student=student or world.a_student, **fields)


def test_student_asks_for_leave_and_the_manager_is_told(world):
    leave = _leave(world)
    assert leave.status == "pending" and leave.created_by == world.student_a
    assert audit_count(LeaveRequest, "create") == 1
    note = Notification.objects.get(recipient=world.manager_a)
    assert note.kind == "attendance.leave_requested"


def test_leave_refusals(world):
    with pytest.raises(PermissionDenied):
        _leave(world, student=world.b_student)  # somebody else's
    with pytest.raises(PermissionDenied):
        _leave(world, actor=world.teacher_a)
    with pytest.raises(PermissionDenied):
        _leave(world, actor=world.college_b_admin)
    with pytest.raises(ValidationError) as caught:
        _leave(world, end_date=MONDAY - datetime.timedelta(days=1))
    assert caught.value.message_dict["end_date"] == ["The leave cannot end before it starts."]
    with pytest.raises(ValidationError) as caught:
        _leave(world, start_period=5, end_period=2)
    assert "end_period" in caught.value.message_dict
    with pytest.raises(ValidationError, match="Say why"):
        _leave(world, reason="  ")
    assert not LeaveRequest.objects.exists()
    _leave(world)
    with pytest.raises(ValidationError, match="already a pending or approved request"):
        _leave(world, start_period=2)


def test_manager_files_leave_for_a_student_of_their_college(world):
    leave = _leave(world, actor=world.manager_a)
    assert leave.student == world.a_student


def test_approval_excuses_taken_sessions_and_presets_later_ones(world):
    t = make_teaching(world)
    _take(world, t, A001="absent")
    leave = _leave(world, end_date=WEDNESDAY, end_period=2, reason="家中有事")
    services.leave_approve(actor=world.manager_a, leave=leave, note="同意")
    record = AttendanceRecord.objects.get(student=world.a_student, session__date=MONDAY)
    assert (record.status, record.leave) == ("excused", leave)
    assert audit_count(AttendanceRecord, "update") == 1
    assert Notification.objects.get(recipient=world.student_a).kind == "attendance.leave_approved"
    # Wednesday's lecture is period 3: after the leave ends (period 2), so not excused.
    assert {line.student.pk: line.status for line in selectors.roster(t.wednesday, WEDNESDAY)}[world.a_student.pk] == (
        "present"
    )
    leave.refresh_from_db()
    leave.end_period = None
    leave.save()
    line = next(x for x in selectors.roster(t.wednesday, WEDNESDAY) if x.student == world.a_student)
    assert line.status == "excused" and line.preset_by_leave
    session = _take(world, t, date=WEDNESDAY, entry=t.wednesday, A001="excused")
    assert session.records.get(student=world.a_student).leave == leave


def test_only_the_students_college_decides(world):
    leave = _leave(world)
    for persona in ("student_a", "teacher_a", "college_b_admin"):
        with pytest.raises(PermissionDenied):
            services.leave_approve(actor=world.users[persona], leave=leave)
    with pytest.raises(PermissionDenied):
        services.leave_approve(actor=world.users["committee"], leave=leave)
    services.leave_reject(actor=world.college_a_admin, leave=leave, note="材料不全")
    leave.refresh_from_db()
    assert leave.status == "rejected" and leave.decided_by == world.college_a_admin
    assert Notification.objects.get(recipient=world.student_a).kind == "attendance.leave_rejected"
    with pytest.raises(ValidationError, match="Only a pending request"):
        services.leave_approve(actor=world.manager_a, leave=leave)


def test_rejection_needs_a_note(world):
    leave = _leave(world)
    with pytest.raises(ValidationError, match="Say why"):
        services.leave_reject(actor=world.manager_a, leave=leave, note=" ")
    leave.refresh_from_db()
    assert leave.status == "pending"


def test_student_withdraws_a_pending_request_only(world):
    leave = _leave(world)
    with pytest.raises(PermissionDenied):
        services.leave_withdraw(actor=world.student_b, leave=leave)
    services.leave_withdraw(actor=world.student_a, leave=leave)
    leave.refresh_from_db()
    assert leave.status == "withdrawn"
    with pytest.raises(ValidationError):
        services.leave_withdraw(actor=world.student_a, leave=leave)


# --- rates and the threshold ----------------------------------------------------------------------------------


def test_rates_late_counts_as_attended_and_excused_is_left_out(world):
    t = make_teaching(world)
    _take(world, t, S0001="late", S0002="absent", S0003="excused")
    _take(world, t, date=WEDNESDAY, entry=t.wednesday, S0002="absent", S0003="absent")
    rows = {r["student__student_number"]: r for r in selectors.rates(user=world.manager_a, group="student")}
    assert rows["A001"]["rate"] == 100.0
    assert rows["S0001"]["rate"] == 100.0 and rows["S0001"]["late"] == 1
    assert rows["S0002"]["rate"] == 0.0
    assert rows["S0003"]["rate"] == 0.0 and rows["S0003"]["counted"] == 1 and rows["S0003"]["excused"] == 1
    (cohort,) = selectors.rates(user=world.manager_a, group="cohort")
    assert cohort["counted"] == 7 and cohort["attended"] == 4 and cohort["rate"] == round(400 / 7, 1)
    (course,) = selectors.rates(user=world.teacher_a, group="course")
    assert course["session__course__code"] == t.course.code and course["total"] == 8
    below = selectors.under_threshold(user=world.manager_a, threshold=80)
    assert [r["student__student_number"] for r in below] == ["S0002", "S0003"]
    assert selectors.rates(user=world.college_b_admin, group="cohort") == []
    assert selectors.rates(user=world.other_admin, group="cohort") == []
    mine = selectors.rates(user=world.student_a, group="course")
    assert len(mine) == 1 and mine[0]["total"] == 2


def test_threshold_is_set_by_the_parks_teaching_administrators(world):
    assert selectors.threshold_for(world.park) == 80
    services.threshold_set(actor=world.coordinator, park=world.park, threshold=75)
    assert selectors.threshold_for(world.park) == 75
    services.threshold_set(actor=world.park_admin, park=world.park, threshold=90)
    assert AttendanceSetting.objects.get(park=world.park).threshold == 90
    assert audit_count(AttendanceSetting, "update") == 1
    for persona in ("manager_a", "committee", "other_admin", "teacher_a"):
        with pytest.raises(PermissionDenied):
            services.threshold_set(actor=world.users[persona], park=world.park, threshold=50)
    with pytest.raises(ValidationError, match="from 1 to 100"):
        services.threshold_set(actor=world.park_admin, park=world.park, threshold=120)
