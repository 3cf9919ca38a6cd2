"""Texts written once and read later (notifications, reasons, timeline lines), kept so that each reader sees
them in their *current* language (ADR 0025).

``keep(text, params)`` turns a message and its parameters into JSON: a ``gettext_lazy`` message is kept as
its source string (the msgid) and rendered with ``gettext`` when read, so a reader who switches language, or
a translation fixed later, changes what old rows say. A parameter may itself be translatable (a
qualification's label, a department's name): it is kept the same way. Anything else that depends on the
language but is not a catalogue message (``lazy(fn, str)``, a label built from database rows) is kept
rendered in every language of ``settings.LANGUAGES``. Plain values (names, numbers, codes, people's own
words) are kept as they are: they read the same in every language.

``render(kept)`` renders what ``keep`` returned, in the active language; it also accepts a plain string
(rows written before this module existed).
"""

from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext

MSGID, CONTEXT, PARAMS, BY_LANGUAGE = "msgid", "context", "params", "by_language"


def _catalogue_source(value: Promise) -> dict | None:
    """``{"msgid": ...}`` (and ``"context"``) when ``value`` is a lazy ``gettext``/``pgettext`` call."""
    try:
        func, args, kwargs = value.__reduce__()[1][:3]
    except (AttributeError, IndexError, TypeError, ValueError):
        return None
    if kwargs:
        return None
    if func is gettext and len(args) == 1 and isinstance(args[0], str):
        return {MSGID: args[0]}
    if func is pgettext and len(args) == 2 and all(isinstance(a, str) for a in args):
        return {MSGID: args[1], CONTEXT: args[0]}
    return None


def _by_language(value) -> dict:
    rendered = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            rendered[code] = str(value)
    return {BY_LANGUAGE: rendered}


def keep_value(value):
    """One parameter as JSON: plain values as they are, translatable ones as a kept text."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict) and (MSGID in value or BY_LANGUAGE in value):
        return value  # already kept
    if isinstance(value, Promise):
        return _catalogue_source(value) or _by_language(value)
    return str(value)


def keep(text, params: dict | None = None) -> dict:
    """``text`` (a lazy message, or a plain string) with its parameters, as JSON to store."""
    if isinstance(text, dict) and (MSGID in text or BY_LANGUAGE in text):
        return text
    if isinstance(text, Promise):
        kept = _catalogue_source(text)
        if kept is None:  # not a catalogue message: keep every language, parameters applied
            return _by_language(_Applied(text, params))
    else:
        kept = {MSGID: str(text), "plain": True}
    if params:
        kept[PARAMS] = {key: keep_value(value) for key, value in params.items()}
    return kept


class _Applied:
    def __init__(self, text, params):
        self.text, self.params = text, params

    def __str__(self):
        rendered = str(self.text)
        if not self.params:
            return rendered
        return rendered % {key: render_value(keep_value(v)) for key, v in self.params.items()}


def render_value(value) -> str | int | float:
    if isinstance(value, dict):
        return render(value)
    return "" if value is None else value


def _language_pick(rendered: dict) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    for code in (language, language.split("-")[0], settings.LANGUAGE_CODE):
        if code in rendered:
            return rendered[code]
    return next(iter(rendered.values()), "")


def render(kept) -> str:
    """What ``keep`` stored, in the active language. A plain string (an older row) is returned as it is."""
    if kept is None:
        return ""
    if not isinstance(kept, dict):
        return str(kept)
    if BY_LANGUAGE in kept:
        return _language_pick(kept[BY_LANGUAGE])
    msgid = kept.get(MSGID, "")
    if kept.get("plain"):
        template = msgid
    elif kept.get(CONTEXT):
        template = pgettext(kept[CONTEXT], msgid)
    else:
        template = gettext(msgid)
    params = kept.get(PARAMS)
    if not params:
        return template
    values = {key: render_value(value) for key, value in params.items()}
    try:
        return template % values
    except (KeyError, ValueError, TypeError):
        # A translation whose placeholders no longer match (scripts/i18n.py check forbids it): the source.
        try:
            return msgid % values
        except (KeyError, ValueError, TypeError):
            return msgid


def bilingual(kept: dict) -> str:
    """``中文 (English)`` of a kept text (``keep``): the record of a reason in both languages."""
    rendered = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            rendered.append(render(kept))
    zh, en = rendered
    return zh if zh == en else f"{zh} ({en})"


def clause(text) -> str:
    """A sentence used inside another: without its closing full stop ("原因：……。" never ends "。。")."""
    return str(text or "").strip().rstrip("。.；;").rstrip()


def join_list(items) -> str:
    """Items joined as the active language writes a list ("物流、快递"; "logistics, express")."""
    return pgettext("list separator", ", ").join(str(item) for item in items if item not in (None, ""))


def amount(value, places: int = 2) -> str:
    """A number or sum of money with thousands separators: 10,000,000.00."""
    if value in (None, ""):
        return ""
    return f"{Decimal(str(value)):,.{places}f}"
