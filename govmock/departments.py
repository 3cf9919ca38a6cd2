"""Which message types each department accepts, and the handler for each.

The single source for routing: the submit endpoint refuses a type not listed for the department,
and the dispatcher processes each message with the handler named here.
"""

from __future__ import annotations

from govmock.ceb.handler import HANDLERS as CEB_HANDLERS
from govmock.depts import ciq, commerce, customs_json, safe, tax
from govmock.engine.context import Handler
from govmock.faults import DEPARTMENTS

HANDLERS: dict[str, dict[str, Handler]] = {
    "customs": {**CEB_HANDLERS, **customs_json.HANDLERS},
    "ciq": dict(ciq.HANDLERS),
    "safe": dict(safe.HANDLERS),
    "tax": dict(tax.HANDLERS),
    "commerce": dict(commerce.HANDLERS),
}

assert set(HANDLERS) == set(DEPARTMENTS)
