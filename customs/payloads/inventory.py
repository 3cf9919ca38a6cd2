"""CEB603 inventory lists (DOMAIN §3.5 ``InventoryHead`` / ``InventoryList``)."""

from collections.abc import Iterable
from datetime import datetime

from customs.payloads.base import (
    OPT,
    REQ,
    bar_code,
    common,
    common_text,
    compile_rows,
    compile_text_rows,
    constant,
    day,
    fields_of,
    fields_text,
    integer,
    money,
    money_or_zero,
    node,
    node_text,
    number,
    text,
)

# One table per part, read by both builders: ``inventory_payload`` (objects) and ``inventory_payload_text``
# (the bulk path's cleaned dicts, straight to the JSON text the outbox stores).
_HEAD = (
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
    ("ieFlag", constant("E"), text, REQ),
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
    ("freight", "freight", money_or_zero, REQ),
    ("fCurrency", "f_currency", text, REQ),
    ("fFlag", "f_flag", text, REQ),
    ("insuredFee", "insured_fee", money_or_zero, REQ),
    ("iCurrency", "i_currency", text, REQ),
    ("iFlag", "i_flag", text, REQ),
    ("wrapType", "wrap_type", text, REQ),
    ("packNo", "pack_no", integer, REQ),
    ("grossWeight", "gross_weight", number, REQ),
    ("netWeight", "net_weight", number, REQ),
    ("note", "note", text, OPT),
)
_LINE = (
    ("gnum", "gnum", integer, REQ),
    ("itemNo", "item_no", text, REQ),
    ("itemRecordNo", "item_record_no", text, OPT),
    ("itemName", "item_name", text, OPT),
    ("gcode", "gcode", text, REQ),
    ("gname", "gname", text, REQ),
    ("gmodel", "gmodel", text, REQ),
    ("barCode", "bar_code", bar_code, REQ),
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
INVENTORY_HEAD, INVENTORY_LINE = compile_rows(_HEAD), compile_rows(_LINE)
_HEAD_TEXT, _LINE_TEXT = compile_text_rows(_HEAD), compile_text_rows(_LINE)


def inventory_payload(inventory, items: Iterable, *, at: datetime | None = None) -> dict:
    """CEB603 ``Inventory``: ``InventoryHead`` and one ``InventoryList`` per line."""
    head = common(inventory, at) + fields_of(inventory, INVENTORY_HEAD)
    return node(
        "Inventory", "InventoryHead", head, "InventoryList", (fields_of(i, INVENTORY_LINE) for i in items)
    )


def inventory_payload_text(head: dict, items: Iterable[dict], *, at: datetime, app_type: str = "1") -> str:
    """``inventory_payload`` of a list given as dicts (cleaned head and lines, not saved), as the JSON text
    ``json.dumps(…, ensure_ascii=False)`` would write: the bulk path stores it in the outbox as it is."""
    fields = list(common_text(app_type, at))
    fields_text(head, _HEAD_TEXT, fields)
    lines = []
    for item in items:
        line: list[str] = []
        fields_text(item, _LINE_TEXT, line)
        lines.append(line)
    return node_text("Inventory", "InventoryHead", fields, "InventoryList", lines)
