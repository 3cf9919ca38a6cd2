"""The CEB builders against govmock's own parser and field specs (the portal never imports govmock; its
tests may): every node the portal sends parses, passes the format checks customs answers CEB900 for, and
lists its fields in the order of DOMAIN §3.5."""

import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from customs import payloads, services
from customs.choices import DocStatus
from customs.models import InventoryList, SummaryDeclaration
from exchange.models import Message
from exchange.payloads import ceb_body
from govmock.ceb.spec import SPECS
from govmock.ceb.validate import inventory_rule_failure, node_problems
from govmock.envelope.cebxml import parse_ceb
from tests.customs.builders import item, list_head, order_head, order_item, payment_data, waybill_data
from tests.customs.parties import user_of

pytestmark = pytest.mark.django_db


def through_govmock(message_type: str, payload: dict, sender) -> dict:
    message = SimpleNamespace(payload=payload, message_id=str(uuid.uuid4()).upper())
    body = ceb_body(
        envelope_id=str(uuid.uuid4()).upper(),
        message_type=message_type,
        messages=[message],
        sender=sender,
        dxp_id="DXPENT0000000001",
    )
    (node,) = parse_ceb(body, message_type).nodes
    spec = SPECS[message_type]
    assert node_problems(spec, node) == []
    order = [f.name for f in spec.head_fields]
    sent = [name for name in node["head"] if name != "guid"]
    assert sent == sorted(sent, key=order.index), "fields out of DOMAIN §3.5 order"
    for row in node["rows"]:
        row_order = [f.name for f in spec.row_fields]
        assert list(row) == sorted(row, key=row_order.index)
    return node


def sent_payload(doc):
    return Message.objects.get(pk=doc.message_id).payload


def test_inventory_list(seller_user):
    goods = [item(), item(item_no="SKU-2", item_name="", qty2="", unit2="", gcode="7019710010", unit="035",
                      unit1="035", qty1="2")]  # fmt: skip
    inventory = services.list_create(
        owner=seller_user.organisation, by=seller_user, head=list_head(note="备注"), items=goods, submit=True
    )
    node = through_govmock("CEB603Message", sent_payload(inventory), seller_user.organisation)
    assert inventory_rule_failure(node["head"], node["rows"]) is None
    assert node["head"]["ieDate"] == "20250303" and node["head"]["grossWeight"] == "1.2"
    assert node["rows"][0]["totalPrice"] == "60.00" and "qty2" not in node["rows"][1]


def test_order_payment_waybill(seller_user, logistics, platform):
    seller = seller_user.organisation
    order = services.order_create(
        owner=seller, by=seller_user, head=order_head(), items=[order_item()], submit=True
    )
    through_govmock("CEB303Message", sent_payload(order), seller)
    payment = services.payment_create(owner=seller, by=seller_user, data=payment_data(), submit=True)
    through_govmock("CEB403Message", sent_payload(payment), seller)
    waybill = services.waybill_create(
        owner=logistics, by=user_of(logistics), data=waybill_data(), submit=True
    )
    through_govmock("CEB505Message", sent_payload(waybill), logistics)


@pytest.mark.parametrize(
    ("kind", "message_type"),
    [("ARRIVAL", "CEB507Message"), ("DEPARTURE", "CEB509Message"), ("MASTER_BILL", "CEB607Message")],
)
def test_parcel_reports(logistics, seller_user, kind, message_type):
    services.list_create(
        owner=seller_user.organisation, by=seller_user, head=list_head(), items=[item()], submit=True
    )
    InventoryList.objects.update(status=DocStatus.DECLARED)
    head = {"cop_no": "R1", "customs_code": "2901", "traf_mode": "5", "traf_name": "CA1", "voyage_no": "CA1",
            "bill_no": "999-1", "gross_weight": "10", "domestic_traf_no": "浙A1",
            "leave_time": "2025-03-05 10:00:00"}  # fmt: skip
    report = services.parcel_report_create(
        owner=logistics,
        by=user_of(logistics),
        kind=kind,
        head=head,
        lines=[{"logistics_no": "WB0001"}],
        submit=True,
    )
    node = through_govmock(message_type, sent_payload(report), logistics)
    assert node["rows"][0]["logisticsNo"] == "WB0001"


def test_cancellation(seller_user):
    inventory = services.list_create(
        owner=seller_user.organisation, by=seller_user, head=list_head(), items=[item()], submit=True
    )
    InventoryList.objects.filter(pk=inventory.pk).update(
        status=DocStatus.CONCLUDED, invt_no="29012025E000000001", pre_no="B20250303000000001"
    )
    cancellation = services.list_cancel(inventory=inventory, by=seller_user, reason="买家取消")
    node = through_govmock("CEB605Message", sent_payload(cancellation), seller_user.organisation)
    assert node["head"]["invtNo"] == "29012025E000000001" and node["head"]["preNo"] == "B20250303000000001"


def test_summary_application(enterprise):
    summary = SummaryDeclaration(
        owner=enterprise, filer=enterprise, period=date(2025, 2, 1), cop_no="SUM-1", customs_code="2901",
        summary_flag="2", item_name_flag=True, decl_agent_code="3301980004", decl_agent_name="报关行",
        deadline=date(2025, 3, 17),
    )  # fmt: skip
    payload = payloads.summary_payload(
        summary,
        ["29012025E000000001", "29012025E000000002"],
        agent_code="3301960001",
        agent_name="卖家",
        ebc_code="3301960001",
        ebc_name="卖家",
    )
    node = through_govmock("CEB701Message", payload, enterprise)
    assert [r["invtNo"] for r in node["rows"]] == ["29012025E000000001", "29012025E000000002"]


def test_money_and_numbers_are_written_plainly():
    assert payloads.money("60") == "60.00" and payloads.money("0.005") == "0.01"
    assert payloads.number("1E+2") == "100" and payloads.number("1.50000") == "1.5"


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"note": 'a "quoted" note\\ 备注\n\u2028', "freight": None, "insured_fee": Decimal("1.5")},
        {"pre_no": "P1", "invt_no": "29012025E000000001", "iac_code": "", "ems_no": None, "pack_no": 3},
    ],
)
def test_inventory_payload_text_is_the_payload_as_json(changes):
    """The bulk path writes CEB603 payloads as text from its cleaned dicts: byte for byte the JSON of
    ``inventory_payload`` of the same list."""
    from customs.validation import clean_list

    goods = [item(), item(item_no="SKU-2", bar_code="", qty2="", unit2="", note="行\t2")]
    checked = clean_list(list_head(), goods)
    head = {**checked.head, **changes}
    at = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
    obj = SimpleNamespace(**{"pre_no": "", "invt_no": "", **head}, app_type="1", submitted_at=at)
    built = payloads.inventory_payload(obj, [SimpleNamespace(**line) for line in checked.items], at=at)
    text = payloads.inventory_payload_text(head, checked.items, at=at)
    assert text == json.dumps(built, ensure_ascii=False, cls=DjangoJSONEncoder)
    assert json.loads(text) == built
