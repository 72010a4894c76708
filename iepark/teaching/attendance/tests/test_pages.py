"""Pages of attendance: the teacher's week and roster, the student's page, rates and the Excel download,
leave requests, the threshold; fixed query counts on the roster, the week and the rates pages."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from iepark.teaching.attendance import services
from iepark.teaching.attendance.models import AttendanceRecord, AttendanceSession, LeaveRequest
from iepark.teaching.tests.factories import enrol, make_students

from .factories import MONDAY, WEDNESDAY, all_present, make_teaching

pytestmark = pytest.mark.django_db


def _take_url(entry, date):
    return reverse("attendance_take", args=[entry.pk, date.isoformat()])


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
        assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


def test_week_page_highlights_lectures_not_taken(world, browser_client):
    t = make_teaching(world)
    services.attendance_take(actor=world.teacher_a, entry=t.monday, date=MONDAY, marks=all_present(t))
    page = browser_client(world.teacher_a).get(reverse("attendance_sessions"), {"week": "2025-09-03"})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("slot-untaken") == 1  # Wednesday's lecture; Monday's is taken
    assert _take_url(t.wednesday, WEDNESDAY) in html and "untaken-alert" in html
    for persona in ("student_a", "manager_a", "outsider"):
        assert browser_client(world.users[persona]).get(reverse("attendance_sessions")).status_code == 403


def test_roster_page_presets_and_saves_in_one_step(world, browser_client):
    t = make_teaching(world)
    leave = services.leave_request_create(
        actor=world.student_a, student=world.a_student, start_date=MONDAY, end_date=MONDAY, reason="病假"
    )
    services.leave_approve(actor=world.manager_a, leave=leave)
    client = browser_client(world.teacher_a)
    page = client.get(_take_url(t.monday, MONDAY))
    html = page.content.decode()
    assert page.status_code == 200 and html.count("roster-line") == 4
    assert f'id="s{world.a_student.pk}_excused" value="excused" autocomplete="off" checked' in html
    assert f'id="s{t.students[1].pk}_present" value="present" autocomplete="off" checked' in html
    data = {f"status_{s.pk}": "present" for s in t.students}
    data[f"status_{world.a_student.pk}"] = "excused"
    data[f"status_{t.students[2].pk}"] = "absent"
    data[f"note_{t.students[2].pk}"] = "未请假"
    response = client.post(_take_url(t.monday, MONDAY), data)
    assert response.status_code == 302
    session = AttendanceSession.objects.get()
    assert session.records.get(student=t.students[2]).note == "未请假"
    assert session.records.get(student=world.a_student).leave == leave


def test_roster_page_refuses_bad_input_and_writes_nothing(world, browser_client):
    t = make_teaching(world)
    client = browser_client(world.teacher_a)
    response = client.post(_take_url(t.monday, MONDAY), {f"status_{t.students[1].pk}": "maybe"})
    assert (
        response.status_code == 400
        and "is not an attendance status" in response.content.decode("utf-8")
        or ("不是" in response.content.decode())
    )
    assert not AttendanceSession.objects.exists()
    page = client.get(_take_url(t.monday, MONDAY + datetime.timedelta(days=1)), HTTP_ACCEPT_LANGUAGE="en")
    assert "has no lecture on 2025-09-02" in page.content.decode() and "roster-form" not in page.content.decode()
    page = client.get(reverse("attendance_take", args=[t.monday.pk, "2025-13-01"]))
    assert "take-error" in page.content.decode()
    assert browser_client(world.manager_a).get(_take_url(t.monday, MONDAY)).status_code == 404
    assert not AttendanceSession.objects.exists()


def test_student_page_shows_own_records_and_rates(world, browser_client):
    t = make_teaching(world)
    services.attendance_take(actor=world.teacher_a, entry=t.monday, date=MONDAY, marks=all_present(t, A001="late"))
    services.attendance_take(
        actor=world.teacher_a, entry=t.wednesday, date=WEDNESDAY, marks=all_present(t, A001="absent")
    )
    html = browser_client(world.student_a).get(reverse("attendance_mine")).content.decode()
    assert 'id="my-rate">50.0%' in html
    assert html.count("list-group-item d-flex") == 2


def test_rates_page_lists_students_under_the_threshold_and_exports(world, browser_client):
    t = make_teaching(world)
    services.attendance_take(actor=world.teacher_a, entry=t.monday, date=MONDAY, marks=all_present(t, S0002="absent"))
    services.attendance_take(
        actor=world.teacher_a, entry=t.wednesday, date=WEDNESDAY, marks=all_present(t, S0002="late", S0003="absent")
    )
    client = browser_client(world.manager_a)
    html = client.get(reverse("attendance_rates")).content.decode()
    # S0002 and S0003 attended one of two counted lectures (50 %); late counts as attended.
    assert 'id="below-count">2<' in html and "S0002" in html and "S0003" in html and "S0001" not in html
    html = client.get(reverse("attendance_rates"), {"threshold": 50}).content.decode()
    assert 'id="below-count">0<' in html
    html = client.get(reverse("attendance_rates"), {"threshold": 60}).content.decode()
    assert 'id="below-count">2<' in html
    export = client.get(reverse("attendance_rates_export"), {"threshold": 60})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    below = list(book.worksheets[0].iter_rows(values_only=True))
    assert [row[0] for row in below[1:]] == ["S0002", "S0003"] and below[1][-1] == 50.0
    assert len(list(book.worksheets[1].iter_rows())) == 2  # heading and the one cohort
    assert browser_client(world.college_b_admin).get(reverse("attendance_rates")).status_code == 200
    assert (
        'id="below-count">0<'
        in browser_client(world.college_b_admin).get(reverse("attendance_rates"), {"threshold": 60}).content.decode()
    )
    assert browser_client(world.student_a).get(reverse("attendance_rates")).status_code == 403


def test_threshold_page_for_teaching_administrators(world, browser_client):
    url = reverse("attendance_threshold")
    assert browser_client(world.manager_a).get(url).status_code == 403
    client = browser_client(world.coordinator)
    assert client.get(url).status_code == 200
    assert client.post(url, {"threshold": 101}).status_code == 200
    assert client.post(url, {"threshold": 70}).status_code == 302
    from iepark.teaching.attendance.selectors import threshold_for

    assert threshold_for(world.park) == 70


def test_leave_pages_ask_decide_and_withdraw(world, browser_client):
    student = browser_client(world.student_a)
    assert student.get(reverse("leaverequest_create")).status_code == 200
    response = student.post(
        reverse("leaverequest_create"),
        {"student": world.a_student.pk, "start_date": "2025-09-10", "end_date": "2025-09-09", "reason": "x"},
    )
    assert response.status_code == 200 and not LeaveRequest.objects.exists()
    response = student.post(
        reverse("leaverequest_create"),
        {"student": world.a_student.pk, "start_date": "2025-09-10", "end_date": "2025-09-11", "reason": "回家"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    leave = LeaveRequest.objects.get()
    detail = reverse("leaverequest_detail", args=[leave.pk])
    assert "withdraw" in student.get(detail).content.decode()
    manager = browser_client(world.manager_a)
    assert "decide-form" in manager.get(detail).content.decode()
    assert manager.post(reverse("leaverequest_step", args=[leave.pk, "reject"]), {"note": ""}).status_code == 302
    leave.refresh_from_db()
    assert leave.status == "pending"  # a rejection needs a note
    manager.post(reverse("leaverequest_step", args=[leave.pk, "approve"]), {"note": "同意"})
    leave.refresh_from_db()
    assert leave.status == "approved"
    assert browser_client(world.college_b_admin).get(detail).status_code == 404
    assert (
        browser_client(world.college_b_admin).post(reverse("leaverequest_step", args=[leave.pk, "reject"])).status_code
        == 404
    )


# --- query counts ------------------------------------------------------------------------------------------------


def _grow(world, t, n, start):
    """``n`` more students in the cohort, and attendance on more Mondays and Wednesdays."""
    more = make_students(world, n, start=start)
    for s in more:
        enrol(t.cohort, s)
    t.students.extend(more)
    for entry, dates in ((t.monday, t.term.teaching_dates(0)), (t.wednesday, t.term.teaching_dates(2))):
        for date in dates[start % 7 + 1 : start % 7 + 3]:  # not the first week's, measured untouched
            services.attendance_take(
                actor=world.teacher_a, entry=entry, date=date, marks=all_present(t, S0002="absent")
            )


def test_query_counts_do_not_grow_with_the_data(world, browser_client):
    t = make_teaching(world)
    services.attendance_take(actor=world.teacher_a, entry=t.monday, date=MONDAY, marks=all_present(t))
    teacher = browser_client(world.teacher_a)
    manager = browser_client(world.manager_a)
    pages = [
        (teacher, _take_url(t.monday, MONDAY), {}),
        (teacher, _take_url(t.wednesday, WEDNESDAY), {}),
        (teacher, reverse("attendance_sessions"), {"week": "2025-09-01"}),
        (manager, reverse("attendance_rates"), {"term": t.term.pk}),
        (manager, reverse("attendance_rates_export"), {"term": t.term.pk}),
        (browser_client(world.student_a), reverse("attendance_mine"), {}),
    ]
    for client, url, params in pages:
        client.get(url, params)  # warm caches
    small = [_queries(client, url, **params) for client, url, params in pages]
    _grow(world, t, 8, 50)
    make_teaching(world, n_students=2, start=80)  # another course of the teacher, on the same days
    leave = services.leave_request_create(
        actor=world.student_a, student=world.a_student, start_date=MONDAY, end_date=WEDNESDAY, reason="病"
    )
    services.leave_approve(actor=world.manager_a, leave=leave)
    assert AttendanceRecord.objects.count() > 30
    large = [_queries(client, url, **params) for client, url, params in pages]
    assert large == small


@pytest.mark.parametrize(
    "persona",
    ["park_admin", "committee", "coordinator", "college_a_admin", "manager_a", "teacher_a", "student_a", "outsider"],
)
def test_every_page_answers_each_role_without_error(world, browser_client, persona):
    t = make_teaching(world)
    session = services.attendance_take(actor=world.teacher_a, entry=t.monday, date=MONDAY, marks=all_present(t))
    leave = services.leave_request_create(
        actor=world.student_a, student=world.a_student, start_date=MONDAY, end_date=MONDAY, reason="病"
    )
    client = browser_client(world.users[persona])
    urls = [
        reverse("attendance_sessions"),
        reverse("attendance_mine"),
        reverse("attendance_rates"),
        reverse("attendance_threshold"),
        reverse("attendancesession_list"),
        reverse("attendancesession_detail", args=[session.pk]),
        reverse("attendancesession_history", args=[session.pk]),
        reverse("leaverequest_list"),
        reverse("leaverequest_create"),
        reverse("leaverequest_detail", args=[leave.pk]),
        reverse("leaverequest_history", args=[leave.pk]),
    ]
    answers = {url: client.get(url).status_code for url in urls}
    assert set(answers.values()) <= {200, 403, 404}, (persona, answers)
    expected_ok = {
        "teacher_a": ["attendance_sessions", "attendance_rates"],
        "student_a": ["attendance_mine", "leaverequest_create"],
        "manager_a": ["attendance_rates", "leaverequest_create"],
        "coordinator": ["attendance_rates", "attendance_threshold"],
        "committee": ["attendance_rates"],
    }.get(persona, [])
    for name in expected_ok:
        assert answers[reverse(name)] == 200, (persona, name)
    if persona == "outsider":
        assert answers[reverse("attendance_rates")] == 403
        assert answers[reverse("leaverequest_detail", args=[leave.pk])] == 404
