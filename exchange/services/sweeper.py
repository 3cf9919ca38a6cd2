"""The sweeper (beat): recovers whatever missed the queue. Holds a lease, so it never runs twice at once."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Min, Q
from django.utils import timezone

from exchange.choices import EnvelopeStatus, MessageStatus
from exchange.models import CallbackNonce, Envelope, Message
from exchange.services.batching import dispatch, messages_flush, redispatch
from exchange.services.common import transport_transaction
from exchange.services.delivery import stale_after_seconds
from exchange.services.leases import lease
from exchange.services.receipts import receipts_retry_failed


def outbox_sweep() -> dict:
    """Recover envelopes of dead workers, batch orphaned messages, re-publish overdue deliveries, retry
    receipts whose application failed, forget old callback signatures."""
    with lease("exchange.sweep", seconds=60) as held:
        if not held:
            return {"skipped": True}
        now = timezone.now()
        return {
            "recovered": _recover_stale(now),
            "flushed": _flush_orphans(now),
            "enqueued": _enqueue_due(now),
            "receipts_retried": receipts_retry_failed(),
            "nonces_pruned": CallbackNonce.objects.filter(received_at__lt=now - timedelta(hours=1)).delete()[
                0
            ],
        }


def _recover_stale(now) -> int:
    """Envelopes left ``sending`` past any possible answer: their worker died. Back to ``pending``, and
    published again at once (re-sending is idempotent at the department)."""
    stale = list(
        Envelope.objects.filter(
            status=EnvelopeStatus.SENDING,
            sending_started_at__lt=now - timedelta(seconds=stale_after_seconds()),
        ).values_list("pk", "department")
    )
    if not stale:
        return 0
    with transport_transaction():
        Envelope.objects.filter(pk__in=[pk for pk, _ in stale], status=EnvelopeStatus.SENDING).update(
            status=EnvelopeStatus.PENDING, next_attempt_at=now, last_error="the worker stopped while sending"
        )
    by_department: dict[str, list[int]] = {}
    for pk, department in stale:
        by_department.setdefault(department, []).append(pk)
    for department, pks in by_department.items():
        dispatch(pks, department)
    return len(stale)


def _flush_orphans(now) -> int:
    """Messages whose flush never ran (broker down at commit): batch them now."""
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
    return sum(len(messages_flush(message_type=g["message_type"], sender_id=g["sender_id"])) for g in groups)


def _enqueue_due(now) -> int:
    """Envelopes due for longer than the grace period whose task may have been lost (broker down when it was
    published, broker restarted without persistence).

    ``enqueued_at`` is when the newest task was due to run. The task may only be waiting in a long queue, so
    the copy published here keeps its token, and each further copy waits twice as long: a backlog costs a
    handful of extra (instantly skipped) tasks per envelope, never an ever-growing pile.
    """
    grace = settings.EXCHANGE_REQUEUE_GRACE_SECONDS
    candidates = (
        Envelope.objects.filter(
            status=EnvelopeStatus.PENDING, next_attempt_at__lt=now - timedelta(seconds=grace)
        )
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - timedelta(seconds=grace)))
        .order_by("next_attempt_at")
        .values_list("pk", "department", "dispatch_token", "enqueued_at", "redispatch_count")[:1000]
    )
    by_department: dict[str, list[tuple[int, str]]] = {}
    for pk, department, token, enqueued_at, count in candidates:
        waited = (now - enqueued_at).total_seconds() if enqueued_at else float("inf")
        if waited >= grace * 2 ** min(count, 10):
            by_department.setdefault(department, []).append((pk, token))
    for department, envelopes in by_department.items():
        redispatch(envelopes, department)
    return sum(len(envelopes) for envelopes in by_department.values())
