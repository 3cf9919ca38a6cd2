"""Closed inventory lists written straight into the tables (as customs' receipts leave them), and customs'
answers to a summary application (CEB702, CEB792) rendered by govmock's own renderer, for summary tests."""

import itertools
import uuid
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from customs.choices import DocStatus
from customs.models import InventoryItem, InventoryList
from exchange.services import receipts_ingest
from govmock.engine.render import render_ceb
from tests.customs.builders import list_head

SHANGHAI = ZoneInfo("Asia/Shanghai")
CLOSED_AT = datetime(2025, 2, 10, 12, 0, tzinfo=SHANGHAI)
_numbers = itertools.count(1)
_seq = itertools.count(1)
ROW_FIELDS = ("gcode", "country", "currency", "qty1", "unit1", "total_price")


def row(gcode="6109100010", country="502", currency="142", qty1="1", unit1="011", total="10.00", **extra):
    return {
        "gcode": gcode,
        "country": country,
        "currency": currency,
        "qty1": qty1,
        "unit1": unit1,
        "total_price": total,
        **extra,
    }


def closed_list(owner, *rows, closed_at=CLOSED_AT, status=DocStatus.CLOSED, **head) -> InventoryList:
    """A list of ``owner`` closed (899) at ``closed_at`` with ``rows`` (``row(...)`` dicts)."""
    n = next(_numbers)
    data = list_head(cop_no=f"COP-S{n:06d}", order_no=f"SO-S{n:06d}", logistics_no=f"WBS{n:06d}")
    data.update(head)
    data.setdefault("invt_no", f"29012025E{n:09d}")
    rows = rows or (row(),)
    inventory = InventoryList.objects.create(
        owner=owner,
        filer=owner,
        status=status,
        closed_at=closed_at if status == DocStatus.CLOSED else None,
        total_value=sum(Decimal(r["total_price"]) for r in rows),
        currency=rows[0]["currency"],
        line_count=len(rows),
        **data,
    )
    InventoryItem.objects.bulk_create(
        InventoryItem(
            inventory=inventory,
            gnum=i,
            item_no=f"SKU-{i}",
            item_name=r.get("item_name", "T恤"),
            gname=r.get("gname", "针织T恤"),
            gmodel="棉",
            qty=r["qty1"],
            unit=r["unit1"],
            price=Decimal(r["total_price"]) / Decimal(r["qty1"]),
            qty2=r.get("qty2"),
            unit2=r.get("unit2", ""),
            **{k: r[k] for k in ROW_FIELDS},
        )
        for i, r in enumerate(rows, start=1)
    )
    return inventory


def _item(message, root: str, node: str, parts, status: str) -> dict:
    receipt_id = str(uuid.uuid4()).upper()
    body = {"root": root, "node": node, "parts": parts, "time_len": 17}
    return {
        "seq": next(_seq),
        "receipt_id": receipt_id,
        "department": "customs",
        "message_id": str(uuid.uuid4()).upper(),
        "node_guid": message.message_id,
        "receipt_type": root,
        "content_type": "application/xml",
        "raw": render_ceb(receipt_id, body, datetime(2025, 3, 5, 10, 0, tzinfo=SHANGHAI)),
    }


def summary_return(message, status: str, info: str = "", sum_no: str = "") -> dict:
    fields = [["guid", message.message_id], ["sumNo", sum_no], ["returnStatus", status], ["returnTime", None]]
    fields.append(["returnInfo", info])
    return _item(message, "CEB702Message", "SummaryReturn", [[None, fields]], status)


def summary_result(message, entry_id: str, lists, *, seq: int = 1, count: int = 1, sum_no: str = "") -> dict:
    """One CEB792 naming every line of ``lists`` as covered by declaration ``entry_id``."""
    head = [
        ["guid", message.message_id],
        ["customsCode", "2901"],
        ["sumNo", sum_no],
        ["opDate", "20250305100000"],
        ["declSeqNo", f"SEQ{seq}"],
        ["entryId", entry_id],
        ["decState", "R"],
        ["msgCount", str(count)],
        ["msgSeqNo", str(seq)],
        ["returnStatus", "399"],
        ["returnTime", None],
        ["returnInfo", "ok"],
    ]
    parts = [["SummaryResultHead", head]]
    for inventory in lists:
        for line in inventory.items.all():
            parts.append(
                [
                    "SummaryResultList",
                    [
                        ["invtNo", inventory.invt_no],
                        ["logisticsNo", inventory.logistics_no],
                        ["gnum", str(line.gnum)],
                        ["gcode", line.gcode],
                    ],
                ]
            )
    return _item(message, "CEB792Message", "SummaryResult", parts, "399")


def ingest(*items) -> dict:
    return receipts_ingest(list(items), via="callback", department="customs")
