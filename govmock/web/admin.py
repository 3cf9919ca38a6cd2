"""Admin endpoints (HMAC-authenticated): fault configuration, reset, statistics (protocol §5), and the end
of customs inspections (``POST /admin/customs/inspections/release``)."""

from __future__ import annotations

import json
import time
from typing import Any

from govmock import clock
from govmock.ceb.matching import release_inspections as release
from govmock.engine.context import Context
from govmock.engine.plan import plan_receipts
from govmock.faults import DEPARTMENTS, FaultConfigError, FaultRegistry
from govmock.storage import Store, jobs, kv
from govmock.web.httpio import HttpError, Response, json_response

STAT_NAMES = (
    "messages",
    "nodes",
    "nodes_already_known",
    "receipts",
    "pushes_ok",
    "pushes_failed",
    "pushes_expired",
    "pushes_dropped",
    "pushes_duplicated",
    "duplicates_answered",
    "process_errors",
    "emit_errors",
)


def put_faults(body: bytes, faults: FaultRegistry, department: str) -> Response:
    try:
        changes = json.loads(body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError) as exc:
        raise HttpError(400, "malformed", f"body is not JSON: {exc}") from exc
    try:
        config = faults.update(department, changes, clock.utc_now())
    except FaultConfigError as exc:
        raise HttpError(400, "malformed", str(exc)) from exc
    return json_response(200, {"department": department, "faults": config.to_json()})


def get_faults(faults: FaultRegistry) -> Response:
    return json_response(200, {"seed": faults.seed, "faults": faults.snapshot()})


def reset(store: Store, faults: FaultRegistry) -> Response:
    store.reset()
    faults.reset()
    return json_response(200, {"reset": True})


def release_inspections(body: bytes, store: Store, settings, faults: FaultRegistry, wake) -> Response:
    """``{"invt_no": "…"}`` or ``{"all": true}``: the inspection of those held lists is over (800 follows
    once their parcel has arrived). Answers ``{"released": [invt_no, …]}``."""
    try:
        wanted = json.loads(body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError) as exc:
        raise HttpError(400, "malformed", f"body is not JSON: {exc}") from exc
    if not isinstance(wanted, dict) or not (
        isinstance(wanted.get("invt_no"), str) or wanted.get("all") is True
    ):
        raise HttpError(400, "malformed", 'give {"invt_no": "..."} or {"all": true}')
    with store.write() as conn:
        ctx = Context(
            conn=conn, settings=settings, faults=faults, department="customs", message_id="admin",
            message_type="CEB603Message", sender_code="", offset_ms=0, real_now=time.time(),
        )  # fmt: skip
        released = release(ctx, None if wanted.get("all") is True else wanted["invt_no"])
        plan_receipts(ctx)
    wake()
    return json_response(200, {"released": released})


def stats(store: Store) -> Response:
    with store.read() as conn:
        counted = kv.stats(conn)
        pending = jobs.pending_counts(conn)
    result: dict[str, Any] = {
        dept: {name: counted.get(dept, {}).get(name, 0) for name in STAT_NAMES} for dept in DEPARTMENTS
    }
    return json_response(200, {"departments": result, "pending_jobs": pending})
