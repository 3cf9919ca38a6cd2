"""Which real services this run has, and the rule for tests that need one.

On a laptop a test that needs a missing service (PostgreSQL, Redis, Chromium) is skipped with the reason.
With ``CI=true`` the same situation is a failure: CI must run everything against the real services.
"""

import os
import shutil
import socket
from functools import cache
from urllib.parse import urlparse

import pytest

IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def need(available: bool, reason: str) -> None:
    """Skip (laptop) or fail (CI) the calling test when ``available`` is false."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@cache
def redis_url() -> str:
    return os.environ.get("REDIS_URL", "")


@cache
def redis_available() -> bool:
    url = redis_url()
    if not url:
        return False
    parsed = urlparse(url)
    return _reachable(parsed.hostname or "127.0.0.1", parsed.port or 6379)


def postgres_in_use() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


@cache
def chromium_path() -> str:
    return shutil.which("chromium") or shutil.which("chromium-browser") or ""


@cache
def playwright_available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True
