"""Export declarations for forex, tax refund and statistics (``customs.selectors.declarations``), and the
electronic declaration data pushed to the tax bureau (DOMAIN §3.11)."""

from datetime import date
from decimal import Decimal

import pytest

from customs.choices import DocStatus
from customs.models import ExportDeclaration
from customs.selectors import certificate_of, declaration_totals, declarations_of, item_totals
from customs.services.declarations import declaration_record
from customs.services.summaries import summary_preview, summary_submit
from exchange.models import Message
from exchange.services import receipts_ingest
from tests.customs.parties import enterprise
from tests.customs.summary_kit import closed_list, row
from tests.customs.test_summary_api import declared
from tests.registration.builders import receipt_item

pytestmark = pytest.mark.django_db


def test_selectors_by_enterprise_and_period(seller_user, clock):
    clock("2025-03-05 10:00")
    first = declared(seller_user)
    clock("2025-04-05 10:00")
    second = declared(seller_user)
    seller = seller_user.organisation
    assert list(declarations_of(seller, start=date(2025, 3, 1), end=date(2025, 3, 31))) == [first]
    assert list(declarations_of(seller)) == [first, second]
    assert certificate_of(first.entry_id) == first
    assert certificate_of(first.entry_id, owner=enterprise("3301960006")) is None
    (march,) = declaration_totals(start=date(2025, 3, 1), end=date(2025, 3, 31), by="country")
    assert march["declarations"] == 1 and march["value"] == first.total_value
    by_code = {r["gcode"]: r for r in item_totals()}
    assert by_code["6109100010"]["declarations"] == 2 and by_code["6109100010"]["value"] == Decimal("20.00")


def test_no_certificate_until_every_list_has_left(seller, seller_user):
    listed = closed_list(seller)
    summary = summary_submit(
        summary=summary_preview(consignor=seller, month="2025-02", by=seller_user, today=date(2025, 3, 3)),
        by=seller_user,
    )
    type(listed).objects.filter(pk=listed.pk).update(status=DocStatus.RELEASED)  # as if not departed yet
    declaration = declaration_record(
        summary=summary, result={"entryId": "290120250000000099", "items": [{"invtNo": listed.invt_no}]}
    )
    assert declaration.certificate_issued_at is None and certificate_of(declaration.entry_id) is None
    assert not Message.objects.filter(message_type="tax.declaration_data").exists()
    assert list(declarations_of(seller, certified_only=True)) == []


def test_the_tax_bureau_receives_the_declaration_data(seller_user, clock):
    clock("2025-03-05 10:00")
    declaration = declared(seller_user)
    message = Message.objects.get(message_type="tax.declaration_data")
    assert message.department == "tax" and message.subject == declaration
    payload = message.payload
    assert payload["entry_id"] == declaration.entry_id and payload["uscc"] == seller_user.organisation.code
    assert [i["gcode"] for i in payload["items"]] == ["6109100010", "9503008900"]
    assert payload["export_date"] == declaration.exported_on.isoformat()
    receipts_ingest([receipt_item(message, "COMPLETED", {"entry_id": declaration.entry_id})], via="callback")
    declaration.refresh_from_db()
    assert declaration.pushed_to_tax_at is not None


def test_items_sum_legal_quantities_and_keep_second_units(seller, seller_user):
    first = closed_list(seller, row(qty1="2", total="20.00", qty2="0.5", unit2="035"))
    second = closed_list(seller, row(qty1="3", total="30.00", qty2="0.7", unit2="035"))
    summary = summary_submit(
        summary=summary_preview(consignor=seller, month="2025-02", by=seller_user, today=date(2025, 3, 3)),
        by=seller_user,
    )
    declaration = declaration_record(
        summary=summary,
        result={
            "entryId": "290120250000000098",
            "items": [{"invtNo": first.invt_no}, {"invtNo": second.invt_no}],
        },
    )
    (item,) = declaration.items.all()
    assert (item.qty1, item.qty2, item.unit2, item.total_price) == (
        5,
        Decimal("1.2"),
        "035",
        Decimal("50.00"),
    )
    assert ExportDeclaration.objects.get().lists.count() == 2
