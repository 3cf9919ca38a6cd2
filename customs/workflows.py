"""The state machines of the customs documents, declared once (``portal.workflow``) and applied by the
services and by the receipt handlers (in bulk for lists).

Customs' receipts move a document forward along ``choices.PROGRESS``; a receipt may skip a step (a lost 2, a
list released without manual review), so each step can be reached from any earlier one. A late receipt never
moves a document backwards: the exchange drops it before it reaches a handler (ranks), and the table has no
backward move anyway.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from customs.choices import CANCELLABLE, PROGRESS, DocStatus, SummaryStatus
from portal.workflow import Workflow

S = DocStatus

# The verb that moves a document to each status of its progress.
STEP_VERB = {
    S.DECLARED: "declare",
    S.ENTERED: "enter",
    S.REVIEW: "review",
    S.CONCLUDED: "conclude",
    S.INSPECTION: "inspect",
    S.RELEASED: "release",
    S.CLOSED: "close",
}
VERB_LABELS = {
    "submit": _("send to customs"),
    "withdraw": _("withdraw"),
    "declare": _("accepted by China E-Port"),
    "enter": _("entered into the customs system"),
    "review": _("manual review"),
    "conclude": _("customs processing concluded"),
    "inspect": _("held for inspection"),
    "release": _("release"),
    "close": _("close"),
    "reject": _("reject"),
    "detain": _("detain"),
    "cancel": _("cancel"),
}


def _progress_moves(steps: tuple) -> dict:
    moves = {
        (S.DRAFT, "submit"): S.SUBMITTED,
        (S.REJECTED, "submit"): S.SUBMITTED,  # corrected and resubmitted (appType 2)
        (S.DRAFT, "withdraw"): S.WITHDRAWN,
        (S.REJECTED, "withdraw"): S.WITHDRAWN,
    }
    for i, src in enumerate(steps):
        for dst in steps[i + 1 :]:
            moves[(src, STEP_VERB[dst])] = dst
    last = steps[-1]
    for src in steps[:-1]:
        moves[(src, "reject")] = S.REJECTED
    for src in steps[1:-1] if last == S.CLOSED else ():
        moves[(src, "detain")] = S.DETAINED
    return moves


def _list_moves() -> dict:
    moves = _progress_moves(PROGRESS)
    # Customs refuses a list before it concludes processing; after that it detains or releases it.
    for src in (S.CONCLUDED, S.INSPECTION, S.RELEASED):
        moves.pop((src, "reject"), None)
    for src in CANCELLABLE:
        moves[(src, "cancel")] = S.CANCELLED
    return moves


INVENTORY_LIST = Workflow(
    name="customs.inventory_list",
    label=_("inventory list"),
    moves=_list_moves(),
    verbs=VERB_LABELS,
    changed_at="status_changed_at",
    stamps={"submit": ("submitted_at", ""), "release": ("released_at", ""), "close": ("closed_at", "")},
    states=DocStatus,
)

# Orders, payment receipts and waybills end when customs matched them with their list (120).
_MATCHED = (S.SUBMITTED, S.DECLARED, S.ENTERED)
ORDER = Workflow(
    name="customs.order",
    label=pgettext_lazy("customs document", "order"),
    moves=_progress_moves(_MATCHED),
    verbs=VERB_LABELS,
    changed_at="status_changed_at",
    stamps={"submit": ("submitted_at", "")},
    states=DocStatus,
)
PAYMENT = Workflow(
    name="customs.payment",
    label=_("payment receipt"),
    moves=_progress_moves(_MATCHED),
    verbs=VERB_LABELS,
    changed_at="status_changed_at",
    stamps={"submit": ("submitted_at", "")},
    states=DocStatus,
)
WAYBILL = Workflow(
    name="customs.waybill",
    label=_("waybill"),
    moves=_progress_moves(_MATCHED),
    verbs=VERB_LABELS,
    changed_at="status_changed_at",
    stamps={"submit": ("submitted_at", "")},
    states=DocStatus,
)
# Cancellations and parcel reports end when customs concluded them (399) or entered them (120).
_CONCLUDED = (S.SUBMITTED, S.DECLARED, S.ENTERED, S.CONCLUDED)
CANCELLATION = Workflow(
    name="customs.cancellation",
    label=_("list cancellation"),
    moves=_progress_moves(_CONCLUDED),
    verbs=VERB_LABELS,
    changed_at="status_changed_at",
    stamps={"submit": ("submitted_at", "")},
    states=DocStatus,
)
PARCEL_REPORT = Workflow(
    name="customs.parcel_report",
    label=_("parcel report"),
    moves=_progress_moves(_CONCLUDED),
    verbs=VERB_LABELS,
    changed_at="status_changed_at",
    stamps={"submit": ("submitted_at", "")},
    states=DocStatus,
)

SUMMARY = Workflow(
    name="customs.summary",
    label=_("summary declaration"),
    moves={
        (SummaryStatus.PREVIEW, "submit"): SummaryStatus.SUBMITTED,
        (SummaryStatus.PREVIEW, "discard"): SummaryStatus.DISCARDED,
        (SummaryStatus.SUBMITTED, "accept"): SummaryStatus.ACCEPTED,
        (SummaryStatus.SUBMITTED, "declare"): SummaryStatus.DECLARED,
        (SummaryStatus.ACCEPTED, "declare"): SummaryStatus.DECLARED,
        (SummaryStatus.SUBMITTED, "reject"): SummaryStatus.REJECTED,
        (SummaryStatus.ACCEPTED, "reject"): SummaryStatus.REJECTED,
    },
    verbs={
        "submit": _("send to customs"),
        "discard": _("discard"),
        "accept": _("accepted by customs"),
        "declare": _("export declarations formed"),
        "reject": _("reject"),
    },
    changed_at="status_changed_at",
    stamps={"submit": ("submitted_at", "")},
    states=SummaryStatus,
)
