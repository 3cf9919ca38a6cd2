"""Messages to SAFE (protocol §4), declared with the exchange."""

from django.utils.translation import gettext_lazy as _

from exchange.catalog import MessageType
from exchange.choices import Department

MESSAGE_TYPES = (MessageType("safe.receipt", Department.SAFE, "json", label=_("Forex receipt")),)
