"""
Browser journeys of signing in: each persona's home, the language switch, login throttling.

Every step goes through the pages as a person would: the real login form, the
menus and buttons, in Debian's Chromium against the live server.
"""

from __future__ import annotations

import re

import pytest

from iepark.core.choices import Role
from iepark.core.models import Person

from .pages import CHINESE, ENGLISH, html_lang, log_in, log_out, path_of, sidebar_labels, switch_language, tr

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHINESE_CHARACTER = re.compile(r"[\u4e00-\u9fff]")

# One persona of each kind, with the role and the organisation its home page names.
PERSONA_ROLES = [
    ("park_admin", Role.PARK_ADMIN, "committee"),
    ("committee", Role.COMMITTEE_OFFICER, "committee"),
    ("coordinator", Role.COLLEGE_COORDINATOR, "industrial_college"),
    ("college_a_admin", Role.COLLEGE_ADMIN, "college_a"),
    ("manager_a", Role.STUDENT_MANAGER, "college_a"),
    ("teacher_a", Role.TEACHER, "college_a"),
    ("student_a", Role.STUDENT, "college_a"),
    ("hr_e1", Role.ENTERPRISE_HR, "enterprise_1"),
    ("mentor_e1", Role.ENTERPRISE_MENTOR, "enterprise_1"),
    ("operator", Role.OPERATOR_STAFF, "operator_org"),
]


def test_each_persona_lands_on_its_home_and_sees_its_role(world, new_page, screenshot):
    page = new_page()
    page.goto("/login/")
    for username, role, org_attr in PERSONA_ROLES:
        response = log_in(page, username, path=None)
        assert response.status == 200, username
        assert path_of(page) == "/", username
        welcome = page.locator(".welcome")
        expected_greeting = tr("Welcome, %(name)s") % {
            "name": world.persons[username].name
        }  # the Chinese name on a Chinese page
        assert welcome.locator("h1").inner_text().strip() == expected_greeting, username
        chip = welcome.locator(".role-chip")
        assert chip.count() == 1, username
        assert tr(role.label) in chip.inner_text(), username
        assert getattr(world, org_attr).name in chip.inner_text(), username
        # The top bar names the signed-in user, and the page is in Chinese as the browser asked.
        assert username in page.locator("header").inner_text(), username
        assert html_lang(page) == CHINESE, username
        if username == "park_admin":
            screenshot(page, "1-home-park-admin")
        log_out(page)
        assert path_of(page) == "/login/", username

    # A login without any membership is told so instead of seeing an empty dashboard.
    log_in(page, "outsider", path=None)
    assert path_of(page) == "/"
    assert page.locator(".welcome .role-chip").count() == 0
    no_role = tr("Your account has no role in a park yet. Ask a park administrator to add you to your organisation.")
    assert no_role in page.locator(".alert-info").inner_text()


def test_anonymous_visit_redirects_to_login_and_back(world, new_page):
    page = new_page()
    response = page.goto("/students/")
    assert response.status == 200
    assert path_of(page) == "/login/?next=/students/"
    assert page.locator("#id_username").is_visible()
    assert page.locator("#id_password").is_visible()
    assert page.locator("table").count() == 0  # no list is shown before signing in
    # Signing in from there leads back to the page asked for.
    log_in(page, "college_a_admin", path=None)
    assert path_of(page) == "/students/"
    assert "A001" in page.locator("#object-table").inner_text()


def test_language_choice_is_remembered_per_user(world, new_page):
    page = new_page()
    log_in(page, "committee")
    assert html_lang(page) == CHINESE

    switch_language(page, ENGLISH)
    assert html_lang(page) == ENGLISH
    assert path_of(page) == "/"  # the switch returns to the page it was made on
    labels = sidebar_labels(page)
    for label in ("Dashboard", "Students", "Organisations", "Audit log"):
        assert label in labels
    assert "Log out" in page.locator("header").inner_html()
    assert Person.objects.get(user=world.users["committee"]).language == ENGLISH

    # Out and back in on the same browser: still English.
    log_out(page)
    assert path_of(page).startswith("/login/")
    log_in(page, "committee")
    assert html_lang(page) == ENGLISH

    # On another browser (no language cookie, Chinese asked for), the choice follows the user.
    other = new_page(locale="zh-CN")
    other.goto("/login/")
    assert html_lang(other) == CHINESE  # anonymous: the browser's language
    log_in(other, "committee", path=None)
    assert html_lang(other) == ENGLISH
    assert "Students" in sidebar_labels(other)

    # Back to Chinese: the menu is in Chinese again, and that choice is stored too.
    other.goto("/students/")
    switch_language(other, CHINESE)
    assert path_of(other) == "/students/"
    assert html_lang(other) == CHINESE
    labels = sidebar_labels(other)
    for message_id in ("Dashboard", "Students", "Organisations", "Audit log"):
        assert tr(message_id, CHINESE) in labels
    # Really Chinese, not English text that lacks a translation: every label of the menu has Chinese characters.
    assert all(CHINESE_CHARACTER.search(label) for label in labels), labels
    assert "学生" in labels
    assert Person.objects.get(user=world.users["committee"]).language == CHINESE


def test_login_is_locked_after_five_wrong_passwords(world, new_page, screenshot):
    page = new_page()
    page.goto("/login/")
    for attempt in range(1, 5):
        log_in(page, "student_a", "wrong-password", path=None)
        assert path_of(page).startswith("/login/"), attempt
        assert page.locator(".alert-danger").is_visible(), attempt
        assert tr("Too many failed login attempts") not in page.content(), attempt
    log_in(page, "student_a", "wrong-password", path=None)
    locked = page.locator(".alert-warning")
    assert tr("Too many failed login attempts") in locked.inner_text()
    assert page.locator("#id_password").count() == 0
    screenshot(page, "7-locked-out")
    # Even the right password is refused now.
    page.goto("/login/")
    log_in(page, "student_a", path=None)
    assert tr("Too many failed login attempts") in page.locator(".alert-warning").inner_text()
    assert path_of(page) != "/"
