"""CEB603 inventory lists: field checks and the business rules V1–V14 (DOMAIN §3.8), one list or a batch.

``clean_list`` / ``clean_lists`` return the typed values (what the models store) with the problems;
``check_list`` / ``check_lists`` only the problems. A batch reads each code list once per export date it
contains (V8 checks the tariff at the list's export date ``ie_date``), never per row.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_noop

from customs.validation import common
from customs.validation.problems import Problem, error, has_errors
from customs.validation.specs import LIST_HEAD, LIST_ITEM

MAX_LINES = 999

V1 = gettext_noop("The gross weight must be more than 0 kg.")
V2 = gettext_noop("The net weight must be more than 0 kg.")
V3 = gettext_noop("The net weight (%(net)s kg) cannot be more than the gross weight (%(gross)s kg).")
V4 = gettext_noop("An inventory list needs at least one goods line.")
V5 = gettext_noop("The %(field)s must be more than 0.")
V6 = gettext_noop(
    "The declared unit is the first legal unit, so the quantity (%(qty)s) and the first legal quantity "
    "(%(qty1)s) must be equal."
)
V7_MISSING = gettext_noop("A second legal unit is given: enter a second legal quantity above 0.")
V7_EXTRA = gettext_noop("There is no second legal unit: leave the second legal quantity empty.")
V8_FORM = gettext_noop("The HS code must be 10 digits.")
V8_UNKNOWN = gettext_noop("HS code %(gcode)s is not in the tariff in force on %(date)s; check the code.")
V8_UNIT1 = gettext_noop("The first legal unit of HS code %(gcode)s is %(expected)s, not %(unit)s.")
V8_UNIT2 = gettext_noop("The second legal unit of HS code %(gcode)s is %(expected)s.")
V8_NO_UNIT2 = gettext_noop(
    "HS code %(gcode)s has no second legal unit: leave the second legal unit and quantity empty."
)
V11_NOT_BONDED = gettext_noop(
    "Trade mode %(mode)s takes no %(field)s: leave it empty (it is for 1210 bonded exports)."
)
V11_BONDED = gettext_noop("Trade mode 1210 (bonded export) needs the %(field)s.")
V12_LICENCE = gettext_noop(
    "Summary path A (statistics only) is not allowed: HS code %(gcode)s on line %(line)d needs an export "
    "licence. Choose path B."
)
V12_DUTY = gettext_noop(
    "Summary path A (statistics only) is not allowed: HS code %(gcode)s on line %(line)d bears export "
    "duty. Choose path B."
)
V12_REFUND = gettext_noop(
    "Summary path A (statistics only) is not allowed: HS code %(gcode)s on line %(line)d is eligible for "
    "export tax refund and the seller claims refund. Choose path B."
)
V13 = gettext_noop("An export inventory list has import/export flag E.")
V14 = gettext_noop("The %(field)s “%(value)s” is not a customs office in force on %(date)s.")


@dataclass
class Checked:
    """A cleaned document: typed ``head`` and ``items`` (failed fields left out) and every problem."""

    head: dict
    items: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def clean_list(head: dict, items: Sequence[dict], *, refs=None, on: date | None = None) -> Checked:
    """Clean and check one list (``head``: head fields by attribute name; ``items``: line dicts)."""
    checked = _clean_fields(head, items)
    codes = common.refs_for(checked.head.get("ie_date") or on, refs)
    _check_rules(checked, codes)
    return checked


def clean_lists(rows: Iterable[dict], *, on: date | None = None) -> list[Checked]:
    """Clean and check a batch: each row is a head dict holding its lines under ``"items"``. The code lists
    are read once per distinct export date of the batch."""
    cleaned = _clean_many(list(rows))
    by_day: dict = {}
    for checked in cleaned:
        day = checked.head.get("ie_date") or on
        codes = by_day.get(day)
        if codes is None:
            codes = by_day[day] = common.refs_for(day)
        _check_rules(checked, codes)
    return cleaned


def check_list(head: dict, items: Sequence[dict], *, refs=None, on: date | None = None) -> list[Problem]:
    """Every problem of one list: field checks, code lists and V1–V14."""
    return clean_list(head, items, refs=refs, on=on).problems


def check_lists(rows: Iterable[dict], *, on: date | None = None) -> list[list[Problem]]:
    """The problems of each list of a batch, in order (see ``clean_lists``)."""
    return [checked.problems for checked in clean_lists(rows, on=on)]


def _clean_fields(head: dict, items: Sequence[dict]) -> Checked:
    values, problems = LIST_HEAD.clean(head)
    lines = []
    for index, item in enumerate(items if isinstance(items, list | tuple) else ()):
        line, line_problems = LIST_ITEM.clean(item if isinstance(item, dict) else {}, f"items[{index}].")
        lines.append(line)
        problems += line_problems
    return _totals(values, lines, problems)


def _clean_many(rows: list[dict]) -> list[Checked]:
    """``_clean_fields`` for a batch: every head field, then every line field, converted column by column
    (``Fields.clean_many``); the same values and problems, in the same order."""
    heads = LIST_HEAD.clean_many(rows, [""] * len(rows))
    lines, owners, prefixes = [], [], []
    for position, row in enumerate(rows):
        items = row.get("items") or ()
        for index, item in enumerate(items if isinstance(items, list | tuple) else ()):
            lines.append(item if isinstance(item, dict) else {})
            owners.append(position)
            prefixes.append(_ITEM_PREFIXES[index] if index < len(_ITEM_PREFIXES) else f"items[{index}].")
    cleaned_lines = LIST_ITEM.clean_many(lines, prefixes)
    per_row: list[list] = [[] for _ in rows]
    for position, line in zip(owners, cleaned_lines, strict=True):
        per_row[position].append(line)
    out = []
    for (values, problems), own in zip(heads, per_row, strict=True):
        for _line, line_problems in own:
            problems += line_problems
        out.append(_totals(values, [line for line, _ in own], problems))
    return out


_ITEM_PREFIXES = tuple(f"items[{index}]." for index in range(MAX_LINES + 1))


def _totals(values: dict, lines: list[dict], problems: list) -> Checked:
    common.number_lines(lines)
    first_currency = next((line["currency"] for line in lines if line.get("currency")), "")
    for name in ("f_currency", "i_currency"):
        if name in values and not values[name]:  # not given (a failed value is left out): the goods' currency
            values[name] = first_currency
    currencies = {line.get("currency") for line in lines}
    values["currency"] = first_currency if len(currencies) == 1 else ""
    values["total_value"] = sum((line.get("total_price") or Decimal(0) for line in lines), Decimal(0))
    values["line_count"] = len(lines)
    return Checked(values, lines, problems)


def _check_rules(checked: Checked, codes) -> None:
    head, items, problems = checked.head, checked.items, checked.problems
    problems += common.code_list_problems(head, LIST_HEAD, codes)
    for index, item in enumerate(items):
        problems += common.code_list_problems(item, LIST_ITEM, codes, f"items[{index}].")
    problems += weight_rules(head)
    if not items:
        problems.append(error("V4", "items", V4))
    else:
        problems += common.line_problems(items, limit=MAX_LINES, code="lines")
    problems += common.numbering_problems(items, "V10")
    for index, item in enumerate(items):
        problems += line_rules(item, f"items[{index}].", codes)
    problems += mode_rules(head)
    problems += refund_path_rules(head, items, codes)
    problems += office_rules(head, codes)


def weight_rules(head: dict) -> list[Problem]:
    """V1 gross weight > 0, V2 net weight > 0, V3 net ≤ gross."""
    gross, net = head.get("gross_weight"), head.get("net_weight")
    found = []
    if gross is not None and gross <= 0:
        found.append(error("V1", "gross_weight", V1))
    if net is not None and net <= 0:
        found.append(error("V2", "net_weight", V2))
    if gross is not None and net is not None and net > gross:
        found.append(error("V3", "net_weight", V3, net=net, gross=gross))
    return found


def line_rules(item: dict, prefix: str, codes) -> list[Problem]:
    """V5 price and total > 0, V6 unit = unit1 ⇒ qty = qty1, V7 second legal unit and quantity, V8 the
    tariff (10 digits, in force, legal units), V9 qty × price = total within 0.01."""
    found = []
    for name in ("price", "total_price"):
        value = item.get(name)
        if value is not None and value <= 0:
            found.append(error("V5", prefix + name, V5))
    qty, qty1 = item.get("qty"), item.get("qty1")
    if item.get("unit") and item.get("unit") == item.get("unit1") and None not in (qty, qty1) and qty != qty1:
        found.append(error("V6", prefix + "qty1", V6, qty=qty, qty1=qty1))
    unit2, qty2 = item.get("unit2"), item.get("qty2")
    if unit2 and (qty2 is None or qty2 <= 0) and "qty2" in item:
        found.append(error("V7", prefix + "qty2", V7_MISSING))
    if not unit2 and qty2 is not None and "unit2" in item:
        found.append(error("V7", prefix + "qty2", V7_EXTRA))
    found += tariff_rules(item, prefix, codes)
    total = common.total_problem(item, prefix + "total_price", "V9")
    if total is not None:
        found.append(total)
    return found


def tariff_rules(item: dict, prefix: str, codes) -> list[Problem]:
    """V8: the HS code has 10 digits, exists in the tariff on the list's date, and the legal units are its
    legal units."""
    gcode = item.get("gcode")
    if gcode is None:
        return []
    if not common.is_hs_form(gcode):
        return [error("V8", prefix + "gcode", V8_FORM)]
    entry = codes.hs(gcode)
    if entry is None:
        return [error("V8", prefix + "gcode", V8_UNKNOWN, gcode=gcode, date=codes.on.isoformat())]
    found = []
    unit1 = item.get("unit1")
    if unit1 and unit1 != entry.unit1:
        found.append(error("V8", prefix + "unit1", V8_UNIT1, gcode=gcode, expected=entry.unit1, unit=unit1))
    unit2 = item.get("unit2")
    if "unit2" in item and (unit2 or "") != (entry.unit2 or ""):
        if entry.unit2:
            found.append(error("V8", prefix + "unit2", V8_UNIT2, gcode=gcode, expected=entry.unit2))
        else:
            found.append(error("V8", prefix + "unit2", V8_NO_UNIT2, gcode=gcode))
    return found


def mode_rules(head: dict) -> list[Problem]:
    """V11 (9610 ⇒ no bonded account or area warehouse; 1210 ⇒ both) and V13 (``ieFlag`` E)."""
    found = []
    mode = head.get("trade_mode")
    if mode == "1210":
        found += [error("V11", name, V11_BONDED) for name in ("ems_no", "iac_code") if not head.get(name)]
    elif mode:
        found += [
            error("V11", name, V11_NOT_BONDED, mode=mode) for name in ("ems_no", "iac_code") if head.get(name)
        ]
    if head.get("ie_flag") not in (None, "E"):
        found.append(error("V13", "ie_flag", V13))
    return found


def refund_path_rules(head: dict, items: list[dict], codes) -> list[Problem]:
    """V12: summary path A (statistics only) is for goods without licence, export duty, or a refund the
    seller claims (``claims_refund``, DOMAIN §3.10, §6.7)."""
    if head.get("statistics_flag") != "A":
        return []
    claims_refund = bool(head.get("claims_refund"))
    found = []
    for index, item in enumerate(items):
        gcode = item.get("gcode")
        entry = codes.hs(gcode) if gcode else None
        if entry is None:
            continue
        line = {"gcode": gcode, "line": index + 1}
        if entry.needs_licence:
            found.append(error("V12", "statistics_flag", V12_LICENCE, **line))
        elif entry.export_duty:
            found.append(error("V12", "statistics_flag", V12_DUTY, **line))
        elif claims_refund and entry.refund_rate:
            found.append(error("V12", "statistics_flag", V12_REFUND, **line))
    return found


def office_rules(head: dict, codes) -> list[Problem]:
    """V14: the declaring and the exit customs office exist in the customs-office table on the list's day."""
    found = []
    for name in ("customs_code", "port_code"):
        value = head.get(name)
        if value and not codes.valid("customs_offices", value):
            found.append(error("V14", name, V14, value=value, date=codes.on.isoformat()))
    return found
