"""Receipts at volume: a batch is applied in one transaction with bulk statements and the subject-bound
handlers get their subjects locked; anything unusual falls back to one item at a time (the careful path)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exchange.choices import MessageStatus, ReceiptDisposition
from exchange.models import Message, Receipt
from exchange.registry import register_handlers
from exchange.services import messages_flush, receipts_ingest
from portal.models import AuditEvent, Organisation
from tests.exchange.helpers import enqueue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _only_this_modules_handlers():
    """The observers of other apps (tests/effects writes a row per receipt) are put back by the conftest."""
    from exchange import registry

    registry._bindings.pop("customs.registration", None)


def _sent(org, n):
    messages = enqueue(org, n, subject=org)
    messages_flush(message_type="customs.registration", sender_id=org.pk)
    Message.objects.filter(pk__in=[m.pk for m in messages]).update(status=MessageStatus.SENT)
    return list(Message.objects.filter(pk__in=[m.pk for m in messages]).order_by("pk"))


def _ingest_counting(items):
    with CaptureQueriesContext(connection) as queries:
        counts = receipts_ingest(items, via="callback", department="customs")
    return counts, len(queries)


def test_a_batch_costs_the_same_statements_for_ten_receipts_as_for_a_hundred(enterprise, json_receipt):
    seen = []
    register_handlers(
        "customs.registration", subject=Organisation, on_receipts=lambda batch: seen.append(len(batch))
    )
    small = [json_receipt(m, "ACCEPTED") for m in _sent(enterprise, 10)]
    large = [json_receipt(m, "ACCEPTED") for m in _sent(enterprise, 100)]
    counts_small, queries_small = _ingest_counting(small)
    counts_large, queries_large = _ingest_counting(large)
    assert counts_small["applied"] == 10 and counts_large["applied"] == 100
    # Only the backends' own batching of multi-row INSERTs (SQLite: 999 parameters) may add statements.
    assert queries_large <= queries_small + 8, (queries_small, queries_large)
    assert seen == [10, 100]
    assert AuditEvent.objects.filter(verb="receipt", to_state=MessageStatus.ACKNOWLEDGED).count() == 110


def test_two_receipts_for_one_message_in_one_batch_in_either_order(enterprise, json_receipt):
    a, b = _sent(enterprise, 2)
    receipts_ingest(
        [
            json_receipt(a, "ACCEPTED"),
            json_receipt(a, "REGISTERED"),
            json_receipt(b, "REGISTERED"),
            json_receipt(b, "ACCEPTED"),
        ],
        via="callback",
    )
    for message in (a, b):
        message.refresh_from_db()
        assert (message.status, message.receipt_status) == (MessageStatus.COMPLETED, "REGISTERED")
    assert Receipt.objects.get(message=b, status_code="ACCEPTED").disposition == ReceiptDisposition.STALE
    assert Receipt.objects.get(message=a, status_code="ACCEPTED").disposition == ReceiptDisposition.APPLIED


def test_a_failing_handler_keeps_its_receipt_for_retry_and_the_rest_of_the_batch_applies(
    enterprise, json_receipt
):
    messages = _sent(enterprise, 5)
    doomed = messages[2]

    def handler(subject, message, receipt):
        if message.pk == doomed.pk:
            raise RuntimeError("a bug in the domain handler")

    register_handlers("customs.registration", subject=Organisation, on_receipt=handler)
    counts = receipts_ingest([json_receipt(m, "ACCEPTED") for m in messages], via="callback")
    assert (counts["applied"], counts["flagged"]) == (4, 1)
    assert Receipt.objects.get(message=None, disposition=ReceiptDisposition.HANDLER_ERROR).node_guid == (
        doomed.message_id
    )
    doomed.refresh_from_db()
    assert doomed.status == MessageStatus.SENT


def test_the_subject_is_locked_and_given_to_the_handler_and_other_subjects_are_skipped(
    enterprise, other_enterprise, json_receipt
):
    got = []
    register_handlers(
        "customs.registration", subject=Organisation, on_receipt=lambda s, m, r: got.append((s.pk, m.pk))
    )
    [about_org] = _sent(enterprise, 1)
    [about_nothing] = enqueue(other_enterprise, 1)
    messages_flush(message_type="customs.registration", sender_id=other_enterprise.pk)
    receipts_ingest(
        [json_receipt(about_org, "ACCEPTED"), json_receipt(about_nothing, "ACCEPTED")], via="poll"
    )
    assert got == [(enterprise.pk, about_org.pk)]


def test_receipts_the_other_channel_stored_meanwhile_are_duplicates_not_a_careful_path(
    enterprise, json_receipt, monkeypatch
):
    """A poll and a callback carrying the same receipts at the same moment: what the other channel stored
    while this batch waited for the messages' locks is left out as duplicates; the rest of the batch still
    goes in one transaction, not one item at a time."""
    from exchange.services import receipts as module

    messages = _sent(enterprise, 5)
    items = [json_receipt(m, "ACCEPTED") for m in messages]
    parse = module._parse_items

    def other_channel_first(batch, *, via):
        monkeypatch.setattr(module, "_parse_items", parse)
        assert receipts_ingest(items[:2], via="poll", department="customs")["applied"] == 2
        monkeypatch.setattr(module, "_ingest_one", careful)
        return parse(batch, via=via)

    def careful(*args, **kwargs):
        raise AssertionError("the careful path was taken")

    monkeypatch.setattr(module, "_parse_items", other_channel_first)
    counts = receipts_ingest(items, via="callback", department="customs")
    assert counts == {"accepted": 3, "duplicates": 2, "applied": 3, "flagged": 0}
    assert dict(Receipt.objects.values_list("receipt_id", "via")) == {
        **{i["receipt_id"]: "poll" for i in items[:2]},
        **{i["receipt_id"]: "callback" for i in items[2:]},
    }
    assert set(Message.objects.filter(pk__in=[m.pk for m in messages]).values_list("status", flat=True)) == {
        MessageStatus.ACKNOWLEDGED
    }
