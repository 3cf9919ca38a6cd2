"""Customs' record of declared CEB documents (table ``ceb_docs``).

A document is *live* while its status is one of :data:`LIVE` and it is not void (replaced by a change,
deleted, or cancelled); only live documents take part in duplicate detection, matching and
summaries. Rejected nodes are never stored, which is how "re-submission after 100 replaces the old
record" (DOMAIN §3.6) holds.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

LIVE = (2, 120, 300, 399, 500, 800, 899)
_LIVE_SQL = ",".join(str(s) for s in LIVE)


@dataclass
class Doc:
    id: int
    kind: str
    node_guid: str
    message_id: str
    dup_key: str
    link_key: str | None
    invt_no: str | None
    pre_no: str | None
    sum_no: str | None
    status: int
    void: str | None
    closed_at: str | None
    content: dict[str, Any]

    @property
    def head(self) -> dict[str, str]:
        return self.content["head"]

    @property
    def rows(self) -> list[dict[str, str]]:
        return self.content["rows"]

    def numbers(self) -> dict[str, str]:
        """The identifiers customs assigned, as CEB field names (for receipts)."""
        assigned = {"preNo": self.pre_no, "invtNo": self.invt_no, "sumNo": self.sum_no}
        return {k: v for k, v in assigned.items() if v}


def insert(
    conn: sqlite3.Connection,
    *,
    kind: str,
    node: dict[str, Any],
    message_id: str,
    dup_key: str,
    link_key: str | None,
    status: int,
) -> Doc:
    content = {"head": node["head"], "rows": node["rows"]}
    cursor = conn.execute(
        "INSERT INTO ceb_docs (kind, node_guid, message_id, dup_key, link_key, status, content) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (kind, node["guid"], message_id, dup_key, link_key, status, json.dumps(content, ensure_ascii=False)),
    )
    return Doc(
        cursor.lastrowid or 0,
        kind,
        node["guid"],
        message_id,
        dup_key,
        link_key,
        None,
        None,
        None,
        status,
        None,
        None,
        content,
    )


def save(conn: sqlite3.Connection, doc: Doc) -> None:
    conn.execute(
        "UPDATE ceb_docs SET invt_no = ?, pre_no = ?, sum_no = ?, status = ?, void = ?, closed_at = ? "
        "WHERE id = ?",
        (doc.invt_no, doc.pre_no, doc.sum_no, doc.status, doc.void, doc.closed_at, doc.id),
    )


def find_live(conn: sqlite3.Connection, kind: str, dup_key: str) -> Doc | None:
    row = conn.execute(
        f"SELECT * FROM ceb_docs WHERE kind = ? AND dup_key = ? AND void IS NULL "  # noqa: S608
        f"AND status IN ({_LIVE_SQL}) ORDER BY id DESC LIMIT 1",
        (kind, dup_key),
    ).fetchone()
    return _doc(row) if row else None


def find_linked(conn: sqlite3.Connection, kind: str, link_key: str, statuses: tuple[int, ...]) -> list[Doc]:
    marks = ",".join("?" * len(statuses))
    rows = conn.execute(
        f"SELECT * FROM ceb_docs WHERE kind = ? AND link_key = ? AND void IS NULL "  # noqa: S608
        f"AND status IN ({marks}) ORDER BY id",
        (kind, link_key, *statuses),
    )
    return [_doc(r) for r in rows]


def find_inventory(conn: sqlite3.Connection, invt_no: str) -> Doc | None:
    """The most recent list with this customs list number (void ones included: callers say why)."""
    row = conn.execute(
        "SELECT * FROM ceb_docs WHERE kind = 'inventory' AND invt_no = ? ORDER BY id DESC LIMIT 1", (invt_no,)
    ).fetchone()
    return _doc(row) if row else None


def row_to_doc(row: sqlite3.Row) -> Doc:
    return _doc(row)


def _doc(row: sqlite3.Row) -> Doc:
    data = dict(row)
    data["content"] = json.loads(data["content"])
    return Doc(**data)
