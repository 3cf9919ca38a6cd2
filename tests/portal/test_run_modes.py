"""`make run` shows users what production shows: DEBUG off on the embedded defaults (PORTAL_LOCAL), no debug
pages; `make run-debug` keeps them for developers. Log lines carry one time zone (UTC), and the worker does
not turn what the console email backend prints into warnings."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import django
django.setup()
from django.conf import settings
from django.test import Client
response = Client().get("/registration/verify/")
backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
print(settings.DEBUG, settings.PRODUCTION, backend, settings.WHITENOISE_USE_FINDERS)
print(response.status_code, b"URLconf" in response.content or b"urlpatterns" in response.content)
"""


def _run(tmp_path, **env_overrides) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "DATABASE_URL",
            "REDIS_URL",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "SITE_URL",
            "SQLITE_PATH",
        }
    }
    env.update(
        {"DJANGO_SETTINGS_MODULE": "portal.settings", "PORTAL_VAR_DIR": str(tmp_path), **env_overrides}
    )
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_a_local_run_hides_debug_pages_on_the_embedded_defaults(tmp_path):
    result = _run(tmp_path, DEBUG="false", PORTAL_LOCAL="true")
    assert result.returncode == 0, result.stderr
    mode, page = result.stdout.strip().splitlines()
    assert mode == "False False console True", (
        "DEBUG off, not production: SQLite, console email, static files"
    )
    assert page == "404 False", "an unknown verification link shows the portal's page, not the URL patterns"


def test_the_debug_run_keeps_the_debug_pages_for_developers(tmp_path):
    result = _run(tmp_path, DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[1] == "404 True"


def test_a_local_run_answers_loopback_only(tmp_path):
    result = _run(tmp_path, DEBUG="false", PORTAL_LOCAL="true", ALLOWED_HOSTS="portal.example.gov.cn")
    assert result.returncode != 0
    assert "PORTAL_LOCAL" in result.stderr and "portal.example.gov.cn" in result.stderr


@pytest.mark.parametrize(
    ("env", "mode"),
    [
        ({}, "local"),
        ({"DEBUG": "true"}, "debug"),
        ({"DEBUG": "false"}, "production"),
        ({"RUN_MODE": "debug"}, "debug"),
    ],
)
def test_the_run_script_picks_its_mode(env, mode):
    script = (ROOT / "scripts" / "run").read_text()
    prelude = script[script.index('if [ -z "${RUN_MODE:-}" ]') : script.index("export PYTHONUNBUFFERED")]
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "RUN_MODE")}
    result = subprocess.run(
        ["bash", "-c", prelude + 'echo "$RUN_MODE"'], env={**clean, **env}, capture_output=True, text=True
    )
    assert result.stdout.strip() == mode


def test_the_makefile_has_a_debug_target():
    makefile = (ROOT / "Makefile").read_text()
    assert "run-debug: install\n\tRUN_MODE=debug ./scripts/run" in makefile


def _record() -> logging.LogRecord:
    record = logging.LogRecord("portal", logging.INFO, __file__, 1, "hello", None, None)
    record.created, record.msecs, record.request_id = 1_796_278_258.25, 250.0, "-"  # 2026-12-03 06:10:58 UTC
    return record


def test_portal_log_lines_are_in_utc():
    from django.conf import settings

    from portal.logfilter import UtcFormatter

    spec = settings.LOGGING["formatters"]["plain"]
    formatter = UtcFormatter(spec["format"])
    assert formatter.format(_record()).startswith("2026-12-03T06:10:58.250Z INFO [-] portal: hello")
    assert spec["()"] == "portal.logfilter.UtcFormatter"
    assert settings.LOGGING["loggers"]["django.server"]["handlers"] == ["console"]


def test_govmock_log_lines_are_in_utc_too(monkeypatch):
    from govmock.__main__ import _configure_logging

    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    _configure_logging("INFO")
    [handler] = root.handlers
    assert handler.formatter.format(_record()).startswith("2026-12-03T06:10:58.250Z INFO portal: hello")


def test_the_worker_logs_through_the_portal_and_leaves_printed_emails_alone():
    from portal.celery import app

    assert app.conf.worker_hijack_root_logger is False
    assert app.conf.worker_redirect_stdouts is False, "Celery would log every console email as a WARNING"
