"""CEB business nodes built from the models (DOMAIN §3.4–3.5), as the exchange's outbox stores them.

Each builder returns ``{"element": node, "parts": [{"element": head, "fields": [[name, value], ...]}, ...]}``
(or ``{"element": node, "fields": [...]}`` for the nodes without a head: ``Receipts``, ``Logistics``,
``InvtCancel``), fields in the order of DOMAIN §3.5. The node ``guid`` is added by the exchange (it is the
message id); the envelope's ``BaseTransfer`` too (the sender's customs code and its DXP id, passed to
``message_enqueue``). Optional fields without a value are left out; required ones are always written.

Amounts of money are written with 2 decimal places, unit prices, quantities and weights as stored (up to 5),
dates as CEB wants them (``ieDate`` ``YYYYMMDD``; ``appTime``, ``accountingDate``, ``leaveTime``
``YYYYMMDDhhmmss`` in Asia/Shanghai). The builders are pure: they read what they are given (saved or not),
so the bulk path builds the payloads of unsaved lists without a query.
"""

from customs.payloads.base import money, number, stamp
from customs.payloads.documents import cancellation_payload, order_payload, payment_payload, waybill_payload
from customs.payloads.inventory import inventory_payload, inventory_payload_text
from customs.payloads.reports import parcel_report_message_type, parcel_report_payload, summary_payload

__all__ = [
    "cancellation_payload",
    "inventory_payload",
    "inventory_payload_text",
    "money",
    "number",
    "order_payload",
    "parcel_report_message_type",
    "parcel_report_payload",
    "payment_payload",
    "stamp",
    "summary_payload",
    "waybill_payload",
]
