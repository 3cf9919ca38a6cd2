"""Settings for the test suite: the real settings in development mode, with a fast password hasher.

Services come from the same variables as everywhere else (``DATABASE_URL``, ``REDIS_URL``); the suite's
conftest skips (laptop) or fails (``CI=true``) the tests that need a service that is missing. Parallel test
workers (pytest-xdist) each get their own Redis key prefix (and database) and broker file, so a Celery worker
started by one test never takes another test's tasks.
"""

import os
import re

os.environ.setdefault("DEBUG", "true")
# Nothing listens on port 9 unless a test starts govmock: an accidental send fails at once.
os.environ.setdefault("GOVMOCK_URL", "http://127.0.0.1:9")
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
# One id per test session (xdist workers and the processes tests start inherit it), so two sessions on one
# machine (a developer's run next to CI's) never share a test database, broker or upload folder.
RUN_ID = os.environ.setdefault("PORTAL_TEST_RUN_ID", str(os.getpid()))
TEST_TAG = f"{RUN_ID}-{_WORKER}"
_WORKER_INDEX = int(re.sub(r"\D", "", _WORKER) or 0)
TEST_REDIS_DB = 10 + _WORKER_INDEX
if os.environ.get("REDIS_URL"):
    _url = os.environ["REDIS_URL"].rstrip("/")
    os.environ["REDIS_URL"] = re.sub(r"(/\d+)?$", f"/{TEST_REDIS_DB}", _url, count=1)
    os.environ.pop("CELERY_BROKER_URL", None)

from portal.settings import *  # noqa: E402,F403
from portal.settings import VAR_DIR  # noqa: E402

# Test-only apps: one counts the business effects of receipts in every process (tests/effects), one
# registers an importer for the bulk-intake tests (tests/intake_app), one exercises the domain-app kit
# (tests/kitapp: workflow, scoped pages and API).
INSTALLED_APPS = [
    *INSTALLED_APPS,  # noqa: F405
    "tests.effects",
    "tests.intake_app.apps.IntakeTestConfig",
    "tests.kitapp",
]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # tests only: speed over strength
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if CELERY_BROKER_URL.startswith("sqla+"):  # noqa: F405
    CELERY_BROKER_FILE = VAR_DIR / f"test-broker-{TEST_TAG}.sqlite3"
    CELERY_BROKER_URL = f"sqla+sqlite:///{CELERY_BROKER_FILE}"
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {**REDIS_TRANSPORT_OPTIONS, "global_keyprefix": f"test-{TEST_TAG}:"}  # noqa: F405
_DB = DATABASES["default"]  # noqa: F405
if _DB["ENGINE"].endswith("sqlite3"):
    _DB["TEST"] = {"NAME": str(VAR_DIR / f"test-portal-{RUN_ID}.sqlite3")}
else:
    _DB["TEST"] = {"NAME": f"test_portal_{RUN_ID}"}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PRIVATE_MEDIA_ROOT = VAR_DIR / f"test-private-{TEST_TAG}"
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
