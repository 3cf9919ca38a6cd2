"""Columns an importer declares, and the conversion of one cell to a Python value.

A cell comes from python-calamine (``str``, ``int``, ``float``, ``bool``, ``date``, ``datetime``) or, for an
XML file, as text. Conversion never goes through binary floating point where the column is money:
a float cell is turned into its shortest round-trip text first (``repr``), which is what the workbook stored,
and then into ``Decimal``; ``ROUND_HALF_UP`` applies only where the column says so.
"""

import datetime
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from portal.intake import messages as m

TEXT, INT, DECIMAL, DATE, CODE = "text", "int", "decimal", "date", "code"
TYPES = (TEXT, INT, DECIMAL, DATE, CODE)
INT_MAX_DIGITS = 18  # fits a bigint column

_INT_TEXT = re.compile(r"[+-]?\d+")
_DECIMAL_TEXT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)")
_GROUPED_TEXT = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_DATE_TEXT = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")


class CellError(ValueError):
    """A cell cannot be converted: a stable code, a message id and its parameters."""

    def __init__(self, code: str, message_id: str, **params):
        self.code, self.message_id, self.params = code, message_id, params
        super().__init__(code)


@dataclass(frozen=True)
class Column:
    """One column of an import: its key in the row dicts, bilingual header, type and limits.

    ``codes`` (type ``code``) is a mapping ``code -> label``, an iterable of codes, or a callable returning
    either (called once per job, so it may read a table). ``decimal_places`` with ``round_half_up=False``
    refuses more places; with ``True`` the value is rounded half up to that many places.
    """

    key: str
    header_zh: str
    header_en: str
    type: str = TEXT
    required: bool = False
    max_length: int | None = None
    max_digits: int = 20
    decimal_places: int | None = None
    round_half_up: bool = False
    allow_negative: bool = False
    min_value: Decimal | int | None = None
    max_value: Decimal | int | None = None
    codes: Mapping[str, str] | Iterable[str] | Callable[[], Mapping[str, str] | Iterable[str]] | None = None
    help_zh: str = ""
    help_en: str = ""
    width: int | None = None
    extra: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"column {self.key!r}: unknown type {self.type!r}")
        if self.type == CODE and self.codes is None:
            raise ValueError(f"column {self.key!r}: a code column needs codes")
        if self.key.startswith("_"):
            raise ValueError(f"column {self.key!r}: keys starting with _ are reserved")

    @property
    def header(self) -> str:
        """What the template writes in the header cell: both languages, Chinese first."""
        return f"{self.header_zh}\n{self.header_en}"

    def code_map(self) -> dict[str, str]:
        source = self.codes() if callable(self.codes) else self.codes
        if isinstance(source, Mapping):
            return {str(k): str(v) for k, v in source.items()}
        return {str(code): "" for code in source or ()}


def converter(column: Column, codes: dict[str, str] | None = None) -> Callable:
    """A function turning one non-empty cell into the column's value, or raising ``CellError``."""
    if column.type == TEXT:
        return _text_converter(column.max_length)
    if column.type == CODE:
        return _code_converter(codes if codes is not None else column.code_map())
    if column.type == INT:
        return lambda value: _bounded(column, to_int(value))
    if column.type == DECIMAL:
        return lambda value: _bounded(column, to_decimal(value, column))
    return to_date


def _text_converter(max_length):
    def convert(value):
        text = as_text(value)
        if max_length is not None and len(text) > max_length:
            raise CellError("too_long", m.TOO_LONG, max=max_length, length=len(text))
        return text

    return convert


def _code_converter(codes: dict[str, str]):
    def convert(value):
        text = as_text(value)
        if text not in codes:
            raise CellError("not_in_list", m.NOT_IN_LIST, value=m.clip(text))
        return text

    return convert


def as_text(value) -> str:
    """Text as the user typed it; a number typed into a text column comes back without ``.0``."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()


def _normal(value: str) -> str:
    # Full-width digits and signs (１２３．４５) become ASCII; spaces inside a number are dropped.
    return unicodedata.normalize("NFKC", value).strip().replace(" ", "")


def to_int(value) -> int:
    if isinstance(value, bool):
        raise CellError("not_int", m.NOT_INT, value=m.clip(value))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError("not_int", m.NOT_INT, value=m.clip(repr(value)))
        number = int(value)
    else:
        text = _normal(str(value))
        if _GROUPED_TEXT.fullmatch(text):
            text = text.replace(",", "")
        if not _INT_TEXT.fullmatch(text):
            raise CellError("not_int", m.NOT_INT, value=m.clip(value))
        number = int(text)
    digits = len(str(abs(number)))
    if digits > INT_MAX_DIGITS:
        raise CellError("too_many_digits", m.TOO_MANY_DIGITS, max=INT_MAX_DIGITS, digits=digits)
    return number


def to_decimal(value, column: Column) -> Decimal:
    number = _decimal_of(value)
    places = column.decimal_places
    if places is not None and -number.as_tuple().exponent > places:
        if not column.round_half_up:
            raise CellError("too_many_decimals", m.TOO_MANY_DECIMALS, places=places)
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    digits = _digit_count(number)
    if digits > column.max_digits:
        raise CellError("too_many_digits", m.TOO_MANY_DIGITS, max=column.max_digits, digits=digits)
    return number


def _decimal_of(value) -> Decimal:
    """The finite decimal a cell holds (a number, or text with optional thousands separators)."""
    if isinstance(value, bool):
        raise CellError("not_decimal", m.NOT_DECIMAL, value=m.clip(value))
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        text = repr(value)  # the shortest text that reads back as this float: what the workbook stored
    else:
        text = _normal(str(value))
        if _GROUPED_TEXT.fullmatch(text):
            text = text.replace(",", "")
        if not _DECIMAL_TEXT.fullmatch(text):
            raise CellError("not_decimal", m.NOT_DECIMAL, value=m.clip(value))
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError("not_decimal", m.NOT_DECIMAL, value=m.clip(value)) from None
    if not number.is_finite():
        raise CellError("not_decimal", m.NOT_DECIMAL, value=m.clip(value))
    return number


def _digit_count(number: Decimal) -> int:
    """Digits needed to write the number out in full (integer part plus decimal places)."""
    _sign, digits, exponent = number.as_tuple()
    integer = max(len(digits) + exponent, 0) if exponent < 0 else len(digits) + exponent
    if digits == (0,):
        integer = 1
    return max(integer, 1) + max(-exponent, 0)


def _bounded(column: Column, number):
    if number < 0 and not column.allow_negative:
        raise CellError("negative", m.NEGATIVE)
    if column.min_value is not None and number < column.min_value:
        raise CellError("below_min", m.BELOW_MIN, min=str(column.min_value))
    if column.max_value is not None and number > column.max_value:
        raise CellError("above_max", m.ABOVE_MAX, max=str(column.max_value))
    return number


def to_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        if value.time() != datetime.time(0, 0):
            raise CellError("date_with_time", m.DATE_WITH_TIME)
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise CellError("not_date", m.NOT_DATE, value=m.clip(value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _normal(str(value))
    match = _DATE_TEXT.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match is None:
        raise CellError("not_date", m.NOT_DATE, value=m.clip(value))
    year, month, day = (int(g) for g in match.groups() if g not in ("-", "/"))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError("not_date", m.NOT_DATE, value=m.clip(value)) from None


def convert_values(column: Column, values, codes: dict[str, str] | None = None):
    """Convert one column of cells at once: ``(typed values, [(index, CellError), ...])``.

    The common cells (text as text, numbers as numbers, dates as dates) go through one list comprehension
    per column, since an import is a million cells; empty cells and anything else go one by one through the
    scalar converters above. Empty cells become None, and a ``required`` column reports them.
    """
    out = _FAST_PATHS[column.type](column, values)
    errors = []
    convert = None
    for index in [i for i, result in enumerate(out) if result is _SLOW]:
        value = values[index]
        out[index] = None
        if value == "" or value is None:
            if column.required:
                errors.append((index, CellError("required", m.REQUIRED)))
            continue
        convert = convert or converter(column, codes)
        try:
            out[index] = convert(value)
        except CellError as error:
            errors.append((index, error))
    return out, errors


_SLOW = object()


def _fast_text(column: Column, values) -> list:
    out = [v.strip() or _SLOW if v.__class__ is str else _SLOW for v in values]
    limit = column.max_length
    if limit is not None:
        for index in [i for i, v in enumerate(out) if v is not _SLOW and len(v) > limit]:
            out[index] = _SLOW
    return out


def _fast_code(column: Column, values) -> list:
    codes = column.code_map()
    return [v if v.__class__ is str and v in codes else _SLOW for v in values]


def _fast_int(column: Column, values) -> list:
    if column.allow_negative or column.min_value is not None or column.max_value is not None:
        return [_SLOW] * len(values)
    return [int(v) if v.__class__ is float and v.is_integer() and 0 <= v < 1e15 else _SLOW for v in values]


def _fast_decimal(column: Column, values) -> list:
    places = column.decimal_places
    if places is None or column.min_value is not None or column.max_value is not None:
        return [_SLOW] * len(values)
    quantum = Decimal(1).scaleb(-places)
    bound = Decimal(10) ** (column.max_digits - places)
    rounds = column.round_half_up
    # Text that is plainly a number the column takes as it is (ASCII digits, at most ``places`` decimals and
    # ``max_digits`` in all): ``Decimal(text)`` is what the scalar path gives it; anything else goes there.
    whole = column.max_digits - places
    plain = re.compile(rf"[0-9]{{1,{whole}}}(?:\.[0-9]{{0,{places}}})?" if whole > 0 else "(?!)").fullmatch

    def fast(value):
        if value.__class__ is str:
            return Decimal(value) if plain(value) else _SLOW
        if value.__class__ is not float or not (0 <= value < 1e15):
            return _SLOW
        number = Decimal(repr(value))  # the shortest text that reads back as this float: what was stored
        rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
        if (rounded != number and not rounds) or rounded >= bound:
            return _SLOW
        return rounded if rounded != number else number

    return [fast(v) for v in values]


def _fast_date(column: Column, values) -> list:
    def fast(value):
        if value.__class__ is datetime.date:
            return value
        if value.__class__ is str and len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                return _SLOW
        return _SLOW

    return [fast(v) for v in values]


_FAST_PATHS = {TEXT: _fast_text, CODE: _fast_code, INT: _fast_int, DECIMAL: _fast_decimal, DATE: _fast_date}
