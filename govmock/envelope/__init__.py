"""Parsing what the portal sends: CEB XML and JSON envelopes (protocol §1).

Both parsers return an :class:`Envelope` or raise :class:`EnvelopeError` carrying the protocol's
400 error code. They check the envelope only; field-level validation of each node is the
department's job and is answered by a receipt (CEB900 / SCHEMA_ERROR), not by an HTTP error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

UUID_RE = re.compile(r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}")


class EnvelopeError(Exception):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Envelope:
    message_id: str
    message_type: str
    nodes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def node_guids(self) -> list[str]:
        return [n["guid"] for n in self.nodes]


def check_node_guids(guids: list[str]) -> None:
    for position, guid in enumerate(guids, start=1):
        if not isinstance(guid, str) or not UUID_RE.fullmatch(guid):
            raise EnvelopeError("malformed", f"node {position}: guid must be an upper-case UUID with hyphens")
    if len(set(guids)) != len(guids):
        raise EnvelopeError("malformed", "two nodes in one message share a guid")
