"""Field checks for JSON nodes: each returns None when the value is acceptable, else what is wrong."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from govmock.codes import is_customs_code, is_division_code, uscc_shape_ok

Check = Callable[[Any], str | None]


def text(max_len: int = 255) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, str) or not value.strip():
            return "must be a non-empty string"
        return None if len(value) <= max_len else f"longer than {max_len} characters"

    return check


def pattern(regex: str, description: str) -> Check:
    compiled = re.compile(regex)

    def check(value: Any) -> str | None:
        return None if isinstance(value, str) and compiled.fullmatch(value) else f"must be {description}"

    return check


def one_of(*allowed: str) -> Check:
    def check(value: Any) -> str | None:
        return None if value in allowed else f"must be one of {', '.join(allowed)}"

    return check


def uscc(value: Any) -> str | None:
    ok = isinstance(value, str) and uscc_shape_ok(value)
    return None if ok else "must be an 18-character unified social credit code"


def division(value: Any) -> str | None:
    return None if isinstance(value, str) and is_division_code(value) else "must be a 6-digit division code"


def customs_code(value: Any) -> str | None:
    return None if isinstance(value, str) and is_customs_code(value) else "must be a 10-char customs code"


def integer(low: int, high: int) -> Check:
    def check(value: Any) -> str | None:
        ok = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
        return None if ok else f"must be an integer {low}..{high}"

    return check


def boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def decimal(*, positive: bool = False) -> Check:
    def check(value: Any) -> str | None:
        amount = to_decimal(value)
        if amount is None:
            return "must be a decimal number (string or number)"
        return "must be greater than 0" if positive and amount <= 0 else None

    return check


def to_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def iso_date(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be a date YYYY-MM-DD"
    try:
        date.fromisoformat(value)
    except ValueError:
        return "must be a date YYYY-MM-DD"
    return None if len(value) == 10 else "must be a date YYYY-MM-DD"


def string_list(value: Any) -> str | None:
    ok = isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
    return None if ok else "must be a list of non-empty strings"


def object_list(value: Any) -> str | None:
    ok = isinstance(value, list) and all(isinstance(v, dict) for v in value)
    return None if ok else "must be a list of objects"


def present(value: Any) -> bool:
    return value is not None and value != "" and value != []
