"""Field-level checks: required, length, characters, formats, numbers, dates (DOMAIN §3.5, §0).

A document's fields are declared once as ``Spec`` rows (``customs.validation.specs``); ``clean(data, specs)``
turns plain input (text from a form or an Excel cell, JSON numbers, ``Decimal``, ``date``) into the typed
values the models store, and lists a ``Problem`` for every field that cannot be. A field that fails is left
out of the cleaned dict, so the business rules that need it are skipped instead of failing a second time.

Numbers (our decision, ADR 0023): ``Decimal`` end to end, never ``float`` arithmetic; a negative value is
refused everywhere; at most 14 digits before the point (9 for weights), as CEB ``N19,5`` and the columns
allow. Amounts of money stored to 2 decimal places (line totals, goods value, freight, insurance, amount
received) are rounded ``ROUND_HALF_UP`` (0.005 → 0.01); unit prices, quantities and weights keep up to 5
decimal places and more are refused, not rounded (a price is the seller's word, not ours to change).
"""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext_noop

from customs.validation.problems import Problem, error
from portal.identifiers import USCC_CHARS, uscc_check_char

REQUIRED = gettext_noop("Enter the %(field)s.")
TOO_LONG = gettext_noop("The %(field)s may have at most %(limit)d characters; this one has %(length)d.")
WRONG_LENGTH = gettext_noop("The %(field)s must have exactly %(length)d characters.")
DIGITS = gettext_noop("The %(field)s must be %(length)d digits.")
BAD_CHARACTERS = gettext_noop(
    "The %(field)s contains characters that cannot be sent to customs (control characters); remove them."
)
NOT_TEXT = gettext_noop("The %(field)s must be text.")
CHOICE = gettext_noop("The %(field)s must be one of: %(choices)s.")
PARTY = gettext_noop(
    "The %(field)s must be a 10-character customs registration code or an 18-character unified social "
    "credit code."
)
PARTY_CHECK = gettext_noop(
    "The %(field)s is not a valid unified social credit code: its check character should be "
    "“%(expected)s”. Check for a typing mistake."
)
NUMBER = gettext_noop("The %(field)s must be a number, such as 12.50.")
NEGATIVE = gettext_noop("The %(field)s cannot be negative.")
TOO_LARGE = gettext_noop("The %(field)s is too large: at most %(digits)d digits before the decimal point.")
DECIMALS = gettext_noop("The %(field)s may have at most %(places)d decimal places.")
INTEGER = gettext_noop("The %(field)s must be a whole number from %(low)d to %(high)d.")
DATE = gettext_noop("The %(field)s must be a date, such as 2025-03-01.")
DATETIME = gettext_noop("The %(field)s must be a date and time, such as 2025-03-01 14:30:00.")
BOOLEAN = gettext_noop("The %(field)s must be yes or no.")

# Characters XML 1.0 cannot carry: a message holding one could never be built.
_UNSENDABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CUSTOMS_CODE = re.compile(r"\d{4}[1-9][1-9][0-9A-Z]{4}")
_USCC_SHAPE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")
_TWO_PLACES = Decimal("0.01")


class Bad(Exception):
    """A value that cannot be cleaned: the problem's code, message id and parameters."""

    def __init__(self, code: str, message_id: str, **params):
        super().__init__(code)
        self.code, self.message_id, self.params = code, message_id, params


@dataclass(frozen=True)
class Spec:
    """One input field. ``kind``: text, digits, party, enum, money (rounded to 2 places), decimal (up to 5
    places, more refused), int, date, datetime, bool. ``code_list``: the reference list its value must be in
    (checked by the rules with the day's ``ReferenceSet``)."""

    name: str
    kind: str = "text"
    required: bool = False
    max_length: int = 0
    length: int = 0
    choices: tuple = ()
    code_list: str = ""
    int_digits: int = 14  # digits before the point: CEB N19,5 allows 14; weight columns 9
    low: int = 0
    high: int = 999_999_999
    default: object = ""


def _text(value) -> str:
    if isinstance(value, str):
        text = value.strip()
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    else:
        raise Bad("invalid", NOT_TEXT)
    if _UNSENDABLE.search(text):
        raise Bad("characters", BAD_CHARACTERS)
    return text


def _check_length(spec: Spec, text: str) -> str:
    if spec.length and len(text) != spec.length:
        if spec.kind == "digits":
            raise Bad("format", DIGITS, length=spec.length)
        raise Bad("length", WRONG_LENGTH, length=spec.length)
    if spec.max_length and len(text) > spec.max_length:
        raise Bad("max_length", TOO_LONG, limit=spec.max_length, length=len(text))
    return text


def party_code_problem(code: str) -> Bad | None:
    """Why ``code`` is neither a customs code (10) nor a valid USCC (18), or None (DOMAIN §2.3)."""
    if len(code) == 10 and _CUSTOMS_CODE.fullmatch(code):
        return None
    if len(code) == 18 and _USCC_SHAPE.fullmatch(code):
        expected = uscc_check_char(code[:17])
        return None if expected == code[17] else Bad("party_check", PARTY_CHECK, expected=expected)
    return Bad("party_code", PARTY)


def to_decimal(value) -> Decimal:
    if isinstance(value, bool):
        raise Bad("number", NUMBER)
    try:
        if isinstance(value, Decimal):
            number = value
        elif isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, float):
            number = Decimal(repr(value))
        elif isinstance(value, str):
            number = Decimal(value.strip())
        else:
            raise Bad("number", NUMBER)
    except InvalidOperation:
        raise Bad("number", NUMBER) from None
    if not number.is_finite():
        raise Bad("number", NUMBER)
    return number


def _int_digits(number: Decimal) -> int:
    _sign, digits, exponent = number.as_tuple()
    return len(digits) + exponent  # digits before the point (≤ 0 for 0.00x)


def _decimal(spec: Spec, value, *, places: int, rounded: bool) -> Decimal:
    number = to_decimal(value)
    if number < 0:
        raise Bad("negative", NEGATIVE)
    if _int_digits(number) > spec.int_digits:
        raise Bad("too_large", TOO_LARGE, digits=spec.int_digits)
    if rounded:
        number = number.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)
        if _int_digits(number) > spec.int_digits:  # 99…9.995 rounds up into one more digit
            raise Bad("too_large", TOO_LARGE, digits=spec.int_digits)
        return number
    if number.as_tuple().exponent < -places:
        number = number.normalize()  # "1.500000" is 1.5
        if number.as_tuple().exponent < -places:
            raise Bad("decimals", DECIMALS, places=places)
    return number


def _int(spec: Spec, value) -> int:
    if isinstance(value, bool):
        raise Bad("integer", INTEGER, low=spec.low, high=spec.high)
    try:
        number = to_decimal(value)
    except Bad:
        raise Bad("integer", INTEGER, low=spec.low, high=spec.high) from None
    if number != number.to_integral_value() or not spec.low <= number <= spec.high:
        raise Bad("integer", INTEGER, low=spec.low, high=spec.high)
    return int(number)


def to_date(value) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 8 and text.isdigit():
                return date(int(text[:4]), int(text[4:6]), int(text[6:]))
            if len(text) == 10:
                return date.fromisoformat(text)
        except ValueError:
            pass
    raise Bad("date", DATE)


def to_datetime(value) -> datetime:
    """Aware datetimes as they are; naive ones, text and dates in Asia/Shanghai (the portal's zone)."""
    moment = None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)  # noqa: DTZ001 - made aware below
    elif isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 14 and text.isdigit():
                moment = datetime.strptime(text, "%Y%m%d%H%M%S")  # noqa: DTZ007 - made aware below
            else:
                moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            moment = None
    if moment is None:
        raise Bad("datetime", DATETIME)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "y", "是"):
        return True
    if text in ("0", "false", "no", "n", "否"):
        return False
    raise Bad("boolean", BOOLEAN)


def converter(spec: Spec) -> Callable:
    """The function turning one raw value of ``spec`` into its clean value (raises ``Bad``)."""
    kind = spec.kind
    if kind in ("text", "digits"):
        digits = kind == "digits"

        def text(value):
            cleaned = _check_length(spec, _text(value))
            if digits and not (cleaned.isascii() and cleaned.isdigit()):
                raise Bad("format", DIGITS, length=spec.length or spec.max_length)
            return cleaned

        return text
    if kind == "party":

        def party(value):
            code = _text(value).upper()
            bad = party_code_problem(code)
            if bad is not None:
                raise bad
            return code

        return party
    if kind == "enum":
        allowed = {str(c) for c in spec.choices}

        def enum(value):
            cleaned = _text(value).upper()
            if cleaned not in allowed:
                raise Bad("choice", CHOICE, choices=", ".join(str(c) for c in spec.choices))
            return cleaned

        return enum
    simple = {
        "money": lambda v: _decimal(spec, v, places=2, rounded=True),
        "decimal": lambda v: _decimal(spec, v, places=5, rounded=False),
        "int": lambda v: _int(spec, v),
        "date": to_date,
        "datetime": to_datetime,
        "bool": _bool,
    }
    return simple[kind]


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class Fields:
    """A compiled list of specs: ``clean(data, prefix)`` → (clean values, problems)."""

    def __init__(self, specs: Sequence[Spec]):
        self.specs = tuple(specs)
        self._plan = [(s.name, s.required, s.default, converter(s)) for s in self.specs]
        self.by_name = {s.name: s for s in self.specs}

    def clean(self, data: Mapping, prefix: str = "") -> tuple[dict, list[Problem]]:
        out: dict = {}
        problems: list[Problem] = []
        get = data.get
        for name, required, default, convert in self._plan:
            raw = get(name)
            if _empty(raw):
                if required:
                    problems.append(error("required", prefix + name, REQUIRED))
                else:
                    out[name] = default
                continue
            try:
                out[name] = convert(raw)
            except Bad as bad:
                problems.append(error(bad.code, prefix + name, bad.message_id, **bad.params))
        return out, problems

    def clean_many(self, rows: Sequence[Mapping], prefixes: Sequence[str]) -> list[tuple[dict, list]]:
        """``clean`` for many rows at once, column by column: the same values and problems in the same order,
        with the common shapes converted by a fast path per column (``fast_path``) instead of one converter
        call per value, and the characters XML cannot carry looked for once per column."""
        outs: list[dict] = [{} for _ in rows]
        found: list[list[Problem]] = [[] for _ in rows]
        for spec, plan in zip(self.specs, self._plan, strict=True):
            column = [row.get(spec.name) for row in rows]
            fast = fast_path(spec)
            texts = "".join(v for v in column if v.__class__ is str) if spec.kind in _TEXT_KINDS else ""
            if _UNSENDABLE.search(texts):
                fast = None  # a bad character somewhere in the column: every value the ordinary way
            _clean_column(plan, fast, column, prefixes, outs, found)
        return list(zip(outs, found, strict=True))


_SLOW = object()  # a column fast path's "not sure: convert this value the ordinary way"


def _text_fast(spec: Spec) -> Callable:
    """Fast path of a ``text`` column: stripped, non-empty text within the length (characters checked for
    the whole column at once by ``clean_many``)."""
    length, max_length = spec.length, spec.max_length or 1 << 30

    def fast(text: str):
        size = len(text)
        return text if (not length or size == length) and size <= max_length else _SLOW

    return fast


def _digits_fast(spec: Spec) -> Callable:
    length, max_length = spec.length, spec.max_length or 1 << 30

    def fast(text: str):
        size = len(text)
        ok = (not length or size == length) and size <= max_length and text.isascii() and text.isdigit()
        return text if ok else _SLOW

    return fast


def _decimal_fast(spec: Spec, places: int, rounded: bool) -> Callable:
    """Plain non-negative decimals (``123.45``) within the digits and places: the ``Decimal`` straight away
    (money quantized to 2 places); anything else (signs, exponents, more places) goes the ordinary way."""
    shape = re.compile(rf"\d{{1,{spec.int_digits}}}(?:\.\d{{1,{places}}})?").fullmatch

    def fast(text: str):
        if not shape(text):
            return _SLOW
        number = Decimal(text)
        return number.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP) if rounded else number

    return fast


def _memo_fast(spec: Spec) -> Callable:
    """Codes and dates repeat across a batch (parties, currencies, flags, export dates): each distinct text
    is converted once by the ordinary converter and its answer (value or ``Bad``) reused."""
    convert = converter(spec)
    memo: dict = {}

    def fast(text: str):
        found = memo.get(text, _SLOW)
        if found is _SLOW:
            try:
                found = convert(text)
            except Bad as bad:
                found = bad
            memo[text] = found
        return found

    return fast


def fast_path(spec: Spec) -> Callable | None:
    """A converter for a non-empty, stripped text of ``spec`` returning the clean value, ``_SLOW`` when the
    ordinary converter must decide, or the ``Bad`` it found (memoised codes): ``converter``'s answers."""
    if spec.kind == "text":
        return _memo_fast(spec) if spec.code_list else _text_fast(spec)
    if spec.kind == "digits":
        return _memo_fast(spec) if spec.code_list else _digits_fast(spec)
    if spec.kind == "money":
        return _decimal_fast(spec, 2, rounded=True)
    if spec.kind == "decimal":
        return _decimal_fast(spec, 5, rounded=False)
    if spec.kind in ("party", "enum", "date"):
        return _memo_fast(spec)
    return None


_TEXT_KINDS = frozenset({"text", "digits", "party", "enum"})


def _clean_column(plan, fast, column: list, prefixes, outs: list[dict], found: list[list]) -> None:
    name, required, default, convert = plan
    for index, raw in enumerate(column):
        value = _SLOW
        if raw.__class__ is str:
            stripped = raw.strip()
            if not stripped:
                raw = None
            elif fast is not None:
                value = fast(stripped)
        if raw is None:
            if required:
                found[index].append(error("required", prefixes[index] + name, REQUIRED))
            else:
                outs[index][name] = default
            continue
        if value is _SLOW:
            try:
                value = convert(raw)
            except Bad as bad:
                value = bad
        if value.__class__ is Bad:
            found[index].append(error(value.code, prefixes[index] + name, value.message_id, **value.params))
        else:
            outs[index][name] = value


def is_party_code(code: str) -> bool:
    return party_code_problem(code) is None


__all__ = [
    "USCC_CHARS",
    "Bad",
    "Fields",
    "Spec",
    "converter",
    "is_party_code",
    "party_code_problem",
    "to_date",
    "to_datetime",
    "to_decimal",
]
