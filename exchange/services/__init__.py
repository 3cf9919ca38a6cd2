"""Every write of the exchange. Domain apps call ``message_enqueue`` (inside their transaction)."""

from exchange.services.outbox import (
    envelope_deliver,
    flush_pending,
    message_enqueue,
    message_replay,
    sweep,
)
from exchange.services.receipts import poll_department, receipts_ingest, requery_overdue

__all__ = [
    "envelope_deliver",
    "flush_pending",
    "message_enqueue",
    "message_replay",
    "poll_department",
    "receipts_ingest",
    "requery_overdue",
    "sweep",
]
