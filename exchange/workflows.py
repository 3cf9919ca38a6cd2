"""The exchange's two state machines, declared once (``portal.workflow``; ADR 0027).

A ``Message`` is one business node on its way to a department and back; an ``Envelope`` is the HTTP message
that carries 1..100 of them. The exchange moves them in volume — a conditional UPDATE per batch (``filter(
status=…).update(status=…)``), a bulk update for a batch of receipts — rather than one ``transition`` per
row, so these tables are the reference its writes are held against: ``tests/exchange/test_workflows.py``
reads every status-writing UPDATE in ``exchange/services`` and fails on a move the table does not allow.
"""

from django.utils.translation import gettext_lazy as _

from exchange.choices import EnvelopeStatus, MessageStatus
from portal.workflow import Workflow

M = MessageStatus
E = EnvelopeStatus

# A receipt moves a message on (``services.receipts``): from any state but a final one the department
# answered already — a DEAD message's answer beats our give-up, and a message whose envelope was refused
# (FAILED with no receipt) may still be answered.
_RECEIPT_SOURCES = (M.PENDING, M.SENT, M.ACKNOWLEDGED, M.FAILED, M.DEAD)

MESSAGE = Workflow(
    name="exchange.message",
    label=_("message"),
    states=MessageStatus,
    moves={
        (M.PENDING, "send"): M.SENT,  # the department acknowledged the envelope
        (M.PENDING, "refuse"): M.FAILED,  # the department refused the envelope outright
        (M.PENDING, "expire"): M.DEAD,  # transient failures past the maximum age
        (M.SENT, "resend"): M.PENDING,  # the department did not know the envelope: sent again
        **{(src, "acknowledge"): M.ACKNOWLEDGED for src in _RECEIPT_SOURCES},
        **{(src, "complete"): M.COMPLETED for src in _RECEIPT_SOURCES},
        **{(src, "fail"): M.FAILED for src in _RECEIPT_SOURCES},
        (M.DEAD, "replay"): M.PENDING,  # an administrator replays it (``services.replay``)
        (M.FAILED, "replay"): M.PENDING,
    },
    verbs={
        "send": _("send"),
        "refuse": _("refused by the department"),
        "expire": _("give up"),
        "resend": _("send again"),
        "acknowledge": _("received by the department"),
        "complete": _("complete"),
        "fail": _("fail"),
        "replay": _("replay"),
    },
)

ENVELOPE = Workflow(
    name="exchange.envelope",
    label=_("envelope"),
    states=EnvelopeStatus,
    moves={
        (E.PENDING, "claim"): E.SENDING,  # a worker claims it (one conditional UPDATE: one winner)
        (E.SENDING, "deliver"): E.SENT,
        (E.SENDING, "refuse"): E.FAILED,
        (E.SENDING, "expire"): E.DEAD,
        (E.SENDING, "retry"): E.PENDING,  # a transient failure (backoff), or the worker died (the sweeper)
        (E.SENT, "resend"): E.PENDING,  # the department did not know it
    },
    verbs={
        "claim": _("claim"),
        "deliver": _("deliver"),
        "refuse": _("refused by the department"),
        "expire": _("give up"),
        "retry": _("retry"),
        "resend": _("send again"),
    },
)
