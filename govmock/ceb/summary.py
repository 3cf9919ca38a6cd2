"""CEB701 summary application → CEB702 (2 with ``sumNo``, then 399) and one CEB792 per declaration.

Eligible lists (DOMAIN §3.9): live, same consignor ``ebcCode`` as the application,
``statisticsFlag=B``, closed (899) within ``startTime``..``endTime`` (when given), and not yet
summarised. If any named list is not eligible, the whole application is refused (100) naming each
list and why, and nothing is summarised.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from govmock import clock
from govmock.ceb import docs, grouping, numbering
from govmock.ceb.answer import answer_node
from govmock.ceb.docs import Doc
from govmock.ceb.flows import REJECTED, declare
from govmock.ceb.matching import advance
from govmock.ceb.spec import MessageSpec
from govmock.engine.context import XML_CONTENT, Context

RESULT_TYPE = "CEB792Message"
# Declaration status in CEB792: the mock's summary declarations cover goods that have already left,
# so they are reported closed. "R" (结关) is the mock's code; DOMAIN lists no code table for decState.
DEC_STATE_CLOSED = "R"
PARTIES = ("agentCode", "agentName", "ebcCode", "ebcName", "declAgentCode", "declAgentName")
LIST_FIELDS = ("invtNo", "logisticsNo", "gnum", "gcode", "gNo")  # gNo: govmock extension


def on_summary(ctx: Context, spec: MessageSpec, node: dict[str, Any]) -> None:
    head = node["head"]
    lists, reasons = _eligible_lists(ctx, head, [r["invtNo"] for r in node["rows"]])
    if reasons:
        answer_node(ctx, spec, node, REJECTED, "清单不可汇总 lists not eligible: " + "; ".join(reasons[:20]))
        return
    doc = declare(
        ctx, spec, node, dup_key=f"{head['agentCode']}|{head['copNo']}", before_accept=_assign_sum_no(ctx)
    )
    if doc is None:
        return
    declarations = grouping.summarize(
        [{"invtNo": d.invt_no, "head": d.head, "rows": d.rows} for d in lists],
        summary_flag=head["summaryFlag"],
        item_name_flag=head.get("itemNameFlag", ""),
    )
    for listed in lists:
        listed.sum_no = doc.sum_no
        docs.save(ctx.conn, listed)
    advance(ctx, doc, 399, f"汇总申请审结 concluded: {len(declarations)} declaration(s)")
    for index, declaration in enumerate(declarations, start=1):
        _emit_result(ctx, doc, declaration, index, len(declarations))


def _assign_sum_no(ctx: Context) -> Callable[[Doc], None]:
    def assign(doc: Doc) -> None:
        doc.sum_no = numbering.sum_no(ctx, doc.head["customsCode"])

    return assign


def _eligible_lists(ctx: Context, head: dict[str, str], invt_nos: list[str]) -> tuple[list[Doc], list[str]]:
    start = clock.parse_ceb_stamp(head["startTime"]) if head.get("startTime") else None
    end = clock.parse_ceb_stamp(head["endTime"], end_of_day=True) if head.get("endTime") else None
    lists: list[Doc] = []
    reasons: list[str] = []
    named: set[str] = set()
    for invt_no in invt_nos:
        inventory = docs.find_inventory(ctx.conn, invt_no)
        reason = (
            "重复 named twice" if invt_no in named else _ineligible(inventory, head["ebcCode"], start, end)
        )
        named.add(invt_no)
        if reason or inventory is None:
            reasons.append(f"{invt_no}: {reason}")
        else:
            lists.append(inventory)
    return lists, reasons


def _ineligible(
    inventory: Doc | None, ebc_code: str, start: datetime | None, end: datetime | None
) -> str | None:
    if inventory is None:
        return "清单不存在 unknown list"
    if inventory.void:
        return f"清单已作废 the list is {inventory.void}"
    if inventory.head["ebcCode"] != ebc_code:
        return "收发货人不一致 belongs to another consignor"
    if inventory.head["statisticsFlag"] != "B":
        return "非汇总申报清单 statisticsFlag is not B"
    if inventory.sum_no:
        return f"已汇总 already summarised in {inventory.sum_no}"
    if inventory.status != 899 or not inventory.closed_at:
        return f"未结关 not closed (status {inventory.status})"
    closed = datetime.fromisoformat(inventory.closed_at)
    if (start and closed < start) or (end and closed > end):
        return "结关时间不在汇总期间 closed outside startTime..endTime"
    return None


def _emit_result(ctx: Context, doc: Doc, decl: grouping.Declaration, index: int, count: int) -> None:
    head = doc.head
    entry_id = numbering.entry_id(ctx, head["customsCode"])
    result_head: list[list[Any]] = [
        ["guid", doc.node_guid], ["customsCode", head["customsCode"]], ["sumNo", doc.sum_no],
        ["opDate", clock.ceb_time(ctx.now, 14)],
        ["declSeqNo", numbering.decl_seq_no(ctx, head["customsCode"])],
        ["decTmpNo", numbering.dec_tmp_no(ctx)], ["decPreNo", entry_id], ["entryId", entry_id],
        ["decState", DEC_STATE_CLOSED],
        *[[name, head[name]] for name in PARTIES],
        ["grossWeight", _num(decl.gross_weight)], ["netWeight", _num(decl.net_weight)],
        ["msgCount", str(count)], ["msgSeqNo", str(index)],
        # govmock extension (docs/exchange-protocol.md): the declaration's header keys and package count.
        *[[name, value] for name, value in decl.header.items() if name != "ebcCode"],
        ["packNo", str(decl.pack_no)],
        ["returnStatus", "399"], ["returnTime", None],
        ["returnInfo", f"汇总结果 summary result: declaration {entry_id} ({index}/{count})"],
    ]  # fmt: skip
    parts: list[list[Any]] = [["SummaryResultHead", result_head]]
    parts += [["SummaryResultList", [[k, str(row[k])] for k in LIST_FIELDS]] for row in decl.rows]
    parts += [["SummaryResultItem", _item_fields(item)] for item in decl.items]
    body = {"root": RESULT_TYPE, "node": "SummaryResult", "parts": parts, "time_len": 17}
    ctx.emit(
        node_guid=doc.node_guid, message_id=doc.message_id, receipt_type=RESULT_TYPE,
        content_type=XML_CONTENT, status="399", body=body,
    )  # fmt: skip


def _item_fields(item: grouping.Item) -> list[list[str]]:
    fields = [
        ["gNo", str(item.g_no)],
        ["gcode", item.gcode],
        ["country", item.country],
        ["currency", item.currency],
    ]
    if item.item_name:
        fields.append(["itemName", item.item_name])
    fields += [["qty1", _num(item.qty1)], ["unit1", item.unit1]]
    if item.unit2:
        fields += [["qty2", _num(item.qty2)], ["unit2", item.unit2]]
    fields.append(["totalPrice", _num(item.total_price)])
    return fields


def _num(value: Decimal) -> str:
    return format(value, "f")
