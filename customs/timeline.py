"""The customs documents' timeline: each receipt in plain words with what to do next (``receipt_texts``),
for everyone who sees the document — the seller, its agent, the parties, officers. Officers also get the
raw code and message behind the timeline's technical details, and the link to the raw receipt.

Registered with ``portal.ui.register_timeline_source``; the exchange's own source leaves these documents'
receipts to this one (``exchange_timeline_receipts = False`` on ``CustomsDocument``) and still shows their
messages (sent, queued, overdue) to the sender.
"""

from django.urls import reverse

from customs.receipt_texts import explain
from customs.receipts import KINDS
from exchange.models import Receipt
from portal.ui import TimelineEntry


def customs_timeline(obj, user) -> list[TimelineEntry]:
    officer = user.is_superuser or user.has_perm(obj.view_all_permission)
    kind = KINDS[type(obj)]
    receipts = (
        Receipt.objects.filter(message__in=_messages(obj), status_code__gt="")
        .exclude(disposition__in=("unmatched", "unparseable"))
        .order_by("received_at", "id")
    )
    entries = []
    for receipt in receipts:
        explained = explain(kind, receipt.status_code, receipt.info)
        entries.append(
            TimelineEntry(
                at=receipt.produced_at or receipt.received_at,
                kind="receipt",
                title=explained.title,
                detail=explained.next_step,
                code=receipt.status_code if officer else "",
                raw_url=reverse("exchange:receipt-raw", args=[receipt.pk]) if officer else "",
                tone=explained.tone,
                technical=[("returnStatus", receipt.status_code), ("returnInfo", receipt.info)]
                if officer
                else [],
            )
        )
    return entries


def _messages(obj):
    from exchange.models import Message

    return Message.objects.for_subject(obj).values("pk")
