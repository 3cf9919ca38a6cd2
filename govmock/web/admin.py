"""Admin endpoints (HMAC-authenticated): fault configuration, reset, statistics (protocol §5)."""

from __future__ import annotations

import json
from typing import Any

from govmock import clock
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


def stats(store: Store) -> Response:
    with store.read() as conn:
        counted = kv.stats(conn)
        pending = jobs.pending_counts(conn)
    result: dict[str, Any] = {
        dept: {name: counted.get(dept, {}).get(name, 0) for name in STAT_NAMES} for dept in DEPARTMENTS
    }
    return json_response(200, {"departments": result, "pending_jobs": pending})
