"""Browser tests: Playwright driving Debian's Chromium, headless, against live_server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("AGORA_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (AGORA_REQUIRE_BROWSER=1) but missing")
        pytest.skip("Chromium is not installed (run `make browser` as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


REFUSED_REQUEST = "Failed to load resource: the server responded with a status of 4"


@pytest.fixture
def allow_refused_requests() -> None:
    """Opt in: a 4xx answer the page handles itself (Chromium still logs it to the
    console) is not a failure. CSP violations and script errors still are."""


@pytest.fixture
def page(browser: Any, live_server: Any, request: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    refused_ok = "allow_refused_requests" in request.fixturenames
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not (refused_ok and msg.text.startswith(REFUSED_REQUEST))
            else None
        ),
    )
    yield page
    context.close()
    # A Content-Security-Policy violation or a script error is a failure.
    assert errors == [], errors
