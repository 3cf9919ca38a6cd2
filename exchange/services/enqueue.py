"""Writing messages in the business transaction, and scheduling their batching after commit."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction

from exchange import catalog
from exchange.choices import MESSAGE_LIVE
from exchange.models import Message
from exchange.services.common import log, publish, queue_for


def message_enqueue(
    *, message_type: str, sender, business_key: str, payload: dict, subject=None, sender_dxp_id: str = ""
) -> Message:
    """Write one message in the caller's transaction; it is batched and sent after commit.

    Must be called inside ``transaction.atomic()`` together with the business change it reports. A live
    message (not yet final) with the same department, type, sender and business key is returned instead of
    a second one: a double submission never reaches the department twice. Put a version in the business key
    when a new message for the same business object is meant (a change, a retry after a rejection).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("message_enqueue must run inside the business transaction")
    spec = catalog.message_type(message_type)
    if spec.fmt == "ceb" and not sender_dxp_id:
        raise ValueError("CEB messages need the sender's China E-Port DXP id (BaseTransfer.dxpId)")
    key = business_key[:120]
    live = Message.objects.filter(
        department=spec.department,
        message_type=spec.code,
        sender=sender,
        business_key=key,
        status__in=MESSAGE_LIVE,
    )
    try:  # the unique constraint on live business keys decides; no read before the write
        with transaction.atomic():
            message = Message.objects.create(
                department=spec.department,
                message_type=spec.code,
                sender=sender,
                sender_dxp_id=sender_dxp_id,
                business_key=key,
                payload=payload,
                subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=False)
                if subject is not None
                else None,
                subject_id=str(subject.pk) if subject is not None else "",
            )
    except IntegrityError:
        existing = live.first()  # a live message with this key exists (a double submission): that one stands
        if existing is None:
            raise
        return existing
    flush_after_commit(spec, sender.pk)
    return message


def flush_after_commit(spec: catalog.MessageType, sender_id: int) -> None:
    """One flush per (type, sender) per transaction, however many messages it writes."""
    key = (spec.code, sender_id)
    for entry in connection.run_on_commit:
        if getattr(entry[1], "exchange_flush_key", None) == key:
            return

    def fire():
        if settings.EXCHANGE_BATCH_WINDOW_SECONDS <= 0:
            from exchange.services.batching import messages_flush

            # No window to wait for: batch what this transaction wrote right away, saving a task hop.
            try:
                messages_flush(message_type=spec.code, sender_id=sender_id)
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
