"""Review: what a session's records tell each reader through the API (only the records the reader may see)."""

from __future__ import annotations

import pytest

from iepark.teaching.attendance import services
from iepark.teaching.tests.factories import enrol, make_cohort

from .factories import MONDAY, make_teaching


def _shared_session(world):
    """Course C101 of ``teacher_a`` taken by a cohort of college A and one of college B; attendance taken."""
    t = make_teaching(world, n_students=1)
    cohort_b = make_cohort(world, "乙院2401班", college=world.college_b)
    enrol(cohort_b, world.b_student)
    t.course.cohorts.add(cohort_b)
    marks = [{"student": s.pk, "status": "absent"} for s in [*t.students, world.b_student]]
    return t, services.attendance_take(actor=world.teacher_a, entry=t.monday, date=MONDAY, marks=marks)


def _students(payload):
    return {row["student"] for row in payload["records"]}


def test_a_colleges_staff_see_only_their_students_records_in_a_shared_session(world, api):
    t, session = _shared_session(world)
    a_ids = {s.pk for s in t.students}
    url = f"/api/v1/attendance-sessions/{session.pk}/"

    teacher = api(world.teacher_a).get(url)
    assert teacher.status_code == 200 and _students(teacher.json()) == a_ids | {world.b_student.pk}

    college_b = api(world.college_b_admin).get(url)
    assert college_b.status_code == 200
    assert _students(college_b.json()) == {world.b_student.pk}
    listed = api(world.college_b_admin).get("/api/v1/attendance-sessions/").json()["results"]
    assert [_students(row) for row in listed] == [{world.b_student.pk}]

    manager_a = api(world.manager_a).get(url)
    assert manager_a.status_code == 200 and _students(manager_a.json()) == a_ids


def test_a_leave_requests_status_and_decider_are_not_assignable(world, api):
    response = api(world.student_a).post(
        "/api/v1/leave-requests/",
        {
            "start_date": "2025-09-01",
            "end_date": "2025-09-01",
            "reason": "病假",
            "status": "approved",
            "decided_by": world.manager_a.pk,
            "decision_note": "ok",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["decided_by"] is None and body["decision_note"] == ""


def test_a_student_sees_neither_another_students_leave_nor_its_attachments(world, api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from iepark.teaching.tests.factories import make_students

    other = make_students(world, 1, start=7)[0]
    note = SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    leave = services.leave_request_create(
        actor=world.manager_a, student=other, start_date=MONDAY, end_date=MONDAY, reason="病假", files=[note]
    )
    client = api(world.student_a)
    assert client.get(f"/api/v1/leave-requests/{leave.pk}/").status_code == 404
    assert client.get(f"/api/v1/leave-requests/{leave.pk}/attachments/").status_code == 404
    assert leave.pk not in {row["id"] for row in client.get("/api/v1/leave-requests/").json()["results"]}
    assert api(world.manager_a).get(f"/api/v1/leave-requests/{leave.pk}/attachments/").status_code == 200


def test_a_leave_request_page_offers_no_edit_link_that_would_not_open(world, browser_client):
    from django.urls import NoReverseMatch, reverse

    leave = services.leave_request_create(
        actor=world.student_a, student=world.a_student, start_date=MONDAY, end_date=MONDAY, reason="病假"
    )
    page = browser_client(world.manager_a).get(reverse("leaverequest_detail", args=[leave.pk])).content.decode()
    assert f"/attendance/leave/{leave.pk}/edit/" not in page
    with pytest.raises(NoReverseMatch):
        reverse("leaverequest_edit", args=[leave.pk])
