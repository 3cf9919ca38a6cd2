"""CEB303 orders, CEB403 payment receipts, CEB505 waybills and CEB605 list cancellations."""

from collections.abc import Iterable
from datetime import datetime

from customs.payloads.base import (
    OPT,
    REQ,
    common,
    compile_rows,
    fields_of,
    integer,
    money,
    node,
    number,
    stamp,
    text,
)

ORDER_HEAD = compile_rows(
    (
        ("orderType", lambda o: getattr(o, "order_type", "") or "E", text, REQ),
        ("orderNo", "order_no", text, REQ),
        ("ebpCode", "ebp_code", text, REQ),
        ("ebpName", "ebp_name", text, REQ),
        ("ebcCode", "ebc_code", text, REQ),
        ("ebcName", "ebc_name", text, REQ),
        ("goodsValue", "goods_value", money, REQ),
        ("freight", lambda o: o.freight or 0, money, REQ),
        ("currency", "currency", text, REQ),
        ("note", "note", text, OPT),
    )
)
ORDER_LINE = compile_rows(
    (
        ("gnum", "gnum", integer, REQ),
        ("itemNo", "item_no", text, REQ),
        ("itemName", "item_name", text, REQ),
        ("itemDescribe", "item_describe", text, OPT),
        ("barCode", "bar_code", text, OPT),
        ("unit", "unit", text, REQ),
        ("currency", "currency", text, REQ),
        ("qty", "qty", number, REQ),
        ("price", "price", number, REQ),
        ("totalPrice", "total_price", money, REQ),
        ("note", "note", text, OPT),
    )
)


def order_payload(order, items: Iterable, *, at: datetime | None = None) -> dict:
    """CEB303 ``Order``: ``OrderHead`` and one ``OrderList`` per line."""
    head = common(order, at) + fields_of(order, ORDER_HEAD)
    return node("Order", "OrderHead", head, "OrderList", (fields_of(i, ORDER_LINE) for i in items))


PAYMENT = compile_rows(
    (
        ("ebpCode", "ebp_code", text, REQ),
        ("ebpName", "ebp_name", text, REQ),
        ("ebcCode", "ebc_code", text, REQ),
        ("ebcName", "ebc_name", text, REQ),
        ("orderNo", "order_no", text, REQ),
        ("payCode", "pay_code", text, OPT),
        ("payName", "pay_name", text, REQ),
        ("payNo", "pay_no", text, OPT),
        ("charge", "charge", money, REQ),
        ("currency", "currency", text, REQ),
        ("accountingDate", "accounting_date", stamp, REQ),
        ("note", "note", text, OPT),
    )
)


def payment_payload(payment, *, at: datetime | None = None) -> dict:
    """CEB403 ``Receipts`` (收款单)."""
    return {"element": "Receipts", "fields": common(payment, at) + fields_of(payment, PAYMENT)}


WAYBILL = compile_rows(
    (
        ("logisticsCode", "logistics_code", text, REQ),
        ("logisticsName", "logistics_name", text, REQ),
        ("logisticsNo", "logistics_no", text, REQ),
        ("freight", lambda w: w.freight or 0, money, REQ),
        ("insuredFee", lambda w: w.insured_fee or 0, money, REQ),
        ("currency", "currency", text, REQ),
        ("grossWeight", "gross_weight", number, REQ),
        ("packNo", "pack_no", integer, OPT),
        ("goodsInfo", "goods_info", text, REQ),
        ("ebcCode", "ebc_code", text, OPT),
        ("ebcName", "ebc_name", text, OPT),
        ("ebcTelephone", "ebc_telephone", text, OPT),
        ("note", "note", text, OPT),
    )
)


def waybill_payload(waybill, *, at: datetime | None = None) -> dict:
    """CEB505 ``Logistics`` (运单)."""
    return {"element": "Logistics", "fields": common(waybill, at) + fields_of(waybill, WAYBILL)}


CANCELLATION = compile_rows(
    (
        ("customsCode", lambda c: c.inventory.customs_code, text, REQ),
        ("copNo", "cop_no", text, REQ),
        ("preNo", lambda c: c.inventory.pre_no, text, OPT),
        ("invtNo", lambda c: c.inventory.invt_no, text, REQ),
        ("reason", "reason", text, REQ),
        ("agentCode", lambda c: c.inventory.agent_code, text, REQ),
        ("agentName", lambda c: c.inventory.agent_name, text, REQ),
        ("ebcCode", lambda c: c.inventory.ebc_code, text, REQ),
        ("ebcName", lambda c: c.inventory.ebc_name, text, REQ),
        ("note", "note", text, OPT),
    )
)


def cancellation_payload(cancellation, *, at: datetime | None = None) -> dict:
    """CEB605 ``InvtCancel`` (撤销申请单) of ``cancellation.inventory``."""
    return {
        "element": "InvtCancel",
        "fields": common(cancellation, at) + fields_of(cancellation, CANCELLATION),
    }
