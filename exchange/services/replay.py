"""Replaying a message the department never received."""

from django.db import transaction

from exchange import catalog
from exchange.choices import MESSAGE_LIVE, MessageStatus
from exchange.models import Message
from exchange.services.enqueue import flush_after_commit
from exchange.workflows import MESSAGE
from portal.choices import AuditVerb
from portal.services.audit import audit


def message_replay(*, message: Message, by) -> Message:
    """Send an undeliverable or transport-refused message again, under the same message id.

    Refused when the department answered it (a receipt exists: its decision stands) or when a newer live
    message for the same business key was written meanwhile.
    """
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        replayable = message.status == MessageStatus.DEAD or (
            message.status == MessageStatus.FAILED and not message.receipt_status
        )
        newer_live = (
            Message.objects.filter(
                department=message.department,
                message_type=message.message_type,
                sender_id=message.sender_id,
                business_key=message.business_key,
                status__in=MESSAGE_LIVE,
            )
            .exclude(pk=message.pk)
            .exists()
        )
        if not replayable or newer_live:
            raise MESSAGE.refusal(message.status, "replay")
        before = message.status
        message.status = MessageStatus.PENDING
        message.envelope = None
        message.last_error = ""
        message.finished_at = None
        message.overdue_at = None
        message.requery_count = 0
        message.save(
            update_fields=["status", "envelope", "last_error", "finished_at", "overdue_at", "requery_count"]
        )
        audit(verb=AuditVerb.REPLAY, actor=by, target=message, from_state=before, to_state=message.status)
        flush_after_commit(catalog.message_type(message.message_type), message.sender_id)
    return message
