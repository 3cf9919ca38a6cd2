"""Polling the receipt feed and re-querying overdue messages catch what callbacks lost."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from exchange.choices import EnvelopeStatus, MessageStatus
from exchange.models import Envelope, Message, ReceiptCursor
from exchange.services import messages_flush, messages_requery_overdue, receipts_poll
from portal.models import Notification
from tests.exchange.helpers import enqueue

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_flight(enterprise):
    messages = enqueue(enterprise, 2)
    messages_flush(message_type="customs.registration", sender_id=enterprise.pk)
    Message.objects.update(status=MessageStatus.SENT, sent_at=timezone.now())
    Envelope.objects.update(status=EnvelopeStatus.SENT, sent_at=timezone.now())
    return [Message.objects.get(pk=m.pk) for m in messages]


def test_poll_reads_from_the_cursor_and_advances_it(department, in_flight, json_receipt):
    department.feed = [json_receipt(m, "REGISTERED", seq=i + 1) for i, m in enumerate(in_flight)]
    result = receipts_poll(department="customs")
    assert result["accepted"] == 2
    assert ReceiptCursor.objects.get(department="customs").last_seq == 2
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.COMPLETED}
    assert "after=2" not in department.requests[0]["path"]
    receipts_poll(department="customs")
    assert "after=2" in department.requests[-1]["path"]
    headers = department.requests[-1]["headers"]
    assert headers["X-Govmock-Timestamp"] and len(headers["X-Govmock-Signature"]) == 64


def test_poll_failure_is_recorded_not_raised(settings, in_flight):
    settings.GOVMOCK_URL = "http://127.0.0.1:9"
    settings.EXCHANGE_CONNECT_TIMEOUT = 0.5
    result = receipts_poll(department="customs")
    assert "error" in result
    assert ReceiptCursor.objects.get(department="customs").last_error


def test_overdue_message_is_requeried_flagged_and_notified(
    department, in_flight, json_receipt, enterprise_admin, customs_officer
):
    Message.objects.update(expected_by=timezone.now() - timedelta(minutes=1))
    envelope = in_flight[0].envelope
    department.query_answers[envelope.envelope_id] = (
        200,
        {"ack": {}, "receipts": [json_receipt(in_flight[0], "REGISTERED")]},
    )
    result = messages_requery_overdue(department="customs")
    assert result["envelopes_asked"] == 1
    first, second = (Message.objects.get(pk=m.pk) for m in in_flight)
    assert first.status == MessageStatus.COMPLETED and first.overdue_at is None
    assert second.overdue_at is not None and second.expected_by > timezone.now()
    assert Notification.objects.filter(recipient=enterprise_admin, verb="exchange.overdue").count() == 1
    assert Notification.objects.filter(recipient=customs_officer, verb="exchange.overdue").count() == 1
    told = Notification.objects.get(recipient=enterprise_admin, verb="exchange.overdue")
    with translation.override("en"):  # the department's name follows the reader's language too
        assert told.shown_title == "1 messages to Customs have no receipt yet"
    with translation.override("zh-hans"):
        assert "海关" in told.shown_title and "Customs" not in told.shown_title
    # A second check does not notify again for the same messages.
    Message.objects.filter(pk=second.pk).update(expected_by=timezone.now() - timedelta(seconds=1))
    messages_requery_overdue(department="customs")
    assert Notification.objects.filter(recipient=enterprise_admin, verb="exchange.overdue").count() == 1
    assert mail.outbox == [] or all("exchange" not in m.subject for m in mail.outbox)


def test_an_envelope_the_department_never_received_is_sent_again(department, in_flight, settings):
    Message.objects.update(expected_by=timezone.now() - timedelta(minutes=1))
    result = messages_requery_overdue(department="customs")
    assert result["resent"] == 1
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.PENDING}


def test_a_poll_lease_left_by_a_killed_worker_expires_within_a_minute(department, in_flight, json_receipt):
    from datetime import timedelta

    from exchange.models import Lease

    department.feed = [json_receipt(m, "REGISTERED", seq=i + 1) for i, m in enumerate(in_flight)]
    Lease.objects.create(
        name="exchange.poll.customs", holder="dead-worker", expires_at=timezone.now() + timedelta(seconds=59)
    )
    assert receipts_poll(department="customs") == {"skipped": True}
    Lease.objects.filter(name="exchange.poll.customs").update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert receipts_poll(department="customs")["accepted"] == 2


def test_poll_does_not_apply_a_receipt_for_a_message_of_another_department(
    department, in_flight, json_receipt
):
    from exchange.models import Receipt

    foreign = {**json_receipt(in_flight[0], "REGISTERED", seq=1), "department": "tax"}
    department.feed = [foreign]
    result = receipts_poll(department="tax")
    assert result["accepted"] == 1
    receipt = Receipt.objects.get()
    assert receipt.disposition == "unmatched" and receipt.flagged
    assert Message.objects.get(pk=in_flight[0].pk).status == MessageStatus.SENT
    assert ReceiptCursor.objects.get(department="tax").last_seq == 1  # kept and flagged: the cursor moves on


def test_poll_does_not_apply_a_customs_receipt_served_by_another_departments_feed(
    department, in_flight, json_receipt
):
    department.feed = [json_receipt(in_flight[0], "REGISTERED", seq=1)]  # says customs
    receipts_poll(department="tax")
    assert Message.objects.get(pk=in_flight[0].pk).status == MessageStatus.SENT


def test_poll_refuses_a_page_larger_than_it_asked_for(department, in_flight, json_receipt):
    from exchange.models import Receipt

    department.feed = [json_receipt(in_flight[i % 2], "ACCEPTED", seq=i + 1) for i in range(3)]
    result = receipts_poll(department="customs", page_size=2)
    assert "error" in result
    assert not Receipt.objects.exists()
    assert ReceiptCursor.objects.get(department="customs").last_seq == 0
