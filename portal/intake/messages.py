"""Problem messages stored as message ids (English source strings) plus parameters.

A problem is stored untranslated and rendered when it is read, in the reader's language: the uploader's in
the error workbook, the caller's on a page or in the API. Importers declare their own message ids with
``gettext_noop`` in their app (so ``make messages`` extracts them into the app's catalogue) and return them
with their parameters; ``render`` looks them up in every installed catalogue.
"""

from django.utils.translation import gettext, gettext_noop

MAX_PARAM_CHARS = 80

# The shell's own message ids (cell conversion and file-level refusals).
REQUIRED = gettext_noop("This column is required.")
TOO_LONG = gettext_noop("At most %(max)s characters; this value has %(length)s.")
NOT_INT = gettext_noop("Enter a whole number; “%(value)s” is not one.")
NOT_DECIMAL = gettext_noop("Enter a number such as 1234.56; “%(value)s” is not one.")
TOO_MANY_DIGITS = gettext_noop("At most %(max)s digits; this number has %(digits)s.")
TOO_MANY_DECIMALS = gettext_noop("At most %(places)s decimal places.")
NEGATIVE = gettext_noop("Must not be negative.")
BELOW_MIN = gettext_noop("Must be at least %(min)s.")
ABOVE_MAX = gettext_noop("Must be at most %(max)s.")
NOT_DATE = gettext_noop("Enter a date as YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD; “%(value)s” is not one.")
DATE_WITH_TIME = gettext_noop("Enter a date without a time of day.")
NOT_IN_LIST = gettext_noop("“%(value)s” is not one of the allowed codes; choose one from the list.")
CANNOT_ACT_FOR = gettext_noop("This kind of file can only be imported for your own organisation.")


def clip(value) -> str:
    text = str(value)
    return text if len(text) <= MAX_PARAM_CHARS else text[: MAX_PARAM_CHARS - 1] + "…"


def render(message_id: str, params: dict | None = None) -> str:
    """The message in the active language; a bad parameter never breaks the page that shows it."""
    text = gettext(message_id) if message_id else ""
    if not params:
        return text
    try:
        return text % params
    except (KeyError, TypeError, ValueError):
        return text
