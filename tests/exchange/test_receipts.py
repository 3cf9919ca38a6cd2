"""Receipts: stored raw once, applied at most once, never backwards; unknown ones kept and flagged."""

import pytest

from exchange.choices import MessageStatus, ReceiptDisposition
from exchange.models import Message, Receipt
from exchange.registry import register_handlers
from exchange.services import messages_flush, receipts_ingest
from tests.exchange.helpers import enqueue

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_message(enterprise):
    [message] = enqueue(enterprise, subject=enterprise)
    messages_flush(message_type="customs.registration", sender_id=enterprise.pk)
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENT)
    message.refresh_from_db()
    return message


@pytest.fixture
def calls():
    seen = []
    register_handlers("customs.registration", on_receipt=lambda m, r: seen.append((m.pk, r.status_code)))
    yield seen
    register_handlers("customs.registration")


def test_receipts_move_the_message_forward_and_call_the_handler_once_each(sent_message, json_receipt, calls):
    counts = receipts_ingest([json_receipt(sent_message, "ACCEPTED")], via="callback")
    assert counts["applied"] == 1
    sent_message.refresh_from_db()
    assert sent_message.status == MessageStatus.ACKNOWLEDGED
    receipts_ingest(
        [json_receipt(sent_message, "REGISTERED", data={"customs_code": "3301961A2B"})], via="callback"
    )
    sent_message.refresh_from_db()
    assert sent_message.status == MessageStatus.COMPLETED
    assert sent_message.outcome == "success"
    assert calls == [(sent_message.pk, "ACCEPTED"), (sent_message.pk, "REGISTERED")]
    assert Receipt.objects.get(status_code="REGISTERED").data == {"customs_code": "3301961A2B"}


def test_a_duplicate_receipt_is_stored_once_and_applied_once(sent_message, json_receipt, calls):
    item = json_receipt(sent_message, "REGISTERED")
    first = receipts_ingest([item], via="callback")
    second = receipts_ingest([item], via="poll")
    assert (first["applied"], second["duplicates"]) == (1, 1)
    assert Receipt.objects.count() == 1
    assert len(calls) == 1


def test_a_late_receipt_never_moves_the_status_backwards(sent_message, json_receipt, calls):
    receipts_ingest([json_receipt(sent_message, "REGISTERED")], via="callback")
    receipts_ingest([json_receipt(sent_message, "ACCEPTED")], via="callback")
    sent_message.refresh_from_db()
    assert sent_message.status == MessageStatus.COMPLETED
    assert Receipt.objects.get(status_code="ACCEPTED").disposition == ReceiptDisposition.STALE
    assert calls == [(sent_message.pk, "REGISTERED")]


def test_a_rejection_fails_the_message_with_the_reason(sent_message, json_receipt):
    receipts_ingest(
        [json_receipt(sent_message, "REJECTED", info="统一社会信用代码校验位错误")], via="callback"
    )
    sent_message.refresh_from_db()
    assert sent_message.status == MessageStatus.FAILED
    assert sent_message.outcome == "error"
    assert "校验位" in sent_message.receipt_info


def test_a_receipt_for_an_unknown_message_is_kept_and_flagged(enterprise, json_receipt):
    stranger = Message(
        message_id="00000000-0000-0000-0000-000000000000",
        department="customs",
        message_type="customs.registration",
        business_key="?",
    )
    counts = receipts_ingest([json_receipt(stranger, "REGISTERED")], via="callback")
    assert counts["flagged"] == 1
    receipt = Receipt.objects.get()
    assert receipt.disposition == ReceiptDisposition.UNMATCHED and receipt.flagged


def test_an_unreadable_receipt_is_kept_and_flagged(sent_message, json_receipt):
    item = json_receipt(sent_message, "REGISTERED")
    item["raw"] = "{not json"
    receipts_ingest([item], via="callback")
    assert Receipt.objects.get().disposition == ReceiptDisposition.UNPARSEABLE


def test_an_unknown_status_is_kept_and_flagged(sent_message, json_receipt):
    receipts_ingest([json_receipt(sent_message, "TELEPORTED")], via="callback")
    receipt = Receipt.objects.get()
    assert receipt.disposition == ReceiptDisposition.UNKNOWN_STATUS and receipt.flagged
    sent_message.refresh_from_db()
    assert sent_message.status == MessageStatus.SENT


def test_a_receipt_revives_a_message_we_had_given_up_on(sent_message, json_receipt):
    Message.objects.filter(pk=sent_message.pk).update(status=MessageStatus.DEAD)
    receipts_ingest([json_receipt(sent_message, "ACCEPTED")], via="poll")
    sent_message.refresh_from_db()
    assert sent_message.status == MessageStatus.ACKNOWLEDGED


def test_items_without_required_keys_are_ignored_not_fatal(sent_message, json_receipt):
    good = json_receipt(sent_message, "ACCEPTED")
    counts = receipts_ingest([{"raw": "x"}, "garbage", good], via="callback")
    assert counts["applied"] == 1 and counts["flagged"] == 2


def test_a_handler_error_keeps_the_receipt_for_retry_and_the_batch_goes_on(enterprise, json_receipt):
    from exchange.choices import ReceiptDisposition as D
    from exchange.services import receipts_retry_failed

    first, second = enqueue(enterprise, 2)
    Message.objects.update(status=MessageStatus.SENT)
    broken = {"on": True}

    def handler(message, receipt):
        if broken["on"] and message.pk == first.pk:
            raise RuntimeError("domain bug")

    register_handlers("customs.registration", on_receipt=handler)
    counts = receipts_ingest(
        [json_receipt(first, "REGISTERED"), json_receipt(second, "REGISTERED")], via="poll"
    )
    assert counts["applied"] == 1 and counts["flagged"] == 1
    kept = Receipt.objects.get(message__isnull=True)
    assert kept.disposition == D.HANDLER_ERROR and kept.flagged and "domain bug" in kept.info
    assert Message.objects.get(pk=first.pk).status == MessageStatus.SENT
    assert Message.objects.get(pk=second.pk).status == MessageStatus.COMPLETED
    broken["on"] = False
    assert receipts_retry_failed() == 1
    kept.refresh_from_db()
    assert kept.disposition == D.APPLIED and not kept.flagged
    assert Message.objects.get(pk=first.pk).status == MessageStatus.COMPLETED


def test_hostile_receipt_items_are_kept_flagged_not_fatal(sent_message, json_receipt):
    deep = "[" * 100_000 + "]" * 100_000
    lone = json_receipt(sent_message, "ACCEPTED")
    lone["raw"] = lone["raw"].replace('info": ""', 'info": "\ud800"')
    items = [
        {"receipt_id": "R-deep", "department": "customs", "raw": deep},
        {"receipt_id": "R-bad\ud800", "department": "customs", "raw": "\ud800"},
        {"no": "keys"},
        lone,
        json_receipt(sent_message, "REGISTERED"),
    ]
    counts = receipts_ingest(items, via="poll")
    assert counts["applied"] >= 1
    sent_message.refresh_from_db()
    assert sent_message.status == MessageStatus.COMPLETED
    assert Receipt.objects.filter(receipt_id="R-deep", disposition="unparseable").exists()
    assert Receipt.objects.filter(receipt_id__startswith="invalid-", flagged=True).exists()
    again = receipts_ingest([{"no": "keys"}], via="poll")
    assert again["duplicates"] == 1, "the same malformed item is stored once"


def test_a_summary_result_resent_under_a_new_id_is_not_applied_twice(enterprise):
    [message] = enqueue(
        enterprise,
        message_type="CEB701Message",
        payload={"element": "SummaryApply", "parts": [{"element": "SummaryApplyHead", "fields": []}]},
    )
    seen = []
    register_handlers("CEB701Message", on_receipt=lambda m, r: seen.append(r.data["entryId"]))
    for rid in ("S1", "S1-again"):
        raw = SUMMARY.format(rid=rid, guid=message.message_id, entry="290120260000000001", seq=1)
        receipts_ingest(
            [
                {
                    "receipt_id": rid,
                    "department": "customs",
                    "receipt_type": "CEB792Message",
                    "content_type": "application/xml",
                    "raw": raw,
                }
            ],
            via="callback",
        )
    assert seen == ["290120260000000001"]
    assert Receipt.objects.get(receipt_id="S1-again").disposition == "stale"


CEB604 = """<?xml version="1.0" encoding="UTF-8"?>
<ceb:CEB604Message guid="{rid}" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb">
  <ceb:InventoryReturn>
    <ceb:guid>{guid}</ceb:guid><ceb:customsCode>2901</ceb:customsCode><ceb:ebpCode>3301960001</ceb:ebpCode>
    <ceb:ebcCode>3301960001</ceb:ebcCode><ceb:agentCode>3301960001</ceb:agentCode><ceb:copNo>C1</ceb:copNo>
    <ceb:preNo>B20261127000000001</ceb:preNo><ceb:invtNo>29012026E000000001</ceb:invtNo>
    <ceb:returnStatus>{status}</ceb:returnStatus><ceb:returnTime>20261127100000123</ceb:returnTime>
    <ceb:returnInfo>{info}</ceb:returnInfo>
  </ceb:InventoryReturn>
</ceb:CEB604Message>"""


def _ceb_item(message, status, info="", rid="R-1"):
    return {
        "receipt_id": rid,
        "department": "customs",
        "receipt_type": "CEB604Message",
        "content_type": "application/xml",
        "node_guid": message.message_id,
        "raw": CEB604.format(rid=rid, guid=message.message_id, status=status, info=info),
    }


@pytest.fixture
def list_message(enterprise):
    from tests.exchange.helpers import ORDER_PAYLOAD

    [message] = enqueue(enterprise, message_type="CEB603Message", payload=ORDER_PAYLOAD)
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENT)
    message.refresh_from_db()
    return message


def test_ceb_list_receipts_run_to_899(list_message):
    for n, status in enumerate(["2", "120", "399", "800", "899"]):
        receipts_ingest([_ceb_item(list_message, status, rid=f"R-{n}")], via="callback")
        list_message.refresh_from_db()
    assert list_message.status == MessageStatus.COMPLETED
    assert Receipt.objects.get(status_code="2").data["invtNo"] == "29012026E000000001"
    assert Receipt.objects.get(status_code="899").produced_at is not None


def test_ceb_out_of_order_receipts_end_at_the_highest(list_message):
    for n, status in enumerate(["800", "2", "899", "120"]):
        receipts_ingest([_ceb_item(list_message, status, rid=f"R-{n}")], via="callback")
    list_message.refresh_from_db()
    assert list_message.status == MessageStatus.COMPLETED and list_message.receipt_status == "899"
    assert set(Receipt.objects.filter(disposition="stale").values_list("status_code", flat=True)) == {
        "2",
        "120",
    }


def test_ceb_rejection_and_duplicate_codes_are_final_errors(list_message):
    receipts_ingest([_ceb_item(list_message, "-304001", "重复申报")], via="callback")
    list_message.refresh_from_db()
    assert list_message.status == MessageStatus.FAILED and list_message.receipt_status == "-304001"


def test_ceb_receipt_with_a_doctype_is_refused_as_unreadable(list_message):
    item = _ceb_item(list_message, "2")
    item["raw"] = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        + item["raw"].split("?>", 1)[1]
    )
    receipts_ingest([item], via="callback")
    receipt = Receipt.objects.get()
    assert receipt.disposition == ReceiptDisposition.UNPARSEABLE
    assert "root:" not in receipt.info


SUMMARY = """<ceb:CEB792Message guid="{rid}" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb">
<ceb:SummaryResult><ceb:SummaryResultHead><ceb:guid>{guid}</ceb:guid><ceb:entryId>{entry}</ceb:entryId>
<ceb:msgCount>2</ceb:msgCount><ceb:msgSeqNo>{seq}</ceb:msgSeqNo></ceb:SummaryResultHead>
<ceb:SummaryResultList><ceb:invtNo>29012026E000000001</ceb:invtNo><ceb:gnum>1</ceb:gnum></ceb:SummaryResultList>
</ceb:SummaryResult></ceb:CEB792Message>"""


def test_each_summary_result_applies_and_the_last_completes(enterprise):
    [message] = enqueue(
        enterprise,
        message_type="CEB701Message",
        payload={"element": "SummaryApply", "parts": [{"element": "SummaryApplyHead", "fields": []}]},
    )
    seen = []
    register_handlers("CEB701Message", on_receipt=lambda m, r: seen.append(r.data["entryId"]))
    try:
        for seq, entry in ((1, "290120260000000001"), (2, "290120260000000002")):
            raw = SUMMARY.format(rid=f"S{seq}", guid=message.message_id, entry=entry, seq=seq)
            receipts_ingest(
                [
                    {
                        "receipt_id": f"S{seq}",
                        "department": "customs",
                        "receipt_type": "CEB792Message",
                        "content_type": "application/xml",
                        "raw": raw,
                    }
                ],
                via="callback",
            )
            message.refresh_from_db()
            assert message.status == (MessageStatus.ACKNOWLEDGED if seq == 1 else MessageStatus.COMPLETED)
    finally:
        register_handlers("CEB701Message")
    assert seen == ["290120260000000001", "290120260000000002"]
    assert Receipt.objects.get(receipt_id="S1").data["items"][0]["invtNo"] == "29012026E000000001"


def test_a_receipt_from_another_department_is_kept_flagged_and_not_applied(sent_message, json_receipt, calls):
    """The message went to customs; a receipt for its node from the tax bureau changes nothing."""
    item = {**json_receipt(sent_message, "REGISTERED"), "department": "tax"}
    counts = receipts_ingest([item], via="callback")
    assert (counts["applied"], counts["flagged"]) == (0, 1)
    receipt = Receipt.objects.get()
    assert receipt.disposition == ReceiptDisposition.UNMATCHED and receipt.flagged
    assert receipt.message is None
    assert "tax" in receipt.info and "customs" in receipt.info
    sent_message.refresh_from_db()
    assert sent_message.status == MessageStatus.SENT
    assert calls == []


def test_a_receipt_claiming_another_department_than_its_channel_is_not_applied(sent_message, json_receipt):
    """A callback or feed of the tax bureau cannot carry a customs receipt, whatever the item says."""
    counts = receipts_ingest([json_receipt(sent_message, "REGISTERED")], via="poll", department="tax")
    assert (counts["applied"], counts["flagged"]) == (0, 1)
    assert Receipt.objects.get().disposition == ReceiptDisposition.UNMATCHED
    sent_message.refresh_from_db()
    assert sent_message.status == MessageStatus.SENT


def test_a_receipt_of_the_right_department_on_its_channel_is_applied(sent_message, json_receipt):
    counts = receipts_ingest([json_receipt(sent_message, "ACCEPTED")], via="poll", department="customs")
    assert counts["applied"] == 1
