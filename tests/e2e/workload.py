"""A reproducible workload of messages across many senders, and the exactly-once assertions."""

from collections import Counter

from django.db import transaction
from django.db.models import Count

from exchange.choices import MESSAGE_FINAL, MessageStatus, ReceiptDisposition
from exchange.models import Message, Receipt
from exchange.services import message_enqueue
from exchange.signing import signing_key_for
from portal.models import AuditEvent
from tests import factories

TYPES = ("customs.registration", "commerce.filing_status")


def make_senders(n: int):
    senders = [factories.EnterpriseFactory() for _ in range(n)]
    for sender in senders:
        signing_key_for(sender)  # issue keys up front: key generation is not what these tests measure
    return senders


def enqueue_workload(senders, per_sender: int, subject=None) -> list[int]:
    ids = []
    for sender in senders:
        with transaction.atomic():
            for i in range(per_sender):
                message_type = TYPES[i % len(TYPES)]
                payload = (
                    {
                        "uscc": sender.code,
                        "name_cn": sender.name_cn,
                        "division_code": "330100",
                        "role": "CONSIGNOR",
                        "economic_type": "6",
                    }
                    if message_type == "customs.registration"
                    else {
                        "filing_no": f"ZJKJ20261127{sender.pk:04d}{i:04d}",
                        "uscc": sender.code,
                        "status": "ACTIVE",
                        "reason": "",
                    }
                )
                ids.append(
                    message_enqueue(
                        message_type=message_type,
                        sender=sender,
                        business_key=f"{sender.code}:{i}",
                        payload=payload,
                        subject=subject,
                    ).pk
                )
    return ids


def all_final(ids) -> bool:
    return not Message.objects.filter(pk__in=ids).exclude(status__in=MESSAGE_FINAL).exists()


def progress(ids) -> Counter:
    return Counter(Message.objects.filter(pk__in=ids).values_list("status", flat=True))


def assert_effects_once(ids) -> None:
    """The domain effect of each status happened exactly once per message, in whichever process applied it."""
    from tests.effects.models import Effect

    doubled = (
        Effect.objects.filter(message_id__in=ids)
        .values("message_id", "status")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not doubled.exists(), list(doubled[:5])
    finals = dict(Message.objects.filter(pk__in=ids).values_list("pk", "receipt_status"))
    have = set(Effect.objects.filter(message_id__in=ids).values_list("message_id", "status"))
    missing = [(pk, status) for pk, status in finals.items() if (pk, status) not in have]
    assert not missing, f"final statuses without their effect: {missing[:5]}"


def assert_exactly_once(ids) -> dict:
    """Every message final and completed once; no receipt status applied twice to one message."""
    statuses = progress(ids)
    assert statuses == Counter({MessageStatus.COMPLETED: len(ids)}), statuses
    twice = (
        Receipt.objects.filter(message_id__in=ids, disposition=ReceiptDisposition.APPLIED)
        .values("message_id", "status_code")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not twice.exists(), list(twice[:5])
    completions = (
        AuditEvent.objects.filter(
            verb="receipt", to_state=MessageStatus.COMPLETED, target_id__in=[str(i) for i in ids]
        )
        .values("target_id")
        .annotate(n=Count("id"))
    )
    counts = Counter(row["n"] for row in completions)
    assert counts == Counter({1: len(ids)}), counts
    assert_effects_once(ids)
    return {
        "retried_envelopes": Message.objects.filter(pk__in=ids, envelope__attempts__gt=1)
        .values("envelope")
        .distinct()
        .count(),
        "stale_receipts": Receipt.objects.filter(
            message_id__in=ids, disposition=ReceiptDisposition.STALE
        ).count(),
        "via_poll": Receipt.objects.filter(message_id__in=ids, via="poll").count(),
    }
