"""What every CEB node builder shares: value formats, field tables, the common head fields."""

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from json.encoder import encode_basestring
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


@lru_cache(maxsize=1024)  # export dates repeat across a batch
def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


def day(value) -> str:
    return _day(value) if isinstance(value, date) else ""


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


def money_or_zero(value) -> str:
    """Money that CEB always wants: nothing given is 0.00."""
    return money(value or 0)


def bar_code(value) -> str:
    """CEB's ``barCode`` is required: "无" (none) when the goods have no bar code."""
    return text(value or "无")


def constant(value: str) -> Callable:
    return lambda _obj: value


# (CEB name, attribute or callable, formatter, required)
Row = tuple[str, str | Callable, Callable, bool]


def compile_rows(rows: Sequence[Row]) -> tuple:
    """The rows with their getters made once (``attrgetter`` for attribute names)."""
    return tuple(
        (name, source if callable(source) else attrgetter(source), fmt, required)
        for name, source, fmt, required in rows
    )


def compile_text_rows(rows: Sequence[Row]) -> tuple:
    """The rows for ``fields_text``: each field's JSON opening (``["name", ``) made once; attribute names
    become dict keys (the bulk path builds payloads from its cleaned dicts), callables take the dict."""
    return tuple(
        (f"[{encode_basestring(name)}, ", None if callable(source) else source, source, fmt, required)
        for name, source, fmt, required in rows
    )


def fields_text(data: dict, rows, out: list[str]) -> None:
    """``fields_of`` for a dict, written as JSON text into ``out`` (one ``["name", "value"]`` each): the
    same pairs, the same order, what ``json.dumps`` of ``fields_of``'s list would write."""
    get = data.get
    append = out.append
    for opening, key, source, fmt, required in rows:
        raw = get(key) if key is not None else source(data)
        if fmt is text:
            value = raw if raw.__class__ is str else ("" if raw is None else str(raw))
        else:
            value = fmt(raw)
        if value or required:
            append(opening + encode_basestring(value) + "]")


def node_text(element: str, head: str, head_fields: list[str], row: str, rows: Iterable[list[str]]) -> str:
    """``json.dumps(node(...), ensure_ascii=False)`` for fields already written by ``fields_text``."""
    parts = [f'{{"element": {encode_basestring(head)}, "fields": [{", ".join(head_fields)}]}}']
    parts += [f'{{"element": {encode_basestring(row)}, "fields": [{", ".join(f)}]}}' for f in rows]
    return f'{{"element": {encode_basestring(element)}, "parts": [{", ".join(parts)}]}}'


@lru_cache(maxsize=16)  # one send time shared by a whole batch
def common_text(app_type: str, at: datetime) -> tuple[str, ...]:
    """``common`` as ``fields_text`` writes it."""
    return (
        f'["appType", {encode_basestring(app_type)}]',
        f'["appTime", {encode_basestring(stamp(at))}]',
        f'["appStatus", "{APP_STATUS_DECLARE}"]',
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
