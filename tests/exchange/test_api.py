"""``/api/v1/exchange/messages/`` through the kit (tests/kit/api.py): the sender organisation, the addressed
department's officers and the operator see a message; nobody else finds it."""

import uuid

from django.utils import timezone

from exchange.models import Envelope, Receipt
from portal.choices import Role
from tests.exchange.helpers import enqueue
from tests.kit.api import Action, ScopedApiTests

RECEIPT = {
    "id", "receipt_id", "department", "receipt_type", "status_code", "info", "data", "disposition",
    "disposition_label", "via", "produced_at", "received_at",
}  # fmt: skip


class TestMessagesApi(ScopedApiTests):
    url = "/api/v1/exchange/messages/"
    fields = {
        "id", "message_id", "department", "message_type", "business_key", "sender", "status", "status_label",
        "receipt_status", "receipt_info", "outcome", "last_error", "created_at", "sent_at", "acknowledged_at",
        "finished_at", "expected_by", "overdue_at", "queued_for_unreachable", "subject",
    }  # fmt: skip
    detail_fields = {*fields, "receipts"}
    readers = (Role.CUSTOMS_OFFICER, Role.SYSTEM_ADMIN)
    hidden_from = (Role.TAX_OFFICER, Role.COMMERCE_REVIEWER)  # officers of other departments
    actions = (Action("receipts", method="get", many=True, shape={*RECEIPT, "content_type", "raw"}),)
    max_queries = 6  # count, page, and the caller's permissions: nothing per row

    def make(self, owner):
        """A customs message that went out in an envelope, failed once, and has a receipt."""
        org = owner.organisation
        (message,) = enqueue(org, subject=org)
        message.envelope = Envelope.objects.create(
            department=message.department,
            message_type=message.message_type,
            sender=org,
            content_type="application/json",
            body="{}",
            next_attempt_at=timezone.now(),
            attempts=1,
            last_error="timeout",
        )
        message.save(update_fields=["envelope"])
        Receipt.objects.create(
            receipt_id=str(uuid.uuid4()).upper(),
            department=message.department,
            receipt_type=f"{message.message_type}.receipt",
            content_type="application/json",
            raw="{}",
            message=message,
            status_code="ACCEPTED",
            disposition="applied",
            via="callback",
        )
        return message
