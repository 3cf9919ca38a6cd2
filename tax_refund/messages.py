"""Messages to the tax bureau (protocol §4), declared with the exchange."""

from django.utils.translation import gettext_lazy as _

from exchange.catalog import MessageType
from exchange.choices import Department

MESSAGE_TYPES = (
    MessageType("tax.refund", Department.TAX, "json", label=_("Tax refund application")),
    MessageType("tax.zone_record", Department.TAX, "json", label=_("Pilot-zone export record")),
)
