"""HMAC-SHA256 authentication shared by callbacks, polling and the admin endpoints.

Signed material (hex HMAC-SHA256 with the shared secret):
* callback push: ``f"{ts}.".encode() + body``;
* a request to govmock: ``f"{ts}.{METHOD} {path}"`` plus ``f"?{query}"`` when the request has a query
  (path and query exactly as sent), plus ``b"\\n" + body`` when the request has a body.
Timestamps are unix seconds and must lie within ±300 s of govmock's clock.
"""

from __future__ import annotations

import hashlib
import hmac

WINDOW_SECONDS = 300
TIMESTAMP_HEADER = "X-Govmock-Timestamp"
SIGNATURE_HEADER = "X-Govmock-Signature"


def signature(secret: str, timestamp: int | str, message: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + message, hashlib.sha256).hexdigest()


def request_message(method: str, target: str, body: bytes = b"") -> bytes:
    """The material of a signed request; ``target`` is the path with ``?query`` if one was sent."""
    message = f"{method.upper()} {target}".encode()
    return message + b"\n" + body if body else message


def verify(secret: str, timestamp: str | None, provided: str | None, message: bytes, now: float) -> bool:
    if not timestamp or not provided:
        return False
    try:
        moment = int(timestamp)
    except ValueError:
        return False
    if abs(now - moment) > WINDOW_SECONDS:
        return False
    # compare_digest raises on non-ASCII text: compare bytes, so a hostile header is a refusal, not a 500.
    return hmac.compare_digest(
        signature(secret, timestamp, message).encode(), provided.strip().lower().encode()
    )


def headers(secret: str, timestamp: int, message: bytes) -> dict[str, str]:
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: signature(secret, timestamp, message)}
