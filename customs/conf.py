"""Customs' settings (docs/configuration.md "Customs"), contributed by ``portal/settings/apps.py``: the
summary item limit, the beat entries of the deadlines and of the summary jobs' sweeper; request-body caps
for the paths that take large bodies — a
batch of 10,000 inventory lists as JSON (about 15 MB), and workbooks or CEB603 files of up to 100,000 lines
(the shell's intake caps the file itself at INTAKE_MAX_UPLOAD_BYTES)."""

from celery.schedules import crontab

from portal.env import env_int, env_str

MB = 1024 * 1024


def contribute(base) -> dict:
    upload = base.get("INTAKE_MAX_UPLOAD_BYTES", 50 * MB) + MB  # the file plus the form around it
    stale = env_int("CUSTOMS_SUMMARY_JOB_STALE_SECONDS", 1800)
    sweep = env_int("CUSTOMS_SUMMARY_JOB_SWEEP_SECONDS", 300)
    # Items per export declaration before a summary is split (DOMAIN §3.9: 50 today, 20 historically); the
    # summary deadlines' reminders and overdue flags run once a day (Asia/Shanghai morning).
    return {
        "CUSTOMS_SUMMARY_ITEM_LIMIT": env_int("CUSTOMS_SUMMARY_ITEM_LIMIT", 50),
        # Summary previews and submissions run on the worker, in a queue of their own so a large seller's
        # month never waits behind (or holds up) the exchange's deliveries; a job unfinished after the stale
        # limit (also the task's time limit) is failed by the sweeper (every
        # CUSTOMS_SUMMARY_JOB_SWEEP_SECONDS) and its enterprise told; the month may be started again.
        "CUSTOMS_SUMMARY_QUEUE": env_str("CUSTOMS_SUMMARY_QUEUE", "customs.summaries"),
        "CUSTOMS_SUMMARY_JOB_STALE_SECONDS": stale,
        "CUSTOMS_SUMMARY_JOB_SWEEP_SECONDS": sweep,
        "CELERY_TASK_QUEUES": [env_str("CUSTOMS_SUMMARY_QUEUE", "customs.summaries")],
        "CELERY_BEAT_SCHEDULE": {
            "customs-summary-deadlines": {
                "task": "customs.summary_deadlines",
                "schedule": crontab(minute=0, hour=8),
                "options": {"expires": 3600},
            },
            "customs-summary-jobs-sweep": {
                "task": "customs.summary_jobs_sweep",
                "schedule": sweep,
                "options": {"expires": sweep},
            },
        },
        "REQUEST_BODY_MAX_BYTES_BY_PATH": {
            "/api/v1/customs/inventory-lists/batch/": 40 * MB,
            "/api/v1/customs/orders/batch/": 40 * MB,
            "/api/v1/customs/payments/batch/": 40 * MB,
            "/api/v1/customs/waybills/batch/": 40 * MB,
            "/api/v1/customs/imports/": upload,
            "/customs/imports/": upload,
        },
    }
