"""Loading the customs code lists from their CSV files (the only code that writes reference data).

``reference_load`` upserts by ``(code, valid_from)`` in batches (one read of the existing rows per list, no
query per row), so the full tariff of ~8,000+ commodity codes loads in seconds and loading the same file
twice changes nothing. When a new edition of a code starts, the previous edition is closed the day before;
``close_missing`` also closes the codes a full new edition no longer lists. The data migration calls it with
the historical models (``models=``), the management command with the current ones.
"""

import itertools
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customs.reference_lists import SPECS, ListSpec, spec
from customs.services.reference_files import ParsedFile, Problem, ReferenceFileError, read_reference_file

BATCH_SIZE = 1000
ONE_DAY = timedelta(days=1)


@dataclass
class LoadResult:
    list_name: str
    file_name: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0

    def __str__(self):
        return _(
            "%(list)s: %(rows)s rows from %(file)s; %(created)s added, %(updated)s changed, "
            "%(unchanged)s unchanged, %(closed)s earlier editions closed"
        ) % {"list": self.list_name, "file": self.file_name, **vars(self)}


def current_models() -> dict:
    from customs import models

    return {s.model_name: getattr(models, s.model_name) for s in SPECS} | {
        "ReferenceListInfo": models.ReferenceListInfo
    }


def reference_load(
    *, only=None, files=None, close_missing=False, models=None, record=True
) -> list[LoadResult]:
    """Load the lists ``only`` (default: all) from ``files`` (``{list: path}``, default: the shipped files).

    Every file is read and checked before anything is written, and all lists load in one transaction: a bad
    file or a commodity code with an unknown unit leaves the database as it was (``ReferenceFileError``).
    ``record`` writes an audit event per list (the migration, which has no audit trail yet, passes False).
    """
    models = models or current_models()
    files = files or {}
    specs = [spec(name) for name in only] if only else list(SPECS)
    specs.sort(key=SPECS.index)
    parsed = {s.name: read_reference_file(s, files.get(s.name, s.path)) for s in specs}
    with transaction.atomic():
        results = [_load_list(s, parsed[s.name], models, close_missing, record) for s in specs]
        transaction.on_commit(_invalidate_caches)
    return results


def _invalidate_caches():
    from customs.selectors.reference import invalidate

    invalidate()


def _load_list(s: ListSpec, data: ParsedFile, models, close_missing, record) -> LoadResult:
    model = models[s.model_name]
    _check_references(s, data, models)
    result = LoadResult(s.name, data.path.name, rows=len(data.rows))
    fields = [name for name in data.rows[0] if name != "source"]
    value_fields = [name for name in fields if name not in ("code", "valid_from")]
    existing = {(row["code"], row["valid_from"]): row for row in model.objects.values("pk", *fields)}
    to_create, to_update = [], []
    for row in data.rows:
        values = {name: row[name] for name in fields}
        current = existing.get((row["code"], row["valid_from"]))
        if current is None:
            to_create.append(model(**values))
        elif any(current[name] != values[name] for name in value_fields):
            to_update.append(model(pk=current["pk"], **values))
        else:
            result.unchanged += 1
    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        model.objects.bulk_update(to_update, value_fields, batch_size=BATCH_SIZE)
    result.created, result.updated = len(to_create), len(to_update)
    start = min(row["valid_from"] for row in data.rows)
    listed = {row["code"] for row in data.rows}
    result.closed = _close_superseded(model, listed, start if close_missing else None)
    _record(s, data, models, result, record)
    return result


def _check_references(s: ListSpec, data: ParsedFile, models) -> None:
    """Codes that point into another list (legal units, a site's office) must exist there."""
    if s.name == "hs":
        checks = [("unit1", "Unit"), ("unit2", "Unit")]
    elif s.name == "supervised_sites":
        checks = [("customs_office", "CustomsOffice")]
    else:
        return
    problems = []
    for column, model_name in checks:
        known = set(models[model_name].objects.values_list("code", flat=True))
        for row, line in zip(data.rows, data.lines, strict=True):
            if row[column] and row[column] not in known:
                problems.append(
                    Problem(
                        line,
                        _("%(column)s “%(code)s” is not in the %(list)s list.")
                        % {"column": column, "code": row[column], "list": model_name},
                    )
                )
    if problems:
        raise ReferenceFileError(data.path, sorted(problems, key=lambda p: p.line))


def _close_superseded(model, listed: set[str], missing_from) -> int:
    """Shorten every edition that overlaps the next edition of its code; with ``missing_from``, also close
    the open editions of codes the file does not list, the day before ``missing_from``."""
    editions = defaultdict(list)
    for pk, code, valid_from, valid_to in model.objects.values_list("pk", "code", "valid_from", "valid_to"):
        editions[code].append((valid_from, valid_to, pk))
    closing = []
    for code, rows in editions.items():
        rows.sort()
        for (_from, valid_to, pk), (next_from, _to, _pk) in itertools.pairwise(rows):
            if valid_to is None or valid_to >= next_from:
                closing.append(model(pk=pk, valid_to=next_from - ONE_DAY))
        last_from, last_to, last_pk = rows[-1]
        if (
            missing_from
            and code not in listed
            and last_from < missing_from
            and (last_to is None or last_to >= missing_from)
        ):
            closing.append(model(pk=last_pk, valid_to=missing_from - ONE_DAY))
    model.objects.bulk_update(closing, ["valid_to"], batch_size=BATCH_SIZE)
    return len(closing)


def _record(s: ListSpec, data: ParsedFile, models, result: LoadResult, record: bool) -> None:
    info, _created = models["ReferenceListInfo"].objects.update_or_create(
        list_name=s.name,
        defaults={
            "source": data.meta.get("source", ""),
            "edition": data.meta.get("edition", ""),
            "file_name": data.path.name[:200],
            "rows": result.rows,
            "loaded_at": timezone.now(),
        },
    )
    if record:
        from portal.choices import AuditVerb
        from portal.services.audit import audit

        audit(verb=AuditVerb.UPDATE, target=info, reason=str(result), payload=vars(result))
