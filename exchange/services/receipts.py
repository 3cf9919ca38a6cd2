"""Receipts: store raw once, apply at most once, never backwards; poll and re-query to catch what was lost."""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exchange import catalog, transport
from exchange.choices import MESSAGE_IN_FLIGHT, EnvelopeStatus, MessageStatus, Outcome, ReceiptDisposition
from exchange.models import DepartmentState, Envelope, Message, Receipt, ReceiptCursor
from exchange.parsing import ReceiptParseError, parse
from exchange.registry import handlers_for
from exchange.services.leases import lease
from exchange.services.outbox import _enqueue_delivery, _note_department, expected_latency
from portal.choices import OFFICER_ROLE_OF_DEPARTMENT, AuditVerb
from portal.services.audit import audit
from portal.services.notifications import enterprise_staff, notify, users_with_role

log = logging.getLogger(__name__)

REQUIRED_KEYS = ("receipt_id", "department", "raw")


def receipts_ingest(items: list, *, via: str) -> dict:
    """Store and apply receipt items (protocol §2). Returns counts; never raises for one bad item."""
    counts = {"accepted": 0, "duplicates": 0, "applied": 0, "flagged": 0}
    for item in items:
        if not isinstance(item, dict) or any(not item.get(k) for k in REQUIRED_KEYS):
            counts["flagged"] += 1
            log.warning("receipt item without %s ignored", "/".join(REQUIRED_KEYS))
            continue
        if Receipt.objects.filter(receipt_id=str(item["receipt_id"])[:64]).exists():
            counts["duplicates"] += 1
            continue
        outcome = _ingest_one(item, via=via)
        if outcome is None:
            counts["duplicates"] += 1
            continue
        counts["accepted"] += 1
        counts["applied"] += outcome == ReceiptDisposition.APPLIED
        counts["flagged"] += outcome in (
            ReceiptDisposition.UNMATCHED,
            ReceiptDisposition.UNPARSEABLE,
            ReceiptDisposition.UNKNOWN_STATUS,
        )
    return counts


def _ingest_one(item: dict, *, via: str):
    raw = str(item["raw"])
    content_type = str(item.get("content_type") or "application/json")
    receipt = Receipt(
        receipt_id=str(item["receipt_id"])[:64],
        department=str(item["department"])[:20],
        seq=item.get("seq") if isinstance(item.get("seq"), int) else None,
        receipt_type=str(item.get("receipt_type") or "")[:60],
        content_type=content_type[:60],
        raw=raw,
        via=via,
    )
    try:
        parsed = parse(content_type, raw)
    except ReceiptParseError as exc:
        parsed = None
        receipt.info = str(exc)[:1000]
        receipt.node_guid = str(item.get("node_guid") or "")[:36]
    try:
        with transaction.atomic():
            return _apply(receipt, parsed)
    except IntegrityError:
        return None  # the same receipt arrived through another channel at the same moment


def _apply(receipt: Receipt, parsed) -> str:
    if parsed is None:
        return _store(receipt, ReceiptDisposition.UNPARSEABLE, flagged=True)
    receipt.node_guid = parsed.node_guid[:36]
    receipt.status_code = parsed.status[:20]
    receipt.info = parsed.info[:4000]
    receipt.data = parsed.data
    receipt.produced_at = parsed.produced_at
    message = Message.objects.select_for_update().filter(message_id=parsed.node_guid).first()
    if message is None:
        return _store(receipt, ReceiptDisposition.UNMATCHED, flagged=True)
    receipt.message = message
    meaning = catalog.meaning(message.message_type, parsed.status)
    if meaning is None:
        return _store(receipt, ReceiptDisposition.UNKNOWN_STATUS, flagged=True)
    receipt.rank = meaning.rank
    if not _advances(message, meaning, parsed):
        return _store(receipt, ReceiptDisposition.STALE)
    _store(receipt, ReceiptDisposition.APPLIED)
    _advance(message, receipt, meaning, parsed)
    return ReceiptDisposition.APPLIED


def _store(receipt: Receipt, disposition: str, *, flagged: bool = False) -> str:
    receipt.disposition = disposition
    receipt.flagged = flagged
    with transaction.atomic():
        receipt.save()
    return disposition


def _advances(message: Message, meaning, parsed) -> bool:
    if message.status == MessageStatus.DEAD:
        return True  # the department has it after all: its answer beats our give-up
    if message.status in (MessageStatus.COMPLETED, MessageStatus.FAILED) and message.receipt_status:
        return False
    if meaning.repeatable and meaning.rank == message.receipt_rank:
        return True
    return meaning.rank > message.receipt_rank


def _advance(message: Message, receipt: Receipt, meaning, parsed) -> None:
    now = timezone.now()
    before = message.status
    message.receipt_status = parsed.status[:20]
    message.receipt_rank = meaning.rank
    message.receipt_info = parsed.info[:4000]
    message.acknowledged_at = message.acknowledged_at or now
    message.sent_at = message.sent_at or now
    final = meaning.final or (meaning.repeatable and _all_parts_in(message, parsed))
    if final:
        message.status = (
            MessageStatus.COMPLETED if meaning.outcome in (None, Outcome.SUCCESS) else MessageStatus.FAILED
        )
        message.outcome = meaning.outcome or Outcome.SUCCESS
        message.finished_at = now
    else:
        message.status = MessageStatus.ACKNOWLEDGED
    message.save()
    if before != message.status:
        audit(
            verb=AuditVerb.RECEIPT,
            target=message,
            from_state=before,
            to_state=message.status,
            reason=f"{parsed.status} {parsed.info}".strip()[:500],
            payload={"receipt": receipt.receipt_id, "department": message.department},
        )
    handler = handlers_for(message.message_type).on_receipt
    if handler is not None:
        handler(message, receipt)


def _all_parts_in(message: Message, parsed) -> bool:
    try:
        expected = int(parsed.data.get("msgCount") or 1)
    except (TypeError, ValueError):
        expected = 1
    have = message.receipts.filter(status_code=parsed.status, disposition=ReceiptDisposition.APPLIED).count()
    return have >= expected


# --- polling --------------------------------------------------------------------------------------------
def poll_department(department: str, *, max_pages: int = 20, page_size: int = 200) -> dict:
    """Read the department's receipt feed from our cursor; a lost callback is caught up here."""
    totals = {"fetched": 0, "accepted": 0}
    with lease(f"exchange.poll.{department}", seconds=300) as held:
        if not held:
            return {"skipped": True}
        cursor, _ = ReceiptCursor.objects.get_or_create(department=department)
        for _page in range(max_pages):
            try:
                data = transport.poll(department=department, after=cursor.last_seq, limit=page_size)
            except Exception as exc:
                ReceiptCursor.objects.filter(pk=cursor.pk).update(
                    last_error=str(exc)[:500], polled_at=timezone.now()
                )
                _note_department(department, ok=False, error=f"poll: {exc}")
                totals["error"] = str(exc)[:200]
                return totals
            items = data.get("receipts") or []
            counts = receipts_ingest(items, via="poll")
            totals["fetched"] += len(items)
            totals["accepted"] += counts["accepted"]
            cursor.last_seq = max(cursor.last_seq, int(data.get("last_seq") or cursor.last_seq))
            ReceiptCursor.objects.filter(pk=cursor.pk).update(
                last_seq=cursor.last_seq, polled_at=timezone.now(), last_error=""
            )
            if len(items) < page_size:
                break
        _note_department(department, ok=True)
    return totals


# --- receipts that are late -------------------------------------------------------------------------------
def requery_overdue(*, limit: int = 200) -> dict:
    """Ask the department about messages past their expected-by time; flag and notify what is missing."""
    now = timezone.now()
    due = list(
        Message.objects.filter(status__in=MESSAGE_IN_FLIGHT, expected_by__lt=now)
        .select_related("envelope", "sender")
        .order_by("expected_by")[:limit]
    )
    asked, resent, newly_overdue = set(), 0, []
    for message in due:
        envelope = message.envelope
        if envelope is not None and envelope.pk not in asked:
            asked.add(envelope.pk)
            resent += _requery_envelope(envelope)
        message.refresh_from_db()
        if message.status in MESSAGE_IN_FLIGHT:
            fields = {
                "requeried_at": now,
                "expected_by": now
                + timedelta(seconds=expected_latency(message.department, message.message_type)),
            }
            if message.overdue_at is None:
                fields["overdue_at"] = now
                newly_overdue.append(message)
            Message.objects.filter(pk=message.pk).update(**fields)
    _notify_overdue(newly_overdue)
    return {
        "checked": len(due),
        "envelopes_asked": len(asked),
        "resent": resent,
        "overdue": len(newly_overdue),
    }


def _requery_envelope(envelope: Envelope) -> int:
    try:
        answer = transport.query(department=envelope.department, envelope_id=envelope.envelope_id)
    except Exception as exc:
        log.info("re-query of %s failed: %s", envelope.envelope_id, exc)
        return 0
    if answer is None:
        # The department never got it: send it again under the same id.
        Envelope.objects.filter(pk=envelope.pk).update(
            status=EnvelopeStatus.PENDING, next_attempt_at=timezone.now()
        )
        Message.objects.filter(envelope=envelope, status__in=MESSAGE_IN_FLIGHT).update(
            status=MessageStatus.PENDING
        )
        _enqueue_delivery(envelope.pk, envelope.department)
        return 1
    receipts_ingest(answer.get("receipts") or [], via="requery")
    return 0


def _notify_overdue(messages: list[Message]) -> None:
    by_group: dict[tuple, list[Message]] = {}
    for m in messages:
        by_group.setdefault((m.sender_id, m.department), []).append(m)
        audit(
            verb=AuditVerb.MESSAGE,
            target=m,
            from_state=m.status,
            to_state="overdue",
            reason="receipt not received by the expected time",
        )
    for (_sender_id, department), group in by_group.items():
        sender = group[0].sender
        params = {
            "count": len(group),
            "department": str(dict(catalog.Department.choices)[department]),
            "example": group[0].business_key,
        }
        recipients = list(enterprise_staff(sender)) + list(
            users_with_role(OFFICER_ROLE_OF_DEPARTMENT.get(department, ""))
        )
        notify(
            recipients=recipients,
            verb="exchange.overdue",
            title=_("%(count)d messages to %(department)s have no receipt yet"),
            body=_(
                "The department has not answered in the expected time (for example %(example)s). "
                "The portal asked it again and keeps watching."
            ),
            params=params,
            target=group[0],
        )


def department_states() -> dict[str, DepartmentState]:
    return {s.department: s for s in DepartmentState.objects.all()}
