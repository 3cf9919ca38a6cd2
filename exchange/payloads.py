"""Building the bytes of an envelope: CEB XML (lxml) or the JSON envelope of docs/exchange-protocol.md.

A CEB node payload keeps its fields as ``[name, value]`` pairs, because the CEB schemas fix element order and
PostgreSQL ``jsonb`` does not keep object key order. A node has either parts (head and list elements) or
fields of its own (``Logistics``, ``Receipts``, ``InvtCancel``):

    {"element": "Order", "parts": [
        {"element": "OrderHead", "fields": [["appType", "1"], ...]},
        {"element": "OrderList", "fields": [["gnum", 1], ...]}]}
    {"element": "Logistics", "fields": [["appType", "1"], ...]}

The node ``guid`` is inserted here as the first field (of the first part): it is the ``Message.message_id``.
"""

import json
from datetime import datetime

from django.utils import timezone
from lxml import etree

from exchange.catalog import CEB_NAMESPACE

XSI = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP = {"ceb": CEB_NAMESPACE, "xsi": XSI}


def _q(name: str) -> str:
    return f"{{{CEB_NAMESPACE}}}{name}"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _ceb_fields(element, fields, guid: str | None) -> None:
    fields = list(fields)
    if guid is not None:
        fields = [["guid", guid], *[f for f in fields if f[0] != "guid"]]
    for name, value in fields:
        etree.SubElement(element, _q(name)).text = _text(value)


def _ceb_node(parent, payload: dict, guid: str) -> None:
    node = etree.SubElement(parent, _q(payload["element"]))
    if "fields" in payload:
        _ceb_fields(node, payload["fields"], guid)
        return
    for index, part in enumerate(payload["parts"]):
        _ceb_fields(etree.SubElement(node, _q(part["element"])), part["fields"], guid if index == 0 else None)


def ceb_body(*, envelope_id: str, message_type: str, messages, sender, dxp_id: str) -> bytes:
    root = etree.Element(_q(message_type), nsmap=NSMAP)
    root.set("guid", envelope_id)
    root.set("version", "1.0")
    for message in messages:
        _ceb_node(root, message.payload, message.message_id)
    transfer = etree.SubElement(root, _q("BaseTransfer"))
    for name, value in (
        ("copCode", sender.code),
        ("copName", sender.name_cn),
        ("dxpMode", "DXP"),
        ("dxpId", dxp_id),
        ("note", ""),
    ):
        etree.SubElement(transfer, _q(name)).text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def json_body(
    *, envelope_id: str, message_type: str, messages, sender, sent_at: datetime | None = None
) -> bytes:
    document = {
        "message_id": envelope_id,
        "message_type": message_type,
        "sent_at": timezone.localtime(sent_at or timezone.now()).isoformat(),
        "sender": {"code": sender.code, "name": sender.name_cn},
        "nodes": [{"guid": m.message_id, "business_key": m.business_key, **m.payload} for m in messages],
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")
