"""Steps the journeys share: signing in and out through the real forms, switching the language, translated text."""

from __future__ import annotations

import re
from typing import Any

from django.utils import translation

from iepark.testing import PASSWORD

CHINESE = "zh-hans"
ENGLISH = "en"


def tr(text: Any, language: str = CHINESE) -> str:
    """Return ``text`` (a message id or a lazy string) as the server renders it in ``language``."""
    with translation.override(language):
        return str(translation.gettext(text) if isinstance(text, str) else text)


def path_of(page: Any) -> str:
    """Return the path and query of the page's URL (without scheme and host)."""
    return re.sub(r"^https?://[^/]+", "", page.url)


def log_in(page: Any, username: str, password: str = PASSWORD, *, path: str | None = "/login/") -> Any:
    """Sign in through the login form (at ``path``, or the current page when None); return the next page's response."""
    if path is not None:
        page.goto(path)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation() as navigation:
        page.click("form[action='/login/'] button[type=submit]")
    return navigation.value


def log_out(page: Any) -> None:
    """Sign out through the user menu of the top bar (a POST form)."""
    page.click("header .nav-item.dropdown > button[data-bs-toggle='dropdown']")
    with page.expect_navigation():
        page.click("header form[action='/logout/'] button[type=submit]")


def switch_language(page: Any, code: str) -> None:
    """Choose a language in the switcher of the top bar (or of the public pages)."""
    switcher = page.locator("form[action='/i18n/setlang/']").first.locator("xpath=..")
    switcher.locator("button[data-bs-toggle='dropdown']").click()
    with page.expect_navigation():
        switcher.locator(f"button[name='language'][value='{code}']").click()


def html_lang(page: Any) -> str:
    """Return the language the page declares (``<html lang>``), i.e. the one the server rendered it in."""
    return page.locator("html").get_attribute("lang") or ""


def sidebar_labels(page: Any) -> list[str]:
    """Return the texts of the main menu's links and headings."""
    return [t.strip() for t in page.locator("#app-sidebar .nav-link span, #app-sidebar .nav-heading").all_inner_texts()]


def choose(page: Any, name: str, label: str) -> list[str]:
    """
    Pick the option showing ``label`` in the choice field ``name``, as a person would.

    A field the site script enhanced with Tom Select is opened and the option clicked in its
    dropdown; a plain select is chosen by its label. Return the labels the field offered.
    """
    control = page.locator(f".ts-wrapper:has(#id_{name}-ts-control) .ts-control")
    if control.count():
        control.click()
        options = page.locator(f"#id_{name}-ts-dropdown [role=option]")
        options.first.wait_for()
        offered = [t.strip() for t in options.all_inner_texts()]
        options.filter(has_text=label).first.click()
        page.keyboard.press("Escape")
        return offered
    select = page.locator(f"#id_{name}")
    offered = [t.strip() for t in select.locator("option").all_inner_texts()]
    select.select_option(label=label)
    return offered
