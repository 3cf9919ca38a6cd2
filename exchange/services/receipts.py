"""Receipts: store raw once, apply at most once, never backwards; nothing a department sends is dropped.

Each item is handled on its own: a receipt that cannot be read, matched or applied is stored and flagged,
and the items after it are still applied (a poll's cursor keeps moving). A receipt whose domain handler
failed is kept as ``handler_error`` and retried by the sweeper.

A receipt is applied only to a message of its own department: one whose item names another department than
the message went to, or than the channel it came through (the callback's ``department``, the polled feed),
is kept and flagged ``unmatched`` with the reason, and the message does not move (protocol §2).
"""

import hashlib
import json
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from exchange import catalog
from exchange.choices import MessageStatus, Outcome, ReceiptDisposition
from exchange.models import Message, Receipt
from exchange.parsing import ReceiptParseError, parse
from exchange.registry import dispatch_receipts
from exchange.services.common import log
from portal.bulk import update_rows
from portal.choices import AuditVerb
from portal.services.audit import audit_many, build_event

REQUIRED_KEYS = ("receipt_id", "department", "raw")
FLAGGED = frozenset(
    {
        ReceiptDisposition.UNMATCHED,
        ReceiptDisposition.UNPARSEABLE,
        ReceiptDisposition.UNKNOWN_STATUS,
        ReceiptDisposition.HANDLER_ERROR,
    }
)
MAX_APPLY_ATTEMPTS = 10


def _text(value, limit: int | None = None) -> str:
    """A string that PostgreSQL can store: lone surrogates (legal in JSON, not in UTF-8) are escaped."""
    text = value if isinstance(value, str) else str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    text = text.replace("\x00", "\\x00")
    return text[:limit] if limit else text


def receipts_ingest(items: list, *, via: str, department: str = "") -> dict:
    """Store and apply receipt items (protocol §2). Returns counts; never raises for one bad item.

    ``department`` is the department whose channel brought the items (the callback's ``department``, the
    polled or re-queried department); an item of another department is kept and flagged, never applied.
    """
    counts = {"accepted": 0, "duplicates": 0, "applied": 0, "flagged": 0}
    items = [_well_formed(item) for item in items]
    # One query for the whole batch: polling returns every receipt a callback already brought.
    known = set(
        Receipt.objects.filter(receipt_id__in=[i["receipt_id"] for i in items]).values_list(
            "receipt_id", flat=True
        )
    )
    fresh, seen = [], set(known)
    for item in items:
        if item["receipt_id"] in seen:
            counts["duplicates"] += 1
        else:
            seen.add(item["receipt_id"])
            fresh.append(item)
    outcomes = _ingest_batch(fresh, via=via, channel=department)
    if outcomes is not None:
        for outcome in outcomes:
            if outcome is None:  # stored meanwhile by the other channel
                counts["duplicates"] += 1
                continue
            counts["accepted"] += 1
            counts["applied"] += outcome == ReceiptDisposition.APPLIED
            counts["flagged"] += outcome in FLAGGED
        return counts
    for item in fresh:
        outcome = _ingest_one(item, via=via, channel=department)
        if outcome is None:
            counts["duplicates"] += 1
            continue
        known.add(item["receipt_id"])
        counts["accepted"] += 1
        counts["applied"] += outcome == ReceiptDisposition.APPLIED
        counts["flagged"] += outcome in FLAGGED
    return counts


def _ingest_batch(items: list[dict], *, via: str, channel: str) -> list[str | None] | None:
    """The volume path: the whole batch in one transaction — the messages locked in one query, the receipts
    and the audit events in multi-row INSERTs, the messages in one bulk UPDATE, each handler binding called
    once with its batch. Returns each item's disposition, None for an item the other channel (callback or
    poll) stored while this batch waited for its messages' locks. None when the batch needs the careful
    path (one item at a time, each in its own transaction): a repeatable status, a receipt id of an unmatched
    item arriving through another channel at the same moment, or any error, after which nothing of the batch
    is kept and the careful path isolates the culprit."""
    if not items:
        return []
    try:
        with transaction.atomic():
            return _apply_batch(items, via=via, channel=channel)
    except _CarefulPath:
        return None
    except Exception:
        log.info("receipt batch of %d applied item by item", len(items), exc_info=True)
        return None


class _CarefulPath(Exception):
    pass


def _apply_batch(items: list[dict], *, via: str, channel: str) -> list[str | None]:
    receipts, parsed = _parse_items(items, via=via)
    guids = sorted({p.node_guid for p in parsed.values()})
    messages = {
        m.message_id: m
        for m in Message.objects.select_for_update()
        .filter(message_id__in=guids)
        .defer("payload")  # not needed to apply a receipt: its JSON was decoded per message for nothing
        .order_by("pk")
    }
    # A poll and a callback often carry the same receipts at the same moment. The other channel held these
    # messages' locks until it committed, so what it stored for them is visible now: left out here as
    # duplicates, rather than failing the INSERT below and sending the whole batch down the careful path
    # (measured: half of the receipt CPU of a loaded run, ADR 0023 "Measurements").
    stored = set(
        Receipt.objects.filter(receipt_id__in=[r.receipt_id for r in receipts]).values_list(
            "receipt_id", flat=True
        )
    )
    fresh = [r for r in receipts if r.receipt_id not in stored]
    changed, events, applied = _apply_parsed([r for r in fresh if id(r) in parsed], messages, channel)
    Receipt.objects.bulk_create(fresh)  # a receipt id stored meanwhile raises: the careful path then
    if changed:
        update_rows(Message, list(changed.values()), _MESSAGE_FIELDS)
    audit_many(events)
    by_type: dict[str, list] = {}
    for message, receipt in applied:
        by_type.setdefault(message.message_type, []).append((message, receipt))
    for message_type, batch in by_type.items():
        dispatch_receipts(message_type, batch)
    return [None if r.receipt_id in stored else r.disposition for r in receipts]


def _parse_items(items: list[dict], *, via: str) -> tuple[list[Receipt], dict]:
    """A receipt row per item (unsaved) and the parsed receipt of each readable one, by ``id(receipt)``."""
    receipts, parsed = [], {}
    for item in items:
        receipt = _new_receipt(item, via=via)
        receipts.append(receipt)
        if item.get("malformed"):
            receipt.info = "the item lacks receipt_id, department or raw"
            receipt.disposition, receipt.flagged = ReceiptDisposition.UNPARSEABLE, True
            continue
        try:
            parsed[id(receipt)] = _read(receipt)
        except ReceiptParseError as exc:
            receipt.info = _text(str(exc), 1000)
            receipt.disposition, receipt.flagged = ReceiptDisposition.UNPARSEABLE, True
    return receipts, parsed


def _apply_parsed(receipts: list[Receipt], messages: dict, channel: str) -> tuple[dict, list, list]:
    """Judge each parsed receipt against its (locked) message and move the message in memory. Returns the
    changed messages by pk, their audit events, and the applied ``(message, receipt)`` pairs."""
    changed, events, applied = {}, [], []
    for receipt in receipts:
        message = messages.get(receipt.node_guid)
        disposition = _judge(receipt, message, channel)
        receipt.disposition = disposition
        receipt.flagged = disposition in FLAGGED
        if disposition != ReceiptDisposition.APPLIED:
            continue
        before = message.status
        _move(message, receipt, catalog.meaning(message.message_type, receipt.status_code))
        changed[message.pk] = message
        applied.append((message, receipt))
        if before != message.status:
            events.append(_receipt_event(message, receipt, before))
    return changed, events, applied


def _judge(receipt: Receipt, message: Message | None, channel: str) -> str:
    """What to do with a parsed receipt, deciding as ``apply_receipt`` does (the message held in memory)."""
    if message is None:
        return ReceiptDisposition.UNMATCHED
    mismatch = _department_mismatch(receipt, message, channel)
    if mismatch:
        receipt.info = _text(f"{mismatch} {receipt.info}".strip(), 4000)
        return ReceiptDisposition.UNMATCHED
    receipt.message = message
    meaning = catalog.meaning(message.message_type, receipt.status_code)
    if meaning is None:
        return ReceiptDisposition.UNKNOWN_STATUS
    if meaning.repeatable:
        raise _CarefulPath  # one CEB792 per declaration: counted against the receipts stored so far
    receipt.rank = meaning.rank
    return ReceiptDisposition.APPLIED if _advances(message, meaning, receipt) else ReceiptDisposition.STALE


def _well_formed(item) -> dict:
    """The item with its keys as text; one lacking a key is kept under a synthetic id, flagged unreadable."""
    if isinstance(item, dict) and all(isinstance(item.get(k), str) and item.get(k) for k in REQUIRED_KEYS):
        return {
            **item,
            "receipt_id": _text(item["receipt_id"], 64),
            "department": _text(item["department"], 20),
        }
    dump = _text(json.dumps(item, ensure_ascii=False, default=str, sort_keys=True))
    return {
        "receipt_id": "invalid-" + hashlib.sha256(dump.encode()).hexdigest()[:56],
        "department": "",
        "raw": dump,
        "content_type": "invalid",
        "malformed": True,
    }


def _new_receipt(item: dict, *, via: str) -> Receipt:
    return Receipt(
        receipt_id=item["receipt_id"],
        department=item["department"],
        seq=item.get("seq") if isinstance(item.get("seq"), int) else None,
        receipt_type=_text(item.get("receipt_type") or "", 60),
        content_type=_text(item.get("content_type") or "application/json", 60),
        raw=_text(item["raw"]),
        via=via,
    )


def _read(receipt: Receipt):
    """Parse the raw receipt onto the row (status, node, info, data); ``ReceiptParseError`` if unreadable."""
    parsed = parse(receipt.content_type, receipt.raw)
    receipt.node_guid = _text(parsed.node_guid, 36)
    receipt.status_code = _text(parsed.status, 20)
    receipt.info = _text(parsed.info, 4000)
    receipt.data = json.loads(_text(json.dumps(parsed.data, ensure_ascii=False)))
    receipt.produced_at = parsed.produced_at
    return parsed


def _ingest_one(item: dict, *, via: str, channel: str = ""):
    receipt = _new_receipt(item, via=via)
    try:
        with transaction.atomic():
            return apply_receipt(receipt, malformed=bool(item.get("malformed")), channel=channel)
    except IntegrityError:
        return None  # the same receipt arrived through another channel at the same moment
    except Exception as exc:
        log.exception("receipt %s could not be applied; kept for retry", receipt.receipt_id)
        return _keep_for_retry(receipt, exc)


def _keep_for_retry(receipt: Receipt, exc: Exception) -> str | None:
    receipt.pk = None
    receipt._state.adding = True  # the failed attempt's INSERT was rolled back
    receipt.message = None
    receipt.disposition = ReceiptDisposition.HANDLER_ERROR
    receipt.flagged = True
    receipt.attempts += 1
    receipt.info = _text(f"{type(exc).__name__}: {exc}", 4000)
    try:
        with transaction.atomic():
            receipt.save()
    except IntegrityError:
        return None
    return ReceiptDisposition.HANDLER_ERROR


def apply_receipt(receipt: Receipt, *, malformed: bool = False, channel: str = "") -> str:
    """Parse, match and apply one stored-or-new receipt inside the caller's transaction."""
    try:
        if malformed:
            raise ReceiptParseError("the item lacks receipt_id, department or raw")
        parsed = _read(receipt)
    except ReceiptParseError as exc:
        receipt.info = _text(str(exc), 1000)
        return _store(receipt, ReceiptDisposition.UNPARSEABLE, flagged=True)
    message = Message.objects.select_for_update().filter(message_id=parsed.node_guid).first()
    if message is None:
        return _store(receipt, ReceiptDisposition.UNMATCHED, flagged=True)
    mismatch = _department_mismatch(receipt, message, channel)
    if mismatch:
        receipt.info = _text(f"{mismatch} {receipt.info}".strip(), 4000)
        return _store(receipt, ReceiptDisposition.UNMATCHED, flagged=True)
    receipt.message = message
    meaning = catalog.meaning(message.message_type, parsed.status)
    if meaning is None:
        return _store(receipt, ReceiptDisposition.UNKNOWN_STATUS, flagged=True)
    receipt.rank = meaning.rank
    if not _advances(message, meaning, receipt):
        return _store(receipt, ReceiptDisposition.STALE)
    _store(receipt, ReceiptDisposition.APPLIED)
    _advance(message, receipt, meaning)
    return ReceiptDisposition.APPLIED


def _department_mismatch(receipt: Receipt, message: Message, channel: str) -> str:
    """Why the receipt may not touch the message, or "" when its department, the channel's and the
    message's agree. A department answers only for the messages sent to it."""
    if channel and receipt.department != channel:
        return (
            f"Not applied: the item says it comes from {receipt.department!r} but arrived on the channel of "
            f"{channel!r}."
        )
    if receipt.department != message.department:
        return (
            f"Not applied: the receipt comes from {receipt.department!r} but message {message.message_id} "
            f"was sent to {message.department!r}."
        )
    return ""


def _store(receipt: Receipt, disposition: str, *, flagged: bool = False) -> str:
    receipt.disposition = disposition
    receipt.flagged = flagged
    receipt.save()  # a duplicate receipt_id raises here and the caller's transaction rolls back
    return disposition


def _advances(message: Message, meaning, receipt: Receipt) -> bool:
    if message.status == MessageStatus.DEAD:
        return True  # the department has it after all: its answer beats our give-up
    if message.status in (MessageStatus.COMPLETED, MessageStatus.FAILED) and message.receipt_status:
        return False
    if meaning.repeatable and meaning.rank == message.receipt_rank:
        return not _same_part_applied(message, receipt)
    return meaning.rank > message.receipt_rank


def _same_part_applied(message: Message, receipt: Receipt) -> bool:
    """A repeatable receipt (one CEB792 per declaration) re-sent under a new transport id is no news."""
    part = {k: receipt.data.get(k) for k in ("msgSeqNo", "entryId")}
    applied = message.receipts.filter(status_code=receipt.status_code, disposition=ReceiptDisposition.APPLIED)
    return any({k: r.data.get(k) for k in part} == part for r in applied.exclude(pk=receipt.pk))


_MESSAGE_FIELDS = [
    "status",
    "receipt_status",
    "receipt_rank",
    "receipt_info",
    "outcome",
    "acknowledged_at",
    "sent_at",
    "finished_at",
    "expected_by",
    "overdue_at",
]


def _receipt_event(message: Message, receipt: Receipt, before: str):
    return build_event(
        verb=AuditVerb.RECEIPT,
        target=message,
        from_state=before,
        to_state=message.status,
        reason=f"{receipt.status_code} {receipt.info}".strip()[:500],
        payload={"receipt": receipt.receipt_id, "department": message.department},
    )


def _advance(message: Message, receipt: Receipt, meaning) -> None:
    before = message.status
    _move(message, receipt, meaning)
    message.save(update_fields=_MESSAGE_FIELDS)
    if before != message.status:
        audit_many([_receipt_event(message, receipt, before)])
    dispatch_receipts(message.message_type, [(message, receipt)])


def _move(message: Message, receipt: Receipt, meaning) -> None:
    """The message's new state after ``receipt`` (in memory; the caller saves)."""
    from exchange.services.delivery import expected_latency

    now = timezone.now()
    message.receipt_status = receipt.status_code
    message.receipt_rank = meaning.rank
    message.receipt_info = receipt.info
    message.acknowledged_at = message.acknowledged_at or now
    message.sent_at = message.sent_at or now
    final = meaning.final or (meaning.repeatable and _all_parts_in(message, receipt))
    if final:
        message.status = (
            MessageStatus.COMPLETED if meaning.outcome in (None, Outcome.SUCCESS) else MessageStatus.FAILED
        )
        message.outcome = meaning.outcome or Outcome.SUCCESS
        message.finished_at = now
        message.expected_by = None
    else:
        message.status = MessageStatus.ACKNOWLEDGED
        waiting_for_sender = catalog.waits_for_sender(message.message_type, receipt.status_code)
        message.expected_by = (
            None
            if waiting_for_sender
            else now + timedelta(seconds=expected_latency(message.department, message.message_type))
        )
    message.overdue_at = None


def _all_parts_in(message: Message, receipt: Receipt) -> bool:
    try:
        expected = int(receipt.data.get("msgCount") or 1)
    except (TypeError, ValueError):
        expected = 1
    have = message.receipts.filter(
        status_code=receipt.status_code, disposition=ReceiptDisposition.APPLIED
    ).count()
    return have >= expected


def receipts_retry_failed(*, limit: int = 100) -> int:
    """Apply again receipts whose domain handler failed (a bug fixed since, a row that was locked)."""
    retried = 0
    for receipt in Receipt.objects.filter(
        disposition=ReceiptDisposition.HANDLER_ERROR, attempts__lt=MAX_APPLY_ATTEMPTS
    ).order_by("received_at")[:limit]:
        receipt.attempts += 1
        try:
            with transaction.atomic():
                receipt.flagged = False
                apply_receipt(receipt)
        except Exception as exc:
            log.warning("receipt %s still cannot be applied: %s", receipt.receipt_id, exc)
            Receipt.objects.filter(pk=receipt.pk).update(
                attempts=receipt.attempts, info=_text(f"{type(exc).__name__}: {exc}", 4000)
            )
            continue
        retried += 1
    return retried
