"""JSON envelope parsing (protocol §1 "JSON message body").

Guarantees: the body is a UTF-8 JSON object with ``message_id``, ``message_type``, ``sent_at`` (ISO
8601), ``sender.code`` and 1..100 object ``nodes`` each with a unique upper-case UUID ``guid``;
non-standard JSON constants (NaN, Infinity) are refused.
"""

from __future__ import annotations

import json
from typing import Any

from govmock import clock
from govmock.envelope import Envelope, EnvelopeError, check_node_guids

MAX_NODES = 100


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json(body: bytes) -> tuple[Envelope, dict[str, Any]]:
    """Return the envelope and the message-level fields (``sender``, ``sent_at``)."""
    try:
        data = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise EnvelopeError("malformed", f"body is not UTF-8 JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise EnvelopeError("malformed", "body must be a JSON object")
    for name in ("message_id", "message_type", "sent_at"):
        if not isinstance(data.get(name), str):
            raise EnvelopeError("malformed", f"{name} must be a string")
    try:
        clock.parse_instant(data["sent_at"])
    except ValueError as exc:
        raise EnvelopeError("malformed", "sent_at must be an ISO 8601 instant") from exc
    sender = data.get("sender")
    if not isinstance(sender, dict) or not isinstance(sender.get("code"), str):
        raise EnvelopeError("malformed", "sender.code must be a string")
    nodes = data.get("nodes")
    if not isinstance(nodes, list) or not 1 <= len(nodes) <= MAX_NODES:
        raise EnvelopeError("malformed", f"nodes must be a list of 1..{MAX_NODES} objects")
    if not all(isinstance(n, dict) for n in nodes):
        raise EnvelopeError("malformed", "every node must be a JSON object")
    check_node_guids([n.get("guid") for n in nodes])
    envelope = Envelope(message_id=data["message_id"], message_type=data["message_type"], nodes=nodes)
    return envelope, {"sender": sender, "sent_at": data["sent_at"]}
