"""Format validation of CEB nodes (what a CEB900 answers) and the CEB603 business rules V1–V7.

``node_problems`` lists every format problem of a node as ``"<Element>/<field>: <problem>"``;
``inventory_rule_failure`` returns the first failed rule of DOMAIN §3.8 as a reason text, or None.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Any

from govmock.ceb.spec import Field, MessageSpec
from govmock.codes import is_party_code
from govmock.envelope import UUID_RE

_DECIMAL = re.compile(r"-?\d{1,14}(\.\d{1,5})?")  # N19,5
_INTEGER = re.compile(r"\d{1,9}")
_MAX_LISTED = 10
_T14, _T8 = "%Y%m%d%H%M%S", "%Y%m%d"
_STAMPS = {"T14": (_T14,), "T8": (_T8,), "TP": (_T14, _T8)}
_STAMP_LENGTH = {_T14: 14, _T8: 8}


def check_format(fmt: str, value: str) -> str | None:
    """None if ``value`` satisfies ``fmt``, else what is wrong."""
    if fmt == "guid":
        return None if UUID_RE.fullmatch(value) else "must be an upper-case UUID (36 chars)"
    if fmt.startswith("enum:"):
        allowed = fmt[5:].split("|")
        return None if value in allowed else f"must be one of {', '.join(allowed)}"
    if fmt.startswith("C.."):
        limit = int(fmt[3:])
        return None if len(value) <= limit else f"longer than {limit} characters"
    if fmt[0] == "C":
        return None if len(value) == int(fmt[1:]) else f"must be exactly {fmt[1:]} characters"
    if fmt[0] == "D":
        digits = int(fmt[1:])
        return (
            None
            if len(value) == digits and value.isascii() and value.isdigit()
            else f"must be {digits} digits"
        )
    return _check_other(fmt, value)


def _check_other(fmt: str, value: str) -> str | None:
    if fmt == "N":
        return None if _DECIMAL.fullmatch(value) else "must be a decimal number (at most 14.5 digits)"
    if fmt == "I":
        return None if _INTEGER.fullmatch(value) else "must be a non-negative integer"
    if fmt in _STAMPS:
        ok = any(_is_stamp(value, pattern) for pattern in _STAMPS[fmt])
        return None if ok else f"must be a valid {'YYYYMMDDhhmmss' if fmt == 'T14' else fmt} timestamp"
    if fmt == "party":
        return None if is_party_code(value) else "must be a 10-char customs code or a valid 18-char USCC"
    raise ValueError(f"unknown field format {fmt!r}")  # a spec bug, not the sender's


def _is_stamp(value: str, pattern: str) -> bool:
    # strptime alone would accept "2025211" for %Y%m%d; the length pins the fixed-width CEB form.
    if not (value.isascii() and value.isdigit() and len(value) == _STAMP_LENGTH[pattern]):
        return False
    try:
        datetime.strptime(value, pattern)  # noqa: DTZ007 - only checking the calendar, no instant needed
    except ValueError:
        return False
    return True


def check_fields(label: str, values: dict[str, str], fields: tuple[Field, ...]) -> list[str]:
    known = {f.name for f in fields}
    problems = [f"{label}/{name}: unexpected element" for name in values if name not in known]
    for spec in fields:
        value = values.get(spec.name, "")
        if value == "":
            if spec.required:
                problems.append(f"{label}/{spec.name}: required field missing")
            continue
        wrong = check_format(spec.fmt, value)
        if wrong:
            problems.append(f"{label}/{spec.name}: {wrong} (got {value[:40]!r})")
    return problems


def node_problems(spec: MessageSpec, node: dict[str, Any]) -> list[str]:
    problems = list(node["problems"]) + list(node["base_problems"])
    problems += check_fields(spec.head_label, node["head"], spec.head_fields)
    for index, row in enumerate(node["rows"], start=1):
        problems += check_fields(f"{spec.row}[{index}]", row, spec.row_fields)
    if len(node["rows"]) < spec.min_rows:
        problems.append(f"{spec.row}: at least {spec.min_rows} row(s) required")
    return problems


def problems_text(guid: str, problems: list[str]) -> str:
    shown = "; ".join(problems[:_MAX_LISTED])
    more = f" (+{len(problems) - _MAX_LISTED} more)" if len(problems) > _MAX_LISTED else ""
    return f"报文格式错误 format error in node {guid}: {shown}{more}"


def inventory_rule_failure(head: dict[str, str], rows: list[dict[str, str]]) -> str | None:
    """DOMAIN §3.8 V1–V7 on a format-valid CEB603 node; the reason text of the first failure."""
    gross, net = Decimal(head["grossWeight"]), Decimal(head["netWeight"])
    if gross <= 0:
        return "V1 毛重必须大于0 grossWeight must be > 0"
    if net <= 0:
        return "V2 净重必须大于0 netWeight must be > 0"
    if net > gross:
        return "V3 净重不能大于毛重 netWeight must not exceed grossWeight"
    if not rows:
        return "V4 清单表体不能为空 the list needs at least one InventoryList row"
    for row in rows:
        failure = _row_rule_failure(row)
        if failure:
            return f"{failure} (gnum {row.get('gnum')})"
    return None


def _row_rule_failure(row: dict[str, str]) -> str | None:
    if Decimal(row["price"]) <= 0 or Decimal(row["totalPrice"]) <= 0:
        return "V5 单价和总价必须大于0 price and totalPrice must be > 0"
    if row["unit"] == row["unit1"] and Decimal(row["qty"]) != Decimal(row["qty1"]):
        return "V6 申报单位与法定单位相同时数量必须一致 qty must equal qty1 when unit == unit1"
    unit2, qty2 = row.get("unit2", ""), row.get("qty2", "")
    if unit2 and (not qty2 or Decimal(qty2) <= 0):
        return "V7 有第二法定单位时第二数量必须大于0 qty2 must be present and > 0 with unit2"
    if not unit2 and qty2:
        return "V7 无第二法定单位时不能填写第二数量 qty2 must be absent without unit2"
    return None
