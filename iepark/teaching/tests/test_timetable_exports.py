"""Everyone's own timetable: the week page, the .ics (download and feed), the Excel export, feed tokens."""

from __future__ import annotations

import datetime
import io
import zoneinfo
from dataclasses import dataclass
from typing import Any

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from iepark.core import audit
from iepark.core.models import AuditEvent
from iepark.teaching import timetable_exports as exports
from iepark.teaching.choices import TimetableStatus
from iepark.teaching.models import Cohort, Course, Room, Term, TimetableEntry, TimetableFeedToken, TimetableRun
from iepark.testing import audit_count

from .factories import enrol, make_cohort, make_course, make_room, make_teacher, make_term

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
START = datetime.date(2025, 9, 1)  # a Monday
HOLIDAY = datetime.date(2025, 10, 1)  # a Wednesday of week 5


@dataclass
class Timetable:
    term: Term
    run: TimetableRun
    cohort_a: Cohort
    cohort_b: Cohort
    course_a: Course
    course_b: Course
    room_1: Room
    room_2: Room
    teacher_b: Any


def build_timetable(
    world,
    *,
    start: datetime.date = START,
    weeks: int = 18,
    holidays: tuple[datetime.date, ...] = (HOLIDAY,),
    name: str = "2025 秋季学期",
    status: str = TimetableStatus.PUBLISHED,
) -> Timetable:
    """College A's cohort (student_a) takes course A of teacher_a (Monday 1 in room 101, Wednesday 3 in 102);
    college B's cohort (student_b) takes course B of another teacher (Tuesday 2 in room 101)."""
    term = make_term(
        world.park,
        name,
        start_date=start,
        end_date=start + datetime.timedelta(days=weeks * 7 - 3),
        teaching_weeks=weeks,
        holidays=[d.isoformat() for d in holidays],
    )
    cohort_a = Cohort.objects.filter(college=world.college_a, name="煤化工2401班").first() or make_cohort(world)
    cohort_b = Cohort.objects.filter(college=world.college_b).first() or make_cohort(
        world, "电厂2401班", college=world.college_b
    )
    if not cohort_a.enrolments.filter(student=world.a_student).exists():
        enrol(cohort_a, world.a_student)
        enrol(cohort_b, world.b_student)
    teacher_b = make_teacher(world, 50 + term.pk, college=world.college_b)
    course_a = make_course(world, "CA1", term=term, name="化工原理", cohorts=[cohort_a])
    course_b = make_course(
        world, "CB1", term=term, name="电厂运行", college=world.college_b, teachers=[teacher_b], cohorts=[cohort_b]
    )
    room_1 = Room.objects.filter(park=world.park, number="101").first() or make_room(world, "101")
    room_2 = Room.objects.filter(park=world.park, number="102").first() or make_room(world, "102")
    run = TimetableRun.objects.create(
        term=term,
        status=status,
        seconds=1,
        hard_violations=0,
        published_at=timezone.now() if status == TimetableStatus.PUBLISHED else None,
    )
    TimetableEntry.objects.create(run=run, course=course_a, room=room_1, day_of_week=0, period=1)
    TimetableEntry.objects.create(run=run, course=course_a, room=room_2, day_of_week=2, period=3)
    TimetableEntry.objects.create(run=run, course=course_b, room=room_1, day_of_week=1, period=2)
    return Timetable(term, run, cohort_a, cohort_b, course_a, course_b, room_1, room_2, teacher_b)


def this_weeks_monday() -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday())


def build_current_timetable(world, **kwargs: Any) -> Timetable:
    """A 4-week term whose week 2 is this week (no holidays), published."""
    kwargs.setdefault("name", "本学期")
    return build_timetable(
        world, start=this_weeks_monday() - datetime.timedelta(days=7), weeks=4, holidays=(), **kwargs
    )


def more_lectures(tt: Timetable, world, n: int, start: int, *, room: Room | None = None) -> None:
    """``n`` more lectures of teacher_a for cohort A from period 4 on, each its own course, in ``room`` (a new one)."""
    room = room or make_room(world, f"R{start}")
    for i in range(n):
        course = make_course(world, f"M{start + i}", term=tt.term, cohorts=[tt.cohort_a])
        TimetableEntry.objects.create(run=tt.run, course=course, room=room, day_of_week=i % 5, period=4 + i // 5)


def parse(body: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(body)


def events(calendar: icalendar.Calendar) -> list[icalendar.Event]:
    return list(calendar.walk("VEVENT"))


def login(browser_client, world, name: str):
    """A logged-in browser asking for English (the files' labels are named in English below)."""
    client = browser_client(world.users[name])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


# --- the .ics ------------------------------------------------------------------------------------------------


def test_ics_has_one_event_per_lecture_date_in_local_time_without_holidays(world, browser_client):
    tt = build_timetable(world)
    response = login(browser_client, world, "student_a").get(reverse("my_timetable_ics"), {"term": tt.term.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    calendar = parse(response.content)
    found = events(calendar)
    # Monday period 1 on 18 Mondays, Wednesday period 3 on 17 Wednesdays (1 October is a holiday).
    assert len(found) == 18 + 17
    starts = sorted(e.decoded("dtstart") for e in found)
    assert starts[0] == datetime.datetime(2025, 9, 1, 8, 0, tzinfo=SHANGHAI)
    assert starts[0].utcoffset() == datetime.timedelta(hours=8)
    assert all(s.date() != HOLIDAY for s in starts)
    wednesdays = [s for s in starts if s.weekday() == 2]
    assert wednesdays[0] == datetime.datetime(2025, 9, 3, 9, 50, tzinfo=SHANGHAI)
    first = next(e for e in found if e.decoded("dtstart") == starts[0])
    assert first.decoded("dtend") == datetime.datetime(2025, 9, 1, 8, 45, tzinfo=SHANGHAI)
    assert str(first["summary"]).startswith("CA1 ")
    assert str(first["location"]) == str(tt.room_1)
    assert world.persons["teacher_a"].name in str(first["description"])
    assert tt.cohort_a.name in str(first["description"])
    assert "TZID=Asia/Shanghai" in response.content.decode().replace("\r\n ", "")
    zones = [str(z["tzid"]) for z in calendar.walk("VTIMEZONE")]
    assert zones == ["Asia/Shanghai"]
    assert str(calendar["x-wr-calname"]) and str(calendar["name"]) == str(calendar["x-wr-calname"])
    # Course B (college B's cohort) is not in student A's calendar.
    assert not any("CB1" in str(e["summary"]) for e in found)


def test_ics_uids_are_unique_and_stable(world, browser_client):
    tt = build_timetable(world)
    client = login(browser_client, world, "student_a")
    first = [
        str(e["uid"]) for e in events(parse(client.get(reverse("my_timetable_ics"), {"term": tt.term.pk}).content))
    ]
    again = [
        str(e["uid"]) for e in events(parse(client.get(reverse("my_timetable_ics"), {"term": tt.term.pk}).content))
    ]
    assert len(set(first)) == len(first) == 35
    assert sorted(first) == sorted(again)
    # The teacher's calendar names the same lectures by the same UIDs.
    teacher = login(browser_client, world, "teacher_a").get(reverse("my_timetable_ics"), {"term": tt.term.pk})
    assert sorted(str(e["uid"]) for e in events(parse(teacher.content))) == sorted(first)


def test_a_room_calendar_shows_what_the_user_may_see_of_it(world, browser_client):
    tt = build_timetable(world)
    url = reverse("subject_timetable_ics", args=["room", tt.room_1.pk])
    admin = events(parse(login(browser_client, world, "park_admin").get(url, {"term": tt.term.pk}).content))
    codes = {str(e["summary"]).split()[0] for e in admin}
    assert codes == {"CA1", "CB1"} and len(admin) == 18 + 18
    college_b = events(parse(login(browser_client, world, "college_b_admin").get(url, {"term": tt.term.pk}).content))
    assert {str(e["summary"]).split()[0] for e in college_b} == {"CB1"}
    assert login(browser_client, world, "other_admin").get(url).status_code == 404


# --- the Excel export -----------------------------------------------------------------------------------------------


def test_xlsx_reads_back_with_a_week_grid_and_a_list(world, browser_client):
    tt = build_timetable(world)
    response = login(browser_client, world, "teacher_a").get(reverse("my_timetable_xlsx"), {"term": tt.term.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Week", "Lectures"]
    grid = wb["Week"]
    rows = list(grid.iter_rows(values_only=True))
    header_index = next(i for i, row in enumerate(rows) if row[0] == "Period")
    header = rows[header_index]
    assert header[1] == "Time" and header[2] == "Monday" and len(header) == 2 + tt.term.days_per_week
    period_1 = rows[header_index + 1]
    assert period_1[0] == 1 and period_1[1] == "08:00–08:45"
    assert "CA1" in period_1[2] and str(tt.room_1) in period_1[2]
    period_3 = rows[header_index + 3]
    assert period_3[1] == "09:50–10:35" and "CA1" in period_3[4] and str(tt.room_2) in period_3[4]
    assert not any("CB1" in str(v) for row in rows for v in row if v)
    listing = list(wb["Lectures"].iter_rows(values_only=True))
    assert listing[0][:6] == ("Date", "Day", "Week", "Period", "Start", "End")
    assert len(listing) - 1 == 35
    first = listing[1]
    assert first[0].date() == START and first[3] == 1 and first[4] == datetime.time(8, 0)
    assert first[6] == "CA1" and first[8] == str(tt.room_1)
    assert world.persons["teacher_a"].name in first[9] and tt.cohort_a.name in first[10]
    assert all(row[0].date() != HOLIDAY for row in listing[1:])


def test_xlsx_without_a_published_term_is_404(world, browser_client):
    build_timetable(world, status=TimetableStatus.DRAFT)
    assert login(browser_client, world, "student_a").get(reverse("my_timetable_xlsx")).status_code == 404


# --- the week page --------------------------------------------------------------------------------------------------


def test_week_page_shows_real_dates_holidays_and_navigation(world, browser_client):
    tt = build_timetable(world)
    client = login(browser_client, world, "student_a")
    page = client.get(reverse("my_timetable"), {"term": tt.term.pk, "week": 5})
    assert page.status_code == 200
    html = page.content.decode()
    assert "2025-09-29" in html and "2025-10-03" in html  # week 5: Monday 29 September to Friday 3 October
    assert "badge text-bg-warning" in html  # the holiday
    assert "No teaching (holiday)." in html  # the phone's day-by-day list
    assert "CA1" in html and "CB1" not in html
    assert "week=4" in html and "week=6" in html
    view = page.context["view"]
    assert view["week"] == 5
    wednesday = view["days"][2]
    assert wednesday.date == HOLIDAY and wednesday.is_holiday and wednesday.lectures == []
    monday = view["days"][0]
    assert [lec.entry.course.code for lec in monday.lectures] == ["CA1"]
    assert monday.lectures[0].start == datetime.datetime(2025, 9, 29, 8, 0, tzinfo=SHANGHAI)
    first_week = client.get(reverse("my_timetable"), {"term": tt.term.pk, "week": 1}).context["view"]
    assert first_week["previous"] is None and first_week["next"] == 2
    assert [lec.entry.period for lec in first_week["days"][2].lectures] == [3]


def test_week_page_opens_on_this_week_and_marks_today(world, browser_client):
    tt = build_current_timetable(world)
    page = login(browser_client, world, "teacher_a").get(reverse("my_timetable"))
    assert page.status_code == 200
    view = page.context["view"]
    assert page.context["term"] == tt.term and view["week"] == 2
    assert view["monday"] == this_weeks_monday()
    today = timezone.localdate()
    if today.weekday() < tt.term.days_per_week:
        assert view["days"][today.weekday()].is_today and view["today_column"] == today.weekday()
        assert 'aria-current="date"' in page.content.decode()
    else:
        assert view["today_column"] is None


def test_page_without_a_published_timetable_says_so(world, browser_client):
    build_timetable(world, status=TimetableStatus.DRAFT)
    page = login(browser_client, world, "student_a").get(reverse("my_timetable"))
    assert page.status_code == 200 and page.context["term"] is None


def test_menu_offers_my_timetable_to_students_and_teachers_only(world, browser_client):
    url = reverse("my_timetable")
    for name in ("student_a", "teacher_a"):
        assert url in login(browser_client, world, name).get("/").content.decode(), name
    for name in ("hr_e1", "operator"):
        assert url not in login(browser_client, world, name).get("/").content.decode(), name


def test_cohort_and_room_pages_link_their_timetables(world, browser_client):
    tt = build_timetable(world)
    client = login(browser_client, world, "college_a_admin")
    cohort_page = client.get(reverse("cohort_detail", args=[tt.cohort_a.pk])).content.decode()
    assert reverse("subject_timetable", args=["cohort", tt.cohort_a.pk]) in cohort_page
    room_page = client.get(reverse("room_detail", args=[tt.room_1.pk])).content.decode()
    assert reverse("subject_timetable", args=["room", tt.room_1.pk]) in room_page
    timetable = client.get(reverse("subject_timetable", args=["cohort", tt.cohort_a.pk]), {"term": tt.term.pk})
    assert timetable.status_code == 200 and "CA1" in timetable.content.decode()


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
        assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_pages_feeds_and_exports_run_a_fixed_number_of_queries(world, browser_client):
    tt = build_timetable(world)
    teacher = login(browser_client, world, "teacher_a")
    teacher.post(reverse("my_timetable_feed"))
    token = exports.feed_token_of(world.users["teacher_a"])
    admin = login(browser_client, world, "park_admin")
    cases = [
        (teacher, reverse("my_timetable"), {"term": tt.term.pk, "week": 3}),
        (teacher, reverse("my_timetable_ics"), {"term": tt.term.pk}),
        (teacher, reverse("my_timetable_xlsx"), {"term": tt.term.pk}),
        (admin, reverse("subject_timetable", args=["room", tt.room_1.pk]), {"term": tt.term.pk}),
        (admin, reverse("subject_timetable", args=["cohort", tt.cohort_a.pk]), {"term": tt.term.pk}),
        (admin, reverse("subject_timetable", args=["teacher", world.a_teacher.pk]), {"term": tt.term.pk}),
        (teacher, reverse("timetable_feed", args=[token]), {}),
    ]
    current = build_current_timetable(world)
    for client, url, params in cases:
        client.get(url, params)  # warm caches
    small = [_count(client, url, params) for client, url, params in cases]
    more_lectures(tt, world, 12, 100, room=tt.room_1)
    more_lectures(current, world, 12, 200)
    large = [_count(client, url, params) for client, url, params in cases]
    assert large == small
    # And the larger data is really shown.
    page = teacher.get(reverse("my_timetable"), {"term": tt.term.pk, "week": 3})
    assert sum(len(day.lectures) for day in page.context["view"]["days"]) == 2 + 12


# --- feed tokens ------------------------------------------------------------------------------------------------------


def test_feed_token_is_made_on_request_and_shown_on_the_page(world, browser_client):
    build_current_timetable(world)
    client = login(browser_client, world, "student_a")
    assert client.get(reverse("my_timetable")).context["feed_url"] == ""
    response = client.post(reverse("my_timetable_feed"), {"next": reverse("my_timetable")})
    assert response.status_code == 302 and response["Location"] == reverse("my_timetable")
    row = TimetableFeedToken.objects.get(user=world.users["student_a"])
    feed_url = client.get(reverse("my_timetable")).context["feed_url"]
    token = feed_url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".ics")
    assert feed_url.startswith("http") and token not in (row.nonce, row.key_hash) and len(token) >= 40
    assert audit_count(row, "create") == 1
    event = AuditEvent.objects.get(object_type=audit.object_type_of(row), action="create")
    assert token not in str(event.changes) and row.nonce not in str(event.changes)


def test_feed_needs_no_login_and_regenerating_revokes_the_old_address(world, browser_client, client):
    tt = build_current_timetable(world)
    student = login(browser_client, world, "student_a")
    student.post(reverse("my_timetable_feed"))
    old = exports.feed_token_of(world.users["student_a"])
    response = client.get(reverse("timetable_feed", args=[old]))  # anonymous client: calendar apps
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    found = events(parse(response.content))
    # 4 weeks of Monday 1 and Wednesday 3 of course A.
    assert len(found) == 8 and {str(e["summary"]).split()[0] for e in found} == {"CA1"}
    student.post(reverse("my_timetable_feed"))
    new = exports.feed_token_of(world.users["student_a"])
    assert new != old
    assert client.get(reverse("timetable_feed", args=[old])).status_code == 404
    assert client.get(reverse("timetable_feed", args=[new])).status_code == 200
    assert TimetableFeedToken.objects.filter(user=world.users["student_a"]).count() == 1
    assert audit_count(TimetableFeedToken, "update") == 1
    # A cohort feed through the token, as that user may see it.
    url = reverse("timetable_feed_subject", args=[new, "cohort", tt.cohort_a.pk])
    assert len(events(parse(client.get(url).content))) == 8
    assert client.get(reverse("timetable_feed_subject", args=[new, "cohort", tt.cohort_b.pk])).status_code == 404
    assert client.get(reverse("timetable_feed_subject", args=[new, "nonsense", tt.cohort_a.pk])).status_code == 404


def test_wrong_tokens_and_inactive_users_get_404(world, browser_client, client):
    build_current_timetable(world)
    login(browser_client, world, "teacher_a").post(reverse("my_timetable_feed"))
    token = exports.feed_token_of(world.users["teacher_a"])
    row = TimetableFeedToken.objects.get(user=world.users["teacher_a"])
    for wrong in ("x", token[:-1] + ("0" if token[-1] != "0" else "1"), row.key_hash, row.nonce, "a" * 200):
        assert client.get(reverse("timetable_feed", args=[wrong])).status_code == 404, wrong
    world.users["teacher_a"].is_active = False
    world.users["teacher_a"].save(update_fields=["is_active"])
    assert client.get(reverse("timetable_feed", args=[token])).status_code == 404


def test_feed_regeneration_needs_a_login_and_a_post(world, browser_client, client):
    assert client.post(reverse("my_timetable_feed")).status_code == 302  # to the login page
    assert not TimetableFeedToken.objects.exists()
    assert login(browser_client, world, "student_a").get(reverse("my_timetable_feed")).status_code == 405
    assert not TimetableFeedToken.objects.exists()


def test_feed_leaves_out_terms_long_ended(world, browser_client, client):
    build_timetable(world)  # autumn 2025, long over
    current = build_current_timetable(world)
    login(browser_client, world, "student_a").post(reverse("my_timetable_feed"))
    token = exports.feed_token_of(world.users["student_a"])
    found = events(parse(client.get(reverse("timetable_feed", args=[token])).content))
    assert found and all(e.decoded("dtstart").date() >= current.term.start_date for e in found)


@pytest.mark.parametrize("value", ["abc", "999999"])
def test_unknown_term_is_404(world, browser_client, value):
    build_timetable(world)
    client = login(browser_client, world, "student_a")
    assert client.get(reverse("my_timetable"), {"term": value}).status_code == 404
    assert client.get(reverse("my_timetable_ics"), {"term": value}).status_code == 404
