"""
Browser journey of attendance, on a phone: a student asks for leave, their student manager approves it,
the teacher opens the roster (the student preset to excused), marks one student late and saves.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from iepark.teaching.attendance.models import AttendanceRecord, LeaveRequest
from iepark.teaching.attendance.tests.factories import MONDAY, make_teaching

from .pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _no_horizontal_scroll(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_leave_then_attendance_on_a_phone(world, new_page, screenshot):
    t = make_teaching(world)
    day = MONDAY.isoformat()

    student = new_page()
    student.set_viewport_size(PHONE)
    log_in(student, "student_a")
    student.goto("/attendance/leave/add/")
    student.fill("#id_start_date", day)
    student.fill("#id_end_date", day)
    student.fill("#id_reason", "发烧就医")
    with student.expect_navigation():
        student.locator("form.edit-form button[type=submit]").click()
    leave = LeaveRequest.objects.get()
    assert leave.student == world.a_student and leave.status == "pending"

    manager = new_page()
    log_in(manager, "manager_a")
    manager.goto(f"/attendance/leave/{leave.pk}/")
    manager.fill("#id_note", "同意")
    with manager.expect_navigation():
        manager.locator("#decide-form button.btn-success").click()
    leave.refresh_from_db()
    assert leave.status == "approved"

    teacher = new_page()
    teacher.set_viewport_size(PHONE)
    log_in(teacher, "teacher_a")
    teacher.goto(f"/attendance/?week={day}")
    expect(teacher.locator(".slot-untaken")).to_have_count(2)
    with teacher.expect_navigation():
        teacher.locator(f"a[href='/attendance/take/{t.monday.pk}/{day}/']").click()
    expect(teacher.locator(".roster-line")).to_have_count(4)
    expect(teacher.locator(f"#s{world.a_student.pk}_excused")).to_be_checked()
    teacher.locator(f"label[for='s{t.students[1].pk}_late']").click()
    assert _no_horizontal_scroll(teacher)
    screenshot(teacher, "attendance-roster-phone")
    with teacher.expect_navigation():
        teacher.locator("#roster-form button[type=submit]").click()
    expect(teacher.locator(".slot-untaken")).to_have_count(1)
    statuses = dict(AttendanceRecord.objects.values_list("student__student_number", "status"))
    assert statuses == {"A001": "excused", "S0001": "late", "S0002": "present", "S0003": "present"}
