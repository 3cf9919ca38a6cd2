"""Writing cells a spreadsheet shows as they are: the shell's one formula-injection neutraliser.

Every text cell a spreadsheet would read as a formula (one starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return) is prefixed with an apostrophe, so it shows as text and never runs (OWASP "CSV
injection"); numbers stay numbers. Used by every export and by the bulk-intake error workbooks.
"""

from decimal import Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell value a spreadsheet shows as it is: numbers unchanged, formula-like text as text."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def xlsx_value(value):
    """What goes into a workbook cell: without the control characters XML cannot hold, then neutralised (in
    that order, so ``"\\x00=cmd"`` cannot lose its guard); an empty text is an empty cell."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    value = neutralise(value)
    return value if value != "" else None
