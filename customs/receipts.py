"""Customs receipts drive the documents (DOMAIN §3.6), a batch at a time (bound in ``customs.apps``).

The exchange calls ``handler(model)`` with ``[(document, message, receipt), ...]`` (up to 100, the documents
locked). Each receipt's ``returnStatus`` becomes a move of the document's workflow (``customs.choices``:
2/3 DECLARED, 120 ENTERED, 300 REVIEW, 399 CONCLUDED, 500 INSPECTION, 800 RELEASED, 899 CLOSED; 100, 4,
-900 and other negative codes — ``-304001`` duplicate — REJECTED; 501–503, 599, 700 DETAINED), applied with
``bulk_transition`` (one conditional UPDATE per source state, audit events in one INSERT) grouped by move,
then one multi-row UPDATE (``portal.bulk.update_rows``) for what each document keeps of the receipt:
customs' last word (``customs_status``, ``customs_info``, ``customs_at``), a list's ``invtNo`` and
``preNo``, its ``released_at`` / ``closed_at`` (customs' own time of the receipt).

* A receipt of a message that is no longer the document's ``message`` (a resubmission superseded it) is
  ignored; a move the workflow does not allow (a late 800 after the inspection app released the list)
  changes the status of nothing, customs' last word is still recorded.
* A cancellation concluded by customs (CEB606 399) cancels its list.
* A list held for inspection (500) fires ``customs.signals.list_held`` after commit: the inspection seam.
* Exceptions only, as digests: one notification per enterprise (owner, and filer when another) per batch
  and kind of exception ("3 inventory lists were rejected by customs"), none for normal progress.
"""

from collections import defaultdict
from functools import cache

from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customs.choices import DETAINING_CODES, RECEIPT_STATUS, REJECTING_CODES, DocStatus
from customs.models import Cancellation, InventoryList, Order, ParcelReport, Payment, Waybill
from customs.signals import list_held
from customs.workflows import CANCELLATION, INVENTORY_LIST, ORDER, PARCEL_REPORT, PAYMENT, STEP_VERB, WAYBILL
from portal.bulk import update_rows
from portal.choices import Role
from portal.models import User
from portal.services.notifications import notify
from portal.workflow import bulk_transition

WORKFLOWS = {
    InventoryList: INVENTORY_LIST,
    Order: ORDER,
    Payment: PAYMENT,
    Waybill: WAYBILL,
    Cancellation: CANCELLATION,
    ParcelReport: PARCEL_REPORT,
}
KINDS = {
    InventoryList: "list",
    Order: "order",
    Payment: "payment",
    Waybill: "waybill",
    Cancellation: "cancellation",
    ParcelReport: "report",
}
# The digest's page: the enterprise's list of documents, once the pages exist (empty link until then).
DIGEST_URL_NAME = "customs:lists"
DIGESTS = {
    "reject": _("Customs rejected %(count)d of your %(documents)s"),
    "detain": _("Customs detained the goods of %(count)d of your %(documents)s"),
    "inspect": _("Customs held %(count)d of your %(documents)s for inspection"),
}
DIGEST_BODY = _("Open each one to see customs' reason and what to do next.")
INFO_LIMIT = 4000


def verb_for(code: str) -> str | None:
    """The workflow verb a ``returnStatus`` means, or None (1: saved only; an unknown code)."""
    if code in REJECTING_CODES or (code.startswith("-") and code[1:].isdigit()):
        return "reject"
    if code in DETAINING_CODES:
        return "detain"
    status = RECEIPT_STATUS.get(code)
    return STEP_VERB.get(status) if status else None


def _keep(doc, receipt, now) -> None:
    """What the document keeps of the receipt, in memory (saved by one ``update_rows``)."""
    doc.customs_status = receipt.status_code[:20]
    doc.customs_info = (receipt.info or "")[:INFO_LIMIT]
    doc.customs_at = receipt.produced_at or now
    data = receipt.data or {}
    for attr, key in (("invt_no", "invtNo"), ("pre_no", "preNo")):
        value = str(data.get(key) or "")
        if value and hasattr(doc, attr) and len(value) <= 18:
            setattr(doc, attr, value)


def _plan(batch, workflow, now):
    """``(rounds, docs)``: per round, ``{(verb, code): [pks]}`` (a document's first move in round 0, its
    second in round 1…), and the documents to update. Receipts of superseded messages are left out."""
    rounds: list[dict] = []
    docs, planned, moved = {}, {}, defaultdict(int)
    for doc, message, receipt in batch:
        if doc.message_id != message.pk:
            continue
        docs[doc.pk] = doc
        _keep(doc, receipt, now)
        verb = verb_for(receipt.status_code)
        current = planned.get(doc.pk, doc.status)
        if verb is None or (current, verb) not in workflow.moves:
            continue
        target = workflow.moves[(current, verb)]
        planned[doc.pk] = target
        if target == DocStatus.RELEASED and hasattr(doc, "released_at"):
            doc.released_at = doc.customs_at
        if target == DocStatus.CLOSED and hasattr(doc, "closed_at"):
            doc.closed_at = doc.customs_at
        index = moved[doc.pk]
        moved[doc.pk] += 1
        if len(rounds) <= index:
            rounds.append(defaultdict(list))
        rounds[index][(verb, receipt.status_code)].append(doc.pk)
    return rounds, docs, planned


def _fields(model) -> list[str]:
    names = ["customs_status", "customs_info", "customs_at"]
    if model is InventoryList:
        names += ["invt_no", "pre_no", "released_at", "closed_at"]
    if model is ParcelReport:
        names.append("pre_no")
    return names


def apply_receipts(batch, *, model) -> dict[str, list]:
    """Apply a batch of receipts to documents of ``model``; returns ``{verb: [documents moved]}``."""
    workflow, now = WORKFLOWS[model], timezone.now()
    rounds, docs, planned = _plan(batch, workflow, now)
    for moves in rounds:
        for (verb, code), pks in moves.items():
            bulk_transition(
                model._base_manager.filter(pk__in=pks), verb, workflow=workflow, payload={"code": code}
            )
    if docs:
        update_rows(model, list(docs.values()), _fields(model))
    by_verb: dict[str, list] = defaultdict(list)
    for moves in rounds:
        for (verb, _code), pks in moves.items():
            by_verb[verb] += [docs[pk] for pk in pks]
    for pk, status in planned.items():
        docs[pk].status = status
    return by_verb


@cache
def handler(model):
    """The ``on_receipts`` binding of ``model``'s message types (one function per model, so binding it
    again registers nothing twice)."""

    def on_receipts(batch) -> None:
        moved = apply_receipts(batch, model=model)
        if model is Cancellation and moved.get("conclude"):
            _cancel_lists(moved["conclude"])
        if model is InventoryList and moved.get("inspect"):
            held = [doc.pk for doc in moved["inspect"]]
            transaction.on_commit(lambda: list_held.send(sender=InventoryList, list_ids=held))
        _digest(model, moved)

    on_receipts.__name__ = f"on_{KINDS[model]}_receipts"
    return on_receipts


def _cancel_lists(cancellations) -> None:
    """Customs concluded these cancellations (CEB606 399): their lists are cancelled."""
    by_reason = defaultdict(list)
    for cancellation in cancellations:
        by_reason[cancellation.reason].append(cancellation.inventory_id)
    for reason, pks in by_reason.items():
        bulk_transition(
            InventoryList.objects.filter(pk__in=pks),
            "cancel",
            workflow=INVENTORY_LIST,
            reason=reason,
            extra_updates={"customs_status": "606:399", "customs_at": timezone.now()},
        )


def _digest(model, moved: dict[str, list]) -> None:
    """One notification per enterprise and kind of exception in this batch; none for normal progress."""
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for verb in DIGESTS:
        for doc in moved.get(verb, ()):
            for org_id in {doc.owner_id, doc.filer_id}:
                counts[(org_id, verb)] += 1
    if not counts:
        return
    staff = defaultdict(list)
    for user in User.objects.filter(
        Q(groups__name=Role.ENTERPRISE_ADMIN) | Q(groups__name=Role.ENTERPRISE_OPERATOR),
        organisation_id__in={org for org, _verb in counts},
        is_active=True,
    ).distinct():
        staff[user.organisation_id].append(user)
    documents = model._meta.verbose_name_plural
    for (org_id, verb), count in sorted(counts.items()):
        notify(
            recipients=staff[org_id],
            verb=f"customs.{KINDS[model]}.{verb}",
            title=DIGESTS[verb],
            body=DIGEST_BODY,
            params={"count": count, "documents": documents},
            url=_digest_url(verb),
        )


DIGEST_STATUS = {"reject": DocStatus.REJECTED, "detain": DocStatus.DETAINED, "inspect": DocStatus.INSPECTION}


def _digest_url(verb: str) -> str:
    try:
        return f"{reverse(DIGEST_URL_NAME)}?status={DIGEST_STATUS[verb]}"
    except NoReverseMatch:
        return ""


def on_failure(subject, message) -> None:
    """The department refused the message outright or it became undeliverable: the document is rejected
    (correct and send again), with the exchange's reason as customs' last word."""
    if subject.message_id != message.pk:
        return
    workflow = WORKFLOWS[type(subject)]
    if (subject.status, "reject") not in workflow.moves:
        return
    subject.customs_info = (message.last_error or message.receipt_info or "")[:INFO_LIMIT]
    subject.customs_at = timezone.now()
    bulk_transition(
        type(subject)._base_manager.filter(pk=subject.pk),
        "reject",
        workflow=workflow,
        payload={"code": "transport"},
    )
    type(subject)._base_manager.filter(pk=subject.pk).update(
        customs_info=subject.customs_info, customs_at=subject.customs_at
    )
