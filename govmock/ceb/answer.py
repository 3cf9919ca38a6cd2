"""Building customs receipts (DOMAIN §3.4, §3.6) and handing them to the context.

Every return node carries, in order: ``guid`` (the answered node's guid), the business keys of its
receipt type (those with a value), ``returnStatus``, ``returnTime`` (filled at emission), ``returnInfo``.
CEB900 ``MessageReturn`` has a 14-character ``returnTime`` (DOMAIN §0); all others 17.
"""

from __future__ import annotations

from typing import Any

from govmock.ceb.docs import Doc
from govmock.ceb.spec import MessageSpec
from govmock.engine.context import XML_CONTENT, Context

CEB900 = "CEB900Message"
FORMAT_ERROR = "-900"
DUPLICATE = "-304001"


def emit_return(
    ctx: Context,
    spec: MessageSpec,
    *,
    guid: str,
    message_id: str,
    values: dict[str, str],
    status: int | str,
    info: str,
    delay_ms: int = 0,
) -> None:
    fields: list[list[Any]] = [["guid", guid]]
    fields += [[key, values[key]] for key in spec.return_keys if values.get(key)]
    fields += [["returnStatus", str(status)], ["returnTime", None], ["returnInfo", info]]
    body = {"root": spec.receipt_type, "node": spec.return_node, "parts": [[None, fields]], "time_len": 17}
    ctx.emit(
        node_guid=guid,
        message_id=message_id,
        receipt_type=spec.receipt_type,
        content_type=XML_CONTENT,
        status=str(status),
        body=body,
        delay_ms=delay_ms,
    )


def answer_node(ctx: Context, spec: MessageSpec, node: dict[str, Any], status: int | str, info: str) -> None:
    """Answer a node that did not (or not yet) become a stored document."""
    emit_return(
        ctx, spec, guid=node["guid"], message_id=ctx.message_id, values=node["head"], status=status, info=info
    )


def answer_doc(ctx: Context, spec: MessageSpec, doc: Doc, status: int, info: str, delay_ms: int = 0) -> None:
    values = {**doc.head, **doc.numbers()}
    emit_return(
        ctx,
        spec,
        guid=doc.node_guid,
        message_id=doc.message_id,
        values=values,
        status=status,
        info=info,
        delay_ms=delay_ms,
    )


def format_error(ctx: Context, node: dict[str, Any], info: str) -> None:
    fields = [
        ["guid", node["guid"]],
        ["returnStatus", FORMAT_ERROR],
        ["returnTime", None],
        ["returnInfo", info],
    ]
    body = {"root": CEB900, "node": "MessageReturn", "parts": [[None, fields]], "time_len": 14}
    ctx.emit(
        node_guid=node["guid"],
        message_id=ctx.message_id,
        receipt_type=CEB900,
        content_type=XML_CONTENT,
        status=FORMAT_ERROR,
        body=body,
    )
