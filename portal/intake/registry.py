"""Importers: what a domain app declares so the shell can run its bulk uploads.

An app registers one importer per kind from ``AppConfig.ready()``::

    register_importer("customs.inventory_lists", InventoryListImporter())

The shell owns reading (safe open, header mapping, type conversion), progress, problem storage, the error
workbook, the job's status and its audit. The importer owns only its domain rules: ``validate`` (problems,
no writes) and ``persist`` (the writes, called inside one ``transaction.atomic()`` with the job's final
status, so an import is saved whole or not at all).
"""

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from django.core.exceptions import ImproperlyConfigured

from portal.intake.choices import FileFormat
from portal.intake.columns import Column
from portal.intake.messages import CANNOT_ACT_FOR

ROW = "_row"  # key of every row dict: the row number the user sees (sheet row, or item number in XML)


class Problem(NamedTuple):
    """One problem with one row (``row`` None: the whole file), stored untranslated (see ``messages``)."""

    row: int | None
    column: str
    code: str
    message_id: str
    params: dict = {}


class RowProblems(Exception):
    """Raised by ``persist`` when it finds problems only the database can see (e.g. a concurrent upload
    took a number): the transaction rolls back and the job is rejected with these problems."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = [Problem(*p) for p in problems]
        super().__init__(f"{len(self.problems)} problems")


class NotAllowed(Exception):
    """Raised by ``persist`` when the rows may not be saved at all, whatever they hold (e.g. the uploader
    lost the right to import for ``job.on_behalf_of``): the job FAILS with this message, nothing saved."""

    def __init__(self, message_id: str, params: dict | None = None):
        self.message_id, self.params = message_id, params or {}
        super().__init__(message_id)


class Importer:
    """Base class of an importer. Subclasses set ``label`` and ``columns`` and implement ``persist``.

    * ``columns``: the ``Column`` declarations, in template order.
    * ``sheet_names``: names the data sheet may have (first match wins; a workbook with a single sheet is
      read whatever its name).
    * ``formats``: ``{"xlsx"}``, ``{"xml"}`` or both; an XML importer implements ``rows_from_xml``.
    * ``max_rows``: data rows accepted (None: ``INTAKE_MAX_ROWS``).
    """

    kind = ""
    label = ""
    columns: Sequence[Column] = ()
    sheet_names: Sequence[str] = ("数据", "Data")
    formats = frozenset({FileFormat.XLSX})
    max_rows: int | None = None
    instructions_zh = ""
    instructions_en = ""

    def validate(self, rows: list[dict], *, job) -> Iterable[Problem]:
        """Domain checks on the converted rows (no writes). Return problems; none means "save it".

        Rows are plain dicts ``{column key: value, "_row": row number}``; values are already typed (``str``,
        ``int``, ``Decimal``, ``date``) or None where the cell was empty. Read what the rows refer to in
        bulk (one query per kind of lookup, not one per row).
        """
        return []

    def persist(self, rows: list[dict], *, job) -> dict[str, int]:
        """Save every row (bulk writes) and return counts, e.g. ``{"created": 9, "unchanged": 1}``.

        Runs inside the transaction that marks the job succeeded; raise ``RowProblems`` to reject instead.
        ``job.report_progress(done)`` shows progress while it runs (it writes outside the transaction).
        """
        raise NotImplementedError

    def on_behalf_refusal(self, *, organisation, filer) -> tuple[str, dict] | None:
        """Why ``filer`` may not import these rows for ``organisation`` (another organisation) now, as a
        message id and its parameters; None when it may. Asked by ``import_start`` (a field error on
        ``on_behalf_of``: no job) and again when the worker runs the job (the job fails). The default refuses:
        an importer that takes rows for others says who may."""
        return CANNOT_ACT_FOR, {}

    def rows_from_xml(self, root, *, job) -> Iterable[dict]:
        """For XML files: yield one dict of raw text values per item, keyed by column key (``_row`` optional:
        the item's number is used)."""
        raise NotImplementedError

    def result_url(self, job) -> str | None:
        """Where the page goes when the job has succeeded (None: reload the page)."""
        return None


_IMPORTERS: dict[str, Importer] = {}


def register_importer(kind: str, importer: Importer) -> Importer:
    """Declare the importer for ``kind`` (e.g. ``"customs.inventory_lists"``); idempotent per instance."""
    if isinstance(importer, type):
        importer = importer()
    known = _IMPORTERS.get(kind)
    if known is not None and type(known) is not type(importer):
        raise ImproperlyConfigured(f"importer kind {kind!r} is already registered by {type(known).__name__}")
    keys = [c.key for c in importer.columns]
    if len(keys) != len(set(keys)):
        raise ImproperlyConfigured(f"importer {kind!r} declares a column key twice")
    importer.kind = kind
    _IMPORTERS[kind] = importer
    return importer


def get_importer(kind: str) -> Importer:
    try:
        return _IMPORTERS[kind]
    except KeyError:
        raise LookupError(f"no importer is registered for {kind!r}") from None


def registered_kinds() -> list[str]:
    return sorted(_IMPORTERS)
