"""
Browser journey of venue booking: a student finds a free gym on a phone and books it, the operator
approves it from the queue, the student sees it approved, and the room's calendar shows it.

Only the starting situation (the rooms, a published lecture in the gym) is built with the test
factories; every step under test goes through the pages in Debian's Chromium against the live server.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from iepark.teaching.venues.models import VenueBooking
from iepark.teaching.venues.tests.factories import gym, meeting_room, next_weekday, published_timetable

from .pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _no_horizontal_scroll(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_a_student_books_the_gym_on_a_phone_and_the_operator_approves(world, new_page, screenshot):
    room = gym(world)
    meeting_room(world)
    published_timetable(world, room, day_of_week=2, period=5)  # the gym is taught in on Wednesdays 14:00-14:45
    day = next_weekday(2).isoformat()

    student = new_page()
    student.set_viewport_size(PHONE)
    log_in(student, "student_a")
    student.goto(f"/venues/find/?date={day}&start_time=14:00&end_time=15:00")
    expect(student.locator(f"[data-room='{room.pk}']")).to_have_count(0)  # the lecture takes it
    student.goto(f"/venues/find/?date={day}&start_time=18:00&end_time=20:00")
    card = student.locator(f"[data-room='{room.pk}']")
    expect(card).to_be_visible()
    assert _no_horizontal_scroll(student)
    screenshot(student, "venues-find-phone")
    with student.expect_navigation():
        card.locator("a.btn-primary").click()
    assert student.locator("#id_date").input_value() == day
    assert student.locator("#id_start_time").input_value() == "18:00"
    student.fill("#id_attendees", "24")
    student.fill("#id_purpose", "Basketball match 2401 v 2402")
    assert _no_horizontal_scroll(student)
    with student.expect_navigation():
        student.locator("form.edit-form button[type=submit]").click()
    booking = VenueBooking.objects.get()
    assert booking.status == "pending" and student.url.endswith(f"/venue-bookings/{booking.pk}/")

    desk = new_page()
    log_in(desk, "operator")
    desk.goto("/venues/to-approve/")
    entry = desk.locator(f"#booking-{booking.pk}")
    expect(entry).to_contain_text("Basketball match 2401 v 2402")
    screenshot(desk, "venues-queue")
    with desk.expect_navigation():
        entry.locator("form[action$='/approve/'] button").click()
    expect(desk.locator(f"#booking-{booking.pk}")).to_have_count(0)
    booking.refresh_from_db()
    assert booking.status == "approved"

    student.goto("/venues/mine/")
    expect(student.locator(".badge.text-bg-success").first).to_be_visible()
    assert _no_horizontal_scroll(student)
    student.goto(f"/venues/rooms/{room.pk}/calendar/?week={day}")
    expect(student.locator("[data-kind='timetable']").first).to_contain_text("PE101")
    expect(student.locator("[data-kind='booking']").first).to_contain_text(booking.reference)
    screenshot(student, "venues-calendar-phone")
    assert _no_horizontal_scroll(student)
