"""Catching up with what callbacks lost: the receipt feed (cursor) and re-queries of overdue messages."""

import time
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exchange import transport
from exchange.choices import MESSAGE_IN_FLIGHT, Department, EnvelopeStatus, MessageStatus
from exchange.models import DepartmentState, Envelope, Message, ReceiptCursor
from exchange.services.batching import dispatch
from exchange.services.common import log, note_department, transport_transaction
from exchange.services.delivery import audit_messages, expected_latency
from exchange.services.leases import lease
from exchange.services.receipts import receipts_ingest
from portal.choices import OFFICER_ROLE_OF_DEPARTMENT, AuditVerb
from portal.services.audit import audit
from portal.services.notifications import enterprise_staff, notify, users_with_role

MAX_REQUERIES = 5
REQUERY_BUDGET_SECONDS = 30
LEASE_SECONDS = 60


def receipts_poll(*, department: str, max_pages: int = 20, page_size: int = 200) -> dict:
    """Read the department's receipt feed from our cursor; a lost callback is caught up here."""
    totals = {"fetched": 0, "accepted": 0}
    with lease(f"exchange.poll.{department}", seconds=LEASE_SECONDS) as held:
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
                note_department(department, ok=False, error=f"poll: {exc}")
                totals["error"] = str(exc)[:200]
                return totals
            items = data.get("receipts") or []
            if not isinstance(items, list) or len(items) > page_size:
                # Not the page we asked for (protocol §2): apply none of it and keep the cursor where it is.
                count = len(items) if isinstance(items, list) else "non-list"
                problem = f"poll: the feed answered {count} items for limit={page_size}"
                ReceiptCursor.objects.filter(pk=cursor.pk).update(
                    last_error=problem, polled_at=timezone.now()
                )
                log.warning("%s %s; nothing applied", department, problem)
                totals["error"] = problem
                return totals
            counts = receipts_ingest(items, via="poll", department=department)
            totals["fetched"] += len(items)
            totals["accepted"] += counts["accepted"]
            last_seq = int(data.get("last_seq") or 0)
            if not items and last_seq < cursor.last_seq:
                # The department's feed starts over (a test reset, a rebuilt mock): read it from the start.
                log.warning(
                    "%s receipt feed restarted at %s (cursor was %s)", department, last_seq, cursor.last_seq
                )
                last_seq = 0
            elif last_seq < cursor.last_seq:
                last_seq = cursor.last_seq
            cursor.last_seq = last_seq
            ReceiptCursor.objects.filter(pk=cursor.pk).update(
                last_seq=last_seq, polled_at=timezone.now(), last_error=""
            )
            if len(items) < page_size:
                break
        note_department(department, ok=True)
    return totals


def messages_requery_overdue(*, department: str, limit: int = 200) -> dict:
    """Ask one department about its messages past their expected-by time; flag and notify what is missing.

    Runs on the department's own queue under a lease, within a time budget, and not at all while the
    department is unreachable (deliveries are failing anyway). A message is re-queried at most a few times.
    """
    state = DepartmentState.objects.filter(department=department).first()
    if state is not None and not state.reachable:
        return {"skipped": "unreachable"}
    with lease(f"exchange.requery.{department}", seconds=LEASE_SECONDS) as held:
        if not held:
            return {"skipped": "running"}
        return _requery(department, limit)


def _requery(department: str, limit: int) -> dict:
    now = timezone.now()
    started = time.monotonic()
    due = list(
        Message.objects.filter(
            department=department,
            status__in=MESSAGE_IN_FLIGHT,
            expected_by__lt=now,
            requery_count__lt=MAX_REQUERIES,
        )
        .select_related("envelope", "sender")
        .order_by("expected_by")[:limit]
    )
    asked, resent, newly_overdue = set(), 0, []
    for message in due:
        if time.monotonic() - started > REQUERY_BUDGET_SECONDS:
            break
        envelope = message.envelope
        if envelope is not None and envelope.pk not in asked:
            asked.add(envelope.pk)
            resent += _requery_envelope(envelope)
        message.refresh_from_db()
        if message.status in MESSAGE_IN_FLIGHT and message.expected_by and message.expected_by < now:
            fields = {
                "requeried_at": now,
                "requery_count": message.requery_count + 1,
                "expected_by": now + timedelta(seconds=expected_latency(department, message.message_type)),
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
    """What the department knows of one envelope; re-sent if it never got it (and nobody answered)."""
    try:
        answer = transport.query(department=envelope.department, envelope_id=envelope.envelope_id)
    except Exception as exc:
        log.info("re-query of %s failed: %s", envelope.envelope_id, exc)
        return 0
    if answer is not None:
        receipts_ingest(answer.get("receipts") or [], via="requery", department=envelope.department)
        return 0
    answered = Message.objects.filter(envelope=envelope).exclude(receipt_status="").exists()
    if envelope.status != EnvelopeStatus.SENT or answered:
        log.warning(
            "department %s does not know envelope %s, but it is %s with receipts=%s: not re-sent",
            envelope.department,
            envelope.envelope_id,
            envelope.status,
            answered,
        )
        return 0
    with transport_transaction():
        reset = Envelope.objects.filter(pk=envelope.pk, status=EnvelopeStatus.SENT).update(
            status=EnvelopeStatus.PENDING,
            next_attempt_at=timezone.now(),
            last_error="the department did not know this envelope; sent again",
        )
        moved = list(
            Message.objects.select_for_update().filter(
                envelope=envelope, status=MessageStatus.SENT, receipt_status=""
            )
        )
        Message.objects.filter(pk__in=[m.pk for m in moved]).update(status=MessageStatus.PENDING)
        audit_messages(moved, to_status=MessageStatus.PENDING, reason="unknown to the department; sent again")
    if reset:
        dispatch([envelope.pk], envelope.department)
    return reset


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
        recipients = list(enterprise_staff(group[0].sender)) + list(
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
            params={
                "count": len(group),
                "department": Department(department).label,  # rendered in each reader's language
                "example": group[0].business_key,
            },
            target=group[0],
            url=reverse("exchange:message", args=[group[0].pk]),
        )
