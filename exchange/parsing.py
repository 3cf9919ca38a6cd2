"""Reading what departments send back. Hostile input is expected: XML is parsed with defusedxml only.

Returns a ``ParsedReceipt`` or raises ``ReceiptParseError``; never trusts the transport wrapper's routing
hints over the department's own document.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.utils import timezone

from exchange.catalog import CEB_NAMESPACE

_NS = f"{{{CEB_NAMESPACE}}}"
MAX_RAW_CHARS = 2_000_000


class ReceiptParseError(ValueError):
    pass


@dataclass
class ParsedReceipt:
    node_guid: str
    status: str
    info: str = ""
    data: dict = field(default_factory=dict)
    produced_at: datetime | None = None


def _local(tag: str) -> str:
    return tag[len(_NS) :] if tag.startswith(_NS) else tag.rsplit("}", 1)[-1]


def _flat(element) -> dict:
    return {_local(child.tag): (child.text or "").strip() for child in element if len(child) == 0}


def _parse_time(value: str) -> datetime | None:
    for fmt, size in (("%Y%m%d%H%M%S%f", 17), ("%Y%m%d%H%M%S", 14)):
        if len(value) == size:
            try:
                raw = value if size == 14 else value[:14] + value[14:].ljust(6, "0")
                return datetime.strptime(raw, fmt).replace(tzinfo=timezone.get_fixed_timezone(480))
            except ValueError:
                return None
    return None


def parse_ceb(raw: str) -> ParsedReceipt:
    try:
        root = SafeET.fromstring(raw.encode("utf-8"), forbid_dtd=True)
    except (SafeET.ParseError, DefusedXmlException, ValueError, RecursionError) as exc:
        raise ReceiptParseError(f"not a readable CEB receipt: {exc}") from exc
    nodes = [
        child for child in root if _local(child.tag) not in ("BaseTransfer", "BaseSubscribe", "Signature")
    ]
    if not nodes:
        raise ReceiptParseError("the receipt has no return node")
    node = nodes[0]
    name = _local(node.tag)
    if name == "SummaryResult":
        head = next((c for c in node if _local(c.tag) == "SummaryResultHead"), None)
        if head is None:
            raise ReceiptParseError("SummaryResult without SummaryResultHead")
        data = _flat(head)
        data["items"] = [_flat(c) for c in node if _local(c.tag) == "SummaryResultList"]
        guid = data.get("guid", "")
        return ParsedReceipt(
            node_guid=guid.upper(),
            status="SUMMARY_RESULT",
            info=data.get("note", ""),
            data=data,
            produced_at=_parse_time(data.get("opDate", "")),
        )
    data = _flat(node)
    guid, status = data.get("guid", ""), data.get("returnStatus", "")
    if not guid or not status:
        raise ReceiptParseError(f"{name} lacks guid or returnStatus")
    return ParsedReceipt(
        node_guid=guid.upper(),
        status=status,
        info=data.get("returnInfo", ""),
        data=data,
        produced_at=_parse_time(data.get("returnTime", "")),
    )


def parse_json(raw: str) -> ParsedReceipt:
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ReceiptParseError(f"not JSON: {exc}") from exc
    if not isinstance(doc, dict) or not doc.get("status"):
        raise ReceiptParseError("a JSON receipt needs an object with a status")
    produced = None
    if doc.get("time"):
        try:
            produced = datetime.fromisoformat(str(doc["time"]))
        except ValueError:
            produced = None
    data = doc.get("data") if isinstance(doc.get("data"), dict) else {}
    return ParsedReceipt(
        node_guid=str(doc.get("guid") or "").upper(),
        status=str(doc["status"]),
        info=str(doc.get("info") or ""),
        data=data,
        produced_at=produced,
    )


def parse(content_type: str, raw: str) -> ParsedReceipt:
    if len(raw) > MAX_RAW_CHARS:
        raise ReceiptParseError("receipt too large")
    if "xml" in content_type:
        return parse_ceb(raw)
    return parse_json(raw)
