"""Customs' settings (docs/configuration.md "Customs"), contributed by ``portal/settings/apps.py``."""

from celery.schedules import crontab

from portal.env import env_int


def contribute(base) -> dict:
    # Items per export declaration before a summary is split (DOMAIN §3.9: 50 today, 20 historically); the
    # summary deadlines' reminders and overdue flags run once a day (Asia/Shanghai morning).
    return {
        "CUSTOMS_SUMMARY_ITEM_LIMIT": env_int("CUSTOMS_SUMMARY_ITEM_LIMIT", 50),
        "CELERY_BEAT_SCHEDULE": {
            "customs-summary-deadlines": {
                "task": "customs.summary_deadlines",
                "schedule": crontab(minute=0, hour=8),
                "options": {"expires": 3600},
            },
        },
    }
