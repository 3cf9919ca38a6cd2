"""JSON departments (protocol §4): each flow, its identifiers, and its refusals."""

from __future__ import annotations

import re

import pytest

from tests.govmock.harness import wait_for

YIWU = "91330782MA28F3K135"  # DOMAIN §2.1 example 2
XIHU = "92330106L2Q7N8R46K"  # DOMAIN §2.1 example 3 (个体工商户)
FUJIAN = "91350100M000100Y43"  # valid USCC, registered in Fuzhou (not Zhejiang)
BAD_CHECK = "91330782MA28F3K130"  # wrong check character


def answer(gm, who, department, message_type, node, expected):
    """Send one node; wait for exactly the ``expected`` statuses; return the receipt documents."""
    response = gm.send_json(who, department, message_type, [node])
    assert response.status_code == 202, response.text
    return gm.wait_statuses(response.json()["node_guids"][0], expected, department)


FT = {
    "filing_no": "ZJKJ2026112700000001",
    "uscc": YIWU,
    "name_cn": "义乌某某电子商务有限公司",
    "name_en": "Yiwu Example E-commerce Co., Ltd.",
    "entity_type": "APPLICATION",
    "subtype": "ENTERPRISE",
    "division_code": "330782",
    "address": "义乌市福田街道",
    "legal_rep_name": "张三",
    "contact_phone": "0579-8888",
}


def test_ft_operator_is_registered_with_a_stable_record_no(gm, seller):
    accepted, registered = answer(
        gm, seller, "commerce", "commerce.ft_operator", FT, ["ACCEPTED", "REGISTERED"]
    )
    assert re.fullmatch(r"33\d{6}", registered["data"]["record_no"])
    assert registered["business_key"] == "TEST:0"
    assert registered["message_type"] == "commerce.ft_operator"
    assert accepted["guid"] == registered["guid"]
    again = answer(gm, seller, "commerce", "commerce.ft_operator", FT, ["ACCEPTED", "REGISTERED"])[1]
    assert again["data"] == registered["data"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"uscc": BAD_CHECK}, "check character"),
        ({"uscc": FUJIAN, "division_code": "350100"}, "Zhejiang"),
        ({"subtype": "NATURAL_PERSON"}, "natural persons"),
    ],
)
def test_ft_operator_refusals(gm, seller, change, reason):
    refused = answer(
        gm, seller, "commerce", "commerce.ft_operator", {**FT, **change}, ["ACCEPTED", "REJECTED"]
    )[1]
    assert reason in refused["info"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"uscc": None}, "uscc"),
        ({"business_key": ""}, "business_key"),
        ({"entity_type": "SHOP"}, "entity_type"),
        ({"division_code": "33078"}, "division_code"),
        ({"uscc": "91330782MI28F3K135"}, "uscc"),
    ],
)
def test_schema_errors_name_the_field(gm, seller, change, field):
    node = {k: v for k, v in {**FT, **change}.items() if v is not None}
    [error] = answer(gm, seller, "commerce", "commerce.ft_operator", node, ["SCHEMA_ERROR"])
    assert f"{field}:" in error["info"]


def test_filing_status_is_completed(gm, seller):
    node = {"filing_no": "ZJKJ2026112700000001", "uscc": YIWU, "status": "ACTIVE"}
    [done] = answer(gm, seller, "commerce", "commerce.filing_status", node, ["COMPLETED"])
    assert done["data"] == {"filing_no": "ZJKJ2026112700000001", "uscc": YIWU, "status": "ACTIVE"}


REG = {"uscc": YIWU, "name_cn": "义乌某某电子商务有限公司", "division_code": "330782", "role": "CONSIGNOR"}


def customs_code(gm, who, **change):
    return answer(gm, who, "customs", "customs.registration", {**REG, **change}, ["ACCEPTED", "REGISTERED"])[
        1
    ]["data"]["customs_code"]


def test_customs_registration_codes(gm, seller):
    consignor = customs_code(gm, seller)
    assert re.fullmatch(r"3307 9 6 [0-9A-Z]{4}".replace(" ", ""), consignor)
    assert customs_code(gm, seller) == consignor  # stable per enterprise and role
    broker = customs_code(gm, seller, role="BROKER", economic_type="6")
    assert broker[:6] == "330798"  # brokers are economic type 8 whatever they say
    individual = customs_code(gm, seller, uscc=XIHU, division_code="330106", economic_type="7")
    assert individual[:6] == "330197"
    other = customs_code(gm, seller, uscc="91330100799655058B", division_code="330100")
    assert other[:6] == "330196"
    assert len({consignor, broker, individual, other}) == 4


def test_customs_registration_refusals(gm, seller):
    for change, reason in (
        ({"uscc": BAD_CHECK}, "check character"),
        ({"division_code": "350100"}, "Zhejiang"),
    ):
        steps = answer(
            gm, seller, "customs", "customs.registration", {**REG, **change}, ["ACCEPTED", "REJECTED"]
        )
        assert reason in steps[1]["info"]


def test_eport_card(gm, seller):
    [card] = answer(
        gm, seller, "customs", "eport.card", {"uscc": YIWU, "name_cn": "义乌某某"}, ["REGISTERED"]
    )
    assert re.fullmatch(r"DXPENT\d{10}", card["data"]["dxp_id"])
    [bad] = answer(
        gm,
        seller,
        "customs",
        "eport.card",
        {"uscc": YIWU, "name_cn": "x", "customs_code": "12"},
        ["SCHEMA_ERROR"],
    )
    assert "customs_code" in bad["info"]


CIQ = {
    "uscc": YIWU,
    "org_code": "MA28F3K13",
    "name_cn": "义乌某某",
    "division_code": "330782",
    "role": "SELLER",
    "contact_name": "李四",
    "contact_phone": "0579-1234",
}
PRODUCT = {
    "product_id": "P-1",
    "uscc": YIWU,
    "hs_code": "6109100010",
    "item_no": "SKU-TSHIRT",
    "name_cn": "T恤",
}


def test_ciq_filings(gm, seller):
    no_seller = answer(gm, seller, "ciq", "ciq.product_filing", PRODUCT, ["ACCEPTED", "REJECTED"])[1]
    assert "no CIQ enterprise filing" in no_seller["info"]
    filed = answer(gm, seller, "ciq", "ciq.enterprise_filing", CIQ, ["ACCEPTED", "REGISTERED"])[1]
    assert re.fullmatch(r"33\d{8}", filed["data"]["ciq_code"])
    product = answer(gm, seller, "ciq", "ciq.product_filing", PRODUCT, ["ACCEPTED", "REGISTERED"])[1]
    assert re.fullmatch(r"P33\d{12}", product["data"]["product_filing_no"])
    chapter = answer(
        gm,
        seller,
        "ciq",
        "ciq.product_filing",
        {**PRODUCT, "hs_code": "7701000000"},
        ["ACCEPTED", "REJECTED"],
    )[1]
    assert "chapter 77" in chapter["info"]
    mismatch = answer(
        gm,
        seller,
        "ciq",
        "ciq.enterprise_filing",
        {**CIQ, "org_code": "12345678-8"},
        ["ACCEPTED", "REJECTED"],
    )[1]
    assert "org_code" in mismatch["info"]


@pytest.mark.parametrize(
    ("score", "quarantine", "decision", "rate"),
    [
        (9, False, "RELEASE", "0"),
        (39, False, "RELEASE", "0"),
        (20, True, "DOC_CHECK", "0.00"),
        (40, False, "DOC_CHECK", "0.00"),
        (62, False, "DOC_CHECK", "0.22"),
        (69, True, "DOC_CHECK", "0.29"),
        (70, False, "INSPECT", "0"),
        (83, False, "INSPECT", "0"),
    ],
)
def test_inspection_decision_follows_the_risk_score(gm, seller, score, quarantine, decision, rate):
    node = {
        "invt_no": "29012025E000000001",
        "uscc": YIWU,
        "risk_score": score,
        "quarantine": quarantine,
        "items": [{"gcode": "6109100010"}],
    }
    _, decided, completed = answer(
        gm, seller, "ciq", "ciq.inspection", node, ["ACCEPTED", "DECIDED", "COMPLETED"]
    )
    assert decided["data"]["decision"] == decision
    assert decided["data"]["sample_rate"] == rate
    assert completed["data"] == {"result": "PASS"}


def test_inspection_fails_when_the_department_rejects(make_govmock, seller):
    gm = make_govmock(
        GOVMOCK_FAULTS='{"*": {"service_time_ms": 0, "receipt_interval_ms": 0, "reject_rate": 1}}'
    )
    node = {
        "invt_no": "29012025E000000001",
        "uscc": YIWU,
        "risk_score": 10,
        "quarantine": False,
        "items": [{"gcode": "6109100010"}],
    }
    completed = answer(gm, seller, "ciq", "ciq.inspection", node, ["ACCEPTED", "DECIDED", "COMPLETED"])[2]
    assert completed["data"] == {"result": "FAIL"}


DIRECTORY = {"uscc": YIWU, "name_cn": "义乌某某", "division_code": "330782", "entity_type": "APPLICATION"}


def test_safe_directory_classes(make_govmock, seller):
    gm = make_govmock(GOVMOCK_FX_CLASS_B=XIHU, GOVMOCK_FX_CLASS_C="91330100799655058B")
    classes = {}
    for uscc, division in ((YIWU, "330782"), (XIHU, "330106"), ("91330100799655058B", "330100")):
        node = {**DIRECTORY, "uscc": uscc, "division_code": division}
        registered = answer(gm, seller, "safe", "safe.directory", node, ["ACCEPTED", "REGISTERED"])[1]
        assert re.fullmatch(r"33\d{10}", registered["data"]["directory_no"])
        classes[uscc] = registered["data"]["fx_class"]
    assert classes == {YIWU: "A", XIHU: "B", "91330100799655058B": "C"}
    refused = answer(
        gm, seller, "safe", "safe.directory", {**DIRECTORY, "uscc": BAD_CHECK}, ["ACCEPTED", "REJECTED"]
    )
    assert "check character" in refused[1]["info"]


TAX_FILING = {"uscc": YIWU, "name_cn": "义乌某某", "is_vat_general_taxpayer": True, "division_code": "330782"}
REFUND = {"uscc": YIWU, "amount": "13000.00", "entry_id": "290120250000000001", "invoice_nos": ["33001234"]}


def test_tax_refund_flow(gm, seller):
    early = answer(gm, seller, "tax", "tax.refund", REFUND, ["ACCEPTED", "REJECTED"])[1]
    assert "no export refund filing" in early["info"]
    small = answer(
        gm,
        seller,
        "tax",
        "tax.refund_filing",
        {**TAX_FILING, "is_vat_general_taxpayer": False},
        ["ACCEPTED", "REJECTED"],
    )[1]
    assert "general taxpayer" in small["info"]
    filing = answer(gm, seller, "tax", "tax.refund_filing", TAX_FILING, ["ACCEPTED", "REGISTERED"])[1]
    assert re.fullmatch(r"33\d{12}", filing["data"]["tax_filing_no"])
    _, approved, paid = answer(gm, seller, "tax", "tax.refund", REFUND, ["ACCEPTED", "APPROVED", "PAID"])
    assert approved["data"] == paid["data"] == {"amount": "13000.00"}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"entry_id": None}, "entry_id is missing"),
        ({"entry_id": "2901"}, "18 digits"),
        ({"invoice_nos": []}, "invoice_nos"),
        ({"invoice_nos": None, "entry_id": None}, "entry_id is missing"),
    ],
)
def test_tax_refund_returned_for_correction(gm, seller, change, reason):
    answer(gm, seller, "tax", "tax.refund_filing", TAX_FILING, ["ACCEPTED", "REGISTERED"])
    node = {k: v for k, v in {**REFUND, **change}.items() if v is not None}
    returned = answer(gm, seller, "tax", "tax.refund", node, ["ACCEPTED", "RETURNED"])[1]
    assert reason in returned["info"]
    assert returned["data"]["reason"] == returned["info"]


def test_zone_record(gm, seller):
    node = {
        "uscc": YIWU,
        "invt_no": "29012025E000000001",
        "export_date": "2025-02-20",
        "goods_name": "T恤",
        "unit": "件",
        "qty": "2",
        "unit_price": "60",
        "amount": "120",
        "currency": "CNY",
    }
    [done] = answer(gm, seller, "tax", "tax.zone_record", node, ["COMPLETED"])
    assert done["data"] == {"invt_no": "29012025E000000001"}
    [bad] = answer(
        gm, seller, "tax", "tax.zone_record", {**node, "export_date": "20250220"}, ["SCHEMA_ERROR"]
    )
    assert "export_date" in bad["info"]


def test_json_receipt_wrapper(gm, seller):
    response = gm.send_json(
        seller, "commerce", "commerce.filing_status", [{"filing_no": "F1", "uscc": YIWU, "status": "ACTIVE"}]
    )
    guid = response.json()["node_guids"][0]
    [item] = wait_for(lambda: [r for r in gm.receipts("commerce") if r["node_guid"] == guid])
    assert item["receipt_type"] == "commerce.filing_status.receipt"
    assert item["content_type"] == "application/json"
    assert item["message_id"] == response.json()["message_id"]
    assert item["department"] == "commerce"


def test_declaration_data(gm, seller):
    node = {
        "uscc": YIWU,
        "entry_id": "290120250000000011",
        "customs_code": "2901",
        "export_date": "2025-02-20",
        "items": [{"gnum": 1, "gcode": "6109100010", "qty1": "2", "unit1": "011", "total_price": "120.00"}],
    }
    [done] = answer(gm, seller, "tax", "tax.declaration_data", node, ["COMPLETED"])
    assert done["data"] == {"entry_id": "290120250000000011"}
    [bad] = answer(gm, seller, "tax", "tax.declaration_data", {**node, "entry_id": "2901"}, ["SCHEMA_ERROR"])
    assert "entry_id" in bad["info"]
    [empty] = answer(gm, seller, "tax", "tax.declaration_data", {**node, "items": []}, ["SCHEMA_ERROR"])
    assert "items" in empty["info"]
