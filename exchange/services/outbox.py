"""The outbox: enqueue inside the business transaction, batch into envelopes, deliver, retry, sweep.

Delivery is at-least-once on the wire and exactly-once in effect: an envelope is re-sent only with the
same envelope id and node guids, which the department de-duplicates (protocol §1). A worker killed between
"sending" and the answer leaves the envelope in ``sending``; the sweeper returns it to ``pending`` once the
HTTP timeout has certainly passed.
"""

import logging
import random
import time
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from exchange import catalog, payloads, signing, transport
from exchange.choices import MESSAGE_RANK, EnvelopeStatus, MessageStatus
from exchange.models import CallbackNonce, DepartmentState, Envelope, Message
from exchange.registry import handlers_for
from exchange.services.leases import lease
from portal.choices import AuditVerb
from portal.services.audit import audit, audit_many, build_event

log = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 2.0
BACKOFF_CAP_SECONDS = 300.0
UNREACHABLE_AFTER_FAILURES = 3


# --- enqueue --------------------------------------------------------------------------------------------
def message_enqueue(
    *, message_type: str, sender, business_key: str, payload: dict, subject=None, sender_dxp_id: str = ""
) -> Message:
    """Write one message in the caller's transaction; it is batched and sent after commit.

    Must be called inside ``transaction.atomic()`` together with the business change it reports.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("message_enqueue must run inside the business transaction")
    spec = catalog.message_type(message_type)
    message = Message.objects.create(
        department=spec.department,
        message_type=spec.code,
        sender=sender,
        sender_dxp_id=sender_dxp_id,
        business_key=business_key[:120],
        payload=payload,
        subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=False)
        if subject
        else None,
        subject_id=str(subject.pk) if subject is not None else "",
    )
    _flush_after_commit(spec, sender.pk)
    return message


def _flush_after_commit(spec: catalog.MessageType, sender_id: int) -> None:
    """One flush per (type, sender) per transaction, however many messages it writes."""
    key = (spec.code, sender_id)
    for entry in connection.run_on_commit:
        if getattr(entry[1], "exchange_flush_key", None) == key:
            return

    def fire():
        if settings.EXCHANGE_BATCH_WINDOW_SECONDS <= 0:
            # No window to wait for: batch what this transaction wrote right away, saving a task hop.
            try:
                flush_pending(message_type=spec.code, sender_id=sender_id)
            except Exception:
                log.warning("inline flush failed; the sweeper will batch these messages", exc_info=True)
            return
        from exchange.tasks import flush

        publish(
            flush,
            args=[spec.code, sender_id],
            queue=queue_for(spec.department),
            countdown=settings.EXCHANGE_BATCH_WINDOW_SECONDS,
        )

    fire.exchange_flush_key = key
    transaction.on_commit(fire)


def queue_for(department: str) -> str:
    return f"exchange.{department}"


def publish(task, *, args, queue: str, countdown: float = 0) -> bool:
    """Publish a task without ever failing the caller: if the broker is down the sweeper catches up."""
    try:
        task.apply_async(args=args, queue=queue, countdown=countdown or None, retry=False)
        return True
    except Exception as exc:
        log.warning("broker unavailable, %s left for the sweeper: %s", task.name, exc)
        return False


# --- batching -------------------------------------------------------------------------------------------
def flush_pending(*, message_type: str, sender_id: int, limit_envelopes: int = 50) -> list[int]:
    """Group pending messages of one type and sender into envelopes of at most ``max_nodes`` nodes."""
    spec = catalog.message_type(message_type)
    max_nodes = min(spec.max_nodes, settings.EXCHANGE_MAX_NODES or spec.max_nodes)
    created = []
    with transaction.atomic():
        messages = list(
            # of=("self",): lock the messages only. Locking the joined sender row too would make every other
            # flush or claim for the same sender skip its rows (skip_locked) and leave them undelivered.
            Message.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("sender")
            .filter(
                message_type=message_type,
                sender_id=sender_id,
                envelope__isnull=True,
                status=MessageStatus.PENDING,
            )
            .order_by("id")[: max_nodes * limit_envelopes]
        )
        for start in range(0, len(messages), max_nodes):
            chunk = messages[start : start + max_nodes]
            envelope = _build_envelope(spec, chunk)
            Message.objects.filter(pk__in=[m.pk for m in chunk]).update(envelope=envelope)
            created.append(envelope.pk)
        if created:
            transaction.on_commit(lambda: [_enqueue_delivery(pk, spec.department) for pk in created])
    return created


def _build_envelope(spec: catalog.MessageType, chunk: list[Message]) -> Envelope:
    sender = chunk[0].sender
    envelope = Envelope(
        department=spec.department,
        message_type=spec.code,
        sender=sender,
        node_count=len(chunk),
        next_attempt_at=timezone.now(),
        enqueued_at=timezone.now(),  # published right after commit; the sweeper's grace period starts here
    )
    if spec.fmt == "ceb":
        envelope.content_type = "application/xml; charset=utf-8"
        body = payloads.ceb_body(
            envelope_id=envelope.envelope_id,
            message_type=spec.code,
            messages=chunk,
            sender=sender,
            dxp_id=chunk[0].sender_dxp_id,
        )
    else:
        envelope.content_type = "application/json"
        body = payloads.json_body(
            envelope_id=envelope.envelope_id, message_type=spec.code, messages=chunk, sender=sender
        )
    envelope.body = body.decode("utf-8")
    envelope.save()
    return envelope


def _enqueue_delivery(envelope_pk: int, department: str, countdown: float = 0) -> None:
    from exchange.tasks import deliver

    publish(deliver, args=[envelope_pk], queue=queue_for(department), countdown=countdown)


# --- delivery -------------------------------------------------------------------------------------------
def _claim(envelope_pk: int):
    """Move a due envelope to ``sending``; None if it is not to be sent now (already sent or not due)."""
    now = timezone.now()
    with transaction.atomic():
        # Block (briefly) rather than skip: every holder of this row lock commits within milliseconds (no
        # HTTP inside), and skipping would drop the delivery until the sweeper noticed.
        envelope = (
            Envelope.objects.select_for_update(of=("self",))
            .select_related("sender")
            .filter(pk=envelope_pk)
            .first()
        )
        if envelope is None or envelope.status != EnvelopeStatus.PENDING or envelope.next_attempt_at > now:
            return None
        busy = Envelope.objects.filter(
            department=envelope.department,
            status=EnvelopeStatus.SENDING,
            sending_started_at__gt=now - timedelta(seconds=_stale_after()),
        ).count()
        if busy >= settings.EXCHANGE_DEPARTMENT_SLOTS:
            return "busy"
        envelope.status = EnvelopeStatus.SENDING
        envelope.sending_started_at = now
        envelope.attempts += 1
        envelope.save(update_fields=["status", "sending_started_at", "attempts"])
        Message.objects.filter(envelope=envelope, status=MessageStatus.PENDING).update(
            status=MessageStatus.SENDING
        )
    return envelope


def envelope_deliver(envelope_pk: int) -> str:
    """Send one envelope once. Returns what happened (for logs and tests)."""
    envelope = _claim(envelope_pk)
    if envelope is None:
        return "skipped"
    if envelope == "busy":
        _enqueue_delivery(
            envelope_pk,
            Envelope.objects.values_list("department", flat=True).get(pk=envelope_pk),
            countdown=1 + random.random(),  # noqa: S311 - jitter, not security
        )
        return "busy"
    key = signing.signing_key_for(envelope.sender)
    body = envelope.body.encode("utf-8")
    result = transport.submit(
        department=envelope.department,
        envelope_id=envelope.envelope_id,
        message_type=envelope.message_type,
        sender_code=envelope.sender.code,
        content_type=envelope.content_type,
        body=body,
        signature_headers=signing.sign(key, body),
    )
    _note_department(envelope.department, ok=result.ok or not result.transient, error=result.error)
    if result.ok:
        _record_sent(envelope, result)
        return "sent"
    if not result.transient:
        _record_failure(envelope, EnvelopeStatus.FAILED, MessageStatus.FAILED, result)
        return "failed"
    age = timezone.now() - envelope.created_at
    if age > timedelta(hours=settings.EXCHANGE_MAX_AGE_HOURS):
        _record_failure(envelope, EnvelopeStatus.DEAD, MessageStatus.DEAD, result)
        return "dead"
    _schedule_retry(envelope, result)
    return "retry"


def _stale_after() -> float:
    return (
        settings.EXCHANGE_CONNECT_TIMEOUT
        + settings.EXCHANGE_READ_TIMEOUT
        + settings.EXCHANGE_STALE_MARGIN_SECONDS
    )


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with jitter: 2 s, 4 s, 8 s … capped at 5 min, each scaled by 0.5–1.0."""
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1))
    return ceiling * (0.5 + random.random() / 2)  # noqa: S311 - jitter, not security


def _record_sent(envelope: Envelope, result) -> None:
    now = timezone.now()
    with transaction.atomic():
        Envelope.objects.filter(pk=envelope.pk).update(
            status=EnvelopeStatus.SENT,
            sent_at=now,
            ack=result.body,
            last_http_status=result.status,
            last_error="",
        )
        expected = now + timedelta(seconds=expected_latency(envelope.department, envelope.message_type))
        moved = list(
            Message.objects.select_for_update().filter(
                envelope=envelope, status__in=[MessageStatus.PENDING, MessageStatus.SENDING]
            )
        )
        Message.objects.filter(pk__in=[m.pk for m in moved]).update(
            status=MessageStatus.SENT, sent_at=now, expected_by=expected, last_error=""
        )
        if len(moved) < envelope.node_count:  # some answered before we recorded the send: stamp them too
            Message.objects.filter(envelope=envelope, sent_at__isnull=True).update(sent_at=now)
        _audit_messages(moved, to_status=MessageStatus.SENT, reason=f"HTTP {result.status}")


def _record_failure(envelope: Envelope, envelope_status: str, message_status: str, result) -> None:
    with transaction.atomic():
        Envelope.objects.filter(pk=envelope.pk).update(
            status=envelope_status, last_error=result.error, last_http_status=result.status
        )
        moved = list(
            Message.objects.select_for_update().filter(
                envelope=envelope, status__in=[MessageStatus.PENDING, MessageStatus.SENDING]
            )
        )
        Message.objects.filter(pk__in=[m.pk for m in moved]).update(
            status=message_status, last_error=result.error, finished_at=timezone.now()
        )
        _audit_messages(moved, to_status=message_status, reason=result.error)
        for message in moved:
            message.status = message_status
            message.last_error = result.error
            handler = handlers_for(message.message_type).on_failure
            if handler is not None:
                handler(message)


def _schedule_retry(envelope: Envelope, result) -> None:
    delay = backoff_seconds(envelope.attempts)
    with transaction.atomic():
        Envelope.objects.filter(pk=envelope.pk, status=EnvelopeStatus.SENDING).update(
            status=EnvelopeStatus.PENDING,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
            last_error=result.error,
            last_http_status=result.status,
        )
        Message.objects.filter(envelope=envelope, status=MessageStatus.SENDING).update(
            status=MessageStatus.PENDING, last_error=result.error
        )
    if delay <= BACKOFF_CAP_SECONDS:
        _enqueue_delivery(envelope.pk, envelope.department, countdown=delay)


_last_success_noted: dict[str, float] = {}


def _note_department(department: str, *, ok: bool, error: str = "") -> None:
    """Keep the department's reachability for the health page; a run of successes writes once per 5 s."""
    if ok and time.monotonic() - _last_success_noted.get(department, float("-inf")) < 5:
        return
    now = timezone.now()
    state, _ = DepartmentState.objects.get_or_create(department=department)
    if ok:
        _last_success_noted[department] = time.monotonic()
        if (
            not state.reachable
            or state.consecutive_failures
            or not state.last_success_at
            or (now - state.last_success_at).total_seconds() > 5
        ):
            DepartmentState.objects.filter(pk=state.pk).update(
                reachable=True, consecutive_failures=0, last_success_at=now
            )
    else:
        _last_success_noted.pop(department, None)
        failures = state.consecutive_failures + 1
        DepartmentState.objects.filter(pk=state.pk).update(
            consecutive_failures=failures,
            last_failure_at=now,
            last_error=error[:500],
            reachable=failures < UNREACHABLE_AFTER_FAILURES,
        )


def _audit_messages(messages: list[Message], *, to_status: str, reason: str = "") -> None:
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


def expected_latency(department: str, message_type: str) -> float:
    """Seconds within which a final receipt is expected: twice the observed p95, at least a minute."""
    from exchange.selectors import latency_percentiles

    stats = latency_percentiles(department=department, message_type=message_type)
    p95 = stats.get("final_p95")
    return (
        max(settings.EXCHANGE_MIN_EXPECTED_SECONDS, 2 * p95)
        if p95
        else settings.EXCHANGE_DEFAULT_EXPECTED_SECONDS
    )


# --- sweeper --------------------------------------------------------------------------------------------
def sweep() -> dict:
    """Re-enqueue whatever missed the queue. Holds a lease: a second sweeper at the same time does nothing."""
    with lease("exchange.sweep", seconds=120) as held:
        if not held:
            return {"skipped": True}
        now = timezone.now()
        stale = Envelope.objects.filter(
            status=EnvelopeStatus.SENDING, sending_started_at__lt=now - timedelta(seconds=_stale_after())
        )
        recovered = list(stale.values_list("pk", flat=True))
        if recovered:
            with transaction.atomic():
                Envelope.objects.filter(pk__in=recovered, status=EnvelopeStatus.SENDING).update(
                    status=EnvelopeStatus.PENDING, next_attempt_at=now, enqueued_at=None
                )
                Message.objects.filter(envelope_id__in=recovered, status=MessageStatus.SENDING).update(
                    status=MessageStatus.PENDING
                )
        flushed = _flush_orphans(now)
        enqueued = _enqueue_due(now)
        CallbackNonce.objects.filter(received_at__lt=now - timedelta(hours=1)).delete()
        return {"recovered": len(recovered), "flushed": flushed, "enqueued": enqueued}


def _flush_orphans(now) -> int:
    """Messages whose flush task never ran (broker down at commit): batch them now."""
    window = timedelta(
        seconds=settings.EXCHANGE_BATCH_WINDOW_SECONDS + settings.EXCHANGE_REQUEUE_GRACE_SECONDS
    )
    groups = (
        Message.objects.filter(
            status=MessageStatus.PENDING, envelope__isnull=True, created_at__lt=now - window
        )
        .values("message_type", "sender_id")
        .annotate(first=Min("id"))
        .order_by("first")[:200]
    )
    count = 0
    for group in groups:
        count += len(flush_pending(message_type=group["message_type"], sender_id=group["sender_id"]))
    return count


def _enqueue_due(now) -> int:
    grace = timedelta(seconds=settings.EXCHANGE_REQUEUE_GRACE_SECONDS)
    due = (
        Envelope.objects.filter(status=EnvelopeStatus.PENDING, next_attempt_at__lt=now - grace)
        .exclude(enqueued_at__gt=now - grace)
        .order_by("next_attempt_at")
        .values_list("pk", "department")[:1000]
    )
    by_department = defaultdict(list)
    for pk, department in due:
        by_department[department].append(pk)
    for department, pks in by_department.items():
        Envelope.objects.filter(pk__in=pks).update(enqueued_at=now)
        for pk in pks:
            _enqueue_delivery(pk, department)
    return sum(len(p) for p in by_department.values())


# --- replay ---------------------------------------------------------------------------------------------
def message_replay(*, message: Message, by) -> Message:
    """Send an undeliverable or transport-refused message again, under the same message id."""
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        replayable = message.status == MessageStatus.DEAD or (
            message.status == MessageStatus.FAILED and not message.receipt_status
        )
        if not replayable:
            from portal.statemachine import TransitionNotAllowed

            raise TransitionNotAllowed(current=message.get_status_display(), verb="replay", label="message")
        before = message.status
        message.status = MessageStatus.PENDING
        message.envelope = None
        message.last_error = ""
        message.finished_at = None
        message.overdue_at = None
        message.save(update_fields=["status", "envelope", "last_error", "finished_at", "overdue_at"])
        audit(verb=AuditVerb.REPLAY, actor=by, target=message, from_state=before, to_state=message.status)
        _flush_after_commit(catalog.message_type(message.message_type), message.sender_id)
    return message


def message_rank(status: str) -> int:
    return MESSAGE_RANK[MessageStatus(status)]
