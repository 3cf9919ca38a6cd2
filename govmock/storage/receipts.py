"""Receipt rows: append with the next per-department ``seq``, and read them back in ``seq`` order.

``append`` must run inside a :meth:`Store.write` transaction: the write lock makes ``MAX(seq) + 1``
race-free and commits in assignment order, so a poller reading ``seq > after`` never skips a receipt.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Receipt:
    department: str
    seq: int
    receipt_id: str
    message_id: str | None
    node_guid: str | None
    receipt_type: str
    content_type: str
    status: str
    raw: str
    created_at: str

    def item(self) -> dict[str, Any]:
        """The protocol's receipt item (transport wrapper)."""
        return {
            "seq": self.seq,
            "receipt_id": self.receipt_id,
            "department": self.department,
            "message_id": self.message_id,
            "node_guid": self.node_guid,
            "receipt_type": self.receipt_type,
            "content_type": self.content_type,
            "raw": self.raw,
            "created_at": self.created_at,
        }


_COLUMNS = (
    "department, seq, receipt_id, message_id, node_guid, receipt_type, content_type, status, raw, created_at"
)


def append(conn: sqlite3.Connection, receipt: dict[str, Any], burst: str | None) -> Receipt:
    """Insert a receipt (all fields but ``seq``) and return it with its assigned ``seq``."""
    seq = conn.execute(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM receipts WHERE department = ?", (receipt["department"],)
    ).fetchone()[0]
    row = Receipt(seq=seq, **receipt)
    conn.execute(
        f"INSERT INTO receipts ({_COLUMNS}, burst) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
        (*_values(row), burst),
    )
    return row


def after(conn: sqlite3.Connection, department: str, seq: int, limit: int) -> list[Receipt]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM receipts WHERE department = ? AND seq > ? ORDER BY seq LIMIT ?",  # noqa: S608
        (department, seq, limit),
    )
    return [Receipt(**dict(r)) for r in rows]


def for_message(conn: sqlite3.Connection, department: str, message_id: str) -> list[Receipt]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM receipts WHERE department = ? AND message_id = ? ORDER BY seq",  # noqa: S608
        (department, message_id),
    )
    return [Receipt(**dict(r)) for r in rows]


def by_ids(conn: sqlite3.Connection, receipt_ids: list[str]) -> dict[str, Receipt]:
    found: dict[str, Receipt] = {}
    for start in range(0, len(receipt_ids), 500):
        chunk = receipt_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM receipts WHERE receipt_id IN ({marks})",  # noqa: S608
            chunk,
        )
        found.update((r["receipt_id"], Receipt(**dict(r))) for r in rows)
    return found


def burst_members(conn: sqlite3.Connection, burst: str) -> list[str]:
    """Receipt ids of one burst, newest first (the order a reordered burst is pushed in)."""
    rows = conn.execute("SELECT receipt_id FROM receipts WHERE burst = ? ORDER BY seq DESC", (burst,))
    return [r[0] for r in rows]


def _values(r: Receipt) -> tuple[Any, ...]:
    return (
        r.department,
        r.seq,
        r.receipt_id,
        r.message_id,
        r.node_guid,
        r.receipt_type,
        r.content_type,
        r.status,
        r.raw,
        r.created_at,
    )
