"""Pieces the document checks share: code lists, line numbering, line totals, the day's reference set."""

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext_noop

from customs.validation.fields import Fields
from customs.validation.problems import Problem, error

CODE_LIST = gettext_noop(
    "The %(field)s “%(value)s” is not in the customs code list in force on %(date)s; choose a listed code."
)
NO_LINES = gettext_noop("Add at least one line.")
TOO_MANY_LINES = gettext_noop("A document may have at most %(limit)d lines; this one has %(count)d.")
LINE_NUMBERS = gettext_noop(
    "Lines must be numbered 1, 2, 3… in order; line %(position)d is numbered %(gnum)s."
)
LINE_TOTAL = gettext_noop(
    "The total price %(total)s does not match quantity × unit price (%(expected)s); they may differ by at "
    "most 0.01."
)
_HS = re.compile(r"\d{10}")
CENT = Decimal("0.01")


class Codes:
    """A ``ReferenceSet`` read for a batch: each list's dict fetched once, then plain dict look-ups."""

    def __init__(self, refs):
        self.refs = refs.refs if isinstance(refs, Codes) else refs
        self.on = self.refs.on
        self._lists: dict[str, dict] = {}

    def entries(self, list_name: str) -> dict:
        found = self._lists.get(list_name)
        if found is None:
            found = self._lists[list_name] = self.refs.entries(list_name)
        return found

    def valid(self, list_name: str, code: str) -> bool:
        return code in self.entries(list_name)

    def get(self, list_name: str, code: str):
        return self.entries(list_name).get(code)

    def hs(self, code: str):
        return self.entries("hs").get(code)


def refs_for(on: date | None, refs=None) -> Codes:
    """The code lists to check against: ``refs`` (a ``ReferenceSet``) if given, else those in force on
    ``on`` (default today)."""
    if refs is not None:
        return refs if isinstance(refs, Codes) else Codes(refs)
    from customs.selectors.reference import ReferenceSet

    return Codes(ReferenceSet.load(on or timezone.localdate()))


def code_list_problems(values: dict, fields: Fields, refs, prefix: str = "") -> list[Problem]:
    problems = []
    for spec in fields.specs:
        if not spec.code_list:
            continue
        value = values.get(spec.name)
        if value and not refs.valid(spec.code_list, value):
            problems.append(
                error("code_list", prefix + spec.name, CODE_LIST, value=value, date=refs.on.isoformat())
            )
    return problems


def number_lines(items: list[dict]) -> None:
    """Lines without a ``gnum`` are numbered by their position (1-based), as CEB wants."""
    for index, item in enumerate(items):
        if item.get("gnum") is None:
            item["gnum"] = index + 1


def line_problems(items: list[dict], *, collection: str = "items", limit: int = 999, code: str = "lines"):
    """At least one line, at most ``limit``, numbered 1..n in order (V4 and V10 for lists)."""
    if not items:
        return [error(code, collection, NO_LINES)]
    if len(items) > limit:
        return [error(code, collection, TOO_MANY_LINES, limit=limit, count=len(items))]
    return []


def numbering_problems(items: list[dict], code: str, collection: str = "items") -> list[Problem]:
    problems = []
    for index, item in enumerate(items):
        gnum = item.get("gnum")
        if gnum is not None and gnum != index + 1:
            problems.append(
                error(code, f"{collection}[{index}].gnum", LINE_NUMBERS, position=index + 1, gnum=str(gnum))
            )
    return problems


def total_problem(item: dict, path: str, code: str) -> Problem | None:
    """``abs(qty × price − total) ≤ 0.01`` (DOMAIN §3.8 V9)."""
    qty, price, total = item.get("qty"), item.get("price"), item.get("total_price")
    if qty is None or price is None or total is None:
        return None
    expected = qty * price
    if abs(expected - total) > CENT:
        return error(code, path, LINE_TOTAL, total=total, expected=expected.quantize(CENT, ROUND_HALF_UP))
    return None


def is_hs_form(code: str) -> bool:
    return bool(_HS.fullmatch(code or ""))
