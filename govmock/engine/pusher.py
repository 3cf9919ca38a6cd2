"""Callback pushes: one thread per department POSTs due receipts to the portal in batches.

Guarantees:
* a batch holds ≤ 100 receipts (and ≤ ~4 MiB) and never the same receipt twice — a duplicated push
  goes out in a later batch;
* each POST is signed: ``X-Govmock-Timestamp`` and ``X-Govmock-Signature`` = hex HMAC-SHA256 over
  ``f"{ts}.".encode() + body``;
* a push without a 2xx answer is retried after 1 s, doubling to at most 60 s, until it succeeds or 24 h
  have passed since it was scheduled (then it is counted as ``pushes_expired``; polling still has it);
* nothing is pushed for a department in outage — pushes wait until the outage ends;
* the durable ``jobs`` table is the queue, so pushes pending at shutdown go out after restart.
"""

from __future__ import annotations

import json
import logging
import threading
import time

import requests

from govmock import clock
from govmock.config import Settings
from govmock.faults import DEPARTMENTS, FaultRegistry
from govmock.security import hmac_auth
from govmock.storage import Store, jobs, kv, receipts

log = logging.getLogger(__name__)

MAX_BATCH = 100
MAX_BATCH_BYTES = 4 * 1024 * 1024  # the portal refuses bodies over 5 MiB
MAX_BACKOFF = 60.0
GIVE_UP_AFTER = 24 * 3600.0
IDLE_WAIT = 1.0


class Pusher:
    def __init__(self, store: Store, settings: Settings, faults: FaultRegistry) -> None:
        self._store = store
        self._settings = settings
        self._faults = faults
        self._stop = threading.Event()
        self._wakes = {d: threading.Event() for d in DEPARTMENTS}
        self._threads = [
            threading.Thread(target=self._loop, args=(d,), name=f"govmock-push-{d}", daemon=True)
            for d in DEPARTMENTS
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for event in self._wakes.values():
            event.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout=self._settings.callback_timeout + 5)

    def wake(self, department: str) -> None:
        self._wakes[department].set()

    def _loop(self, department: str) -> None:
        session = requests.Session()
        wake = self._wakes[department]
        while not self._stop.is_set():
            try:
                wait = self._step(session, department)
            except Exception:
                log.exception("push loop for %s failed", department)
                wait = IDLE_WAIT
            if wait:
                wake.wait(wait)
                wake.clear()
        session.close()

    def _step(self, session: requests.Session, department: str) -> float:
        """Push one batch if one is due; return how long to wait (0: go again at once)."""
        now = time.time()
        outage_until = self._faults.get(department).outage_until
        if outage_until is not None and clock.from_epoch(now) < outage_until:
            return min(IDLE_WAIT, max(0.01, clock.epoch(outage_until) - now))
        batch = self._next_batch(department, now)
        if batch:
            self._push(session, department, batch)
            return 0.0
        with self._store.read() as conn:
            due_at = jobs.next_due(conn, lane=jobs.PUSH, department=department)
        return IDLE_WAIT if due_at is None else min(IDLE_WAIT, max(0.01, due_at - now))

    def _next_batch(self, department: str, now: float) -> list[tuple[jobs.Job, receipts.Receipt]]:
        with self._store.read() as conn:
            due = jobs.due(conn, lane=jobs.PUSH, department=department, now=now, limit=MAX_BATCH * 3)
            found = receipts.by_ids(conn, list({job.payload["receipt_id"] for job in due}))
        orphans = [job.id for job in due if job.payload["receipt_id"] not in found]
        if orphans:  # receipts forgotten by /admin/reset
            with self._store.write() as conn:
                jobs.delete(conn, orphans)
        batch: list[tuple[jobs.Job, receipts.Receipt]] = []
        seen: set[str] = set()
        size = 0
        for job in due:
            receipt = found.get(job.payload["receipt_id"])
            if receipt is None or receipt.receipt_id in seen:
                continue
            size += len(receipt.raw) + 512
            if batch and (len(batch) >= MAX_BATCH or size > MAX_BATCH_BYTES):
                break
            batch.append((job, receipt))
            seen.add(receipt.receipt_id)
        return batch

    def _push(
        self, session: requests.Session, department: str, batch: list[tuple[jobs.Job, receipts.Receipt]]
    ) -> None:
        body = json.dumps(
            {"department": department, "receipts": [r.item() for _, r in batch]}, ensure_ascii=False
        ).encode("utf-8")
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            **hmac_auth.headers(self._settings.callback_secret, timestamp, body),
        }
        try:
            response = session.post(
                self._settings.callback_url,
                data=body,
                headers=headers,
                timeout=self._settings.callback_timeout,
            )
            ok = 200 <= response.status_code < 300
            problem = f"HTTP {response.status_code}"
        except requests.RequestException as exc:
            ok, problem = False, type(exc).__name__
        self._record(department, batch, ok, problem)

    def _record(
        self, department: str, batch: list[tuple[jobs.Job, receipts.Receipt]], ok: bool, problem: str
    ) -> None:
        now = time.time()
        with self._store.write() as conn:
            if ok:
                jobs.delete(conn, [job.id for job, _ in batch])
                kv.bump(conn, department, "pushes_ok", len(batch))
                return
            log.warning("push of %d %s receipt(s) failed: %s", len(batch), department, problem)
            kv.bump(conn, department, "pushes_failed", len(batch))
            expired = [job.id for job, _ in batch if now - job.created_at >= GIVE_UP_AFTER]
            jobs.delete(conn, expired)
            kv.bump(conn, department, "pushes_expired", len(expired))
            for job, _ in batch:
                if job.id not in expired:
                    jobs.retry_later(conn, job, now + min(MAX_BACKOFF, 2.0**job.attempts))
