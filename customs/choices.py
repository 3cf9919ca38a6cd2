"""Enumerations of customs 9610 export (DOMAIN §2.8, §3.6): document statuses, CEB codes, agent scopes."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocStatus(models.TextChoices):
    """Where a customs document stands, from the enterprise's draft to customs' last word (DOMAIN §3.6).

    DRAFT: saved in the portal, not sent. SUBMITTED: passed the portal's pre-flight checks and is in the
    outbox. DECLARED: China E-Port accepted it (``returnStatus`` 2). ENTERED: in the customs system, logic
    checks passed (120; for an order, payment or waybill: matched with its list). REVIEW: manual review (300).
    CONCLUDED: customs processing concluded (399); a list now waits for its arrival report. INSPECTION:
    selected for inspection (500), held until inspection releases it. RELEASED: released (800), waiting for
    departure. CLOSED: the goods have left (899), the list can be summarised. REJECTED: customs refused it
    (100, a duplicate -304001, a format error CEB900, or E-Port could not send it, 4); correct and resubmit.
    DETAINED: detained or returned (501–503, 599, 700); final. CANCELLED: customs accepted its cancellation
    (CEB605, followed by its own ``Cancellation`` document). WITHDRAWN: a draft discarded before sending."""

    DRAFT = "DRAFT", _("Draft")
    SUBMITTED = "SUBMITTED", _("Sent, awaiting China E-Port")
    DECLARED = "DECLARED", _("Accepted by China E-Port")
    ENTERED = "ENTERED", _("In the customs system")
    REVIEW = "REVIEW", _("Under manual review")
    CONCLUDED = "CONCLUDED", _("Processing concluded")
    INSPECTION = "INSPECTION", _("Held for inspection")
    RELEASED = "RELEASED", _("Released")
    CLOSED = "CLOSED", _("Closed: goods have left")
    REJECTED = "REJECTED", _("Rejected by customs")
    DETAINED = "DETAINED", _("Detained")
    CANCELLED = "CANCELLED", pgettext_lazy("customs document", "Cancelled")
    WITHDRAWN = "WITHDRAWN", _("Withdrawn")


# Never sent to customs: the enterprise's own business, not shown to officers (DocStatus says what each is).
UNSENT = (DocStatus.DRAFT, DocStatus.WITHDRAWN)
SENT = tuple(status for status in DocStatus if status not in UNSENT)

# The statuses customs' receipts move a document through, in the order of its life (DOMAIN §3.6). Manual
# review comes before the conclusion (审结), inspection after it and before release: the ranks the exchange
# gives the receipt codes (exchange.catalog) say the same, so a late receipt never moves a list backwards.
PROGRESS = (
    DocStatus.SUBMITTED,
    DocStatus.DECLARED,
    DocStatus.ENTERED,
    DocStatus.REVIEW,
    DocStatus.CONCLUDED,
    DocStatus.INSPECTION,
    DocStatus.RELEASED,
    DocStatus.CLOSED,
)
# Receipt ``returnStatus`` → the status it means for the document.
RECEIPT_STATUS = {
    "2": DocStatus.DECLARED,
    "3": DocStatus.DECLARED,
    "120": DocStatus.ENTERED,
    "300": DocStatus.REVIEW,
    "399": DocStatus.CONCLUDED,
    "500": DocStatus.INSPECTION,
    "800": DocStatus.RELEASED,
    "899": DocStatus.CLOSED,
}
REJECTING_CODES = frozenset({"4", "100", "-900", "-304001"})
DETAINING_CODES = frozenset({"501", "502", "503", "599", "700"})

EDITABLE = frozenset({DocStatus.DRAFT, DocStatus.REJECTED})
WITH_CUSTOMS = frozenset(PROGRESS[:-1]) - {DocStatus.SUBMITTED}
FINAL = frozenset({DocStatus.CLOSED, DocStatus.DETAINED, DocStatus.CANCELLED, DocStatus.WITHDRAWN})
# A list customs accepted but has not closed may be cancelled (CEB605).
CANCELLABLE = frozenset(
    {
        DocStatus.DECLARED,
        DocStatus.ENTERED,
        DocStatus.REVIEW,
        DocStatus.CONCLUDED,
        DocStatus.INSPECTION,
        DocStatus.RELEASED,
    }
)


class DocumentType(models.TextChoices):
    """The CEB documents of 9610 export (DOMAIN §3.3), as an agent's authorisation lists them."""

    ORDER = "ORDER", _("Order (CEB303)")
    PAYMENT = "PAYMENT", _("Payment receipt (CEB403)")
    WAYBILL = "WAYBILL", _("Waybill (CEB505)")
    INVENTORY = "INVENTORY", _("Inventory list (CEB603)")
    CANCELLATION = "CANCELLATION", _("List cancellation (CEB605)")
    SUMMARY = "SUMMARY", _("Summary declaration (CEB701)")


class StatisticsFlag(models.TextChoices):
    """``statisticsFlag``: A 简化申报 (statistics only, 汇总统计), B 汇总申报 (summarised into a
    declaration)."""

    A = "A", _("A: summarised for statistics only")
    B = "B", _("B: summarised into an export declaration")


class AppType(models.TextChoices):
    NEW = "1", _("New")
    CHANGE = "2", _("Change")
    DELETE = "3", _("Delete")


class CheckSeverity(models.TextChoices):
    ERROR = "error", _("Error: customs would reject this")
    WARNING = "warning", _("Warning")


class SummaryFlag(models.TextChoices):
    """CEB701 ``summaryFlag``: group by consignor only, or by consignor and producer/seller (DOMAIN §3.9)."""

    CONSIGNOR = "1", _("By consignor")
    CONSIGNOR_OWNER = "2", _("By consignor and producer/seller")


class SummaryStatus(models.TextChoices):
    """A monthly summary declaration (汇总申报) of one consignor.

    PREVIEW: grouped, not sent; the lists it covers are reserved. SUBMITTED: CEB701 in the outbox. ACCEPTED:
    customs accepted the application (CEB702 2 or 399). DECLARED: the export declarations were formed
    (CEB792). REJECTED: customs refused it (100 and the like); its lists are free again. DISCARDED: a preview
    thrown away."""

    PREVIEW = "PREVIEW", _("Preview")
    SUBMITTED = "SUBMITTED", _("Sent to customs, awaiting its answer")
    ACCEPTED = "ACCEPTED", _("Accepted by customs")
    DECLARED = "DECLARED", _("Export declarations formed")
    REJECTED = "REJECTED", _("Rejected by customs")
    DISCARDED = "DISCARDED", _("Discarded")
