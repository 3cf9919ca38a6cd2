"""messages_enqueue_bulk: many outbox rows in one statement, live business keys honoured, one flush."""

import pytest
from django.db import transaction

from exchange.choices import MessageStatus
from exchange.models import Message
from exchange.services import message_enqueue, messages_enqueue_bulk

pytestmark = pytest.mark.django_db
DXP = "DXPENT0000000001"


def test_rows_are_written_and_one_flush_is_scheduled(enterprise, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        pks = messages_enqueue_bulk(
            message_type="CEB603Message",
            sender=enterprise,
            entries=[(f"K{i}", {"element": "Inventory", "parts": []}, None) for i in range(5)],
            sender_dxp_id=DXP,
        )
    assert len(callbacks) == 1
    messages = Message.objects.filter(pk__in=pks).order_by("pk")
    assert [m.business_key for m in messages] == [f"K{i}" for i in range(5)]
    assert {m.status for m in messages} == {MessageStatus.PENDING}
    assert len({m.message_id for m in messages}) == 5


def test_a_live_key_returns_the_existing_message(enterprise):
    with transaction.atomic():
        (existing,) = [
            message_enqueue(
                message_type="CEB603Message",
                sender=enterprise,
                business_key="K1",
                payload={},
                sender_dxp_id=DXP,
            )
        ]
        pks = messages_enqueue_bulk(
            message_type="CEB603Message",
            sender=enterprise,
            entries=[("K1", {}, None), ("K2", {}, None)],
            sender_dxp_id=DXP,
        )
    assert pks[0] == existing.pk and Message.objects.count() == 2


def test_refuses_what_message_enqueue_refuses(enterprise):
    with transaction.atomic(), pytest.raises(ValueError, match="DXP"):
        messages_enqueue_bulk(message_type="CEB603Message", sender=enterprise, entries=[("K", {}, None)])
    with transaction.atomic(), pytest.raises(ValueError, match="same business key"):
        messages_enqueue_bulk(
            message_type="CEB603Message",
            sender=enterprise,
            entries=[("K", {}, None), ("K", {}, None)],
            sender_dxp_id=DXP,
        )
