"""Grouping pending messages into envelopes, and handing envelopes to the delivery tasks."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from exchange import catalog, payloads
from exchange.choices import MessageStatus
from exchange.models import Envelope, Message
from exchange.services.common import publish, queue_for, task_named, transport_transaction


def messages_flush(*, message_type: str, sender_id: int, limit_envelopes: int = 50) -> list[int]:
    """Group pending messages of one type and sender into envelopes of at most ``max_nodes`` nodes.

    Messages of one envelope share its sender's DXP id (CEB ``BaseTransfer``); messages with different DXP
    ids go into different envelopes.
    """
    spec = catalog.message_type(message_type)
    max_nodes = min(spec.max_nodes, settings.EXCHANGE_MAX_NODES or spec.max_nodes)
    created: list[tuple[int, str]] = []
    with transport_transaction():
        messages = list(
            # of=("self",): lock the messages only. Locking the joined sender row too would make every other
            # flush for the same sender skip its rows (skip_locked) and leave them unbatched.
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
        by_dxp: dict[str, list[Message]] = {}
        for message in messages:
            by_dxp.setdefault(message.sender_dxp_id, []).append(message)
        for group in by_dxp.values():
            for start in range(0, len(group), max_nodes):
                chunk = group[start : start + max_nodes]
                envelope = _build_envelope(spec, chunk)
                Message.objects.filter(pk__in=[m.pk for m in chunk]).update(envelope=envelope)
                created.append((envelope.pk, envelope.dispatch_token))
        if created:
            transaction.on_commit(
                lambda: [_publish_delivery(pk, spec.department, token) for pk, token in created]
            )
    return [pk for pk, _token in created]


def _build_envelope(spec: catalog.MessageType, chunk: list[Message]) -> Envelope:
    sender = chunk[0].sender
    now = timezone.now()
    envelope = Envelope(
        department=spec.department,
        message_type=spec.code,
        sender=sender,
        node_count=len(chunk),
        next_attempt_at=now,
        enqueued_at=now,
        dispatch_token=uuid.uuid4().hex,
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


def _publish_delivery(envelope_pk: int, department: str, token: str, countdown: float = 0) -> None:
    publish(
        task_named("exchange.deliver"),
        args=[envelope_pk, department, token],
        queue=queue_for(department),
        countdown=countdown,
    )


def dispatch(envelope_pks: list[int], department: str, *, countdown: float = 0) -> None:
    """Publish delivery tasks under a new token: any older task for these envelopes becomes a no-op.

    For the task that re-schedules itself (busy department, retry after a transient failure) and for
    envelopes whose worker died.
    """
    if not envelope_pks:
        return
    token = uuid.uuid4().hex
    Envelope.objects.filter(pk__in=envelope_pks).update(
        dispatch_token=token, enqueued_at=timezone.now() + timedelta(seconds=countdown)
    )
    for pk in envelope_pks:
        _publish_delivery(pk, department, token, countdown)


def redispatch(envelopes: list[tuple[int, str]], department: str) -> None:
    """Publish another task for envelopes whose task may have been lost, under their current token.

    The original task may only be waiting in a long queue: it stays valid (whichever runs first claims the
    envelope, the other finds it claimed), and the sweeper backs off exponentially per envelope.
    """
    if not envelopes:
        return
    Envelope.objects.filter(pk__in=[pk for pk, _token in envelopes]).update(
        enqueued_at=timezone.now(), redispatch_count=F("redispatch_count") + 1
    )
    for pk, token in envelopes:
        _publish_delivery(pk, department, token)
