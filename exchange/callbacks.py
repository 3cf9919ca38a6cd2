"""Authenticating receipt callbacks: HMAC over timestamp and body, a ±300 s window, no replays."""

import hmac
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

from exchange.models import CallbackNonce
from exchange.signing import hmac_signature

WINDOW_SECONDS = 300
HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")
MAX_BODY = 5 * 1024 * 1024


@dataclass(frozen=True)
class Refusal:
    status: int
    code: str
    message: str


def check_size(request) -> Refusal | None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return Refusal(400, "bad_length", "Content-Length is not a number")
    if length > MAX_BODY:
        return Refusal(413, "too_large", f"bodies over {MAX_BODY} bytes are refused")
    return None


def verify(request, body: bytes, *, now: float | None = None) -> Refusal | None:
    """None when the callback is authentic and new; otherwise why it is refused."""
    timestamp = request.headers.get("X-Govmock-Timestamp", "")
    signature = request.headers.get("X-Govmock-Signature", "")
    if not timestamp or not signature:
        return Refusal(401, "missing_signature", "X-Govmock-Timestamp and X-Govmock-Signature are required")
    try:
        ts = int(timestamp)
    except ValueError:
        return Refusal(401, "bad_timestamp", "the timestamp is not an integer")
    if abs((now or time.time()) - ts) > WINDOW_SECONDS:
        return Refusal(401, "stale_timestamp", "the timestamp is outside the accepted window")
    expected = hmac_signature(settings.EXCHANGE_CALLBACK_SECRET, f"{ts}.".encode() + body)
    if not HEX64.match(signature) or not hmac.compare_digest(expected, signature.lower()):
        return Refusal(401, "bad_signature", "the signature does not match")
    try:
        with transaction.atomic():
            CallbackNonce.objects.create(signature=expected)
    except IntegrityError:
        return Refusal(409, "replay", "this exact callback was already received")
    return None
