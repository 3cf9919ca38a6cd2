"""The CEB documents customs receives from the portal (DOMAIN §3.3), declared with the exchange."""

from django.utils.translation import gettext_lazy as _

from exchange.catalog import MessageType
from exchange.choices import Department

_C = Department.CUSTOMS

MESSAGE_TYPES = (
    MessageType("CEB303Message", _C, "ceb", label=_("Export order"), final_success=frozenset({"120"})),
    MessageType("CEB403Message", _C, "ceb", label=_("Payment receipt"), final_success=frozenset({"120"})),
    MessageType("CEB505Message", _C, "ceb", label=_("Waybill"), final_success=frozenset({"120"})),
    MessageType(
        "CEB507Message",
        _C,
        "ceb",
        label=_("Arrival at the supervised site"),
        final_success=frozenset({"120", "399"}),
    ),
    MessageType("CEB509Message", _C, "ceb", label=_("Departure"), final_success=frozenset({"120", "399"})),
    MessageType(
        "CEB603Message",
        _C,
        "ceb",
        label=_("Export inventory list"),
        final_success=frozenset({"899"}),
        # At 399 customs waits for the arrival report (CEB507) and at 800 for the departure (CEB509).
        waits_for_sender=frozenset({"399", "800"}),
    ),
    MessageType(
        "CEB605Message", _C, "ceb", label=_("Inventory list cancellation"), final_success=frozenset({"399"})
    ),
    MessageType(
        "CEB607Message",
        _C,
        "ceb",
        label=_("Master bill / parcel link"),
        final_success=frozenset({"120", "399"}),
    ),
    MessageType("CEB701Message", _C, "ceb", label=_("Summary declaration application")),
    # Customs' electronic export declaration data for the tax bureau (DOMAIN §3.11).
    MessageType("tax.declaration_data", Department.TAX, "json", label=_("Export declaration data")),
)
