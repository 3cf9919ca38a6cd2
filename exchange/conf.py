"""The exchange's settings (docs/configuration.md "Exchange"), its department queues and periodic jobs.

Contributed to the project's settings by ``portal/settings/apps.py``.
"""

from pathlib import Path

from portal import deployment
from portal.env import env_float, env_int, env_str, require

# One Celery queue per department, so a slow department never starves another (ADR 0003). The departments are
# spelled once, in exchange.choices.Department; this list must name the same ones (a test holds them
# together).
DEPARTMENTS = ("customs", "ciq", "safe", "tax", "commerce")


def queue_name(department: str) -> str:
    return f"exchange.{department}"


def contribute(base) -> dict:
    production, var_dir = base["PRODUCTION"], base["VAR_DIR"]
    s: dict = {}
    s["GOVMOCK_URL"] = env_str("GOVMOCK_URL", "http://127.0.0.1:8001").rstrip("/")
    # Outbound proxy to the departments, if the exchange network needs one. The HTTP client ignores the
    # process environment (HTTP_PROXY, .netrc): only this setting applies, and no per-request lookups are
    # made.
    s["EXCHANGE_PROXY_URL"] = env_str("EXCHANGE_PROXY_URL", "")
    s["EXCHANGE_CALLBACK_SECRET"] = env_str(
        "EXCHANGE_CALLBACK_SECRET", "" if production else deployment.DEV_CALLBACK_SECRET
    )
    if production:
        require(
            "EXCHANGE_CALLBACK_SECRET",
            s["EXCHANGE_CALLBACK_SECRET"],
            "receipt callbacks are authenticated by it",
        )
        deployment.check_secret(
            "EXCHANGE_CALLBACK_SECRET",
            s["EXCHANGE_CALLBACK_SECRET"],
            min_length=32,
            generate=deployment.GENERATE_CALLBACK_SECRET,
        )
    s["EXCHANGE_KEY_DIR"] = Path(env_str("EXCHANGE_KEY_DIR", str(var_dir / "exchange")))
    s["EXCHANGE_CONNECT_TIMEOUT"] = env_float("EXCHANGE_CONNECT_TIMEOUT", 3.0)
    s["EXCHANGE_READ_TIMEOUT"] = env_float("EXCHANGE_READ_TIMEOUT", 15.0)
    s["EXCHANGE_BATCH_WINDOW_SECONDS"] = env_float("EXCHANGE_BATCH_WINDOW_SECONDS", 1.0)
    s["EXCHANGE_MAX_AGE_HOURS"] = env_float("EXCHANGE_MAX_AGE_HOURS", 24.0)
    s["EXCHANGE_SWEEP_SECONDS"] = env_float("EXCHANGE_SWEEP_SECONDS", 10.0)
    s["EXCHANGE_POLL_SECONDS"] = env_float("EXCHANGE_POLL_SECONDS", 30.0)
    s["EXCHANGE_OVERDUE_CHECK_SECONDS"] = env_float("EXCHANGE_OVERDUE_CHECK_SECONDS", 60.0)
    # At most this many envelopes of one department on the wire at once per worker process, so a hanging
    # department occupies only part of the pool (ADR 0003). 0: a third of the worker's pool, so even two
    # hanging departments leave a third to the others. A worker dedicated to one department's queue sets its
    # concurrency.
    s["EXCHANGE_DEPARTMENT_SLOTS"] = env_int("EXCHANGE_DEPARTMENT_SLOTS", 0)
    # Upper bound on business nodes per envelope (0: the protocol's limit per type, 100 for CEB). 1 disables
    # batching, which bench/exchange.py uses to compare one HTTP call per filing with a plain thread pool.
    s["EXCHANGE_MAX_NODES"] = env_int("EXCHANGE_MAX_NODES", 0)
    s["EXCHANGE_MIN_EXPECTED_SECONDS"] = env_float("EXCHANGE_MIN_EXPECTED_SECONDS", 60.0)
    # An envelope left "sending" longer than connect + read timeout + this margin belonged to a worker that
    # died.
    s["EXCHANGE_STALE_MARGIN_SECONDS"] = env_float("EXCHANGE_STALE_MARGIN_SECONDS", 30.0)
    # A due envelope whose delivery task has not run this long after it was due is enqueued again by the
    # sweeper.
    s["EXCHANGE_REQUEUE_GRACE_SECONDS"] = env_float("EXCHANGE_REQUEUE_GRACE_SECONDS", 30.0)
    s["EXCHANGE_DEFAULT_EXPECTED_SECONDS"] = env_float("EXCHANGE_DEFAULT_EXPECTED_SECONDS", 300.0)
    s["CELERY_TASK_QUEUES"] = [queue_name(d) for d in DEPARTMENTS]
    s["CELERY_BEAT_SCHEDULE"] = {
        "exchange-sweep": {
            "task": "exchange.sweep",
            "schedule": s["EXCHANGE_SWEEP_SECONDS"],
            "options": {"expires": s["EXCHANGE_SWEEP_SECONDS"]},
        },
        "exchange-poll": {
            "task": "exchange.poll_all",
            "schedule": s["EXCHANGE_POLL_SECONDS"],
            "options": {"expires": s["EXCHANGE_POLL_SECONDS"]},
        },
        "exchange-overdue": {
            "task": "exchange.requery_overdue",
            "schedule": s["EXCHANGE_OVERDUE_CHECK_SECONDS"],
            "options": {"expires": s["EXCHANGE_OVERDUE_CHECK_SECONDS"]},
        },
    }
    return s
