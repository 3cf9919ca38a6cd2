"""Messages to inspection and quarantine (protocol §4), declared with the exchange."""

from django.utils.translation import gettext_lazy as _

from exchange.catalog import MessageType
from exchange.choices import Department

MESSAGE_TYPES = (
    MessageType("ciq.product_filing", Department.CIQ, "json", label=_("Product filing")),
    MessageType("ciq.inspection", Department.CIQ, "json", label=_("Inspection request")),
)
