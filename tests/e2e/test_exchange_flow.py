"""A message travels for real: outbox → Celery worker → govmock over HTTP → receipts back to the portal."""

import pytest
from django.db import transaction

from exchange.choices import MessageStatus
from exchange.models import Message, Receipt
from exchange.services import message_enqueue

pytestmark = [pytest.mark.e2e]


def test_registration_message_completes_with_receipts(stack_factory, enterprise):
    stack = stack_factory(faults={"*": {"service_time_ms": 50, "receipt_interval_ms": 50}})
    with transaction.atomic():
        message = message_enqueue(
            message_type="customs.registration",
            sender=enterprise,
            business_key="E2E-1",
            payload={
                "uscc": enterprise.code,
                "name_cn": enterprise.name_cn,
                "division_code": "330100",
                "role": "CONSIGNOR",
                "economic_type": "6",
            },
        )
    stack.wait_for(
        lambda: Message.objects.get(pk=message.pk).status == MessageStatus.COMPLETED,
        timeout=60,
        message="the registration message to complete",
    )
    receipt = Receipt.objects.get(message=message, status_code="REGISTERED")
    assert len(receipt.data["customs_code"]) == 10
    assert receipt.data["customs_code"].startswith("3301")
