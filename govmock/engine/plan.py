"""Turning decided receipts into scheduled emissions, and emitted receipts into pushes.

Guarantees:
* receipts of one node are emitted in the order they were decided, ``receipt_interval_ms`` apart
  (the node's last scheduled emission is remembered in ``nodes.last_due``), a delayed one (an inspection
  release) no sooner than its delay — and those decided after it wait for it;
* a receipt id is derived from (department, node guid, ordinal), so the same inputs give the same
  receipt ids and therefore the same fault decisions under one seed;
* ``seq`` is assigned only at emission (inside the emitting transaction), never ahead of time;
* fault effects on delivery (drop, duplicate, reorder) change only the pushes, never what is
  pollable.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from govmock import clock
from govmock.engine.context import Context, Outgoing
from govmock.engine.render import derived_guid, render
from govmock.faults import FaultRegistry
from govmock.storage import jobs, kv, receipts


def plan_receipts(ctx: Context) -> None:
    """Schedule the emission of every receipt decided in ``ctx``, in the order they were decided."""
    planned = _number_and_time(ctx)
    bursts: dict[str, list[str]] = {}
    for out, receipt_id, _ in planned:
        bursts.setdefault(out.node_guid, []).append(receipt_id)
    reordered = {
        guid
        for guid, ids in bursts.items()
        if len(ids) > 1 and ctx.decide(guid, "reorder", ctx.config.reorder_rate)
    }
    for out, receipt_id, due in planned:
        burst = bursts[out.node_guid]
        payload = _payload(out, receipt_id)
        payload["burst"] = burst[0] if out.node_guid in reordered else None
        payload["burst_last"] = receipt_id == burst[-1]
        jobs.schedule(
            ctx.conn, lane=jobs.WORK, kind="emit", department=ctx.department,
            due_at=due, payload=payload, now=ctx.real_now,
        )  # fmt: skip


def _number_and_time(ctx: Context) -> list[tuple[Outgoing, str, float]]:
    """Give each receipt its id (from the node's ordinal) and due time (the node's last + interval)."""
    interval = ctx.config.receipt_interval_ms / 1000
    state: dict[str, tuple[int, float]] = {}
    planned = []
    for out in ctx.outgoing:
        if out.node_guid not in state:
            state[out.node_guid] = _node_state(ctx.conn, ctx.department, out.node_guid)
        count, last_due = state[out.node_guid]
        due = max(ctx.real_now + out.delay_ms / 1000, last_due + interval)
        state[out.node_guid] = (count + 1, due)
        planned.append((out, derived_guid(f"{ctx.department}/{out.node_guid}/{count + 1}"), due))
    ctx.conn.executemany(
        "UPDATE nodes SET receipt_count = ?, last_due = ? WHERE department = ? AND node_guid = ?",
        [(count, due, ctx.department, guid) for guid, (count, due) in state.items()],
    )
    return planned


def _node_state(conn: sqlite3.Connection, department: str, guid: str) -> tuple[int, float]:
    row = conn.execute(
        "SELECT receipt_count, last_due FROM nodes WHERE department = ? AND node_guid = ?", (department, guid)
    ).fetchone()
    if row is None:
        raise LookupError(f"receipt for unknown node {guid} in {department}")
    return int(row[0]), float(row[1])


def _payload(out: Outgoing, receipt_id: str) -> dict[str, Any]:
    return {
        "receipt_id": receipt_id,
        "message_id": out.message_id,
        "node_guid": out.node_guid,
        "receipt_type": out.receipt_type,
        "content_type": out.content_type,
        "status": out.status,
        "body": out.body,
        "offset_ms": out.offset_ms,
    }


def emit(conn: sqlite3.Connection, registry: FaultRegistry, job: jobs.Job, now: float) -> None:
    """Render, number and store one receipt, then schedule its pushes."""
    p = job.payload
    raw = render(p["receipt_id"], p["content_type"], p["body"], clock.from_epoch(now + p["offset_ms"] / 1000))
    receipt = receipts.append(
        conn,
        {
            "department": job.department,
            "receipt_id": p["receipt_id"],
            "message_id": p["message_id"],
            "node_guid": p["node_guid"],
            "receipt_type": p["receipt_type"],
            "content_type": p["content_type"],
            "status": p["status"],
            "raw": raw,
            "created_at": clock.iso(clock.from_epoch(now)),
        },
        burst=p["burst"],
    )
    kv.bump(conn, job.department, "receipts")
    if p["burst"] is None:
        schedule_push(conn, registry, job.department, receipt.receipt_id, now)
    elif p["burst_last"]:
        # A reordered burst is held until its last receipt exists, then pushed newest first.
        for receipt_id in receipts.burst_members(conn, p["burst"]):
            schedule_push(conn, registry, job.department, receipt_id, now)


def schedule_push(
    conn: sqlite3.Connection, registry: FaultRegistry, department: str, receipt_id: str, now: float
) -> None:
    config = registry.get(department)
    if registry.decide(department, receipt_id, "drop", config.drop_rate):
        kv.bump(conn, department, "pushes_dropped")
        return
    copies = 2 if registry.decide(department, receipt_id, "duplicate", config.duplicate_rate) else 1
    for _ in range(copies):
        jobs.schedule(
            conn,
            lane=jobs.PUSH,
            kind="push",
            department=department,
            due_at=now,
            payload={"receipt_id": receipt_id},
            now=now,
        )
    kv.bump(conn, department, "pushes_duplicated", copies - 1)
