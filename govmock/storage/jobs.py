"""The durable schedule: work (process a message, emit a receipt) and callback pushes.

A job is deleted in the same transaction that applies its effects, so after a crash a job has either
fully happened or is still pending — restart resumes exactly the pending work.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

WORK = "work"
PUSH = "push"


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    department: str
    due_at: float
    payload: dict[str, Any]
    attempts: int
    created_at: float


def schedule(
    conn: sqlite3.Connection,
    *,
    lane: str,
    kind: str,
    department: str,
    due_at: float,
    payload: dict[str, Any],
    now: float,
) -> None:
    conn.execute(
        "INSERT INTO jobs (lane, kind, department, due_at, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (lane, kind, department, due_at, json.dumps(payload, ensure_ascii=False), now),
    )


def due(
    conn: sqlite3.Connection, *, lane: str, now: float, limit: int, department: str | None = None
) -> list[Job]:
    if department is None:
        rows = conn.execute(
            "SELECT * FROM jobs WHERE lane = ? AND due_at <= ? ORDER BY due_at, id LIMIT ?",
            (lane, now, limit),
        )
    else:
        rows = conn.execute(
            "SELECT * FROM jobs WHERE lane = ? AND department = ? AND due_at <= ? "
            "ORDER BY due_at, id LIMIT ?",
            (lane, department, now, limit),
        )
    return [_job(row) for row in rows]


def next_due(conn: sqlite3.Connection, *, lane: str, department: str | None = None) -> float | None:
    if department is None:
        row = conn.execute("SELECT MIN(due_at) FROM jobs WHERE lane = ?", (lane,)).fetchone()
    else:
        row = conn.execute(
            "SELECT MIN(due_at) FROM jobs WHERE lane = ? AND department = ?", (lane, department)
        ).fetchone()
    return row[0]


def delete(conn: sqlite3.Connection, ids: list[int]) -> None:
    conn.executemany("DELETE FROM jobs WHERE id = ?", [(i,) for i in ids])


def retry_later(conn: sqlite3.Connection, job: Job, due_at: float) -> None:
    conn.execute("UPDATE jobs SET due_at = ?, attempts = attempts + 1 WHERE id = ?", (due_at, job.id))


def pending_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {row[0]: row[1] for row in conn.execute("SELECT kind, COUNT(*) FROM jobs GROUP BY kind")}


def _job(row: sqlite3.Row) -> Job:
    return Job(
        id=row["id"],
        kind=row["kind"],
        department=row["department"],
        due_at=row["due_at"],
        payload=json.loads(row["payload"]),
        attempts=row["attempts"],
        created_at=row["created_at"],
    )
