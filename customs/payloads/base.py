"""What every CEB node builder shares: value formats, field tables, the common head fields."""

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter

from django.utils import timezone

CENT = Decimal("0.01")
APP_STATUS_DECLARE = "2"  # 申报 (1 would only save it at E-Port)


def money(value) -> str:
    if value is None or value == "":
        return ""
    return format(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP), "f")


def number(value) -> str:
    if value is None or value == "":
        return ""
    return format(Decimal(value).normalize(), "f")


def integer(value) -> str:
    return "" if value is None or value == "" else str(int(value))


def day(value) -> str:
    return value.strftime("%Y%m%d") if isinstance(value, date) else ""


def stamp(value) -> str:
    if not isinstance(value, datetime):
        return ""
    return (
        timezone.localtime(value).strftime("%Y%m%d%H%M%S")
        if timezone.is_aware(value)
        else value.strftime("%Y%m%d%H%M%S")
    )


def text(value) -> str:
    return "" if value is None else str(value)


# (CEB name, attribute or callable, formatter, required)
Row = tuple[str, str | Callable, Callable, bool]


def compile_rows(rows: Sequence[Row]) -> tuple:
    """The rows with their getters made once (``attrgetter`` for attribute names)."""
    return tuple(
        (name, source if callable(source) else attrgetter(source), fmt, required)
        for name, source, fmt, required in rows
    )


def fields_of(obj, rows) -> list[list[str]]:
    out = []
    append = out.append
    for name, getter, fmt, required in rows:
        raw = getter(obj)
        if fmt is text:
            value = raw if raw.__class__ is str else ("" if raw is None else str(raw))
        else:
            value = fmt(raw)
        if value or required:
            append([name, value])
    return out


def common(doc, at: datetime | None = None) -> list[list[str]]:
    """``appType``, ``appTime``, ``appStatus`` (the guid comes from the exchange)."""
    return [
        ["appType", text(getattr(doc, "app_type", "") or "1")],
        ["appTime", stamp(at or getattr(doc, "submitted_at", None) or timezone.now())],
        ["appStatus", APP_STATUS_DECLARE],
    ]


def node(element: str, head: str, head_fields: list, row: str, rows: Iterable[list]) -> dict:
    return {
        "element": element,
        "parts": [{"element": head, "fields": head_fields}, *({"element": row, "fields": f} for f in rows)],
    }


REQ, OPT = True, False  # required / optional
