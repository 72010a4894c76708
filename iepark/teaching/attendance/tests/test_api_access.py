"""Standard access suites of the attendance endpoints and pages, and cross-party refusals of their actions."""

from __future__ import annotations

import datetime

from iepark.teaching.attendance import services
from iepark.teaching.attendance.models import AttendanceRecord, AttendanceSession, LeaveRequest
from iepark.testing import ApiAccessSuite

from .factories import MONDAY, all_present, make_teaching

SESSION_OUTSIDERS = ("student_a", "student_b", "college_b_admin", "other_admin", "outsider", "hr_e1", "operator")
RECORD_OUTSIDERS = ("student_b", "college_b_admin", "other_admin", "outsider", "hr_e1", "operator")
LEAVE_OUTSIDERS = ("student_b", "college_b_admin", "teacher_a", "other_admin", "outsider", "hr_e1", "operator")


def _teaching(world):
    if "_teaching" not in world.__dict__:
        world.__dict__["_teaching"] = make_teaching(world)
    return world.__dict__["_teaching"]


def _session(world, date=MONDAY):
    t = _teaching(world)
    existing = AttendanceSession.objects.filter(entry=t.monday, date=date).first()
    return existing or services.attendance_take(actor=world.teacher_a, entry=t.monday, date=date, marks=all_present(t))


def _sessions_directly(world, n, start):
    """``n`` more taken Monday lectures of the term (written directly, with a record per student)."""
    t = _teaching(world)
    dates = t.term.teaching_dates(0)
    used = set(AttendanceSession.objects.filter(entry=t.monday).values_list("date", flat=True))
    free = [d for d in dates if d not in used][:n]
    start_time, end_time = t.term.period_span(1)
    for date in free:
        session = AttendanceSession.objects.create(
            entry=t.monday, course=t.course, date=date, period=1, start_time=start_time, end_time=end_time
        )
        AttendanceRecord.objects.bulk_create(
            [
                AttendanceRecord(session=session, student=s, cohort=t.cohort, status="absent" if i % 2 else "present")
                for i, s in enumerate(t.students)
            ]
        )
    assert len(free) == n


class TestAttendanceSessionAccess(ApiAccessSuite):
    basename = "attendancesession"
    readers = ("teacher_a", "park_admin", "coordinator")
    readonly = ("committee", "manager_a", "college_a_admin")
    outsiders = SESSION_OUTSIDERS
    page_list, page_detail = "attendancesession_list", "attendancesession_detail"

    def own(self, world):
        return _session(world)

    def make_many(self, world, n, start):
        _sessions_directly(world, n, start)


class TestAttendanceRecordAccess(ApiAccessSuite):
    basename = "attendancerecord"
    readers = ("teacher_a", "manager_a", "college_a_admin", "park_admin")
    readonly = ("student_a", "committee")
    outsiders = RECORD_OUTSIDERS

    def own(self, world):
        return _session(world).records.get(student=world.a_student)

    def make_many(self, world, n, start):
        _sessions_directly(world, n, start)


class TestLeaveRequestAccess(ApiAccessSuite):
    basename = "leaverequest"
    readers = ("manager_a", "college_a_admin")
    writer = "student_a"
    # The park's administrators and the committee read rates, not students' leave (health data).
    outsiders = (*LEAVE_OUTSIDERS, "park_admin", "committee", "coordinator")
    page_list, page_detail = "leaverequest_list", "leaverequest_detail"

    def own(self, world):
        return LeaveRequest.objects.filter(reason="感冒").first() or services.leave_request_create(
            actor=world.student_a, student=world.a_student, start_date=MONDAY, end_date=MONDAY, reason="感冒"
        )

    def create_payload(self, world):
        return {"start_date": "2025-10-13", "end_date": "2025-10-14", "start_period": 3, "reason": "参加技能比赛"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), student=world.b_student.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), end_date="2025-10-12"), "end_date"

    def make_many(self, world, n, start):
        for i in range(n):
            day = datetime.date(2026, 1, 1) + datetime.timedelta(days=3 * (start + i))
            LeaveRequest.objects.create(student=world.a_student, start_date=day, end_date=day, reason=f"事由{i}")


# --- actions ----------------------------------------------------------------------------------------------------


def test_take_through_the_api_and_its_refusals(world, api):
    t = _teaching(world)
    url = "/api/v1/attendance-sessions/take/"
    payload = {"entry": t.monday.pk, "date": "2025-09-01", "records": all_present(t, S0001="late")}
    for persona in ("manager_a", "park_admin", "student_a", "college_b_admin", "other_admin"):
        response = api(world.users[persona]).post(url, payload, format="json")
        assert response.status_code == 400 and "entry" in response.json(), persona
    assert not AttendanceSession.objects.exists()
    bad = dict(payload, records=[{"student": world.b_student.pk, "status": "sleeping"}])
    response = api(world.teacher_a).post(url, bad, format="json")
    assert response.status_code == 400
    messages = response.json()["records"]
    assert any("not on the roster" in m for m in messages) and any("“sleeping”" in m for m in messages)
    response = api(world.teacher_a).post(url, dict(payload, date="2025-09-02"), format="json")
    assert response.status_code == 400 and "no lecture on 2025-09-02" in response.json()["date"][0]
    response = api(world.teacher_a).post(url, dict(payload, date="2025-08-25"), format="json")
    assert response.status_code == 400 and "outside the term" in response.json()["date"][0]
    assert not AttendanceSession.objects.exists()
    response = api(world.teacher_a).post(url, payload, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["late_count"] == 1 and data["present_count"] == 3 and len(data["records"]) == 4
    roster = api(world.teacher_a).get(
        "/api/v1/attendance-sessions/roster/", {"entry": t.monday.pk, "date": "2025-09-01"}
    )
    assert roster.status_code == 200 and {line["status"] for line in roster.json()} == {"present", "late"}
    assert all(line["recorded"] for line in roster.json())


def test_leave_actions_through_the_api(world, api):
    t = _teaching(world)
    _session(world)
    leave = api(world.student_a).post(
        "/api/v1/leave-requests/",
        {"start_date": "2025-09-01", "end_date": "2025-09-01", "reason": "病假"},
        format="json",
    )
    assert leave.status_code == 201, leave.content
    pk = leave.json()["id"]
    base = f"/api/v1/leave-requests/{pk}/"
    assert api(world.college_b_admin).post(base + "approve/", {}, format="json").status_code == 404
    assert api(world.student_a).post(base + "approve/", {}, format="json").status_code == 403
    assert (
        api(world.users["committee"]).post(base + "approve/", {}, format="json").status_code == 404
    )  # does not see students' leave
    response = api(world.manager_a).post(base + "reject/", {"note": ""}, format="json")
    assert response.status_code == 400 and "note" in response.json()
    response = api(world.manager_a).post(base + "approve/", {"note": "好好休息"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    record = AttendanceRecord.objects.get(session__entry=t.monday, student=world.a_student)
    assert record.status == "excused" and record.leave_id == pk
    assert api(world.student_a).post(base + "withdraw/", {}, format="json").status_code in (400, 403)


def test_student_withdraws_through_the_api(world, api):
    response = api(world.student_a).post(
        "/api/v1/leave-requests/",
        {"start_date": "2025-09-03", "end_date": "2025-09-04", "reason": "家事"},
        format="json",
    )
    url = f"/api/v1/leave-requests/{response.json()['id']}/withdraw/"
    assert api(world.manager_a).post(url, {}, format="json").status_code == 403
    response = api(world.student_a).post(url, {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
