"""Every write of the exchange. Domain apps call ``message_enqueue`` (inside their transaction)."""

from exchange.services.batching import messages_flush
from exchange.services.delivery import envelope_deliver
from exchange.services.enqueue import BulkOutbox, message_enqueue, messages_enqueue_bulk
from exchange.services.polling import messages_requery_overdue, receipts_poll
from exchange.services.receipts import receipts_ingest, receipts_retry_failed
from exchange.services.replay import message_replay
from exchange.services.sweeper import outbox_sweep

__all__ = [
    "BulkOutbox",
    "envelope_deliver",
    "message_enqueue",
    "message_replay",
    "messages_enqueue_bulk",
    "messages_flush",
    "messages_requery_overdue",
    "outbox_sweep",
    "receipts_ingest",
    "receipts_poll",
    "receipts_retry_failed",
]
