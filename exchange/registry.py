"""Domain apps plug into the exchange here; the exchange imports none of them (ARCHITECTURE.md, layers).

``register_handlers("customs.registration", on_receipt=..., on_failure=...)`` from an app's
``AppConfig.ready()``:

* ``on_receipt(message, receipt)`` runs inside the transaction that applies a receipt, only when the
  receipt moves the message forward (so at most once per status, never for a duplicate or late receipt);
* ``on_failure(message)`` runs inside the transaction that marks a message failed (refused by the
  department) or dead (undeliverable until the maximum age).

A handler that raises rolls the receipt back; it stays unapplied and is retried by the next poll.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Handlers:
    on_receipt: Callable | None = None
    on_failure: Callable | None = None


_handlers: dict[str, Handlers] = {}


def register_handlers(
    message_type: str, *, on_receipt: Callable | None = None, on_failure: Callable | None = None
) -> None:
    _handlers[message_type] = Handlers(on_receipt=on_receipt, on_failure=on_failure)


def handlers_for(message_type: str) -> Handlers:
    return _handlers.get(message_type, Handlers())
