"""CEB607 master bills, CEB507 arrivals and CEB509 departures; CEB701 summary applications."""

from collections.abc import Iterable, Sequence
from datetime import datetime

from customs.payloads.base import (
    OPT,
    REQ,
    Row,
    common,
    compile_rows,
    fields_of,
    integer,
    node,
    number,
    stamp,
    text,
)

_REPORT_START: Sequence[Row] = (
    ("customsCode", "customs_code", text, REQ),
    ("copNo", "cop_no", text, REQ),
    ("preNo", "pre_no", text, OPT),
)
MASTER_BILL_HEAD = compile_rows(
    (
        *_REPORT_START,
        ("agentCode", "agent_code", text, REQ),
        ("agentName", "agent_name", text, REQ),
        ("loctNo", "loct_no", text, OPT),
        ("trafMode", "traf_mode", text, REQ),
        ("trafName", "traf_name", text, REQ),
        ("voyageNo", "voyage_no", text, REQ),
        ("billNo", "bill_no", text, REQ),
        ("domesticTrafNo", "domestic_traf_no", text, OPT),
        ("grossWeight", "gross_weight", number, REQ),
        ("logisticsCode", "logistics_code", text, REQ),
        ("logisticsName", "logistics_name", text, REQ),
        ("note", "note", text, OPT),
    )
)
MASTER_BILL_LINE = compile_rows(
    (
        ("gnum", "gnum", integer, OPT),
        ("totalPackageNo", "total_package_no", text, OPT),
        ("logisticsNo", "logistics_no", text, REQ),
        ("invtNo", "invt_no", text, OPT),
        ("note", "note", text, OPT),
    )
)
ARRIVAL_HEAD = compile_rows(
    (
        *_REPORT_START,
        ("operatorCode", "operator_code", text, REQ),
        ("operatorName", "operator_name", text, REQ),
        ("loctNo", "loct_no", text, OPT),
        ("ieFlag", lambda _: "E", text, REQ),
        ("trafMode", "traf_mode", text, REQ),
        ("billNo", "bill_no", text, OPT),
        ("domesticTrafNo", "domestic_traf_no", text, REQ),
        ("logisticsCode", "logistics_code", text, REQ),
        ("logisticsName", "logistics_name", text, REQ),
        ("note", "note", text, OPT),
    )
)
ARRIVAL_LINE = compile_rows(
    (
        ("gnum", "gnum", integer, OPT),
        ("logisticsNo", "logistics_no", text, REQ),
        ("totalPackageNo", "total_package_no", text, OPT),
        ("note", "note", text, OPT),
    )
)
DEPARTURE_HEAD = compile_rows(
    (
        *_REPORT_START,
        ("logisticsCode", "logistics_code", text, REQ),
        ("logisticsName", "logistics_name", text, REQ),
        ("trafMode", "traf_mode", text, REQ),
        ("trafName", "traf_name", text, OPT),
        ("voyageNo", "voyage_no", text, OPT),
        ("billNo", "bill_no", text, OPT),
        ("leaveTime", "leave_time", stamp, REQ),
        ("note", "note", text, OPT),
    )
)
DEPARTURE_LINE = compile_rows(
    (
        ("gnum", "gnum", integer, OPT),
        ("totalPackageNo", "total_package_no", text, OPT),
        ("logisticsNo", "logistics_no", text, REQ),
        ("note", "note", text, OPT),
    )
)
REPORTS = {
    "MASTER_BILL": (
        "CEB607Message",
        "WayBill",
        "WayBillHead",
        MASTER_BILL_HEAD,
        "WayBillList",
        MASTER_BILL_LINE,
    ),
    "ARRIVAL": ("CEB507Message", "Arrival", "ArrivalHead", ARRIVAL_HEAD, "ArrivalList", ARRIVAL_LINE),
    "DEPARTURE": (
        "CEB509Message",
        "Departure",
        "DepartureHead",
        DEPARTURE_HEAD,
        "DepartureList",
        DEPARTURE_LINE,
    ),
}


def parcel_report_message_type(kind: str) -> str:
    return REPORTS[str(kind)][0]


def parcel_report_payload(report, lines: Iterable, *, at: datetime | None = None) -> dict:
    """CEB607 ``WayBill`` (master bill), CEB507 ``Arrival`` or CEB509 ``Departure`` by ``report.kind``."""
    _type, element, head, head_rows, row, line_rows = REPORTS[str(report.kind)]
    return node(
        element,
        head,
        common(report, at) + fields_of(report, head_rows),
        row,
        (fields_of(x, line_rows) for x in lines),
    )


def summary_payload(
    summary,
    invt_nos: Iterable[str],
    *,
    agent_code: str,
    agent_name: str,
    ebc_code: str,
    ebc_name: str,
    start: datetime | None = None,
    end: datetime | None = None,
    at: datetime | None = None,
) -> dict:
    """CEB701 ``SummaryApply``: the summary's head (the consignor's and declaring agent's customs codes are
    given, as the summary keeps organisations) and one ``SummaryApplyList`` per inventory list number."""
    head = [
        *common(summary, at),
        ["customsCode", summary.customs_code],
        ["copNo", summary.cop_no],
        *([["sumNo", summary.sum_no]] if summary.sum_no else []),
        ["agentCode", agent_code],
        ["agentName", agent_name],
        ["ebcCode", ebc_code],
        ["ebcName", ebc_name],
        ["declAgentCode", summary.decl_agent_code],
        ["declAgentName", summary.decl_agent_name],
        *([["startTime", stamp(start)]] if start else []),
        *([["endTime", stamp(end)]] if end else []),
        ["summaryFlag", text(summary.summary_flag)],
        ["itemNameFlag", "1" if summary.item_name_flag else "0"],
    ]
    return node(
        "SummaryApply", "SummaryApplyHead", head, "SummaryApplyList", ([["invtNo", n]] for n in invt_nos)
    )
