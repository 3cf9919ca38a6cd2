"""Delivering one envelope: claim it, sign and send it, record what the department said.

Delivery is at-least-once on the wire and exactly-once in effect: an envelope is re-sent only with the same
envelope id and node guids, which the department de-duplicates (protocol §1). A worker killed between the
claim and the answer leaves the envelope in ``sending``; the sweeper returns it to ``pending`` once the HTTP
timeout has certainly passed.
"""

import random
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from exchange import signing, transport
from exchange.choices import EnvelopeStatus, MessageStatus
from exchange.models import Envelope, Message
from exchange.registry import dispatch_failure
from exchange.services.batching import dispatch
from exchange.services.common import log, note_department, transport_transaction
from portal.choices import AuditVerb
from portal.services.audit import audit_many, build_event

BACKOFF_BASE_SECONDS = 2.0
BACKOFF_CAP_SECONDS = 300.0
# The department pinned a newer certificate than the one this process signed with (key rotation in another
# process): refresh the key and try again, as a transient failure, this many times.
CERTIFICATE_ERRORS = frozenset({"bad_certificate", "untrusted_certificate"})


def envelope_deliver(envelope_pk: int, department: str | None = None, token: str | None = None) -> str:
    """Send one envelope once. Returns what happened (for logs and tests).

    ``token`` is the dispatch generation the task was published with; a task from an older generation
    exits at once. A department whose slots in this worker are all taken (slow or hanging) gets the envelope
    back on its queue a moment later, so it can never occupy the whole pool.
    """
    if department is None:
        department = Envelope.objects.filter(pk=envelope_pk).values_list("department", flat=True).first()
        if department is None:
            return "skipped"
    slot = department_slot(department)
    if not slot.acquire(blocking=False):
        if _is_current(envelope_pk, token):
            dispatch([envelope_pk], department, countdown=1 + random.random())  # noqa: S311 - jitter
        return "busy"
    try:
        envelope = _claim(envelope_pk, token)
        return "skipped" if envelope is None else _send(envelope)
    finally:
        slot.release()


def _is_current(envelope_pk: int, token: str | None) -> bool:
    if token is None:
        return True
    return Envelope.objects.filter(
        pk=envelope_pk, dispatch_token=token, status=EnvelopeStatus.PENDING
    ).exists()


def _claim(envelope_pk: int, token: str | None) -> Envelope | None:
    """Move a due envelope to ``sending``; None if it is not to be sent now (already claimed, sent, not due,
    or this task is of an older dispatch generation). A conditional UPDATE is the claim: two workers holding
    tasks for the same envelope cannot both win it."""
    now = timezone.now()
    due = Envelope.objects.filter(pk=envelope_pk, status=EnvelopeStatus.PENDING, next_attempt_at__lte=now)
    if token is not None:
        due = due.filter(dispatch_token=token)
    # One statement, atomic on its own: no explicit transaction around it.
    claimed = due.update(
        status=EnvelopeStatus.SENDING, sending_started_at=now, attempts=F("attempts") + 1, redispatch_count=0
    )
    if not claimed:
        return None
    return Envelope.objects.select_related("sender").get(pk=envelope_pk)


def _send(envelope: Envelope) -> str:
    try:
        result = _submit(envelope)
    except Exception as exc:  # signing or transport broke: keep the envelope alive and retrying, visibly
        log.exception("delivery of envelope %s failed before an answer", envelope.envelope_id)
        result = transport.SendResult(
            ok=False, transient=True, status=None, body={}, error=f"{type(exc).__name__}: {exc}"[:500]
        )
    note_department(envelope.department, ok=result.ok or not result.transient, error=result.error)
    if result.ok:
        _record_sent(envelope, result)
        return "sent"
    if not result.transient and result.body.get("error") in CERTIFICATE_ERRORS and envelope.attempts < 2:
        signing.forget_key(envelope.sender)
        result.transient = True
    if not result.transient:
        _record_failure(envelope, EnvelopeStatus.FAILED, MessageStatus.FAILED, result)
        return "failed"
    if timezone.now() - envelope.created_at > timedelta(hours=settings.EXCHANGE_MAX_AGE_HOURS):
        _record_failure(envelope, EnvelopeStatus.DEAD, MessageStatus.DEAD, result)
        return "dead"
    _schedule_retry(envelope, result)
    return "retry"


def _submit(envelope: Envelope) -> transport.SendResult:
    key = signing.signing_key_for(envelope.sender)
    body = envelope.body.encode("utf-8")
    return transport.submit(
        department=envelope.department,
        envelope_id=envelope.envelope_id,
        message_type=envelope.message_type,
        sender_code=envelope.sender.code,
        content_type=envelope.content_type,
        body=body,
        signature_headers=signing.sign(key, body),
    )


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with jitter: 2 s, 4 s, 8 s … capped at 5 min, each scaled by 0.5–1.0."""
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1))
    return ceiling * (0.5 + random.random() / 2)  # noqa: S311 - jitter, not security


def stale_after_seconds() -> float:
    """An envelope ``sending`` longer than this belonged to a worker that died."""
    return (
        settings.EXCHANGE_CONNECT_TIMEOUT
        + settings.EXCHANGE_READ_TIMEOUT
        + settings.EXCHANGE_STALE_MARGIN_SECONDS
    )


def _record_sent(envelope: Envelope, result) -> None:
    now = timezone.now()
    with transport_transaction():
        Envelope.objects.filter(pk=envelope.pk).update(
            status=EnvelopeStatus.SENT,
            sent_at=now,
            ack=result.body,
            last_http_status=result.status,
            last_error="",
        )
        expected = now + timedelta(seconds=expected_latency(envelope.department, envelope.message_type))
        moved = list(  # the payloads (JSON decoded per row: a fifth of the worker's samples) are not needed
            Message.objects.select_for_update()
            .filter(envelope=envelope, status=MessageStatus.PENDING)
            .defer("payload")
        )
        Message.objects.filter(pk__in=[m.pk for m in moved]).update(
            status=MessageStatus.SENT, sent_at=now, expected_by=expected, last_error=""
        )
        if len(moved) < envelope.node_count:  # some answered before we recorded the send: stamp them too
            Message.objects.filter(envelope=envelope, sent_at__isnull=True).update(sent_at=now)
        reason = f"HTTP {result.status}" + (f", attempt {envelope.attempts}" if envelope.attempts > 1 else "")
        audit_messages(moved, to_status=MessageStatus.SENT, reason=reason)


def _record_failure(envelope: Envelope, envelope_status: str, message_status: str, result) -> None:
    with transaction.atomic():
        Envelope.objects.filter(pk=envelope.pk).update(
            status=envelope_status, last_error=result.error, last_http_status=result.status
        )
        moved = list(
            Message.objects.select_for_update().filter(envelope=envelope, status=MessageStatus.PENDING)
        )
        Message.objects.filter(pk__in=[m.pk for m in moved]).update(
            status=message_status, last_error=result.error, finished_at=timezone.now()
        )
        audit_messages(moved, to_status=message_status, reason=result.error)
        for message in moved:
            message.status = message_status
            message.last_error = result.error
            dispatch_failure(message)


def _schedule_retry(envelope: Envelope, result) -> None:
    delay = backoff_seconds(envelope.attempts)
    with transport_transaction():
        retried = Envelope.objects.filter(pk=envelope.pk, status=EnvelopeStatus.SENDING).update(
            status=EnvelopeStatus.PENDING,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
            last_error=result.error,
            last_http_status=result.status,
        )
        Message.objects.filter(envelope=envelope, status=MessageStatus.PENDING).update(
            last_error=result.error
        )
    if retried:
        dispatch([envelope.pk], envelope.department, countdown=delay)


def audit_messages(messages: list[Message], *, to_status: str, reason: str = "") -> None:
    audit_many(
        [
            build_event(
                verb=AuditVerb.MESSAGE,
                target=message,
                from_state=message.status,
                to_state=to_status,
                reason=reason[:500],
                payload={"department": message.department, "type": message.message_type},
            )
            for message in messages
        ]
    )


# --- department slots ----------------------------------------------------------------------------------
_slots: dict[tuple[str, int], threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()
_pool_size: int | None = None


def size_slots_for_pool(concurrency: int) -> None:
    """Called when a worker starts: the default share of its pool one department may hold."""
    global _pool_size
    _pool_size = concurrency


def slots_per_department() -> int:
    """``EXCHANGE_DEPARTMENT_SLOTS`` if set; otherwise a third of this worker's pool (at least one), so even
    two hanging departments leave a third of the pool to the others."""
    if settings.EXCHANGE_DEPARTMENT_SLOTS:
        return settings.EXCHANGE_DEPARTMENT_SLOTS
    return max(1, (_pool_size or 6) // 3)


def department_slot(department: str) -> threading.BoundedSemaphore:
    key = (department, slots_per_department())
    with _slots_lock:
        if key not in _slots:
            _slots[key] = threading.BoundedSemaphore(key[1])
        return _slots[key]


# --- expectations --------------------------------------------------------------------------------------
_latency_memo: dict[tuple[str, str], tuple[float, dict]] = {}


def expected_latency(department: str, message_type: str) -> float:
    """Seconds within which the next receipt is expected: twice the observed p95, at least a minute.

    Remembered in the process for a minute: every delivery asks, the answer moves slowly.
    """
    from exchange.selectors import latency_percentiles

    key = (department, message_type)
    memo = _latency_memo.get(key)
    if memo is None or time.monotonic() - memo[0] > 60:
        memo = (time.monotonic(), latency_percentiles(department=department, message_type=message_type))
        _latency_memo[key] = memo
    p95 = memo[1].get("final_p95")
    return (
        max(settings.EXCHANGE_MIN_EXPECTED_SECONDS, 2 * p95)
        if p95
        else settings.EXCHANGE_DEFAULT_EXPECTED_SECONDS
    )
