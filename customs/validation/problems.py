"""What a check finds: ``Problem``, rendered in the reader's language when it is read.

A problem is data (a stable ``code``, a ``severity``, the ``field`` it belongs to, an English message id and
its parameters), never text: it is stored as it is on a document's ``checks`` and in an import's problems,
and each reader sees it in their own language (``Problem.message()`` translates with the active language).

Fields are named by the model attribute the value ends up in: ``gross_weight`` on the head, ``items[2].price``
for the third line (0-based, as in the JSON the API receives), ``lines[0].logistics_no`` for a parcel report.
The message names the field in words, with the line counted from 1 as people count ("line 3, unit price").
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext, gettext_noop

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)

# Words for the fields, keyed by the attribute name (translated when a message is rendered).
FIELD_LABELS = {
    "": gettext_noop("the document"),
    "items": gettext_noop("the goods lines"),
    "lines": gettext_noop("the parcel lines"),
    "rows": gettext_noop("the batch"),
    "cop_no": gettext_noop("enterprise reference (copNo)"),
    "order_no": gettext_noop("order number"),
    "ebp_code": gettext_noop("platform code"),
    "ebp_name": gettext_noop("platform name"),
    "ebc_code": gettext_noop("seller (consignor) code"),
    "ebc_name": gettext_noop("seller (consignor) name"),
    "ebc_telephone": gettext_noop("seller telephone"),
    "logistics_code": gettext_noop("logistics enterprise code"),
    "logistics_name": gettext_noop("logistics enterprise name"),
    "logistics_no": gettext_noop("waybill number"),
    "agent_code": gettext_noop("declaring enterprise code"),
    "agent_name": gettext_noop("declaring enterprise name"),
    "owner_code": gettext_noop("producer/seller code"),
    "owner_name": gettext_noop("producer/seller name"),
    "operator_code": gettext_noop("site operator code"),
    "operator_name": gettext_noop("site operator name"),
    "pay_code": gettext_noop("payment enterprise code"),
    "pay_name": gettext_noop("payment enterprise name"),
    "pay_no": gettext_noop("payment transaction number"),
    "charge": gettext_noop("amount received"),
    "accounting_date": gettext_noop("date the funds arrived"),
    "customs_code": gettext_noop("declaring customs office"),
    "port_code": gettext_noop("exit customs office"),
    "ie_date": gettext_noop("export date"),
    "ie_flag": gettext_noop("import/export flag"),
    "statistics_flag": gettext_noop("summary path (statisticsFlag)"),
    "trade_mode": gettext_noop("trade mode"),
    "traf_mode": gettext_noop("transport mode"),
    "traf_name": gettext_noop("conveyance name"),
    "voyage_no": gettext_noop("voyage or flight number"),
    "bill_no": gettext_noop("master bill number"),
    "domestic_traf_no": gettext_noop("truck plate"),
    "total_package_no": gettext_noop("pallet or bag number"),
    "loct_no": gettext_noop("supervised site"),
    "license_no": gettext_noop("export licence number"),
    "country": gettext_noop("country"),
    "pod": gettext_noop("port of destination"),
    "freight": gettext_noop("freight"),
    "f_currency": gettext_noop("freight currency"),
    "f_flag": gettext_noop("freight mark"),
    "insured_fee": gettext_noop("insurance"),
    "i_currency": gettext_noop("insurance currency"),
    "i_flag": gettext_noop("insurance mark"),
    "wrap_type": gettext_noop("package type"),
    "pack_no": gettext_noop("number of packages"),
    "gross_weight": gettext_noop("gross weight"),
    "net_weight": gettext_noop("net weight"),
    "ems_no": gettext_noop("bonded account number"),
    "iac_code": gettext_noop("area warehouse enterprise code"),
    "iac_name": gettext_noop("area warehouse enterprise name"),
    "goods_value": gettext_noop("goods value"),
    "goods_info": gettext_noop("goods description"),
    "currency": gettext_noop("currency"),
    "leave_time": gettext_noop("departure time"),
    "note": gettext_noop("note"),
    "reason": gettext_noop("reason"),
    "invt_no": gettext_noop("inventory list number"),
    "gnum": gettext_noop("line number"),
    "item_no": gettext_noop("SKU (item number)"),
    "item_record_no": gettext_noop("item record number"),
    "item_name": gettext_noop("item name"),
    "item_describe": gettext_noop("item description"),
    "gcode": gettext_noop("HS code"),
    "gname": gettext_noop("goods name"),
    "gmodel": gettext_noop("specification"),
    "bar_code": gettext_noop("bar code"),
    "qty": gettext_noop("quantity"),
    "unit": gettext_noop("unit"),
    "qty1": gettext_noop("first legal quantity"),
    "unit1": gettext_noop("first legal unit"),
    "qty2": gettext_noop("second legal quantity"),
    "unit2": gettext_noop("second legal unit"),
    "price": gettext_noop("unit price"),
    "total_price": gettext_noop("total price"),
    "claims_refund": gettext_noop("export tax refund claimed"),
}
LINE_LABEL = gettext_noop("line %(n)d, %(field)s")
_PATH = re.compile(r"^(?:(?P<coll>\w+)\[(?P<index>\d+)\]\.?)?(?P<name>\w*)$")


def field_label(path: str) -> str:
    """``items[2].price`` → "line 3, unit price" in the active language; unknown names are shown as they
    are."""
    found = _PATH.match(path or "")
    if not found:
        return path
    name = found["name"]
    label = FIELD_LABELS.get(name)
    text = gettext(label) if label else name
    if found["coll"] is None:
        return text
    return gettext(LINE_LABEL) % {"n": int(found["index"]) + 1, "field": text}


def _plain(value):
    """JSON-storable parameter values (Decimals and dates as text)."""
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding. ``code``: stable for programs (``required``, ``max_length``, ``V1``…``V14``,
    ``C1``…``C7``); ``severity``: ``error`` (stops the send) or ``warning`` (shown and recorded);
    ``field``: where it belongs (``""`` for the whole document); ``message_id``: an English source string
    marked with ``gettext_noop``; ``params``: its ``%(name)s`` values (``field`` is always available)."""

    code: str
    severity: str
    field: str
    message_id: str
    params: dict = field(default_factory=dict, hash=False)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def message(self) -> str:
        """The message in the active language, naming the field in words."""
        values = {**self.params, "field": field_label(self.field)}
        try:
            return gettext(self.message_id) % values
        except (KeyError, ValueError, TypeError):
            return gettext(self.message_id)

    def to_dict(self) -> dict:
        """What a document's ``checks`` stores (JSON)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "field": self.field,
            "message_id": self.message_id,
            "params": {k: _plain(v) for k, v in self.params.items()},
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Problem":
        return cls(
            data.get("code", ""),
            data.get("severity", ERROR),
            data.get("field", ""),
            data.get("message_id", ""),
            dict(data.get("params") or {}),
        )

    def under(self, prefix: str) -> "Problem":
        """The same problem with its field under ``prefix`` (``rows[3].`` + ``items[0].qty``)."""
        path = f"{prefix}.{self.field}" if self.field else prefix
        return Problem(self.code, self.severity, path, self.message_id, self.params)


def error(code: str, path: str, message_id: str, **params) -> Problem:
    return Problem(code, ERROR, path, message_id, {k: _plain(v) for k, v in params.items()})


def warning(code: str, path: str, message_id: str, **params) -> Problem:
    return Problem(code, WARNING, path, message_id, {k: _plain(v) for k, v in params.items()})


def has_errors(problems) -> bool:
    return any(p.severity == ERROR for p in problems)


def check_state(problems) -> str:
    """The document's ``check_state``: ``error``, ``warning`` or ``""``."""
    severities = {p.severity for p in problems}
    return ERROR if ERROR in severities else WARNING if WARNING in severities else ""


def as_checks(problems) -> list[dict]:
    return [p.to_dict() for p in problems]


def from_checks(checks) -> list[Problem]:
    return [Problem.from_dict(c) for c in checks or []]
