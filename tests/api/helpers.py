"""Rows for API tests."""

from exchange.models import Message


def message(sender, *, department="customs", message_type="customs.registration", key="K", **fields):
    """An outbox row as the exchange writes it (domain apps write them through ``message_enqueue``)."""
    return Message.objects.create(
        department=department,
        message_type=message_type,
        sender=sender,
        business_key=key,
        payload={"k": key},
        **fields,
    )
