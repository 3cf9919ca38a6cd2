"""Logging: one line per record with its request id, times in UTC (``portal.logfilter.UtcFormatter``).

The development server's request lines and Celery's own records go through the same handler, so every
process writes one time zone (Celery leaves the root logger alone: ``CELERY_WORKER_HIJACK_ROOT_LOGGER``)."""

from portal.env import env_str

# --- Logging --------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.logfilter.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "()": "portal.logfilter.UtcFormatter",
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # runserver's request lines: ours, not Django's "[03/Dec/2026 14:10:58]" in local time.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
