"""
Fixtures of the browser journeys: Debian's Chromium driven by Playwright against pytest-django's live server.

The Playwright driver and the browser are started once per test session (per
xdist worker) and only when a browser test runs; every test gets fresh browser
contexts (no shared cookies) and its own persona world in a transactional
database, which the live server thread sees.

Playwright's sync API keeps an asyncio event loop running in the main thread,
so Django's async-unsafe guard would refuse the test thread's database access
(building the world, checking rows, flushing the database after the test).
``DJANGO_ALLOW_ASYNC_UNSAFE`` is set while Playwright runs, and restored after.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]
# Screenshots are for people to look at; they stay out of the repository.
SHOTS_DIR = Path("/tmp/iepark-shots")
# A page that takes longer than this is a failure, not something to wait for.
TIMEOUT_MS = 15_000


def _skip_without_chromium() -> None:
    if not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(
            f"{CHROMIUM} is not installed: the browser journeys need Debian's chromium (scripts/ensure-browser)"
        )


@pytest.fixture(autouse=True)
def _require_chromium() -> None:
    """Skip a browser test before it builds anything when there is no browser to run it."""
    _skip_without_chromium()


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Any]:
    """Start Playwright's driver (skip the browser tests when Chromium or Playwright is missing)."""
    _skip_without_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright Python package is not installed")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    driver = sync_playwright().start()
    try:
        yield driver
    finally:
        driver.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def chromium(playwright_driver: Any) -> Iterator[Any]:
    """Return Debian's Chromium, launched headless once for the session."""
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture(scope="session")
def shots_dir() -> Path:
    """Return the folder of the journeys' screenshots (each run overwrites them)."""
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    return SHOTS_DIR


@pytest.fixture
def world(transactional_db: None, live_server: Any) -> Any:
    """Build the persona world where the live server sees it (a transactional database)."""
    from iepark.testing import build_world

    return build_world()


@pytest.fixture
def new_page(chromium: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """
    Return a factory of pages, each in a fresh browser context (its own cookies) on the live server.

    The context asks for Chinese (``Accept-Language: zh-CN``) unless ``locale`` says otherwise,
    as a browser in the park would. The test fails if a page throws a JavaScript error or a
    script, style sheet, font or image it loads is missing (a 404 *page* is fine: tests ask for those).
    """
    contexts: list[Any] = []
    problems: list[str] = []

    def watch(page: Any) -> None:
        page.on("pageerror", lambda error: problems.append(f"JavaScript error on {page.url}: {error}"))

        def on_response(response: Any) -> None:
            if response.status >= 400 and response.request.resource_type != "document":
                problems.append(f"{response.status} for {response.request.resource_type} {response.url}")

        def on_failure(request: Any) -> None:
            # A navigation aborts what the previous page was still loading; that is not a fault.
            if request.resource_type != "document" and "ERR_ABORTED" not in (request.failure or ""):
                problems.append(f"{request.failure} for {request.resource_type} {request.url}")

        page.on("response", on_response)
        page.on("requestfailed", on_failure)

    def make(*, locale: str = "zh-CN") -> Any:
        context = chromium.new_context(
            base_url=live_server.url,
            locale=locale,
            timezone_id="Asia/Shanghai",
            viewport={"width": 1400, "height": 900},
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        watch(page)
        return page

    yield make
    for context in contexts:
        context.close()
    if problems:
        pytest.fail("The pages had errors:\n" + "\n".join(problems))


@pytest.fixture
def screenshot(shots_dir: Path) -> Callable[[Any, str], Path]:
    """Return a function saving a full-page screenshot of a page as ``<name>.png`` in the shots folder."""

    def take(page: Any, name: str) -> Path:
        path = shots_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
