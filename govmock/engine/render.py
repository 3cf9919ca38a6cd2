"""Rendering a receipt's ``raw`` document at the moment it is emitted.

CEB receipts are built with lxml under the ``ceb`` prefix: root ``ceb:CEBxxxMessage`` with a fresh
``guid`` (derived from the receipt id, so re-rendering is stable) and ``version="1.0"``, one return
node; a ``returnTime`` placeholder (None) is filled with the emission time in Asia/Shanghai.
JSON receipts get their ``time`` the same way.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from lxml import etree

from govmock import clock
from govmock.ceb.spec import NS, XSI

RECEIPT_NAMESPACE = uuid.UUID("5b8f3e0c-2a41-4d59-9a0e-6c1f0e7d2b33")


def derived_guid(name: str) -> str:
    return str(uuid.uuid5(RECEIPT_NAMESPACE, name)).upper()


def render(receipt_id: str, content_type: str, body: dict[str, Any], now: datetime) -> str:
    if content_type == "application/json":
        return json.dumps(
            {**body, "time": clock.shanghai(now).isoformat(timespec="milliseconds")}, ensure_ascii=False
        )
    return render_ceb(receipt_id, body, now)


def render_ceb(receipt_id: str, body: dict[str, Any], now: datetime) -> str:
    root = etree.Element(
        f"{{{NS}}}{body['root']}",
        attrib={"guid": derived_guid(f"{receipt_id}/root"), "version": "1.0"},
        nsmap={"ceb": NS, "xsi": XSI},
    )
    node = etree.SubElement(root, f"{{{NS}}}{body['node']}")
    stamp = clock.ceb_time(now, body.get("time_len", 17))
    for element, fields in body["parts"]:
        parent = node if element is None else etree.SubElement(node, f"{{{NS}}}{element}")
        for name, value in fields:
            child = etree.SubElement(parent, f"{{{NS}}}{name}")
            child.text = stamp if value is None else str(value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode("utf-8")
