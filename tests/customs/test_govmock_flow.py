"""End to end in one process: the services write the outbox, the exchange batches, signs and posts to a real
govmock (tests/govmock/harness.py), polls its receipts, and the receipts drive the documents."""

import json
import time
from pathlib import Path

import pytest

from customs import services
from customs.choices import DocStatus
from customs.models import InventoryList
from exchange.models import Envelope, Message
from exchange.services import envelope_deliver, messages_flush, receipts_poll
from tests.customs.builders import item, list_head, order_head, order_item, payment_data, waybill_data
from tests.customs.parties import user_of
from tests.govmock.harness import SECRET, CallbackReceiver, Govmock

# govmock runs as a process on the real clock: at a shifted date (make test-dates) its CA is not valid.
pytestmark = [pytest.mark.django_db, pytest.mark.processes]
FAST = {"*": {"service_time_ms": 0, "receipt_interval_ms": 0}}


@pytest.fixture
def start_govmock(tmp_path, settings):
    from exchange.signing import certificate_authority

    certificate_authority()
    started = []

    def start(customs: dict | None = None) -> Govmock:
        callback = CallbackReceiver(SECRET)
        faults = {**FAST, "customs": customs or {}}
        gm = Govmock(
            tmp_path,
            Path(settings.EXCHANGE_KEY_DIR) / "ca.pem",
            callback,
            {"GOVMOCK_FAULTS": json.dumps(faults)},
        )
        settings.GOVMOCK_URL = gm.url
        settings.EXCHANGE_CALLBACK_SECRET = SECRET
        started.append((gm, callback))
        return gm

    yield start
    for gm, callback in started:
        gm.stop()
        gm.http.close()
        callback.close()


def pump(until, timeout: float = 30):
    """Flush, deliver and poll (the worker's and beat's jobs, run here) until ``until()`` holds."""
    deadline = time.monotonic() + timeout
    while True:
        for message_type, sender_id in (
            Message.objects.filter(status="pending", envelope__isnull=True)
            .values_list("message_type", "sender_id")
            .distinct()
        ):
            messages_flush(message_type=message_type, sender_id=sender_id)
        for envelope in Envelope.objects.filter(status="pending"):
            envelope_deliver(envelope.pk, envelope.department)
        receipts_poll(department="customs")
        if until():
            return
        if time.monotonic() > deadline:
            raise AssertionError(
                "condition not met; messages: "
                + repr(
                    list(
                        Message.objects.values_list(
                            "message_type", "status", "receipt_status", "receipt_info", "last_error"
                        )
                    )
                )
            )
        time.sleep(0.1)


def status_of(doc):
    doc.refresh_from_db()
    return doc.status


def documents(seller_user, logistics, **list_overrides):
    seller = seller_user.organisation
    order = services.order_create(
        owner=seller, by=seller_user, head=order_head(), items=[order_item()], submit=True
    )
    payment = services.payment_create(owner=seller, by=seller_user, data=payment_data(), submit=True)
    waybill = services.waybill_create(
        owner=logistics, by=user_of(logistics), data=waybill_data(), submit=True
    )
    inventory = services.list_create(
        owner=seller, by=seller_user, head=list_head(**list_overrides), items=[item()], submit=True
    )
    return order, payment, waybill, inventory


def report(logistics, kind, cop_no):
    head = {"cop_no": cop_no, "customs_code": "2901", "traf_mode": "5", "domestic_traf_no": "浙A12345",
            "leave_time": "2025-03-05 18:00:00"}  # fmt: skip
    return services.parcel_report_create(
        owner=logistics,
        by=user_of(logistics),
        kind=kind,
        head=head,
        lines=[{"logistics_no": "WB0001"}],
        submit=True,
    )


def test_a_list_goes_2_120_399_800_899(start_govmock, seller_user, logistics, platform, payer):
    start_govmock()
    order, payment, waybill, inventory = documents(seller_user, logistics)
    pump(lambda: status_of(inventory) == DocStatus.CONCLUDED and status_of(payment) == DocStatus.ENTERED)
    assert status_of(order) == DocStatus.ENTERED and status_of(waybill) == DocStatus.ENTERED
    assert inventory.invt_no.startswith("2901") and inventory.pre_no.startswith("B")
    arrival = report(logistics, "ARRIVAL", "ARR-1")
    pump(lambda: status_of(inventory) == DocStatus.RELEASED)
    assert inventory.released_at is not None and status_of(arrival) == DocStatus.ENTERED
    report(logistics, "DEPARTURE", "DEP-1")
    pump(lambda: status_of(inventory) == DocStatus.CLOSED)
    assert inventory.closed_at is not None and inventory.customs_status == "899"
    assert inventory.message.status == "completed"


def test_rejection_then_correct_and_resubmit(start_govmock, seller_user, logistics, platform, payer):
    gm = start_govmock({"reject_rate": 1})
    inventory = services.list_create(
        owner=seller_user.organisation, by=seller_user, head=list_head(), items=[item()], submit=True
    )
    pump(lambda: status_of(inventory) == DocStatus.REJECTED)
    assert inventory.customs_status == "100" and "rejected" in inventory.customs_info
    gm.admin("PUT", "/admin/faults/customs", {"reject_rate": 0})
    again = services.list_resubmit(inventory=inventory, by=seller_user, head={"gross_weight": "1.25"})
    assert dict(again.message.payload["parts"][0]["fields"])["appType"] == "2"
    pump(lambda: status_of(again) == DocStatus.DECLARED)
    documents_ready = [
        services.order_create(
            owner=seller_user.organisation,
            by=seller_user,
            head=order_head(),
            items=[order_item()],
            submit=True,
        ),
        services.waybill_create(owner=logistics, by=user_of(logistics), data=waybill_data(), submit=True),
    ]
    pump(lambda: status_of(again) == DocStatus.CONCLUDED)
    assert all(status_of(d) == DocStatus.ENTERED for d in documents_ready)


def test_a_format_error_is_a_rejection(start_govmock, seller_user):
    start_govmock({"schema_error_rate": 1})
    inventory = services.list_create(
        owner=seller_user.organisation, by=seller_user, head=list_head(), items=[item()], submit=True
    )
    pump(lambda: status_of(inventory) == DocStatus.REJECTED)
    assert inventory.customs_status == "-900"


def test_a_duplicate_declaration(start_govmock, seller_user):
    start_govmock()
    first = services.list_create(
        owner=seller_user.organisation, by=seller_user, head=list_head(), items=[item()], submit=True
    )
    pump(lambda: status_of(first) == DocStatus.DECLARED)
    InventoryList.objects.filter(pk=first.pk).update(status=DocStatus.REJECTED)  # as if refused meanwhile
    second = services.list_create(
        owner=seller_user.organisation,
        by=seller_user,
        head=list_head(cop_no="COP-2"),
        items=[item()],
        submit=True,
    )
    pump(lambda: status_of(second) == DocStatus.REJECTED)
    assert second.customs_status == "-304001"


def test_cancellation(start_govmock, seller_user, logistics, platform, payer):
    start_govmock()
    *_docs, inventory = documents(seller_user, logistics)
    pump(lambda: status_of(inventory) == DocStatus.CONCLUDED)
    cancellation = services.list_cancel(inventory=inventory, by=seller_user, reason="买家取消订单")
    pump(lambda: status_of(inventory) == DocStatus.CANCELLED)
    assert status_of(cancellation) == DocStatus.CONCLUDED


def test_review_and_inspection(start_govmock, seller_user, logistics, platform, payer):
    gm = start_govmock({"review_rate": 1, "inspection_rate": 1, "inspection_manual": True})
    *_docs, inventory = documents(seller_user, logistics)
    pump(lambda: status_of(inventory) == DocStatus.INSPECTION)
    report(logistics, "ARRIVAL", "ARR-1")
    pump(lambda: Message.objects.filter(message_type="CEB507Message", receipt_status="120").exists())
    assert status_of(inventory) == DocStatus.INSPECTION  # arrived, still held
    gm.admin("POST", "/admin/customs/inspections/release", {"invt_no": inventory.invt_no})
    pump(lambda: status_of(inventory) == DocStatus.RELEASED)
    steps = inventory.message.receipts.order_by("id").values_list("status_code", flat=True)
    assert list(steps) == ["2", "120", "300", "399", "500", "800"]
