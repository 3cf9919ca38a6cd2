"""Pieces every exchange service shares: the transport transaction, publishing, department reachability."""

import logging
import time
from contextlib import contextmanager

from celery import current_app
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from exchange.models import DepartmentState

log = logging.getLogger("exchange")

UNREACHABLE_AFTER_FAILURES = 3


@contextmanager
def transport_transaction():
    """A transaction for the exchange's own transport bookkeeping (batching, claims, sent/retry records).

    On PostgreSQL it commits asynchronously (``synchronous_commit = off`` for this transaction only): the
    commit does not wait for the WAL flush. A database crash can lose the last fraction of a second of such
    commits, which the design already survives (an envelope is re-sent under the same id, a message is
    re-batched by the sweeper). Business changes, receipts and their domain effects stay synchronous.
    Measured in bench/exchange.py (ADR 0003).
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield


def queue_for(department: str) -> str:
    from exchange.conf import queue_name

    return queue_name(department)


def task_named(name: str):
    """The exchange's Celery task registered as ``name``. The services publish the tasks by name: the tasks
    (``exchange/tasks.py``, imported by ``ExchangeConfig.ready``) call the services, so the services never
    import the task module (no import cycle)."""
    return current_app.tasks[name]


def publish(task, *, args, queue: str, countdown: float = 0) -> bool:
    """Publish a task without ever failing the caller: if the broker is down the sweeper catches up."""
    try:
        task.apply_async(args=args, queue=queue, countdown=countdown or None, retry=False)
        return True
    except Exception as exc:
        log.warning("broker unavailable, %s left for the sweeper: %s", task.name, exc)
        return False


_last_success_noted: dict[str, float] = {}


def note_department(department: str, *, ok: bool, error: str = "") -> None:
    """Keep the department's reachability for the health page; a run of successes writes once per 5 s."""
    if ok and time.monotonic() - _last_success_noted.get(department, float("-inf")) < 5:
        return
    now = timezone.now()
    DepartmentState.objects.get_or_create(department=department)
    states = DepartmentState.objects.filter(department=department)
    if ok:
        _last_success_noted[department] = time.monotonic()
        states.update(reachable=True, consecutive_failures=0, last_success_at=now)
        return
    _last_success_noted.pop(department, None)
    states.update(
        consecutive_failures=F("consecutive_failures") + 1, last_failure_at=now, last_error=error[:500]
    )
    states.filter(consecutive_failures__gte=UNREACHABLE_AFTER_FAILURES).update(reachable=False)
