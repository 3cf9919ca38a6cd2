"""Small key/value helpers used inside a transaction: counters, statistics and the registry.

All functions take the connection of an open transaction; they never commit themselves, so the
caller's business change and its bookkeeping land together or not at all.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any


def next_value(conn: sqlite3.Connection, name: str) -> int:
    """Increment and return the counter ``name`` (first value 1)."""
    row = conn.execute(
        "INSERT INTO counters (name, value) VALUES (?, 1) "
        "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
        (name,),
    ).fetchone()
    return int(row[0])


def bump(conn: sqlite3.Connection, department: str, name: str, by: int = 1) -> None:
    if by:
        conn.execute(
            "INSERT INTO stats (department, name, value) VALUES (?, ?, ?) "
            "ON CONFLICT (department, name) DO UPDATE SET value = value + excluded.value",
            (department, name, by),
        )


def stats(conn: sqlite3.Connection) -> dict[str, dict[str, int]]:
    result: dict[str, dict[str, int]] = {}
    for row in conn.execute("SELECT department, name, value FROM stats ORDER BY department, name"):
        result.setdefault(row["department"], {})[row["name"]] = row["value"]
    return result


def get(conn: sqlite3.Connection, scope: str, key: str) -> Any:
    row = conn.execute("SELECT value FROM registry WHERE scope = ? AND key = ?", (scope, key)).fetchone()
    return json.loads(row[0]) if row else None


def put(conn: sqlite3.Connection, scope: str, key: str, value: Any) -> None:
    conn.execute(
        "INSERT INTO registry (scope, key, value) VALUES (?, ?, ?) "
        "ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value",
        (scope, key, json.dumps(value, ensure_ascii=False, sort_keys=True)),
    )
