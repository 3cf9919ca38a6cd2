"""Building CEB export messages for govmock tests (written from DOMAIN §3.4/§3.5, independently of
govmock's own code, so a govmock parsing bug is not mirrored here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from tests.govmock.pki import new_guid

NS = "http://www.chinaport.gov.cn/ceb"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
EBC = "3301960001"
EBP = "3301961234"
LOGISTICS = "3301980LOG"
AGENT = "3301980001"
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def now14() -> str:
    return dt.datetime.now(SHANGHAI).strftime("%Y%m%d%H%M%S")


@dataclass
class Row:
    gcode: str = "6109100010"
    country: str = "502"
    currency: str = "142"
    qty1: str = "2"
    unit1: str = "011"
    total: str = "120.00"
    item_no: str = "SKU-TSHIRT"
    item_name: str = "T恤 T-shirt"


@dataclass
class Parcel:
    """One shipment: order + waybill + inventory list that belong together (the three documents)."""

    order_no: str = field(default_factory=lambda: "ORD" + new_guid()[:12])
    logistics_no: str = field(default_factory=lambda: "LN" + new_guid()[:12])
    ebc: str = EBC
    owner: str = EBC
    traf_mode: str = "5"
    country: str = "502"
    port: str = "2901"
    statistics_flag: str = "B"
    rows: list[Row] = field(default_factory=lambda: [Row()])
    gross: str = "1.5"
    net: str = "1.2"
    pack_no: str = "1"

    @property
    def goods_value(self) -> str:
        return str(sum(float(r.total) for r in self.rows))


def _common(app_type: str = "1", app_status: str = "2") -> dict[str, str]:
    return {"guid": new_guid(), "appType": app_type, "appTime": now14(), "appStatus": app_status}


def node(
    name: str,
    head: dict[str, Any],
    head_el: str | None = None,
    row_el: str | None = None,
    rows: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {"node": name, "head_el": head_el, "head": head, "row_el": row_el, "rows": rows or []}


def _apply(fields: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    merged = {**fields, **overrides}
    return {k: v for k, v in merged.items() if v is not None}


def order(p: Parcel, **over: Any) -> dict[str, Any]:
    head = {
        **_common(),
        "orderType": "E",
        "orderNo": p.order_no,
        "ebpCode": EBP,
        "ebpName": "某平台",
        "ebcCode": p.ebc,
        "ebcName": "义乌某电商",
        "goodsValue": p.goods_value,
        "freight": "0",
        "currency": "142",
    }
    rows = [
        {
            "gnum": str(i),
            "itemNo": r.item_no,
            "itemName": r.item_name,
            "unit": r.unit1,
            "currency": r.currency,
            "qty": r.qty1,
            "price": _price(r),
            "totalPrice": r.total,
        }
        for i, r in enumerate(p.rows, start=1)
    ]
    return node("Order", _apply(head, over), "OrderHead", "OrderList", rows)


def payment(p: Parcel, **over: Any) -> dict[str, Any]:
    head = {
        **_common(),
        "ebpCode": EBP,
        "ebpName": "某平台",
        "ebcCode": p.ebc,
        "ebcName": "义乌某电商",
        "orderNo": p.order_no,
        "payCode": "3301960PAY",
        "payName": "某支付",
        "payNo": "PAY" + p.order_no,
        "charge": p.goods_value,
        "currency": "142",
        "accountingDate": now14(),
    }
    return node("Receipts", _apply(head, over))


def waybill(p: Parcel, **over: Any) -> dict[str, Any]:
    head = {
        **_common(),
        "logisticsCode": LOGISTICS,
        "logisticsName": "某物流",
        "logisticsNo": p.logistics_no,
        "freight": "10",
        "insuredFee": "0",
        "currency": "142",
        "grossWeight": p.gross,
        "packNo": "1",
        "goodsInfo": "服装 clothing",
    }
    return node("Logistics", _apply(head, over))


def inventory(p: Parcel, rows: list[dict[str, Any]] | None = None, **over: Any) -> dict[str, Any]:
    head = {
        **_common(),
        "customsCode": "2901",
        "ebpCode": EBP,
        "ebpName": "某平台",
        "orderNo": p.order_no,
        "logisticsCode": LOGISTICS,
        "logisticsName": "某物流",
        "logisticsNo": p.logistics_no,
        "copNo": "COP" + p.order_no[-10:],
        "ieFlag": "E",
        "portCode": p.port,
        "ieDate": now14()[:8],
        "statisticsFlag": p.statistics_flag,
        "agentCode": AGENT,
        "agentName": "某报关行",
        "ebcCode": p.ebc,
        "ebcName": "义乌某电商",
        "ownerCode": p.owner,
        "ownerName": "某生产企业",
        "tradeMode": "9610",
        "trafMode": p.traf_mode,
        "country": p.country,
        "POD": "USLAX",
        "freight": "10",
        "fCurrency": "142",
        "fFlag": "3",
        "insuredFee": "0",
        "iCurrency": "142",
        "iFlag": "3",
        "wrapType": "2",
        "packNo": p.pack_no,
        "grossWeight": p.gross,
        "netWeight": p.net,
    }
    if rows is None:
        rows = [
            {
                "gnum": str(i),
                "itemNo": r.item_no,
                "itemName": r.item_name,
                "gcode": r.gcode,
                "gname": "针织T恤",
                "gmodel": "棉100%",
                "barCode": "无",
                "country": r.country,
                "currency": r.currency,
                "qty": r.qty1,
                "unit": r.unit1,
                "qty1": r.qty1,
                "unit1": r.unit1,
                "price": _price(r),
                "totalPrice": r.total,
            }
            for i, r in enumerate(p.rows, start=1)
        ]
    return node("Inventory", _apply(head, over), "InventoryHead", "InventoryList", rows)


def arrival(logistics_nos: list[str], **over: Any) -> dict[str, Any]:
    head = {
        **_common(),
        "customsCode": "2901",
        "copNo": "ARR" + new_guid()[:8],
        "operatorCode": "3301980OPR",
        "operatorName": "某监管场所",
        "ieFlag": "E",
        "trafMode": "5",
        "domesticTrafNo": "浙A12345",
        "logisticsCode": LOGISTICS,
        "logisticsName": "某物流",
    }
    rows = [{"gnum": str(i), "logisticsNo": n} for i, n in enumerate(logistics_nos, start=1)]
    return node("Arrival", _apply(head, over), "ArrivalHead", "ArrivalList", rows)


def departure(logistics_nos: list[str], **over: Any) -> dict[str, Any]:
    head = {
        **_common(),
        "customsCode": "2901",
        "copNo": "DEP" + new_guid()[:8],
        "logisticsCode": LOGISTICS,
        "logisticsName": "某物流",
        "trafMode": "5",
        "leaveTime": now14(),
    }
    rows = [{"gnum": str(i), "logisticsNo": n} for i, n in enumerate(logistics_nos, start=1)]
    return node("Departure", _apply(head, over), "DepartureHead", "DepartureList", rows)


def cancel(invt_no: str, ebc: str = EBC, **over: Any) -> dict[str, Any]:
    head = {
        **_common(),
        "customsCode": "2901",
        "copNo": "CAN" + new_guid()[:8],
        "invtNo": invt_no,
        "reason": "买家取消 order cancelled",
        "agentCode": AGENT,
        "agentName": "某报关行",
        "ebcCode": ebc,
        "ebcName": "义乌某电商",
    }
    return node("InvtCancel", _apply(head, over))


def waybill_link(parcels: list[tuple[str, str | None]], **over: Any) -> dict[str, Any]:
    head = {
        **_common(),
        "customsCode": "2901",
        "copNo": "WB" + new_guid()[:8],
        "agentCode": AGENT,
        "agentName": "某报关行",
        "trafMode": "5",
        "trafName": "CA",
        "voyageNo": "CA987",
        "billNo": "999-12345678",
        "grossWeight": "10",
        "logisticsCode": LOGISTICS,
        "logisticsName": "某物流",
    }
    rows = [
        _apply({"gnum": str(i), "logisticsNo": no, "invtNo": invt}, {})
        for i, (no, invt) in enumerate(parcels, start=1)
    ]
    return node("WayBill", _apply(head, over), "WayBillHead", "WayBillList", rows)


def summary(invt_nos: list[str], ebc: str = EBC, **over: Any) -> dict[str, Any]:
    head = {
        **_common(),
        "customsCode": "2901",
        "copNo": "SUM" + new_guid()[:8],
        "agentCode": AGENT,
        "agentName": "某报关行",
        "ebcCode": ebc,
        "ebcName": "义乌某电商",
        "declAgentCode": AGENT,
        "declAgentName": "某报关行",
        "summaryFlag": "2",
        "itemNameFlag": "0",
    }
    return node(
        "SummaryApply",
        _apply(head, over),
        "SummaryApplyHead",
        "SummaryApplyList",
        [{"invtNo": n} for n in invt_nos],
    )


def _price(r: Row) -> str:
    return f"{float(r.total) / float(r.qty1):.5f}"


def message(
    message_type: str,
    nodes: list[dict[str, Any]],
    *,
    guid: str | None = None,
    base_transfer: dict[str, str] | None = None,
) -> tuple[str, bytes]:
    """Serialise a CEB message; returns (root guid, UTF-8 bytes)."""
    guid = guid or new_guid()
    root = etree.Element(f"{{{NS}}}{message_type}", guid=guid, version="1.0", nsmap={"ceb": NS, "xsi": XSI})
    for spec in nodes:
        element = etree.SubElement(root, f"{{{NS}}}{spec['node']}")
        head = element if spec["head_el"] is None else etree.SubElement(element, f"{{{NS}}}{spec['head_el']}")
        _fill(head, spec["head"])
        for row in spec["rows"]:
            _fill(etree.SubElement(element, f"{{{NS}}}{spec['row_el']}"), row)
    transfer = (
        base_transfer
        if base_transfer is not None
        else {"copCode": AGENT, "copName": "某报关行", "dxpMode": "DXP", "dxpId": "DXPENT0000012345"}
    )
    if transfer:
        _fill(etree.SubElement(root, f"{{{NS}}}BaseTransfer"), transfer)
    return guid, etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _fill(parent: Any, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        etree.SubElement(parent, f"{{{NS}}}{name}").text = str(value)


def parse_receipt(raw: str) -> dict[str, Any]:
    """A CEB receipt as {"root": ..., "node": ..., field: text...} (first-level fields of the return node;
    for SummaryResult: "head", "lists" and "items")."""
    root = etree.fromstring(raw.encode("utf-8"))
    assert root.nsmap.get("ceb") == NS
    node = root[0]
    result: dict[str, Any] = {
        "root": etree.QName(root).localname,
        "root_guid": root.get("guid"),
        "version": root.get("version"),
        "node": etree.QName(node).localname,
    }
    if result["node"] == "SummaryResult":
        result["head"] = _leaves(node.find(f"{{{NS}}}SummaryResultHead"))
        result["lists"] = [_leaves(e) for e in node.findall(f"{{{NS}}}SummaryResultList")]
        result["items"] = [_leaves(e) for e in node.findall(f"{{{NS}}}SummaryResultItem")]
        result.update({k: result["head"][k] for k in ("guid", "returnStatus", "returnInfo", "returnTime")})
    else:
        result.update(_leaves(node))
    return result


def _leaves(element: Any) -> dict[str, str]:
    return {etree.QName(child).localname: child.text or "" for child in element}
