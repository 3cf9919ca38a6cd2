"""The dispatcher thread: runs due work from the durable ``jobs`` table.

Guarantees:
* a job is claimed by deleting it inside the transaction that applies its effects — after a crash or
  restart, exactly the unfinished jobs run again;
* due emissions are handled in batches (one transaction per up to ``BATCH`` receipts), so thousands of
  receipts do not mean thousands of commits or sleeps;
* a job that raises (a govmock bug, not a sender's mistake) is retried with backoff and, after
  ``MAX_ATTEMPTS``, dropped with the error logged and counted (``process_errors`` / ``emit_errors``)
  rather than blocking the queue.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable

from govmock.config import Settings
from govmock.engine.context import Handler
from govmock.engine.plan import emit
from govmock.engine.process import process_message
from govmock.faults import FaultRegistry
from govmock.storage import Store, jobs, kv

log = logging.getLogger(__name__)

BATCH = 500
MAX_ATTEMPTS = 5
IDLE_WAIT = 1.0


class Dispatcher:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        faults: FaultRegistry,
        handlers: dict[str, dict[str, Handler]],
        on_push: Callable[[str], None],
    ) -> None:
        self._store = store
        self._settings = settings
        self._faults = faults
        self._handlers = handlers
        self._on_push = on_push
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="govmock-dispatcher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def wake(self) -> None:
        self._wake.set()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                if self.run_once(time.time()):
                    continue
                wait = self._idle_wait()
            except Exception:
                log.exception("dispatcher iteration failed")
                wait = IDLE_WAIT
            self._wake.wait(wait)
            self._wake.clear()

    def _idle_wait(self) -> float:
        with self._store.read() as conn:
            due_at = jobs.next_due(conn, lane=jobs.WORK)
        return IDLE_WAIT if due_at is None else min(IDLE_WAIT, max(0.0, due_at - time.time()))

    def run_once(self, now: float) -> int:
        """Run the work due at ``now``; returns how many jobs were looked at."""
        with self._store.read() as conn:
            due = jobs.due(conn, lane=jobs.WORK, now=now, limit=BATCH)
        index = 0
        while index < len(due) and not self._stop.is_set():
            if due[index].kind == "emit":
                end = index
                while end < len(due) and due[end].kind == "emit":
                    end += 1
                self._emit_batch(due[index:end])
                index = end
            else:
                self._process(due[index])
                index += 1
        return len(due)

    def _emit_batch(self, batch: list[jobs.Job]) -> None:
        try:
            self._emit(batch)
        except Exception:
            # One bad job must not hold back the others: redo the batch one job at a time.
            log.exception("emitting %d receipts failed; retrying them one by one", len(batch))
            for job in batch:
                try:
                    self._emit([job])
                except Exception:
                    log.exception("emitting receipt %s failed", job.payload.get("receipt_id"))
                    self._after_failure(job, "emit_errors")

    def _emit(self, batch: list[jobs.Job]) -> None:
        departments = set()
        now = time.time()
        with self._store.write() as conn:
            for job in batch:
                if _claim(conn, job):
                    emit(conn, self._faults, job, now)
                    departments.add(job.department)
        for department in departments:
            self._on_push(department)

    def _process(self, job: jobs.Job) -> None:
        message_id = job.payload["message_id"]
        try:
            with self._store.write() as conn:
                if _claim(conn, job):
                    process_message(
                        conn, settings=self._settings, faults=self._faults, handlers=self._handlers,
                        department=job.department, message_id=message_id, now=time.time(),
                    )  # fmt: skip
        except Exception:
            log.exception(
                "processing %s message %s failed (attempt %d)", job.department, message_id, job.attempts + 1
            )
            self._after_failure(job, "process_errors")
        else:
            self._wake.set()  # new emissions may be due immediately

    def _after_failure(self, job: jobs.Job, counter: str) -> None:
        with self._store.write() as conn:
            if job.attempts + 1 >= MAX_ATTEMPTS:
                jobs.delete(conn, [job.id])
                kv.bump(conn, job.department, counter)
            else:
                jobs.retry_later(conn, job, time.time() + 2**job.attempts)


def _claim(conn: sqlite3.Connection, job: jobs.Job) -> bool:
    # Deleting inside the effect's transaction makes the job run exactly once (or again after a crash).
    return conn.execute("DELETE FROM jobs WHERE id = ?", (job.id,)).rowcount == 1
