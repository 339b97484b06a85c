"""Real-browser fixtures: Debian's Chromium driven by Playwright against a live test server.

The browser is the system one (``/usr/bin/chromium``, installed by ``make install``), never a
downloaded build; ``SAMENSPEL_CHROMIUM`` points elsewhere. It runs headless and offline apart
from loopback.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, sync_playwright

PASSWORD = "browser-test-secret-9"


def chromium_path() -> str:
    """The system Chromium; a missing browser is an install error, not a skip."""
    path = os.environ.get("SAMENSPEL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Chromium is missing: run `make browser` (it installs Debian's chromium).")
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium for one test module.

    Playwright's sync API keeps an event loop on this thread while it runs, and the tests' own
    ORM calls are synchronous, so Django's async guard is lifted exactly as long as Playwright
    runs, and restored afterwards for the rest of the suite.
    """
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _chromium()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-extensions",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Browser, live_server: Any) -> Iterator[Any]:
    """A factory of fresh pages (each its own cookie jar), closed after the test."""
    contexts = []

    def make() -> Page:
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/")


def make_user(username: str) -> Any:
    return get_user_model().objects.create_user(username, password=PASSWORD)
