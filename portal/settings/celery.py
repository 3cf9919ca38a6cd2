"""Celery: the broker (a SQLite file by default, Redis with ``REDIS_URL``), task behaviour and the shell's
periodic jobs. Apps add their queues and beat entries in their ``conf.py`` (``portal/settings/apps.py``)."""

from pathlib import Path

from portal.env import env_bool, env_float, env_int, env_str
from portal.settings.base import REDIS_URL, VAR_DIR

# --- Celery -------------------------------------------------------------------------------------------
# Embedded default: a SQLite file through kombu's SQLAlchemy transport. Transactional, so a worker killed
# mid-publish leaves no half-written message (kombu's file-system transport does, and then crashes every
# consumer that reads it; ADR 0001).
CELERY_BROKER_FILE = Path(env_str("CELERY_BROKER_FILE", str(VAR_DIR / "broker.sqlite3")))
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or f"sqla+sqlite:///{CELERY_BROKER_FILE}")
if CELERY_BROKER_URL.startswith("sqla+"):
    # Options go to SQLAlchemy's create_engine: wait on SQLite's lock instead of failing when busy.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"connect_args": {"timeout": 30}}
# Redis redelivers an unacknowledged task after the visibility timeout. Tasks here are short (an HTTP call
# with a 15 s ceiling) and never carry an ETA longer than the exchange backoff cap (300 s), so 15 minutes is
# comfortably longer than any task while still bounding how long a task lost with a killed worker waits. The
# exchange sweeper recovers such work much sooner anyway (ADR 0003).
REDIS_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 900),
    "socket_timeout": 10,
    "socket_connect_timeout": 2,
    # Publishing gives up quickly when Redis is down (kombu would otherwise retry for ever inside a web
    # request); the outbox row is committed and the sweeper publishes it later (ADR 0003).
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
if not CELERY_BROKER_URL.startswith("sqla+"):
    CELERY_BROKER_TRANSPORT_OPTIONS = dict(REDIS_TRANSPORT_OPTIONS)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = env_float("CELERY_BROKER_CONNECTION_TIMEOUT", 3.0)
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Tasks are short (one HTTP call); a few prefetched per thread saves broker round trips. A task prefetched by
# a worker that dies is redelivered (acks_late) and the exchange sweeper recovers its envelope sooner.
CELERY_WORKER_PREFETCH_MULTIPLIER = env_int("CELERY_PREFETCH_MULTIPLIER", 4)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = "Asia/Shanghai"
# The worker and beat log through the portal's LOGGING (one format, UTC). Celery would otherwise install its
# own handler (local time) and turn everything printed to stdout into WARNING records: the console email
# backend would log every email as a warning.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_REDIRECT_STDOUTS = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Publishing must not hang a web request when the broker is down: the outbox row is already committed
# and the sweeper delivers it later (ADR 0003).
CELERY_TASK_PUBLISH_RETRY = False

CELERY_BEAT_SCHEDULE = {
    "notification-email-sweep": {
        "task": "portal.tasks.sweep_notification_emails",
        "schedule": 120.0,
        "options": {"expires": 120},
    },
    "intake-sweep": {
        "task": "portal.intake.sweep",
        "schedule": 60.0,
        "options": {"expires": 60},
    },
}
