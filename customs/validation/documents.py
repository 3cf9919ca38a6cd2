"""Orders (CEB303), payment receipts (CEB403), waybills (CEB505) and parcel reports (CEB607/507/509):
field checks, code lists and the few rules of each (DOMAIN §3.5)."""

from collections import Counter
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_noop

from customs.validation import common
from customs.validation.inventory import Checked
from customs.validation.problems import Problem, error, warning
from customs.validation.specs import (
    CANCELLATION,
    ORDER_HEAD,
    ORDER_ITEM,
    PAYMENT,
    REPORT_HEADS,
    REPORT_LINE,
    WAYBILL,
)

MAX_ORDER_LINES = 999
MAX_REPORT_LINES = 1000  # CEB607 carries up to 1,000 parcels per node (DOMAIN §3.4)

LINE_CURRENCY = gettext_noop("Every line must be in the order's currency (%(currency)s).")
GOODS_VALUE = gettext_noop(
    "The goods value %(goods_value)s differs from the sum of the lines' totals (%(total)s); check both."
)
POSITIVE = gettext_noop("The %(field)s must be more than 0.")
OFFICE = gettext_noop("The %(field)s “%(value)s” is not a customs office in force on %(date)s.")
DUPLICATE_PARCEL = gettext_noop("Waybill %(no)s is listed twice; list each parcel once.")
UNKNOWN_KIND = gettext_noop("Unknown parcel report kind %(kind)s.")


def clean_order(head: dict, items: Sequence[dict], *, refs=None, on: date | None = None) -> Checked:
    values, problems = ORDER_HEAD.clean(head)
    lines = []
    for index, item in enumerate(items if isinstance(items, list | tuple) else ()):
        line, found = ORDER_ITEM.clean(item if isinstance(item, dict) else {}, f"items[{index}].")
        lines.append(line)
        problems += found
    common.number_lines(lines)
    codes = common.refs_for(on, refs)
    problems += common.code_list_problems(values, ORDER_HEAD, codes)
    problems += common.line_problems(lines, limit=MAX_ORDER_LINES)
    problems += common.numbering_problems(lines, "lines")
    currency = values.get("currency")
    for index, line in enumerate(lines):
        prefix = f"items[{index}]."
        problems += common.code_list_problems(line, ORDER_ITEM, codes, prefix)
        for name in ("price", "total_price"):
            if line.get(name) is not None and line[name] <= 0:
                problems.append(error("positive", prefix + name, POSITIVE))
        total = common.total_problem(line, prefix + "total_price", "line_total")
        if total is not None:
            problems.append(total)
        if currency and line.get("currency") and line["currency"] != currency:
            problems.append(error("line_currency", prefix + "currency", LINE_CURRENCY, currency=currency))
    goods_value = values.get("goods_value")
    if goods_value is not None and lines and all(line.get("total_price") is not None for line in lines):
        total = sum((line["total_price"] for line in lines), Decimal(0))
        if abs(total - goods_value) > common.CENT:
            problems.append(
                warning("goods_value", "goods_value", GOODS_VALUE, goods_value=goods_value, total=total)
            )
    return Checked(values, lines, problems)


def check_order(head: dict, items: Sequence[dict], *, refs=None, on: date | None = None) -> list[Problem]:
    """Problems of an order (CEB303): fields, code lists, lines 1..n, line totals, one currency."""
    return clean_order(head, items, refs=refs, on=on).problems


def clean_payment(data: dict, *, refs=None, on: date | None = None) -> Checked:
    values, problems = PAYMENT.clean(data)
    problems += common.code_list_problems(values, PAYMENT, common.refs_for(on, refs))
    if values.get("charge") is not None and values["charge"] <= 0:
        problems.append(error("positive", "charge", POSITIVE))
    return Checked(values, [], problems)


def check_payment(data: dict, *, refs=None, on: date | None = None) -> list[Problem]:
    """Problems of a payment receipt (CEB403): fields, code lists, an amount above 0."""
    return clean_payment(data, refs=refs, on=on).problems


def clean_waybill(data: dict, *, refs=None, on: date | None = None) -> Checked:
    values, problems = WAYBILL.clean(data)
    problems += common.code_list_problems(values, WAYBILL, common.refs_for(on, refs))
    if values.get("gross_weight") is not None and values["gross_weight"] <= 0:
        problems.append(error("positive", "gross_weight", POSITIVE))
    return Checked(values, [], problems)


def check_waybill(data: dict, *, refs=None, on: date | None = None) -> list[Problem]:
    """Problems of a waybill (CEB505): fields, code lists, a gross weight above 0."""
    return clean_waybill(data, refs=refs, on=on).problems


def clean_parcel_report(
    kind: str, head: dict, lines: Sequence[dict], *, refs=None, on: date | None = None
) -> Checked:
    fields = REPORT_HEADS.get(str(kind))
    if fields is None:
        return Checked({}, [], [error("kind", "kind", UNKNOWN_KIND, kind=str(kind))])
    values, problems = fields.clean(head)
    codes = common.refs_for(on, refs)
    problems += common.code_list_problems(values, fields, codes)
    office = values.get("customs_code")
    if office and not codes.valid("customs_offices", office):
        problems.append(
            error("customs_office", "customs_code", OFFICE, value=office, date=codes.on.isoformat())
        )
    if values.get("gross_weight") is not None and values["gross_weight"] <= 0:
        problems.append(error("positive", "gross_weight", POSITIVE))
    cleaned = []
    for index, line in enumerate(lines if isinstance(lines, list | tuple) else ()):
        value, found = REPORT_LINE.clean(line if isinstance(line, dict) else {}, f"lines[{index}].")
        cleaned.append(value)
        problems += found
    problems += common.line_problems(cleaned, collection="lines", limit=MAX_REPORT_LINES)
    seen = Counter(line.get("logistics_no") for line in cleaned if line.get("logistics_no"))
    reported = set()
    for index, line in enumerate(cleaned):
        number = line.get("logistics_no")
        if number and seen[number] > 1 and number not in reported:
            reported.add(number)
            problems.append(
                error("duplicate_parcel", f"lines[{index}].logistics_no", DUPLICATE_PARCEL, no=number)
            )
    for index, line in enumerate(cleaned):
        line["gnum"] = index + 1
    return Checked(values, cleaned, problems)


def check_parcel_report(
    kind: str, head: dict, lines: Sequence[dict], *, refs=None, on: date | None = None
) -> list[Problem]:
    """Problems of a parcel report: ``kind`` MASTER_BILL (CEB607), ARRIVAL (CEB507) or DEPARTURE (CEB509)."""
    return clean_parcel_report(kind, head, lines, refs=refs, on=on).problems


def clean_cancellation(data: dict) -> Checked:
    values, problems = CANCELLATION.clean(data)
    return Checked(values, [], problems)
