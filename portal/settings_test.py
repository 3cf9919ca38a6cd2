"""Settings for the test suite: the real settings in development mode, with a fast password hasher.

Services come from the same variables as everywhere else (``DATABASE_URL``, ``REDIS_URL``); the suite's
conftest skips (laptop) or fails (``CI=true``) the tests that need a service that is missing. Parallel test
workers (pytest-xdist) each get their own Redis database and broker folder, so a Celery worker started by
one test never takes another test's tasks.
"""

import os
import re

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault(
    "GOVMOCK_URL", "http://127.0.0.1:9"
)  # nothing listens there unless a test starts govmock
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
_WORKER_INDEX = int(re.sub(r"\D", "", _WORKER) or 0)
if os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = re.sub(
        r"(/\d+)?$", f"/{10 + _WORKER_INDEX}", os.environ["REDIS_URL"].rstrip("/"), count=1
    )
    os.environ.pop("CELERY_BROKER_URL", None)

from portal.settings import *  # noqa: E402,F403
from portal.settings import VAR_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # tests only: speed over strength
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_BROKER_FOLDER = VAR_DIR / f"test-broker-{_WORKER}"
if CELERY_BROKER_URL.startswith("filesystem://"):  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        "store_processed": False,
    }
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PRIVATE_MEDIA_ROOT = VAR_DIR / f"test-private-{_WORKER}"
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
