"""CEB603 inventory lists (DOMAIN §3.5 ``InventoryHead`` / ``InventoryList``)."""

from collections.abc import Iterable
from datetime import datetime

from customs.payloads.base import (
    OPT,
    REQ,
    common,
    compile_rows,
    day,
    fields_of,
    integer,
    money,
    node,
    number,
    text,
)

INVENTORY_HEAD = compile_rows(
    (
        ("customsCode", "customs_code", text, REQ),
        ("ebpCode", "ebp_code", text, REQ),
        ("ebpName", "ebp_name", text, REQ),
        ("orderNo", "order_no", text, REQ),
        ("logisticsCode", "logistics_code", text, REQ),
        ("logisticsName", "logistics_name", text, REQ),
        ("logisticsNo", "logistics_no", text, REQ),
        ("copNo", "cop_no", text, REQ),
        ("preNo", "pre_no", text, OPT),
        ("invtNo", "invt_no", text, OPT),
        ("ieFlag", lambda _: "E", text, REQ),
        ("portCode", "port_code", text, REQ),
        ("ieDate", "ie_date", day, REQ),
        ("statisticsFlag", "statistics_flag", text, REQ),
        ("agentCode", "agent_code", text, REQ),
        ("agentName", "agent_name", text, REQ),
        ("ebcCode", "ebc_code", text, REQ),
        ("ebcName", "ebc_name", text, REQ),
        ("ownerCode", "owner_code", text, REQ),
        ("ownerName", "owner_name", text, REQ),
        ("iacCode", "iac_code", text, OPT),
        ("iacName", "iac_name", text, OPT),
        ("emsNo", "ems_no", text, OPT),
        ("tradeMode", "trade_mode", text, REQ),
        ("trafMode", "traf_mode", text, REQ),
        ("trafName", "traf_name", text, OPT),
        ("voyageNo", "voyage_no", text, OPT),
        ("billNo", "bill_no", text, OPT),
        ("totalPackageNo", "total_package_no", text, OPT),
        ("loctNo", "loct_no", text, OPT),
        ("licenseNo", "license_no", text, OPT),
        ("country", "country", text, REQ),
        ("POD", "pod", text, REQ),
        ("freight", lambda x: x.freight or 0, money, REQ),
        ("fCurrency", "f_currency", text, REQ),
        ("fFlag", "f_flag", text, REQ),
        ("insuredFee", lambda x: x.insured_fee or 0, money, REQ),
        ("iCurrency", "i_currency", text, REQ),
        ("iFlag", "i_flag", text, REQ),
        ("wrapType", "wrap_type", text, REQ),
        ("packNo", "pack_no", integer, REQ),
        ("grossWeight", "gross_weight", number, REQ),
        ("netWeight", "net_weight", number, REQ),
        ("note", "note", text, OPT),
    )
)
INVENTORY_LINE = compile_rows(
    (
        ("gnum", "gnum", integer, REQ),
        ("itemNo", "item_no", text, REQ),
        ("itemRecordNo", "item_record_no", text, OPT),
        ("itemName", "item_name", text, OPT),
        ("gcode", "gcode", text, REQ),
        ("gname", "gname", text, REQ),
        ("gmodel", "gmodel", text, REQ),
        ("barCode", lambda i: i.bar_code or "无", text, REQ),
        ("country", "country", text, REQ),
        ("currency", "currency", text, REQ),
        ("qty", "qty", number, REQ),
        ("unit", "unit", text, REQ),
        ("qty1", "qty1", number, REQ),
        ("unit1", "unit1", text, REQ),
        ("qty2", "qty2", number, OPT),
        ("unit2", "unit2", text, OPT),
        ("price", "price", number, REQ),
        ("totalPrice", "total_price", money, REQ),
        ("note", "note", text, OPT),
    )
)


def inventory_payload(inventory, items: Iterable, *, at: datetime | None = None) -> dict:
    """CEB603 ``Inventory``: ``InventoryHead`` and one ``InventoryList`` per line."""
    head = common(inventory, at) + fields_of(inventory, INVENTORY_HEAD)
    return node(
        "Inventory", "InventoryHead", head, "InventoryList", (fields_of(i, INVENTORY_LINE) for i in items)
    )
