"""Customs receipts as govmock sends them (its own renderer), fed to the exchange's ingest, for tests."""

import itertools
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from exchange.services import receipts_ingest
from govmock.engine.render import render_ceb

_seq = itertools.count(1)
RECEIPT = {
    "CEB303Message": ("CEB304Message", "OrderReturn"),
    "CEB403Message": ("CEB404Message", "ReceiptsReturn"),
    "CEB505Message": ("CEB506Message", "LogisticsReturn"),
    "CEB507Message": ("CEB508Message", "ArrivalReturn"),
    "CEB509Message": ("CEB510Message", "DepartureReturn"),
    "CEB603Message": ("CEB604Message", "InventoryReturn"),
    "CEB605Message": ("CEB606Message", "InvtCancelReturn"),
    "CEB607Message": ("CEB608Message", "WayBillReturn"),
}
AT = datetime(2025, 3, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def item(message, status: str, info: str = "", *, at: datetime = AT, **keys) -> dict:
    """One receipt item for ``message`` (an ``exchange.Message``): ``keys`` are the return node's business
    keys (``invtNo="…"``); ``status`` ``-900`` makes it a CEB900 ``MessageReturn``."""
    receipt_id = str(uuid.uuid4()).upper()
    if status == "-900":
        root, node, fields, length = "CEB900Message", "MessageReturn", [["guid", message.message_id]], 14
    else:
        root, node = RECEIPT[message.message_type]
        fields, length = [["guid", message.message_id], *keys.items()], 17
    fields = [*fields, ["returnStatus", status], ["returnTime", None], ["returnInfo", info]]
    body = {"root": root, "node": node, "parts": [[None, fields]], "time_len": length}
    return {
        "seq": next(_seq),
        "receipt_id": receipt_id,
        "department": "customs",
        "message_id": str(uuid.uuid4()).upper(),
        "node_guid": message.message_id,
        "receipt_type": root,
        "content_type": "application/xml",
        "raw": render_ceb(receipt_id, body, at),
    }


def ingest(*items) -> dict:
    return receipts_ingest(list(items), via="callback", department="customs")
