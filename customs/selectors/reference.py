"""Reading the customs code lists: is a code valid on a day, what does it mean, how do ISO codes map.

Validation runs for every line of an import of up to 100,000 rows, so nothing here queries per code: each
list is read once per (list, day) into a dict and kept in this process until the loader changes the data.
Use ``ReferenceSet.load(on=day)`` for a batch (at most one query per list it touches, plus one version
check); the small functions below use the same cache for a single look-up. Entries are model instances
shared by every caller: read them, never change them.

Another process's load is noticed within ``VERSION_TTL_SECONDS`` (the version is the last load time);
a load in this process invalidates at once.
"""

import threading
import time
from collections import OrderedDict
from datetime import date

from django.db.models import Count, Max, Q
from django.utils import timezone

from customs import models
from customs.reference_lists import BY_NAME, LIST_NAMES, spec

__all__ = [
    "LIST_NAMES",
    "ReferenceSet",
    "choices",
    "code_valid",
    "country",
    "country_code_from_iso",
    "country_iso",
    "currency",
    "currency_code_from_iso",
    "currency_iso",
    "entries",
    "hs_code",
    "invalidate",
    "list_summaries",
]

VERSION_TTL_SECONDS = 30
MAX_CACHED_LISTS = 32  # (list, day) pairs kept per process

_lock = threading.Lock()
_lists: OrderedDict = OrderedDict()
_version = {"value": None, "checked": 0.0, "generation": 0}


def model_of(list_name: str):
    return getattr(models, spec(list_name).model_name)


def invalidate() -> None:
    """Forget every cached list (the loader calls this after its transaction commits)."""
    with _lock:
        _lists.clear()
        _version.update(value=None, checked=0.0, generation=_version["generation"] + 1)


def _current_version():
    with _lock:
        if _version["value"] is not None and time.monotonic() - _version["checked"] < VERSION_TTL_SECONDS:
            return _version["value"]
    stamp = models.ReferenceListInfo.objects.aggregate(last=Max("loaded_at"))["last"]
    with _lock:
        value = (_version["generation"], stamp)
        if value != _version["value"]:
            _lists.clear()
        _version.update(value=value, checked=time.monotonic())
        return value


class ReferenceSet:
    """The code lists as they stand on one day, as dictionaries keyed by code."""

    def __init__(self, on: date, version):
        self.on, self._version = on, version
        self._iso_index: dict[str, dict] = {}

    @classmethod
    def load(cls, on: date | None = None) -> "ReferenceSet":
        """The lists valid on ``on`` (default: today in Asia/Shanghai). Lists are read lazily, once."""
        return cls(on or timezone.localdate(), _current_version())

    def entries(self, list_name: str) -> dict:
        """``{code: entry}`` of the list on this set's day."""
        key = (list_name, self.on, self._version)
        with _lock:
            found = _lists.get(key)
            if found is not None:
                _lists.move_to_end(key)
                return found
        found = {entry.code: entry for entry in model_of(list_name).objects.valid_on(self.on)}
        with _lock:
            _lists[key] = found
            while len(_lists) > MAX_CACHED_LISTS:
                _lists.popitem(last=False)
        return found

    def get(self, list_name: str, code: str):
        return self.entries(list_name).get((code or "").strip())

    def valid(self, list_name: str, code: str) -> bool:
        return self.get(list_name, code) is not None

    def hs(self, code: str) -> "models.HSCode | None":
        return self.get("hs", code)

    def _by_iso(self, list_name: str) -> dict:
        if list_name not in self._iso_index:
            index = {}
            for entry in self.entries(list_name).values():
                if list_name == "countries":
                    keys = (entry.iso2, entry.iso3, entry.iso_numeric)
                else:
                    keys = (entry.iso,)
                index.update({k: entry for k in keys if k})
            self._iso_index[list_name] = index
        return self._iso_index[list_name]

    def country_by_iso(self, iso: str) -> "models.Country | None":
        """The customs country for an ISO 3166 alpha-2, alpha-3 or numeric code."""
        return self._by_iso("countries").get((iso or "").strip().upper())

    def currency_by_iso(self, iso: str) -> "models.Currency | None":
        return self._by_iso("currencies").get((iso or "").strip().upper())

    def choices(self, list_name: str) -> list[tuple[str, str]]:
        """``[(code, "code name")]`` in code order, names in the active language (selects, Excel lists)."""
        return [(code, f"{code} {entry.name}") for code, entry in sorted(self.entries(list_name).items())]


def code_valid(list_name: str, code: str, on: date | None = None) -> bool:
    """Whether ``code`` is in ``list_name`` (one of ``LIST_NAMES``) on day ``on`` (default today)."""
    return ReferenceSet.load(on).valid(list_name, code)


def hs_code(code: str, on: date | None = None) -> "models.HSCode | None":
    """The commodity code in force on ``on``: legal units, refund rate, licence and inspection flags."""
    return ReferenceSet.load(on).hs(code)


def country(code: str, on: date | None = None) -> "models.Country | None":
    """The customs country (3 digits) in force on ``on``."""
    return ReferenceSet.load(on).get("countries", code)


def currency(code: str, on: date | None = None) -> "models.Currency | None":
    """The customs currency (3 digits) in force on ``on``."""
    return ReferenceSet.load(on).get("currencies", code)


def country_code_from_iso(iso: str, on: date | None = None) -> str | None:
    """ISO 3166 alpha-2, alpha-3 or numeric → customs country code (``US`` → ``502``); None if unknown."""
    found = ReferenceSet.load(on).country_by_iso(iso)
    return found.code if found else None


def country_iso(code: str, on: date | None = None, alpha: int = 2) -> str | None:
    """Customs country code → ISO alpha-2 (``alpha=2``) or alpha-3 (``alpha=3``); None if it has none."""
    found = country(code, on)
    value = (found.iso2 if alpha == 2 else found.iso3) if found else ""
    return value or None


def currency_code_from_iso(iso: str, on: date | None = None) -> str | None:
    """ISO 4217 → customs currency code, e.g. ``USD`` → ``502``; None if unknown."""
    found = ReferenceSet.load(on).currency_by_iso(iso)
    return found.code if found else None


def currency_iso(code: str, on: date | None = None) -> str | None:
    """Customs currency code → ISO 4217, e.g. ``142`` → ``CNY``; None if unknown."""
    found = currency(code, on)
    return found.iso if found else None


def choices(list_name: str, on: date | None = None) -> list[tuple[str, str]]:
    """``[(code, "code name")]`` of the list on ``on`` for form selects and Excel data-validation lists."""
    return ReferenceSet.load(on).choices(list_name)


def entries(list_name: str, *, on: date | None = None, q: str = ""):
    """A queryset of the list for pages and the API: valid on ``on`` if given, matching ``q`` (code prefix
    or part of a name) if given. Every edition when ``on`` is None."""
    qs = model_of(list_name).objects.all()
    if on is not None:
        qs = qs.valid_on(on)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(code__startswith=q) | Q(name_cn__icontains=q) | Q(name_en__icontains=q))
    return qs.order_by("code", "valid_from")


def list_summaries(on: date | None = None) -> list[dict]:
    """One row per list: label, rows valid on ``on``, all editions, and what was loaded (source, edition)."""
    on = on or timezone.localdate()
    infos = {info.list_name: info for info in models.ReferenceListInfo.objects.all()}
    summaries = []
    for name in LIST_NAMES:
        counts = model_of(name).objects.aggregate(
            total=Count("pk"),
            valid=Count(
                "pk", filter=Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            ),
        )
        summaries.append({"name": name, "label": BY_NAME[name].label, "info": infos.get(name), **counts})
    return summaries
