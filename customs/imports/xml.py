"""CEB603 files: one or many ``Inventory`` nodes (``InventoryHead`` + ``InventoryList`` lines), each line
becoming one row of the import, its head repeated (DOMAIN §3.5). The shell parses the file with DTDs,
entities and external references refused (``portal.intake.safe_open.parse_xml``, defusedxml); nothing here
opens a URL. The CEB namespace is optional; the portal-filled fields (``ebcCode``, ``agentCode``…) and
those customs returns (``preNo``, ``invtNo``) are ignored.
"""

from portal.intake import ROW

# CEB name → column key (head) and CEB name → column key (line).
HEAD_NAMES = {
    "copNo": "cop_no",
    "orderNo": "order_no",
    "ebpCode": "ebp_code",
    "ebpName": "ebp_name",
    "logisticsCode": "logistics_code",
    "logisticsName": "logistics_name",
    "logisticsNo": "logistics_no",
    "ownerCode": "owner_code",
    "ownerName": "owner_name",
    "customsCode": "customs_code",
    "portCode": "port_code",
    "ieDate": "ie_date",
    "statisticsFlag": "statistics_flag",
    "tradeMode": "trade_mode",
    "trafMode": "traf_mode",
    "trafName": "traf_name",
    "voyageNo": "voyage_no",
    "billNo": "bill_no",
    "loctNo": "loct_no",
    "licenseNo": "license_no",
    "country": "country",
    "POD": "pod",
    "freight": "freight",
    "fCurrency": "f_currency",
    "insuredFee": "insured_fee",
    "iCurrency": "i_currency",
    "wrapType": "wrap_type",
    "packNo": "pack_no",
    "grossWeight": "gross_weight",
    "netWeight": "net_weight",
    "note": "note",
}
LINE_NAMES = {
    "itemNo": "item_no",
    "itemRecordNo": "item_record_no",
    "itemName": "item_name",
    "gcode": "gcode",
    "gname": "gname",
    "gmodel": "gmodel",
    "barCode": "bar_code",
    "country": "item_country",
    "currency": "currency",
    "qty": "qty",
    "unit": "unit",
    "qty1": "qty1",
    "unit1": "unit1",
    "qty2": "qty2",
    "unit2": "unit2",
    "price": "price",
    "totalPrice": "total_price",
    "note": "item_note",
}


def local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _fields(element, names: dict) -> dict:
    values = {}
    for child in element:
        key = names.get(local(child.tag))
        if key is not None:
            values[key] = (child.text or "").strip()
    return values


def rows_from_ceb603(root):
    """One raw row per ``InventoryList`` line of every ``Inventory`` node, numbered from 1 in the file."""
    number = 0
    for inventory in root.iter():
        if local(inventory.tag) != "Inventory":
            continue
        head, lines = {}, []
        for part in inventory:
            name = local(part.tag)
            if name == "InventoryHead":
                head = _fields(part, HEAD_NAMES)
            elif name == "InventoryList":
                lines.append(_fields(part, LINE_NAMES))
        for line in lines or [{}]:
            number += 1
            yield {**head, **line, ROW: number}
