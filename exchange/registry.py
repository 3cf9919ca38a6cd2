"""Domain apps plug into the exchange here; the exchange imports none of them (ARCHITECTURE.md, layers).

``register_handlers("customs.registration", on_receipt=..., on_failure=...)`` from an app's
``AppConfig.ready()`` (several apps may register for one type; each is called):

* ``on_receipt(message, receipt)`` runs inside the transaction that applies a receipt, only when the
  receipt moves the message forward (so at most once per status, never for a duplicate or late receipt);
* ``on_failure(message)`` runs inside the transaction that marks a message failed (refused by the
  department) or dead (undeliverable until the maximum age).

A handler that raises rolls its effects back; the receipt is kept as ``handler_error`` (flagged) and the
sweeper applies it again later, so a fixed bug or a released lock lets it through.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Handlers:
    on_receipt: Callable | None = None
    on_failure: Callable | None = None


_handlers: dict[str, list[Handlers]] = {}


def register_handlers(
    message_type: str, *, on_receipt: Callable | None = None, on_failure: Callable | None = None
) -> None:
    """Add handlers for a message type; several apps may observe one type, called in registration order."""
    entry = Handlers(on_receipt=on_receipt, on_failure=on_failure)
    registered = _handlers.setdefault(message_type, [])
    if entry not in registered and (on_receipt or on_failure):
        registered.append(entry)


def _chain(functions: list[Callable]) -> Callable | None:
    if not functions:
        return None

    def call_all(*args):
        for function in functions:
            function(*args)

    return call_all


def handlers_for(message_type: str) -> Handlers:
    registered = _handlers.get(message_type, [])
    return Handlers(
        on_receipt=_chain([h.on_receipt for h in registered if h.on_receipt]),
        on_failure=_chain([h.on_failure for h in registered if h.on_failure]),
    )
