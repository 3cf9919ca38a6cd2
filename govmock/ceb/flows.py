"""What customs does with each accepted CEB node kind (after format checks and faults).

``declare`` implements the life cycle common to all kinds (DOMAIN §3.6):
* appType 1 (new): refused with -304001 if a live document has the same business key, else stored
  at status 2 with ``preNo`` assigned;
* appType 2 (change) / 3 (delete): allowed only while the live document is still at 2 (not yet
  entered into the customs system) and, where the kind has a ``preNo``, only when it is quoted
  correctly; a change replaces the document, a delete voids it;
* appType 2 with no live document is a corrected resubmission after a refusal (100, -304001, CEB900:
  refused nodes are never kept): declared anew, as "re-submission after 100 with the same keys replaces
  the old record" (DOMAIN §3.6). A delete of nothing is refused.
The per-kind functions add the kind's own checks and trigger matching / progression.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from govmock.ceb import docs, matching, numbering
from govmock.ceb.answer import DUPLICATE, answer_doc, answer_node
from govmock.ceb.docs import LIVE, Doc
from govmock.ceb.matching import order_key, parcel_key
from govmock.ceb.spec import MessageSpec
from govmock.ceb.validate import inventory_rule_failure
from govmock.engine.context import Context

REJECTED = 100


def declare(
    ctx: Context,
    spec: MessageSpec,
    node: dict[str, Any],
    *,
    dup_key: str,
    link_key: str | None = None,
    before_accept: Callable[[Doc], None] | None = None,
) -> Doc | None:
    """Store the node as a live document at status 2 and answer 2; None if it was answered otherwise."""
    head = node["head"]
    existing = docs.find_live(ctx.conn, spec.kind, dup_key)
    if head["appType"] == "1":
        if existing is not None:
            info = (
                f"重复申报 duplicate declaration of {dup_key} "
                f"(node {existing.node_guid}, status {existing.status})"
            )
            answer_node(ctx, spec, node, DUPLICATE, info)
            return None
        return _accept(ctx, spec, node, dup_key, link_key, before_accept, None)
    if existing is None and head["appType"] == "2":
        return _accept(ctx, spec, node, dup_key, link_key, before_accept, None)
    problem = _change_problem(spec, head, existing)
    if problem or existing is None:
        answer_node(ctx, spec, node, REJECTED, problem or "")
        return None
    existing.void = "replaced" if head["appType"] == "2" else "deleted"
    docs.save(ctx.conn, existing)
    if head["appType"] == "3":
        answer_node(ctx, spec, {**node, "head": {**head, **existing.numbers()}}, 2, "删除申报成功 deleted")
        return None
    return _accept(ctx, spec, node, dup_key, link_key, before_accept, existing)


def _change_problem(spec: MessageSpec, head: dict[str, str], existing: Doc | None) -> str | None:
    if existing is None:
        return "变更/删除的单证不存在 no live document with these business keys"
    if existing.status != 2:
        return f"单证已入库或审结，不能变更/删除 cannot change or delete at status {existing.status}"
    if any(f.name == "preNo" for f in spec.head_fields) and head.get("preNo") != existing.pre_no:
        return f"变更/删除须填写正确的 preNo (expected {existing.pre_no})"
    return None


def _accept(
    ctx: Context,
    spec: MessageSpec,
    node: dict[str, Any],
    dup_key: str,
    link_key: str | None,
    before_accept: Callable[[Doc], None] | None,
    replaced: Doc | None,
) -> Doc:
    doc = docs.insert(
        ctx.conn,
        kind=spec.kind,
        node=node,
        message_id=ctx.message_id,
        dup_key=dup_key,
        link_key=link_key,
        status=2,
    )
    if "preNo" in spec.return_keys:
        doc.pre_no = replaced.pre_no if replaced else numbering.pre_no(ctx)
    if before_accept is not None:
        before_accept(doc)
    docs.save(ctx.conn, doc)
    info = "变更申报成功 change declared" if replaced else "新增申报成功 declared"
    answer_doc(ctx, spec, doc, 2, info)
    return doc


def on_order(ctx: Context, spec: MessageSpec, node: dict[str, Any]) -> None:
    doc = declare(ctx, spec, node, dup_key=order_key(node["head"]))
    if doc is not None:
        matching.on_order(ctx, doc)


def on_payment(ctx: Context, spec: MessageSpec, node: dict[str, Any]) -> None:
    doc = declare(ctx, spec, node, dup_key=order_key(node["head"]))
    if doc is not None:
        matching.on_payment(ctx, doc)


def on_logistics(ctx: Context, spec: MessageSpec, node: dict[str, Any]) -> None:
    head = node["head"]
    doc = declare(ctx, spec, node, dup_key=parcel_key(head["logisticsCode"], head["logisticsNo"]))
    if doc is not None:
        matching.on_waybill(ctx, doc)


def on_inventory(ctx: Context, spec: MessageSpec, node: dict[str, Any]) -> None:
    head = node["head"]
    failure = inventory_rule_failure(head, node["rows"])
    if failure:
        answer_node(ctx, spec, node, REJECTED, f"海关退单 rejected: {failure}")
        return
    link = parcel_key(head["logisticsCode"], head["logisticsNo"])
    doc = declare(ctx, spec, node, dup_key=order_key(head), link_key=link)
    if doc is not None:
        matching.try_match(ctx, doc)


def on_cancel(ctx: Context, spec: MessageSpec, node: dict[str, Any]) -> None:
    head = node["head"]
    inventory = docs.find_inventory(ctx.conn, head["invtNo"])
    problem = _cancel_problem(inventory, head)
    if problem or inventory is None:
        answer_node(ctx, spec, node, REJECTED, f"撤销申请退单 rejected: {problem}")
        return
    doc = declare(
        ctx,
        spec,
        node,
        dup_key=head["invtNo"],
        before_accept=lambda d: setattr(d, "invt_no", inventory.invt_no),
    )
    if doc is None:
        return
    inventory.void = "cancelled"
    docs.save(ctx.conn, inventory)
    matching.advance(ctx, doc, 399, f"撤销成功 list {inventory.invt_no} cancelled")


def _cancel_problem(inventory: Doc | None, head: dict[str, str]) -> str | None:
    if inventory is None:
        return "清单不存在 unknown invtNo"
    if inventory.void:
        return f"清单已{'撤销' if inventory.void == 'cancelled' else '变更'} the list is {inventory.void}"
    if inventory.head["ebcCode"] != head["ebcCode"]:
        return "电商企业与清单不一致 ebcCode differs from the list's"
    if inventory.sum_no:
        return f"清单已汇总 the list is summarised in {inventory.sum_no}"
    if inventory.status == 899:
        return "清单已结关，不能撤销 the list is closed"
    if inventory.status not in (120, 399, 500, 800):
        return f"清单状态 {inventory.status} 不能撤销"
    return None


def on_waybill_link(ctx: Context, spec: MessageSpec, node: dict[str, Any]) -> None:
    head = node["head"]
    unknown = [r["logisticsNo"] for r in node["rows"] if not _has_live_list(ctx, head["logisticsCode"], r)]
    if unknown:
        answer_node(
            ctx, spec, node, REJECTED, f"总分单退单 parcels without a live list: {', '.join(unknown[:20])}"
        )
        return
    doc = declare(ctx, spec, node, dup_key=f"{head['agentCode']}|{head['copNo']}")
    if doc is not None:
        matching.advance(ctx, doc, 120, "总分单核注成功 master bill linked")


def _has_live_list(ctx: Context, logistics_code: str, row: dict[str, str]) -> bool:
    key = parcel_key(logistics_code, row["logisticsNo"])
    if row.get("invtNo"):
        inventory = docs.find_inventory(ctx.conn, row["invtNo"])
        return inventory is not None and not inventory.void and inventory.link_key == key
    return bool(docs.find_linked(ctx.conn, "inventory", key, LIVE))


def on_arrival(ctx: Context, spec: MessageSpec, node: dict[str, Any]) -> None:
    _parcel_event(ctx, spec, node, "arrival", "operatorCode", "运抵成功 arrival recorded")


def on_departure(ctx: Context, spec: MessageSpec, node: dict[str, Any]) -> None:
    _parcel_event(ctx, spec, node, "departure", "logisticsCode", "离境成功 departure recorded")


def _parcel_event(
    ctx: Context, spec: MessageSpec, node: dict[str, Any], event: str, party: str, info: str
) -> None:
    head = node["head"]
    doc = declare(ctx, spec, node, dup_key=f"{head[party]}|{head['copNo']}")
    if doc is None:
        return
    matching.advance(ctx, doc, 120, info)
    nos = [row["logisticsNo"] for row in node["rows"]]
    matching.on_parcels(ctx, event, head["logisticsCode"], nos, node["guid"])
