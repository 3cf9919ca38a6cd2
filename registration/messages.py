"""The qualification requests and register updates registration sends (protocol §4), declared with the
exchange."""

from django.utils.translation import gettext_lazy as _

from exchange.catalog import MessageType
from exchange.choices import Department

MESSAGE_TYPES = (
    MessageType("customs.registration", Department.CUSTOMS, "json", label=_("Customs registration")),
    MessageType("eport.card", Department.CUSTOMS, "json", label=_("China E-Port card")),
    MessageType(
        "commerce.ft_operator", Department.COMMERCE, "json", label=_("Foreign-trade operator filing")
    ),
    MessageType("commerce.filing_status", Department.COMMERCE, "json", label=_("Filing register update")),
    MessageType("ciq.enterprise_filing", Department.CIQ, "json", label=_("Inspection filing")),
    MessageType("safe.directory", Department.SAFE, "json", label=_("Trade forex directory registration")),
    MessageType("tax.refund_filing", Department.TAX, "json", label=_("Export tax refund filing")),
)
