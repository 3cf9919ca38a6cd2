"""CEB message and field specifications (DOMAIN §3.3–§3.6).

One :class:`MessageSpec` per inbound message type: its business node, head and row elements, the
required fields and their formats, the answering receipt type and the business keys that receipt
carries. The formats are checked by :mod:`govmock.ceb.validate`; a failure answers CEB900.
Lengths the DOMAIN leaves open are given generous caps so that only real mistakes fail.
"""

from __future__ import annotations

from dataclasses import dataclass

NS = "http://www.chinaport.gov.cn/ceb"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


@dataclass(frozen=True)
class Field:
    name: str
    fmt: str
    required: bool


def req(name: str, fmt: str) -> Field:
    return Field(name, fmt, True)


def opt(name: str, fmt: str) -> Field:
    return Field(name, fmt, False)


@dataclass(frozen=True)
class MessageSpec:
    message_type: str
    node: str
    head: str | None  # None: the node element holds the fields itself (Receipts, Logistics, InvtCancel)
    head_fields: tuple[Field, ...]
    row: str | None
    row_fields: tuple[Field, ...]
    min_rows: int
    kind: str
    receipt_type: str
    return_node: str
    return_keys: tuple[str, ...]

    @property
    def head_label(self) -> str:
        return self.head or self.node


COMMON = (
    req("guid", "guid"),
    req("appType", "enum:1|2|3"),
    req("appTime", "T14"),
    req("appStatus", "enum:1|2"),
)
TRAF = "enum:0|1|2|3|4|5|6|7|8|9|A|H|W|X|Y|Z"  # trafMode, DOMAIN §2.8
NAME = "C..100"
NOTE = "C..1000"
TEXT = "C..255"

ORDER = MessageSpec(
    "CEB303Message", "Order", "OrderHead",
    (*COMMON, req("orderType", "enum:E"), req("orderNo", "C..60"), req("ebpCode", "party"),
     req("ebpName", NAME), req("ebcCode", "party"), req("ebcName", NAME), req("goodsValue", "N"),
     req("freight", "N"), req("currency", "D3"), opt("note", NOTE)),
    "OrderList",
    (req("gnum", "I"), req("itemNo", "C..50"), req("itemName", "C..250"), opt("itemDescribe", NOTE),
     opt("barCode", "C..50"), req("unit", "D3"), req("currency", "D3"), req("qty", "N"), req("price", "N"),
     req("totalPrice", "N"), opt("note", NOTE)),
    1, "order", "CEB304Message", "OrderReturn", ("ebpCode", "ebcCode", "orderNo"),
)  # fmt: skip

RECEIPTS = MessageSpec(
    "CEB403Message", "Receipts", None,
    (*COMMON, req("ebpCode", "party"), req("ebpName", NAME), req("ebcCode", "party"), req("ebcName", NAME),
     req("orderNo", "C..60"), opt("payCode", "party"), req("payName", NAME), opt("payNo", "C..60"),
     req("charge", "N"), req("currency", "D3"), req("accountingDate", "T14"), opt("note", NOTE)),
    None, (), 0, "payment", "CEB404Message", "ReceiptsReturn", ("ebcCode", "orderNo", "payNo"),
)  # fmt: skip

LOGISTICS = MessageSpec(
    "CEB505Message", "Logistics", None,
    (*COMMON, req("logisticsCode", "party"), req("logisticsName", NAME), req("logisticsNo", "C..80"),
     req("freight", "N"), req("insuredFee", "N"), req("currency", "D3"), req("grossWeight", "N"),
     opt("packNo", "I"), req("goodsInfo", "C..500"), opt("ebcCode", "party"), opt("ebcName", NAME),
     opt("ebcTelephone", "C..50"), opt("note", NOTE)),
    None, (), 0, "waybill", "CEB506Message", "LogisticsReturn", ("logisticsCode", "logisticsNo"),
)  # fmt: skip

INVENTORY = MessageSpec(
    "CEB603Message", "Inventory", "InventoryHead",
    (*COMMON, req("customsCode", "D4"), req("ebpCode", "party"), req("ebpName", NAME),
     req("orderNo", "C..60"), req("logisticsCode", "party"), req("logisticsName", NAME),
     req("logisticsNo", "C..80"), req("copNo", "C..30"), opt("preNo", "C18"), opt("invtNo", "C18"),
     req("ieFlag", "enum:E"), req("portCode", "D4"), req("ieDate", "T8"), req("statisticsFlag", "enum:A|B"),
     req("agentCode", "party"), req("agentName", NAME), req("ebcCode", "party"), req("ebcName", NAME),
     req("ownerCode", "party"), req("ownerName", NAME), opt("iacCode", "party"), opt("iacName", NAME),
     opt("emsNo", "C..30"), req("tradeMode", "enum:9610|1210|9710|9810"), req("trafMode", TRAF),
     opt("trafName", NAME), opt("voyageNo", "C..32"), opt("billNo", "C..37"), opt("totalPackageNo", NOTE),
     opt("loctNo", "D6"), opt("licenseNo", "C..19"), req("country", "D3"), req("POD", "C..20"),
     req("freight", "N"), req("fCurrency", "D3"), req("fFlag", "enum:1|2|3"), req("insuredFee", "N"),
     req("iCurrency", "D3"), req("iFlag", "enum:1|2|3"), req("wrapType", "C..2"), req("packNo", "I"),
     req("grossWeight", "N"), req("netWeight", "N"), opt("note", NOTE)),
    "InventoryList",
    (req("gnum", "I"), req("itemNo", "C..50"), opt("itemRecordNo", "C..30"), opt("itemName", "C..250"),
     req("gcode", "D10"), req("gname", "C..250"), req("gmodel", "C..250"), req("barCode", "C..50"),
     req("country", "D3"), req("currency", "D3"), req("qty", "N"), req("unit", "D3"), req("qty1", "N"),
     req("unit1", "D3"), opt("qty2", "N"), opt("unit2", "D3"), req("price", "N"), req("totalPrice", "N"),
     opt("note", NOTE)),
    0,  # V4 (at least one row) is a business rule answered with 100, not a format error
    "inventory", "CEB604Message", "InventoryReturn",
    ("agentCode", "copNo", "preNo", "invtNo", "ebcCode", "ebpCode", "orderNo", "statisticsFlag"),
)  # fmt: skip

CANCEL = MessageSpec(
    "CEB605Message", "InvtCancel", None,
    (*COMMON, req("customsCode", "D4"), req("copNo", "C..30"), opt("preNo", "C18"), req("invtNo", "C18"),
     req("reason", NOTE), req("agentCode", "party"), req("agentName", NAME), req("ebcCode", "party"),
     req("ebcName", NAME), opt("note", NOTE)),
    None, (), 0, "cancel", "CEB606Message", "InvtCancelReturn",
    ("agentCode", "copNo", "preNo", "invtNo", "msgSeqNo"),
)  # fmt: skip

WAYBILL_LINK = MessageSpec(
    "CEB607Message", "WayBill", "WayBillHead",
    (*COMMON, req("customsCode", "D4"), req("copNo", "C..30"), opt("preNo", "C18"),
     req("agentCode", "party"), req("agentName", NAME), opt("loctNo", "D6"), req("trafMode", TRAF),
     req("trafName", NAME), req("voyageNo", "C..32"), req("billNo", "C..37"), opt("domesticTrafNo", "C..32"),
     req("grossWeight", "N"),
     req("logisticsCode", "party"), req("logisticsName", NAME), opt("msgCount", "I"), opt("msgSeqNo", "I"),
     opt("note", NOTE)),
    "WayBillList",
    (opt("gnum", "I"), opt("totalPackageNo", TEXT), req("logisticsNo", "C..80"), opt("invtNo", "C18"),
     opt("note", NOTE)),
    1, "waybill_link", "CEB608Message", "WayBillReturn",
    ("agentCode", "logisticsCode", "copNo", "preNo", "billNo", "msgSeqNo"),
)  # fmt: skip

ARRIVAL = MessageSpec(
    "CEB507Message", "Arrival", "ArrivalHead",
    (*COMMON, req("customsCode", "D4"), req("copNo", "C..30"), opt("preNo", "C18"),
     req("operatorCode", "party"), req("operatorName", NAME), opt("loctNo", "D6"), req("ieFlag", "enum:E"),
     req("trafMode", TRAF), opt("billNo", "C..37"), req("domesticTrafNo", "C..32"),
     req("logisticsCode", "party"), req("logisticsName", NAME), opt("msgCount", "I"), opt("msgSeqNo", "I"),
     opt("note", NOTE)),
    "ArrivalList",
    (opt("gnum", "I"), req("logisticsNo", "C..80"), opt("totalPackageNo", TEXT), opt("note", NOTE)),
    1, "arrival", "CEB508Message", "ArrivalReturn",
    ("operatorCode", "logisticsCode", "copNo", "preNo", "billNo", "msgSeqNo"),
)  # fmt: skip

DEPARTURE = MessageSpec(
    "CEB509Message", "Departure", "DepartureHead",
    (*COMMON, req("customsCode", "D4"), req("copNo", "C..30"), opt("preNo", "C18"),
     req("logisticsCode", "party"), req("logisticsName", NAME), req("trafMode", TRAF),
     opt("trafName", NAME), opt("voyageNo", "C..32"), opt("billNo", "C..37"), req("leaveTime", "T14"),
     opt("msgCount", "I"), opt("msgSeqNo", "I"), opt("note", NOTE)),
    "DepartureList",
    (opt("gnum", "I"), opt("totalPackageNo", TEXT), req("logisticsNo", "C..80"), opt("note", NOTE)),
    1, "departure", "CEB510Message", "DepartureReturn", ("logisticsCode", "copNo", "preNo", "msgSeqNo"),
)  # fmt: skip

SUMMARY = MessageSpec(
    "CEB701Message", "SummaryApply", "SummaryApplyHead",
    (*COMMON, req("customsCode", "D4"), req("copNo", "C..30"), opt("preNo", "C18"), opt("sumNo", "C18"),
     req("agentCode", "party"), req("agentName", NAME), req("ebcCode", "party"), req("ebcName", NAME),
     req("declAgentCode", "party"), req("declAgentName", NAME), opt("startTime", "TP"), opt("endTime", "TP"),
     opt("loctNo", "D6"), req("summaryFlag", "enum:1|2"), opt("itemNameFlag", "enum:0|1"),
     opt("msgCount", "I"), opt("msgSeqNo", "I"), opt("note", NOTE)),
    "SummaryApplyList",
    (req("invtNo", "C18"),),
    1, "summary", "CEB702Message", "SummaryReturn",
    ("agentCode", "ebcCode", "copNo", "preNo", "sumNo", "msgSeqNo"),
)  # fmt: skip

BASE_TRANSFER = (
    req("copCode", "party"),
    req("copName", NAME),
    req("dxpMode", "enum:DXP"),
    req("dxpId", "C..30"),
    opt("note", NOTE),
)
ENVELOPE_EXTRAS = ("BaseTransfer", "BaseSubscribe", "Signature", "ExtendMessage")

SPECS: dict[str, MessageSpec] = {
    s.message_type: s
    for s in (ORDER, RECEIPTS, LOGISTICS, INVENTORY, CANCEL, WAYBILL_LINK, ARRIVAL, DEPARTURE, SUMMARY)
}
MAX_NODES = 100
