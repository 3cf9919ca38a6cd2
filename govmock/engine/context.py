"""What a department handler sees while it processes the nodes of one message.

A :class:`Context` lives inside one write transaction. Handlers change business state through
``ctx.conn`` and announce receipts with :meth:`Context.emit`; nothing leaves the transaction until
:func:`govmock.engine.plan.plan_receipts` schedules the collected receipts, so processing a message
is all-or-nothing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from govmock import clock
from govmock.config import Settings
from govmock.faults import FaultConfig, FaultRegistry
from govmock.storage import kv

JSON_CONTENT = "application/json"
XML_CONTENT = "application/xml"


@dataclass(frozen=True)
class Outgoing:
    """A receipt decided during processing; rendered and given its ``seq`` when it is emitted."""

    node_guid: str
    message_id: str
    receipt_type: str
    content_type: str
    status: str
    body: dict[str, Any]
    offset_ms: int
    delay_ms: int = 0  # emit no sooner than this long after processing (a release that takes time)


@dataclass
class Context:
    conn: sqlite3.Connection
    settings: Settings
    faults: FaultRegistry
    department: str
    message_id: str
    message_type: str
    sender_code: str
    offset_ms: int
    real_now: float
    outgoing: list[Outgoing] = field(default_factory=list)

    @property
    def now(self) -> datetime:
        """The business "now" of this message (``X-Mock-Now`` shifted by the time since receipt)."""
        return clock.from_epoch(self.real_now + self.offset_ms / 1000)

    @property
    def config(self) -> FaultConfig:
        return self.faults.get(self.department)

    def decide(self, key: str, name: str, rate: float) -> bool:
        return self.faults.decide(self.department, key, name, rate)

    def next_value(self, name: str) -> int:
        return kv.next_value(self.conn, f"{self.department}:{name}")

    def emit(
        self,
        *,
        node_guid: str,
        message_id: str,
        receipt_type: str,
        content_type: str,
        status: str,
        body: dict[str, Any],
        delay_ms: int = 0,
    ) -> None:
        self.outgoing.append(
            Outgoing(
                node_guid, message_id, receipt_type, content_type, status, body, self.offset_ms, delay_ms
            )
        )


class Handler(Protocol):
    """Processes the nodes of one message type."""

    content: str  # "ceb" or "json": which envelope parser applies

    def process(self, ctx: Context, node: dict[str, Any]) -> None: ...
