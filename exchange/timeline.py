"""A subject's messages and receipts on its timeline, one plain sentence per business event (registered in
apps.ready): "Sent to customs", "Customs accepted it", "Customs registered it". Message types, business keys,
message ids, receipt codes and the links to the raw content are technical details (officers and
administrators only; ``portal.timeline``). A message is grouped under its type unless the caller says
otherwise (a filing groups its qualifications' messages by qualification).
"""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exchange import catalog
from exchange.choices import Department, MessageStatus, Outcome, ReceiptDisposition
from exchange.models import Message
from portal.timeline import sees_technical_details
from portal.ui import TimelineEntry

_TONE = {Outcome.SUCCESS: "success", Outcome.ERROR: "error", Outcome.NEEDS_ACTION: "warning"}

# What a department did, by JSON receipt status (the CEB codes read "<department>: <meaning>").
_DID = {
    "ACCEPTED": gettext_lazy("%(department)s accepted it"),
    "DECIDED": gettext_lazy("%(department)s took its decision"),
    "APPROVED": gettext_lazy("%(department)s approved it"),
    "REGISTERED": gettext_lazy("%(department)s registered it"),
    "COMPLETED": gettext_lazy("%(department)s completed it"),
    "PAID": gettext_lazy("%(department)s paid it"),
    "NEEDS_DOCUMENTS": gettext_lazy("%(department)s asks for documents"),
    "RETURNED": gettext_lazy("%(department)s returned it for correction"),
    "REJECTED": gettext_lazy("%(department)s refused it"),
    "SCHEMA_ERROR": gettext_lazy("%(department)s could not read it"),
}
_DID_FOR_TYPE = {
    ("commerce.filing_status", "COMPLETED"): gettext_lazy(
        "%(department)s recorded it in the register of filings"
    ),
}


def department_label(code: str) -> str:
    return str(dict(Department.choices).get(code, code))


def _message_line(message: Message, department: str) -> tuple[str, object, str]:
    ended = message.finished_at or message.sent_at or message.created_at
    if message.status == MessageStatus.DEAD:
        return _("Could not be delivered to %(department)s"), ended, "error"
    if message.status == MessageStatus.FAILED and not message.receipt_status:
        return _("%(department)s did not take the message"), ended, "error"
    first_receipt = min((r.received_at for r in message.receipts.all()), default=None)
    if message.sent_at or first_receipt:
        # A department may answer before its acknowledgement is recorded: the sending comes first anyway.
        at = min(t for t in (message.sent_at, first_receipt) if t is not None)
        return _("Sent to %(department)s"), at, "info"
    return _("Waiting to be sent to %(department)s"), message.created_at, "info"


def _message_entries(message: Message, department: str, raw_visible: bool) -> list[TimelineEntry]:
    title, at, tone = _message_line(message, department)
    technical = [
        (_("Message type"), message.message_type),
        (_("Business key"), message.business_key),
        (_("Message id"), message.message_id),
        (_("Message status"), f"{message.get_status_display()} ({message.status})"),
    ]
    if message.last_error:
        technical.append((_("Last error"), message.last_error[:300]))
    entries = [
        TimelineEntry(
            at=at,
            kind="message",
            title=title % {"department": department},
            tone=tone,
            technical=technical,
            raw_url=reverse("exchange:message", args=[message.pk]) if raw_visible else "",
        )
    ]
    if message.is_queued_for_unreachable:
        entries.append(
            TimelineEntry(
                at=message.envelope.next_attempt_at,
                kind="message",
                tone="warning",
                title=_("Queued: will be sent when %(department)s is reachable") % {"department": department},
                technical=[
                    (_("Attempts"), str(message.envelope.attempts)),
                    (_("Last error"), message.envelope.last_error[:200]),
                ],
            )
        )
    if message.overdue_at and message.status in (MessageStatus.SENT, MessageStatus.ACKNOWLEDGED):
        entries.append(
            TimelineEntry(
                at=message.overdue_at,
                kind="message",
                tone="warning",
                title=_("No answer in the expected time: %(department)s was asked again")
                % {"department": department},
            )
        )
    return entries


def _receipt_entry(message, receipt, department, raw_visible, result_of) -> TimelineEntry:
    meaning = catalog.meaning(message.message_type, receipt.status_code)
    did = _DID_FOR_TYPE.get((message.message_type, receipt.status_code)) or _DID.get(receipt.status_code)
    if did is not None:
        title = str(did) % {"department": department}
    else:
        title = _("%(department)s: %(meaning)s") % {
            "department": department,
            "meaning": str(meaning.label) if meaning else _("an answer the portal does not know"),
        }
    final = meaning is not None and meaning.final
    result = result_of(message, receipt) if result_of and final and meaning.outcome == Outcome.SUCCESS else ""
    if result:
        title = _("%(event)s: %(result)s") % {"event": title, "result": result}
    # The department's own words matter when it refuses or asks for something; otherwise they are technical.
    words = receipt.info if final and meaning.outcome != Outcome.SUCCESS else ""
    return TimelineEntry(
        at=receipt.received_at,
        kind="receipt",
        title=title,
        detail=words,
        code=receipt.status_code,
        technical=[
            (_("Department's text"), receipt.info),
            (_("Receipt id"), receipt.receipt_id),
            (_("Applied"), receipt.get_disposition_display()),
        ],
        raw_url=reverse("exchange:receipt-raw", args=[receipt.pk]) if raw_visible else "",
        tone=_TONE.get(meaning.outcome, "info") if final else "info",
        extra={"disposition": receipt.get_disposition_display()},
    )


def message_story(
    message: Message,
    user,
    *,
    raw_visible: bool,
    group: str = "",
    group_label: str = "",
    group_order: int = 100,
    result_of: Callable | None = None,
    receipts: bool = True,
) -> list[TimelineEntry]:
    """The entries of one message and its receipts. ``result_of(message, receipt)`` may name what a final
    success brought ("customs code 3301960002"); receipts that changed nothing (duplicates, late ones) are
    shown only to those who see technical details."""
    department = department_label(message.department)
    spec = catalog.message_types().get(message.message_type)
    if not group:
        group = f"message:{message.message_type}"
        label = str(spec.label) if spec else message.message_type
        group_label = _("%(label)s · %(department)s") % {"label": label, "department": department}
    entries = _message_entries(message, department, raw_visible)
    technical = sees_technical_details(user)
    for receipt in message.receipts.all() if receipts else ():
        if receipt.disposition != ReceiptDisposition.APPLIED and not technical:
            continue
        entry = _receipt_entry(message, receipt, department, raw_visible, result_of)
        if receipt.disposition != ReceiptDisposition.APPLIED:
            entry.title = _("%(event)s (again; nothing changed)") % {"event": entry.title}
        entries.append(entry)
    for entry in entries:
        entry.group, entry.group_label, entry.group_order = group, group_label, group_order
    return entries


def messages_about(subject_type, subject_ids: list[str], user):
    """The messages about these subjects that ``user`` reads on a timeline (the page has checked that the
    object is visible): an officer or administrator reads all of them (a reviewer follows a filing's
    qualifications at every department), anyone else those the exchange shows them (an enterprise: the
    ones it sent)."""
    messages = Message.objects.filter(subject_type=subject_type, subject_id__in=subject_ids)
    if not sees_technical_details(user):
        messages = messages.filter(pk__in=Message.objects.visible_to(user).values("pk"))
    return messages.select_related("envelope").prefetch_related("receipts").order_by("created_at", "id")


def raw_visible_ids(messages, user) -> set[int]:
    """The messages among ``messages`` whose raw content ``user`` may open (the message page's own rule)."""
    ids = [m.pk for m in messages]
    if not ids or not sees_technical_details(user):
        return set()
    return set(Message.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def exchange_timeline(obj, user) -> list[TimelineEntry]:
    """The object's messages and their receipts. A model whose app explains the receipts itself sets
    ``exchange_timeline_receipts = False`` (customs documents): its messages are still shown here."""
    receipts = getattr(obj, "exchange_timeline_receipts", True)
    subject_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    messages = list(messages_about(subject_type, [str(obj.pk)], user))
    raw = raw_visible_ids(messages, user)
    entries = []
    for message in messages:
        entries.extend(message_story(message, user, raw_visible=message.pk in raw, receipts=receipts))
    return entries
