"""Reads of the exchange: what a user may see, latency percentiles, outbox health per department."""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, Min, Q
from django.utils import timezone

from exchange import catalog
from exchange.choices import Department, EnvelopeStatus, MessageStatus
from exchange.models import DepartmentState, Envelope, Message, Receipt
from exchange.registry import subject_link_of

SAMPLE = 500


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def latency_percentiles(*, department: str, message_type: str | None = None) -> dict:
    """p50/p95 seconds from sending to first and to final receipt over the last 500 finished messages."""
    key = f"exchange:latency:{department}:{message_type or '*'}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    qs = Message.objects.filter(
        department=department, finished_at__isnull=False, sent_at__isnull=False, acknowledged_at__isnull=False
    )
    if message_type:
        qs = qs.filter(message_type=message_type)
    rows = list(qs.order_by("-finished_at").values_list("sent_at", "acknowledged_at", "finished_at")[:SAMPLE])
    first = [max(0.0, (ack - sent).total_seconds()) for sent, ack, _ in rows]
    final = [max(0.0, (done - sent).total_seconds()) for sent, _, done in rows]
    stats = {
        "samples": len(rows),
        "first_p50": _percentile(first, 0.5),
        "first_p95": _percentile(first, 0.95),
        "final_p50": _percentile(final, 0.5),
        "final_p95": _percentile(final, 0.95),
    }
    cache.set(key, stats, 60)
    return stats


def outbox_health() -> list[dict]:
    """One row per department for the administrators' health page."""
    now = timezone.now()
    counts = {
        row["department"]: row
        for row in Message.objects.values("department").annotate(
            pending=Count("id", filter=Q(status=MessageStatus.PENDING)),
            in_flight=Count("id", filter=Q(status__in=[MessageStatus.SENT, MessageStatus.ACKNOWLEDGED])),
            failed=Count("id", filter=Q(status=MessageStatus.FAILED)),
            dead=Count("id", filter=Q(status=MessageStatus.DEAD)),
            overdue=Count(
                "id",
                filter=Q(
                    overdue_at__isnull=False, status__in=[MessageStatus.SENT, MessageStatus.ACKNOWLEDGED]
                ),
            ),
            oldest_pending=Min("created_at", filter=Q(status=MessageStatus.PENDING)),
        )
    }
    retrying = dict(
        Envelope.objects.filter(status=EnvelopeStatus.PENDING, attempts__gt=0)
        .values("department")
        .annotate(n=Count("id"))
        .values_list("department", "n")
    )
    states = {s.department: s for s in DepartmentState.objects.all()}
    rows = []
    for code, label in Department.choices:
        row = counts.get(code, {})
        oldest = row.get("oldest_pending")
        rows.append(
            {
                "department": code,
                "label": label,
                "pending": row.get("pending", 0),
                "retrying": retrying.get(code, 0),
                "in_flight": row.get("in_flight", 0),
                "failed": row.get("failed", 0),
                "dead": row.get("dead", 0),
                "overdue": row.get("overdue", 0),
                "oldest_pending_seconds": (now - oldest).total_seconds() if oldest else None,
                "latency": latency_percentiles(department=code),
                "state": states.get(code),
            }
        )
    return rows


def messages_for(subject, user):
    return (
        Message.objects.visible_to(user)
        .for_subject(subject)
        .select_related("envelope")
        .prefetch_related("receipts")
        .order_by("created_at", "id")
    )


def recent_unmatched(limit: int = 100):
    return Receipt.objects.filter(flagged=True).order_by("-received_at")[:limit]


def recent_dead(user, limit: int = 200):
    return Message.objects.visible_to(user).filter(status=MessageStatus.DEAD).select_related("sender")[:limit]


def stuck_since(minutes: int = 10):
    return Message.objects.filter(
        status=MessageStatus.PENDING, created_at__lt=timezone.now() - timedelta(minutes=minutes)
    )


def desk_messages(user, *, department: str, status: str = "", message_type: str = "", query: str = ""):
    """A department desk's messages, newest first: those ``user`` may see, narrowed by status, message type
    and an enterprise's name or credit code (any part of either)."""
    qs = Message.objects.visible_to(user).filter(department=department)
    if status in MessageStatus.values:
        qs = qs.filter(status=status)
    if message_type:
        qs = qs.filter(message_type=message_type)
    query = query.strip()
    if query:
        qs = qs.filter(
            Q(sender__name_cn__icontains=query)
            | Q(sender__name_en__icontains=query)
            | Q(sender__code__icontains=query.upper())
        )
    return qs.select_related("sender").order_by("-created_at", "-id")


def desk_message_types(department: str) -> list[tuple[str, object]]:
    """The message types a department receives, by their names."""
    types = [spec for spec in catalog.message_types().values() if spec.department == department]
    return [(spec.code, spec.label or spec.code) for spec in sorted(types, key=lambda t: t.code)]


def describe_for_desk(messages, user) -> None:
    """Give each message of a desk page what a person reads: ``type_label``, ``receipt_label`` and
    ``concerns`` (``(label, url)`` of the filing or document it is about, when ``user`` may open it)."""
    messages = list(messages)
    by_type: dict[int, list] = {}
    for m in messages:
        spec = catalog.message_types().get(m.message_type)
        m.type_label = (spec.label if spec else "") or m.message_type
        meaning = catalog.meaning(m.message_type, m.receipt_status) if m.receipt_status else None
        m.receipt_label = meaning.label if meaning else m.receipt_status
        m.concerns = None
        if m.subject_type_id and m.subject_id:
            by_type.setdefault(m.subject_type_id, []).append(m)
    for type_id, group in by_type.items():
        link = subject_link_of(type_id)
        if link is None:
            continue
        links = link([m.subject_id for m in group], user)
        for m in group:
            m.concerns = links.get(str(m.subject_id))
