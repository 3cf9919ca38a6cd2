"""Playwright (sync API) on Debian's Chromium against pytest-django's live server.

Browser tests are marked ``browser``: tests/conftest.py skips them on a laptop without Playwright or Chromium
(fails them under ``CI=true``) and runs them in transactional databases, so the live server's thread sees
the rows a test writes. They share one xdist group (one worker); each test gets its own Chromium.
"""

import pytest
from django.db import connections

from tests.services import chromium_path, need, playwright_available

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def chromium(monkeypatch):
    """Chromium for one test.

    Playwright's sync API keeps an asyncio loop running in this thread while it is alive, and Django
    refuses database access next to a running loop unless told the situation is deliberate (the live
    server answers from its own thread). Both last exactly one test: a browser kept for the session would
    leave the loop running under every later test of this worker, and the variable must not reach the
    subprocesses other tests start (``check --deploy`` rejects it).
    """
    need(playwright_available(), "the playwright package is not installed")
    need(bool(chromium_path()), "Chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server):
    """A fresh browser context (no cookies) on the live server; console errors (CSP) fail the test."""
    context = chromium.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    yield page
    context.close()
    # While Playwright's loop runs, Django hands this thread a connection of its own (asgiref keys
    # connections by context); close it now, or PostgreSQL keeps a session that blocks dropping the test
    # database at the end of the run.
    connections.close_all()
    assert not problems, f"the browser reported errors: {problems}"
