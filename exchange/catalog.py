"""The protocol: what each receipt status means and how it ranks (DOMAIN.md §3.3–3.6, protocol §3).

The message types themselves are declared by the apps that send them (``register_message_type`` from their
``AppConfig.ready()``): registration its qualification requests, customs its CEB documents, and so on.

A receipt's ``rank`` orders it within its message's life: a receipt applies only if it ranks above what
the message already has, so duplicates and late arrivals never move a status backwards. Finality depends
on the message type (an order's journey ends at 120, an inventory list's at 899).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from exchange.choices import Outcome

CEB_NAMESPACE = "http://www.chinaport.gov.cn/ceb"
FINAL_RANK = 100


@dataclass(frozen=True)
class MessageType:
    code: str
    department: str
    fmt: str  # "ceb" or "json"
    max_nodes: int = 100
    label: object = ""
    final_success: frozenset = frozenset()  # statuses that end this type's journey successfully
    # Statuses after which the department waits for the sender (no receipt is due, never overdue).
    waits_for_sender: frozenset = frozenset()


@dataclass(frozen=True)
class StatusMeaning:
    rank: int
    final: bool
    outcome: str | None
    label: object
    # A repeatable status brings new information each time (one CEB792 per declaration formed from one
    # summary application); it applies at equal rank and completes the message once ``msgCount`` arrived.
    repeatable: bool = False


# --- customs returnStatus (DOMAIN §3.6) --------------------------------------------------------------
CUSTOMS_STATUS = {
    "1": (10, _("Saved at China E-Port")),
    "2": (20, _("Declared and accepted by China E-Port")),
    "3": (30, _("Sent to customs")),
    "120": (40, _("Entered the customs system; logic checks passed")),
    "300": (50, _("Under manual review")),
    "399": (60, _("Customs processing concluded")),
    "500": (70, _("Selected for inspection")),
    "800": (80, _("Released")),
    "899": (90, _("Closed (goods have left)")),
    "SUMMARY_RESULT": (95, _("Summary declaration formed")),
}
CUSTOMS_ERRORS = {
    "4": _("Sending to customs failed"),
    "100": _("Rejected by customs"),
    "501": _("Detained and transferred to clearance"),
    "502": _("Detained and transferred to anti-smuggling"),
    "503": _("Detained and transferred to the legal department"),
    "599": _("Detained for other reasons"),
    "700": _("Returned"),
    "-900": _("Message format error"),
    "-304001": _("Duplicate declaration: the same business key was already declared"),
}

JSON_STATUS = {
    "ACCEPTED": StatusMeaning(10, False, None, _("Accepted by the department")),
    "DECIDED": StatusMeaning(30, False, None, _("Decision taken")),
    "APPROVED": StatusMeaning(40, False, None, _("Approved")),
    "REGISTERED": StatusMeaning(FINAL_RANK, True, Outcome.SUCCESS, _("Registered")),
    "COMPLETED": StatusMeaning(FINAL_RANK, True, Outcome.SUCCESS, _("Completed")),
    "PAID": StatusMeaning(FINAL_RANK, True, Outcome.SUCCESS, _("Paid")),
    "NEEDS_DOCUMENTS": StatusMeaning(FINAL_RANK, True, Outcome.NEEDS_ACTION, _("Documents needed")),
    "RETURNED": StatusMeaning(FINAL_RANK, True, Outcome.ERROR, _("Returned for correction")),
    "REJECTED": StatusMeaning(FINAL_RANK, True, Outcome.ERROR, _("Rejected by the department")),
    "SCHEMA_ERROR": StatusMeaning(FINAL_RANK, True, Outcome.ERROR, _("Format error")),
}


def message_types() -> dict[str, MessageType]:
    """Every message type the apps declared (``exchange.registry.register_message_type``)."""
    from exchange.registry import message_types as declared

    return declared()


def waits_for_sender(message_type_code: str, status: str) -> bool:
    """After some statuses the department waits for the sender, not the other way round (an inventory list at
    399 is released only after the sender's arrival report): no receipt is expected, so it is never
    overdue."""
    spec = message_types().get(message_type_code)
    return spec is not None and status in spec.waits_for_sender


def message_type(code: str) -> MessageType:
    try:
        return message_types()[code]
    except KeyError:
        raise ValueError(f"unknown message type {code!r}") from None


def meaning(message_type_code: str, status: str) -> StatusMeaning | None:
    """How a receipt status ranks for a message of this type; None if the status is unknown."""
    spec = message_types().get(message_type_code)
    if spec is None:
        return None
    if spec.fmt == "json":
        return JSON_STATUS.get(status)
    if status in CUSTOMS_ERRORS or (status.lstrip("-").isdigit() and status.startswith("-")):
        return StatusMeaning(
            FINAL_RANK, True, Outcome.ERROR, CUSTOMS_ERRORS.get(status, _("Processing exception"))
        )
    known = CUSTOMS_STATUS.get(status)
    if known is None:
        return None
    rank, label = known
    if status == "SUMMARY_RESULT":
        return StatusMeaning(rank, False, Outcome.SUCCESS, label, repeatable=True)
    if status in spec.final_success:
        return StatusMeaning(FINAL_RANK, True, Outcome.SUCCESS, label)
    return StatusMeaning(rank, False, None, label)
