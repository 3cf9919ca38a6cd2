"""CEB XML bodies for the batches: ``POST orders/batch/`` with a CEB303 file, ``payments/batch/`` with
CEB403, ``waybills/batch/`` with CEB505, ``inventory-lists/batch/`` with CEB603 (``Content-Type:
application/xml``; ``?owner=<id>`` and ``?submit=false`` as query parameters), one or many business nodes
(``Order`` with its ``OrderHead`` and ``OrderList`` lines, ``Receipts``, ``Logistics``, ``Inventory``),
each becoming one row of the batch — the same service, the same answer and errors (``orders[i].field``,
``i`` the node's position) as the JSON body.

The file is parsed by the shell's safe parser (``portal.intake.safe_open.parse_xml``, defusedxml: no DTD,
no entity expansion, no external reference, nothing fetched); the CEB namespace is optional. CEB names map
to the portal's fields by spelling (``orderNo`` ↔ ``order_no``); the transfer fields (``guid``,
``appType``, ``appTime``, ``appStatus``) and names the portal does not know are ignored, and the values
are checked like the JSON body's (``accountingDate`` in CEB's ``YYYYMMDDhhmmss`` is understood).
"""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

from customs.validation.specs import ORDER_HEAD, ORDER_ITEM, PAYMENT, WAYBILL
from portal.intake.safe_open import IntakeRefused, parse_xml


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)


def _names(fields) -> dict[str, str]:
    return {_camel(spec.name): spec.name for spec in fields.specs}


# The business node of each batch: its element, its head element (None: the node is the head) and lines.
NODES = {
    "orders": ("Order", "OrderHead", _names(ORDER_HEAD), "OrderList", _names(ORDER_ITEM)),
    "payments": ("Receipts", None, _names(PAYMENT), None, {}),
    "waybills": ("Logistics", None, _names(WAYBILL), None, {}),
}


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _fields(element, names: dict) -> dict:
    return {names[_local(c.tag)]: (c.text or "").strip() for c in element if _local(c.tag) in names}


def rows_from_ceb(key: str, root) -> list[dict]:
    """The batch's rows from a CEB file: one per business node, in file order (an inventory list's
    ``Inventory`` node read as the list import reads it)."""
    if key == "lists":
        from customs.imports.importer import group_rows, list_of
        from customs.imports.xml import rows_from_ceb603

        return [list_of(group) for group in group_rows(list(rows_from_ceb603(root))).values()]
    element, head_name, head_names, line_name, line_names = NODES[key]
    rows = []
    for node in root.iter():
        if _local(node.tag) != element:
            continue
        if head_name is None:
            rows.append(_fields(node, head_names))
            continue
        row, lines = {}, []
        for part in node:
            if _local(part.tag) == head_name:
                row = _fields(part, head_names)
            elif _local(part.tag) == line_name:
                lines.append(_fields(part, line_names))
        rows.append({**row, "items": lines})
    return rows


class BatchXMLParser(BaseParser):
    """A CEB file as the batch's body: ``{"owner", "submit", <key>: rows}`` for ``create_batch``."""

    media_type = "application/xml"

    def parse(self, stream, media_type=None, parser_context=None):
        context = parser_context or {}
        key = context["view"].kind.batch_key
        try:
            root = parse_xml(stream.read() if stream is not None else b"")
        except IntakeRefused as exc:
            raise ParseError(str(exc), code=exc.code) from None
        query = context["request"].query_params
        return {
            "owner": query.get("owner"),
            "submit": query.get("submit", "true").strip().lower() not in ("false", "0", "no"),
            key: rows_from_ceb(key, root),
        }


class BatchTextXMLParser(BatchXMLParser):
    media_type = "text/xml"
