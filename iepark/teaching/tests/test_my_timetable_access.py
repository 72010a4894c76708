"""
Who sees which timetable: the published run's entries reach the course's parties, drafts never;
``my-timetable`` (API) and the week pages, exports and feeds follow the same policy.
"""

from __future__ import annotations

import datetime

import icalendar
from django.urls import reverse
from django.utils import timezone

from iepark.teaching import timetable_exports as exports
from iepark.teaching.choices import TimetableStatus
from iepark.teaching.models import Enrolment, TimetableEntry, TimetableRun
from iepark.testing import ApiAccessSuite

from .factories import make_order_class
from .test_timetable_exports import build_current_timetable, build_timetable, login, more_lectures

ENTRIES = "/api/v1/timetable-entries/"
MINE = "/api/v1/my-timetable/"


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


class TestPublishedTimetableEntryAccess(ApiAccessSuite):
    """``timetable-entries`` of a published run: course A's parties see its entries; nobody else does."""

    basename = "timetableentry"
    readers = ("teacher_a", "student_a", "college_a_admin", "manager_a", "coordinator", "park_admin")
    readonly = ("committee",)
    outsiders = ("student_b", "college_b_admin", "hr_e1", "hr_e2", "mentor_e1", "operator", "other_admin", "outsider")

    def own(self, world):
        if not hasattr(world, "_tt"):
            world._tt = build_timetable(world)
        return TimetableEntry.objects.get(run=world._tt.run, course=world._tt.course_a, day_of_week=0)

    def make_many(self, world, n, start):
        self.own(world)
        more_lectures(world._tt, world, n, start)


class TestMyTimetableAccess(ApiAccessSuite):
    """``my-timetable``: this week's lectures of the user as teacher or student (the entry is the "object")."""

    basename = "mytimetable"
    readers = ("teacher_a", "student_a")
    outsiders = ("student_b", "college_a_admin", "college_b_admin", "park_admin", "hr_e1", "other_admin", "outsider")

    def own(self, world):
        if not hasattr(world, "_tt"):
            world._tt = build_current_timetable(world)
        return TimetableEntry.objects.get(run=world._tt.run, course=world._tt.course_a, day_of_week=0)

    def make_many(self, world, n, start):
        self.own(world)
        more_lectures(world._tt, world, n, start)


# --- the widened scope ----------------------------------------------------------------------------------------


def test_drafts_are_never_seen_by_the_parties(world, api):
    build_timetable(world, status=TimetableStatus.DRAFT)
    for name in ("teacher_a", "student_a", "college_a_admin", "manager_a", "student_b", "college_b_admin"):
        assert _ids(api(world.users[name]).get(ENTRIES)) == set(), name
    assert len(_ids(api(world.users["park_admin"]).get(ENTRIES))) == 3
    assert len(_ids(api(world.users["committee"]).get(ENTRIES))) == 3


def test_a_draft_next_to_the_published_run_stays_hidden(world, api):
    tt = build_timetable(world)
    draft = TimetableRun.objects.create(term=tt.term, status=TimetableStatus.DRAFT, seconds=1, hard_violations=0)
    hidden = TimetableEntry.objects.create(run=draft, course=tt.course_a, room=tt.room_1, day_of_week=4, period=5)
    for name in ("teacher_a", "student_a", "college_a_admin"):
        seen = _ids(api(world.users[name]).get(ENTRIES, {"page_size": 500}))
        assert hidden.pk not in seen and len(seen) == 2, name
        assert api(world.users[name]).get(f"{ENTRIES}{hidden.pk}/").status_code == 404, name
    assert hidden.pk in _ids(api(world.users["coordinator"]).get(ENTRIES, {"page_size": 500}))


def test_each_college_sees_only_its_cohorts_lectures(world, api):
    tt = build_timetable(world)
    a = {e.pk for e in TimetableEntry.objects.filter(course=tt.course_a)}
    b = {e.pk for e in TimetableEntry.objects.filter(course=tt.course_b)}
    assert _ids(api(world.users["student_a"]).get(ENTRIES)) == a
    assert _ids(api(world.users["student_b"]).get(ENTRIES)) == b
    assert _ids(api(world.users["college_a_admin"]).get(ENTRIES)) == a
    assert _ids(api(world.users["college_b_admin"]).get(ENTRIES)) == b
    assert _ids(api(world.users["teacher_a"]).get(ENTRIES)) == a
    assert _ids(api(world.users["park_admin"]).get(ENTRIES)) == a | b
    assert _ids(api(world.users["other_admin"]).get(ENTRIES)) == set()


def test_a_student_who_left_the_cohort_no_longer_sees_it(world, api):
    tt = build_timetable(world)
    Enrolment.objects.filter(student=world.a_student, cohort=tt.cohort_a).update(
        end_date=datetime.date(2025, 9, 10), leave_reason="转学"
    )
    assert _ids(api(world.users["student_a"]).get(ENTRIES)) == set()
    assert _ids(api(world.users["student_a"]).get(MINE, {"term": tt.term.pk, "week": 1})) == set()


def test_enterprise_hr_sees_the_order_classes_it_sponsors(world, api):
    tt = build_timetable(world)
    order_class = make_order_class(world)  # sponsored by enterprise 1
    tt.course_a.cohorts.add(order_class)
    a = {e.pk for e in TimetableEntry.objects.filter(course=tt.course_a)}
    assert _ids(api(world.users["hr_e1"]).get(ENTRIES)) == a
    assert _ids(api(world.users["hr_e2"]).get(ENTRIES)) == set()
    tt.run.status = TimetableStatus.DRAFT
    tt.run.save(update_fields=["status"])
    assert _ids(api(world.users["hr_e1"]).get(ENTRIES)) == set()


# --- my-timetable through the API ---------------------------------------------------------------------------------


def test_my_timetable_lists_a_weeks_dated_lectures(world, api):
    tt = build_timetable(world)
    response = api(world.users["student_a"]).get(MINE, {"term": tt.term.pk, "week": 5})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["term"]["id"] == tt.term.pk and data["week"] == 5 and data["weeks"] == 18
    assert data["time_zone"] == "Asia/Shanghai"
    assert [d["holiday"] for d in data["days"]] == [False, False, True, False, False]
    # 1 October (Wednesday) is a holiday: only the Monday lecture is left that week.
    assert [(r["course_code"], r["date"], r["start"], r["end"]) for r in data["results"]] == [
        ("CA1", "2025-09-29", "2025-09-29T08:00:00+08:00", "2025-09-29T08:45:00+08:00")
    ]
    row = data["results"][0]
    assert row["room"] == tt.room_1.pk and row["teachers"][0]["id"] == world.a_teacher.pk
    assert row["cohorts"] == [{"id": tt.cohort_a.pk, "name": tt.cohort_a.name}]
    week_6 = api(world.users["student_a"]).get(MINE, {"term": tt.term.pk, "week": 6}).json()
    assert [r["date"] for r in week_6["results"]] == ["2025-10-06", "2025-10-08"]


def test_my_timetable_entry_lists_its_dates(world, api):
    tt = build_timetable(world)
    wednesday = TimetableEntry.objects.get(run=tt.run, course=tt.course_a, day_of_week=2)
    data = api(world.users["teacher_a"]).get(f"{MINE}{wednesday.pk}/").json()
    assert data["start_time"] == "09:50" and data["end_time"] == "10:35"
    assert len(data["dates"]) == 17 and "2025-10-01" not in data["dates"] and data["dates"][0] == "2025-09-03"
    assert api(world.users["student_b"]).get(f"{MINE}{wednesday.pk}/").status_code == 404
    assert api(world.users["teacher_a"]).get(f"{MINE}abc/").status_code == 404


def test_my_timetable_of_a_cohort_teacher_or_room(world, api):
    tt = build_timetable(world)
    admin = api(world.users["college_b_admin"])
    room = admin.get(MINE, {"room": tt.room_1.pk, "term": tt.term.pk, "week": 1}).json()
    assert [r["course_code"] for r in room["results"]] == ["CB1"]
    assert admin.get(MINE, {"cohort": tt.cohort_b.pk, "term": tt.term.pk}).status_code == 200
    refused = admin.get(MINE, {"cohort": tt.cohort_a.pk})
    assert refused.status_code == 400 and "cohort" in refused.json()
    assert admin.get(MINE, {"cohort": tt.cohort_b.pk, "room": tt.room_1.pk}).status_code == 400
    coordinator = api(world.users["coordinator"])
    teacher = coordinator.get(MINE, {"teacher": world.a_teacher.pk, "term": tt.term.pk, "week": 1}).json()
    assert [r["course_code"] for r in teacher["results"]] == ["CA1", "CA1"]


def test_my_timetable_rejects_bad_terms_and_weeks(world, api):
    tt = build_timetable(world)
    draft = build_timetable(world, name="草稿学期", status=TimetableStatus.DRAFT)
    client = api(world.users["student_a"])
    for params, field in (
        ({"term": draft.term.pk}, "term"),
        ({"term": "x"}, "term"),
        ({"term": tt.term.pk, "week": 19}, "week"),
        ({"term": tt.term.pk, "week": "x"}, "week"),
    ):
        response = client.get(MINE, params)
        assert response.status_code == 400 and field in response.json(), params


def test_no_published_timetable_is_an_empty_answer(world, api):
    build_timetable(world, status=TimetableStatus.DRAFT)
    assert api(world.users["student_a"]).get(MINE).json() == {"term": None, "week": None, "results": []}


# --- pages, downloads and feeds across parties ----------------------------------------------------------------------


def test_pages_and_downloads_refuse_other_parties(world, browser_client):
    tt = build_timetable(world)
    cohort_a = ("cohort", tt.cohort_a.pk)
    for name in ("student_b", "college_b_admin", "hr_e2", "other_admin"):
        client = login(browser_client, world, name)
        for url_name in ("subject_timetable", "subject_timetable_ics", "subject_timetable_xlsx"):
            assert client.get(reverse(url_name, args=cohort_a), {"term": tt.term.pk}).status_code == 404, (
                name,
                url_name,
            )
    other = login(browser_client, world, "other_admin")
    assert other.get(reverse("subject_timetable", args=["room", tt.room_1.pk])).status_code == 404
    assert other.get(reverse("subject_timetable", args=["teacher", world.a_teacher.pk])).status_code == 404
    # Student B's own timetable holds nothing of college A.
    page = login(browser_client, world, "student_b").get(reverse("my_timetable"), {"term": tt.term.pk, "week": 1})
    codes = {lec.entry.course.code for day in page.context["view"]["days"] for lec in day.lectures}
    assert codes == {"CB1"}
    # A student sees their own cohort's timetable; a teacher theirs.
    student_a = login(browser_client, world, "student_a")
    assert student_a.get(reverse("subject_timetable", args=cohort_a), {"term": tt.term.pk}).status_code == 200
    assert student_a.get(reverse("subject_timetable", args=["kind", 1])).status_code == 404


def test_anonymous_users_are_sent_to_log_in(world, client):
    tt = build_timetable(world)
    for url in (
        reverse("my_timetable"),
        reverse("my_timetable_ics"),
        reverse("my_timetable_xlsx"),
        reverse("subject_timetable", args=["cohort", tt.cohort_a.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_another_parks_feed_sees_nothing_of_this_park(world, browser_client, client):
    tt = build_current_timetable(world)
    login(browser_client, world, "other_admin").post(reverse("my_timetable_feed"))
    token = exports.feed_token_of(world.users["other_admin"])
    own = icalendar.Calendar.from_ical(client.get(reverse("timetable_feed", args=[token])).content)
    assert list(own.walk("VEVENT")) == []
    for kind, pk in (("cohort", tt.cohort_a.pk), ("room", tt.room_1.pk), ("teacher", world.a_teacher.pk)):
        assert client.get(reverse("timetable_feed_subject", args=[token, kind, pk])).status_code == 404, kind


def test_a_feed_follows_its_users_current_rights(world, browser_client, client):
    tt = build_current_timetable(world)
    login(browser_client, world, "student_a").post(reverse("my_timetable_feed"))
    token = exports.feed_token_of(world.users["student_a"])
    url = reverse("timetable_feed", args=[token])
    assert len(icalendar.Calendar.from_ical(client.get(url).content).walk("VEVENT")) == 8
    Enrolment.objects.filter(student=world.a_student, cohort=tt.cohort_a).update(
        end_date=timezone.localdate(), leave_reason="转学"
    )
    assert icalendar.Calendar.from_ical(client.get(url).content).walk("VEVENT") == []
