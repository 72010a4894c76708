"""
Browser journey of timetabling: the coordinator makes a timetable for a term with the engine,
follows it, reads the penalties, moves a lecture by hand (after being told why another slot is
refused), publishes it; a student then finds it in their own week.

Only the starting situation (a term, cohorts, courses, rooms) is built with the test factories;
every step under test is clicked through the pages in Debian's Chromium (pages in zh-hans).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from iepark.teaching.choices import CourseType, RoomKind, TimetableStatus
from iepark.teaching.models import TimetableEntry, TimetableRun
from iepark.teaching.tests.factories import enrol, make_cohort, make_course, make_room, make_students, make_term

from .pages import log_in, tr

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def as_user(new_page: Callable[..., Any]) -> Iterator[Callable[..., Any]]:
    """``open(username)``: a fresh signed-in browser whose pages must never answer with a server error."""
    server_errors: list[str] = []

    def open_as(username: str) -> Any:
        page = new_page()
        page.on(
            "response",
            lambda r: server_errors.append(f"{r.status} {r.request.method} {r.url}") if r.status >= 500 else None,
        )
        log_in(page, username)
        return page

    yield open_as
    if server_errors:
        pytest.fail("Pages answered with a server error:\n" + "\n".join(server_errors))


def _term(world):
    term = make_term(world.park, days_per_week=3, periods_per_day=4)
    c1, c2 = make_cohort(world, "煤化工2401班"), make_cohort(world, "电厂2401班")
    enrol(c1, world.a_student)
    for s in make_students(world, 4, start=30):
        enrol(c2, s)
    make_room(world, "101", capacity=40)
    make_room(world, "102", capacity=30)
    make_room(world, "L1", room_kind=RoomKind.LAB, capacity=30, building="实训楼")
    make_course(world, "M101", term=term, teachers=[world.a_teacher], cohorts=[c1, c2], lectures_per_week=3)
    make_course(world, "M102", term=term, teachers=[world.a_teacher], cohorts=[c1], lectures_per_week=2)
    make_course(
        world,
        "P201",
        term=term,
        teachers=[world.a_teacher],
        cohorts=[c2],
        lectures_per_week=2,
        min_working_days=1,
        course_type=CourseType.PRACTICAL,
        required_room_kind=RoomKind.LAB,
    )
    return term


def test_coordinator_makes_explains_moves_and_publishes_a_timetable(world, as_user, screenshot):
    term = _term(world)
    desk = as_user("coordinator")
    desk.goto(f"/terms/{term.pk}/")
    with desk.expect_navigation():
        desk.get_by_role("link", name=tr("Make a timetable")).first.click()
    desk.fill("#id_seconds", "2")
    with desk.expect_navigation():
        desk.locator("form button[type=submit]").last.click()
    run = TimetableRun.objects.get(term=term)
    assert desk.url.endswith(f"/timetable-runs/{run.pk}/")

    # The run finishes in the background; the page shows its progress, then the draft.
    for _ in range(60):
        run.refresh_from_db()
        if run.status not in (TimetableStatus.QUEUED, TimetableStatus.RUNNING):
            break
        desk.wait_for_timeout(500)
    assert run.status == TimetableStatus.DRAFT and run.hard_violations == 0, run.error
    desk.reload()
    expect(desk.locator("main")).to_contain_text(tr("Minimum working days (×5 per missing day)"))

    # The week grid explains the penalties of the lectures shown.
    with desk.expect_navigation():
        desk.get_by_role("link", name=tr("Week grid")).click()
    expect(desk.locator("h2", has_text=tr("Penalties explained"))).to_be_visible()
    screenshot(desk, "timetable-grid")

    # Move M102's first lecture: a slot its cohort already uses is refused with the reason; a free one is taken.
    entry = TimetableEntry.objects.filter(run=run, course__code="M102").order_by("day_of_week", "period").first()
    with desk.expect_navigation():
        desk.locator(f".lecture[data-entry='{entry.pk}'] a", has_text=tr("Move")).click()
    # Where M101 is taught, the cohort and the teacher are busy: the cell says so.
    expect(desk.locator("#move-grid td[data-refused]", has_text="M101").first).to_be_visible()
    screenshot(desk, "timetable-move")
    free = desk.locator("#move-grid td:not([data-refused]) button[type=submit]").first
    cell = free.locator("xpath=ancestor::td")
    day, period = int(cell.get_attribute("data-day")), int(cell.get_attribute("data-period"))
    with desk.expect_navigation():
        free.click()
    expect(desk.locator(".alert-success")).to_be_visible()
    entry.refresh_from_db()
    assert (entry.day_of_week, entry.period) == (day, period)
    run.refresh_from_db()
    assert run.hard_violations == 0

    # Publish it.
    desk.goto(f"/timetable-runs/{run.pk}/")
    with desk.expect_navigation():
        desk.get_by_role("button", name=tr("Publish")).click()
    expect(desk.locator(".alert-success")).to_be_visible()
    run.refresh_from_db()
    assert run.status == TimetableStatus.PUBLISHED

    # The student finds the lecture in their own week.
    student = as_user("student_a")
    student.goto("/my/timetable/")
    expect(student.locator("main")).to_contain_text("M102")
    screenshot(student, "timetable-my-week")
