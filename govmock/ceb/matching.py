"""Three-document match (DOMAIN §3.7) and the list's progression 399 → 800 → 899.

Guarantees:
* a list L at status 2 is matched as soon as an accepted order (same ebcCode + orderNo) and an accepted
  waybill (same logisticsCode + logisticsNo) exist — whichever of the three arrives last triggers it;
* on a match: order 120, waybill 120 (each only if still at 2), list 120 (invtNo assigned) then 399;
  the payment receipt of the same order gets 120 once the list is at 399 or beyond, whenever it arrives;
* a list at 399 is released (800) once its parcel has arrived (CEB507) and closed (899) once it has
  departed (CEB509), in whatever order those events and the list's own progress occur;
* customs' own decisions (faults ``review_rate``, ``inspection_rate``; deterministic under the seed by
  the list's node guid): a reviewed list gets 300 before 399; an inspected one gets 500 after 399 and is
  released (800) only once its parcel has arrived AND the inspection is over — ``inspection_release_ms``
  after the arrival, or when ``release_inspections`` (the admin endpoint) says so with
  ``inspection_manual``. The exchange ranks 300 below 399 and 500 above it: this order keeps them.
"""

from __future__ import annotations

from govmock import clock
from govmock.ceb import docs, numbering
from govmock.ceb.answer import answer_doc
from govmock.ceb.docs import Doc
from govmock.ceb.spec import SPECS
from govmock.engine.context import Context

ACCEPTED_FOR_MATCH = (2, 120)
CONCLUDED = (399, 500, 800, 899)
INSPECTION_RELEASE = "inspection_release"  # a parcel event: the inspection of its list is over
_SPEC_BY_KIND = {s.kind: s for s in SPECS.values()}


def advance(ctx: Context, doc: Doc, status: int, info: str, delay_ms: int = 0) -> None:
    doc.status = status
    docs.save(ctx.conn, doc)
    answer_doc(ctx, _SPEC_BY_KIND[doc.kind], doc, status, info, delay_ms)


def order_key(head: dict[str, str]) -> str:
    return f"{head['ebcCode']}|{head['orderNo']}"


def parcel_key(logistics_code: str, logistics_no: str) -> str:
    return f"{logistics_code}|{logistics_no}"


def try_match(ctx: Context, inventory: Doc) -> None:
    if inventory.status != 2 or inventory.void:
        return
    order = _accepted(ctx, "order", order_key(inventory.head))
    waybill = _accepted(ctx, "waybill", inventory.link_key or "")
    if order is None or waybill is None:
        return
    for doc in (order, waybill):
        if doc.status == 2:
            advance(ctx, doc, 120, "三单比对成功，海关入库 three-document match passed")
    inventory.invt_no = numbering.invt_no(ctx, inventory.head["customsCode"])
    advance(ctx, inventory, 120, "海关入库成功 entered the customs system")
    if ctx.decide(inventory.node_guid, "review", ctx.config.review_rate):
        advance(ctx, inventory, 300, "人工审核 under manual review")
    advance(ctx, inventory, 399, "海关审结 concluded by customs")
    if ctx.decide(inventory.node_guid, "inspection", ctx.config.inspection_rate):
        advance(ctx, inventory, 500, "查验 selected for inspection: the goods are held")
    payment = docs.find_live(ctx.conn, "payment", order_key(inventory.head))
    if payment is not None and payment.status == 2:
        advance(ctx, payment, 120, "收款单入库成功 payment receipt entered the customs system")
    progress(ctx, inventory)


def _accepted(ctx: Context, kind: str, key: str) -> Doc | None:
    doc = docs.find_live(ctx.conn, kind, key)
    return doc if doc is not None and doc.status in ACCEPTED_FOR_MATCH else None


def on_order(ctx: Context, order: Doc) -> None:
    inventory = docs.find_live(ctx.conn, "inventory", order.dup_key)
    if inventory is not None:
        try_match(ctx, inventory)


def on_waybill(ctx: Context, waybill: Doc) -> None:
    for inventory in docs.find_linked(ctx.conn, "inventory", waybill.dup_key, (2,)):
        try_match(ctx, inventory)


def on_payment(ctx: Context, payment: Doc) -> None:
    inventory = docs.find_live(ctx.conn, "inventory", payment.dup_key)
    if inventory is not None and inventory.status in CONCLUDED:
        advance(ctx, payment, 120, "收款单入库成功 payment receipt entered the customs system")


def on_parcels(ctx: Context, event: str, logistics_code: str, logistics_nos: list[str], guid: str) -> None:
    """Record arrivals or departures, then move every affected list as far as it can go."""
    for logistics_no in dict.fromkeys(logistics_nos):
        key = parcel_key(logistics_code, logistics_no)
        ctx.conn.execute(
            "INSERT OR IGNORE INTO parcel_events (logistics_key, event, node_guid, at) VALUES (?, ?, ?, ?)",
            (key, event, guid, clock.iso(ctx.now)),
        )
        for inventory in docs.find_linked(ctx.conn, "inventory", key, (399, 500, 800)):
            progress(ctx, inventory)


def progress(ctx: Context, inventory: Doc) -> None:
    if inventory.status == 399 and _has_event(ctx, inventory, "arrival"):
        advance(ctx, inventory, 800, "放行 released")
    if inventory.status == 500 and _has_event(ctx, inventory, "arrival") and _inspected(ctx, inventory):
        delay = 0 if ctx.config.inspection_manual else ctx.config.inspection_release_ms
        advance(ctx, inventory, 800, "查验放行 released after inspection", delay)
    if inventory.status == 800 and _has_event(ctx, inventory, "departure"):
        inventory.closed_at = clock.iso(ctx.now)
        advance(ctx, inventory, 899, "结关 closed: goods have left the country")


def _inspected(ctx: Context, inventory: Doc) -> bool:
    return not ctx.config.inspection_manual or _has_event(ctx, inventory, INSPECTION_RELEASE)


def release_inspections(ctx: Context, invt_no: str | None) -> list[str]:
    """End the inspection of the held lists (``invt_no``, or all when None): those whose parcel has
    arrived are released (800) now, the others when it arrives. Returns the list numbers released."""
    held = ctx.conn.execute(
        "SELECT * FROM ceb_docs WHERE kind = 'inventory' AND status = 500 AND void IS NULL "
        "AND (? IS NULL OR invt_no = ?) ORDER BY id",
        (invt_no, invt_no),
    ).fetchall()
    released = []
    for row in held:
        inventory = docs.row_to_doc(row)
        ctx.conn.execute(
            "INSERT OR IGNORE INTO parcel_events (logistics_key, event, node_guid, at) VALUES (?, ?, ?, ?)",
            (inventory.link_key, INSPECTION_RELEASE, inventory.node_guid, clock.iso(ctx.now)),
        )
        progress(ctx, inventory)
        released.append(inventory.invt_no or "")
    return released


def _has_event(ctx: Context, inventory: Doc, event: str) -> bool:
    row = ctx.conn.execute(
        "SELECT 1 FROM parcel_events WHERE logistics_key = ? AND event = ?", (inventory.link_key, event)
    ).fetchone()
    return row is not None
