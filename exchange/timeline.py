"""Adds a subject's messages and receipts to its timeline, in plain language (registered in apps.ready)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from exchange import catalog
from exchange.choices import Department, MessageStatus, Outcome
from exchange.models import Message
from portal.ui import TimelineEntry

_TONE = {Outcome.SUCCESS: "success", Outcome.ERROR: "error", Outcome.NEEDS_ACTION: "warning"}


def _message_entries(message: Message) -> list[TimelineEntry]:
    spec = catalog.message_types().get(message.message_type)
    label = str(spec.label) if spec else message.message_type
    department = dict(Department.choices).get(message.department, message.department)
    url = reverse("exchange:message", args=[message.pk])
    entries = [
        TimelineEntry(
            at=message.created_at,
            kind="message",
            title=(
                _("%(label)s sent to %(department)s")
                if message.sent_at
                else _("%(label)s queued for %(department)s")
            )
            % {"label": label, "department": department},
            detail=_("Business key %(key)s · message id %(id)s")
            % {"key": message.business_key, "id": message.message_id},
            to_state=message.get_status_display(),
            raw_url=url,
            tone="error" if message.status in (MessageStatus.FAILED, MessageStatus.DEAD) else "info",
        )
    ]
    if message.is_queued_for_unreachable:
        entries.append(
            TimelineEntry(
                at=message.envelope.next_attempt_at,
                kind="message",
                tone="warning",
                title=_("Queued: will be sent when %(department)s is reachable") % {"department": department},
                detail=_("%(n)d attempts so far; last error: %(error)s")
                % {"n": message.envelope.attempts, "error": message.envelope.last_error[:200]},
            )
        )
    if message.overdue_at and message.status in (MessageStatus.SENT, MessageStatus.ACKNOWLEDGED):
        entries.append(
            TimelineEntry(
                at=message.overdue_at,
                kind="message",
                tone="warning",
                title=_("Receipt overdue: the department was asked again"),
            )
        )
    for receipt in message.receipts.all():
        meaning = catalog.meaning(message.message_type, receipt.status_code)
        entries.append(
            TimelineEntry(
                at=receipt.received_at,
                kind="receipt",
                title=_("Receipt from %(department)s: %(meaning)s")
                % {
                    "department": department,
                    "meaning": str(meaning.label) if meaning else receipt.status_code,
                },
                code=receipt.status_code,
                detail=receipt.info,
                raw_url=reverse("exchange:receipt-raw", args=[receipt.pk]),
                tone=_TONE.get(meaning.outcome, "info") if meaning and meaning.final else "info",
                extra={"disposition": receipt.get_disposition_display()},
            )
        )
    return entries


def exchange_timeline(obj, user) -> list[TimelineEntry]:
    if isinstance(obj, Message):
        return []
    messages = (
        Message.objects.visible_to(user)
        .for_subject(obj)
        .select_related("envelope")
        .prefetch_related("receipts")
    )
    entries = []
    for message in messages:
        entries.extend(_message_entries(message))
    return entries
