"""HMAC-authenticated reads: ``GET /{department}/receipts`` and ``GET /{department}/messages/{id}``.

A receipt is visible only once the transaction that assigned its ``seq`` has committed, and seqs are
assigned under the write lock in commit order, so reading ``seq > after`` in order never skips one.
"""

from __future__ import annotations

import json
import time

from govmock.security import hmac_auth
from govmock.storage import Store, receipts
from govmock.web.httpio import HttpError, Request, Response, json_response

DEFAULT_LIMIT = 200
MAX_LIMIT = 500


def require_hmac(request: Request, secret: str, body: bytes = b"") -> None:
    message = hmac_auth.request_message(request.method, request.target, body)
    if not hmac_auth.verify(
        secret,
        request.header(hmac_auth.TIMESTAMP_HEADER),
        request.header(hmac_auth.SIGNATURE_HEADER),
        message,
        time.time(),
    ):
        raise HttpError(
            401, "unauthorized", "missing or wrong X-Govmock-Signature, or timestamp outside ±300 s"
        )


def _int_param(request: Request, name: str, default: int) -> int:
    values = request.query.get(name)
    if not values or values[-1] == "":
        return default
    try:
        return int(values[-1])
    except ValueError:
        raise HttpError(400, "malformed", f"{name} must be an integer") from None


def list_receipts(request: Request, store: Store, department: str) -> Response:
    after = _int_param(request, "after", 0)
    limit = _int_param(request, "limit", DEFAULT_LIMIT)
    if after < 0 or limit < 1:
        raise HttpError(400, "malformed", "after must be ≥ 0 and limit ≥ 1")
    with store.read() as conn:
        found = receipts.after(conn, department, after, min(limit, MAX_LIMIT))
    last_seq = found[-1].seq if found else after
    return json_response(200, {"receipts": [r.item() for r in found], "last_seq": last_seq})


def message_status(store: Store, department: str, message_id: str) -> Response:
    with store.read() as conn:
        row = conn.execute(
            "SELECT ack FROM messages WHERE department = ? AND message_id = ?", (department, message_id)
        ).fetchone()
        found = receipts.for_message(conn, department, message_id) if row else []
    if row is None:
        raise HttpError(404, "unknown_message", f"{department} never received {message_id}")
    return json_response(200, {"ack": json.loads(row[0]), "receipts": [r.item() for r in found]})
