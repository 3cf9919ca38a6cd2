"""Processing one received message: run its department handler over the message's new nodes."""

from __future__ import annotations

import json
import sqlite3

from govmock.config import Settings
from govmock.engine.context import Context, Handler
from govmock.engine.plan import plan_receipts
from govmock.faults import FaultRegistry


def process_message(
    conn: sqlite3.Connection,
    *,
    settings: Settings,
    faults: FaultRegistry,
    handlers: dict[str, dict[str, Handler]],
    department: str,
    message_id: str,
    now: float,
) -> int:
    """Process inside the caller's write transaction; returns the number of receipts decided.

    Only nodes this message introduced are processed: a node guid first seen in another message
    belongs to that message (protocol §1, idempotency).
    """
    message = conn.execute(
        "SELECT message_type, sender_code, clock_offset_ms FROM messages "
        "WHERE department = ? AND message_id = ?",
        (department, message_id),
    ).fetchone()
    if message is None:  # forgotten by /admin/reset after the job was read
        return 0
    ctx = Context(
        conn=conn,
        settings=settings,
        faults=faults,
        department=department,
        message_id=message_id,
        message_type=message["message_type"],
        sender_code=message["sender_code"],
        offset_ms=message["clock_offset_ms"],
        real_now=now,
    )
    handler = handlers[department][message["message_type"]]
    rows = conn.execute(
        "SELECT content FROM nodes WHERE department = ? AND message_id = ? ORDER BY position",
        (department, message_id),
    )
    for row in rows.fetchall():
        handler.process(ctx, json.loads(row["content"]))
    plan_receipts(ctx)
    return len(ctx.outgoing)
