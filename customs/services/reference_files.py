"""Reading a code-list CSV file: header comments, columns, a parsed dict per row, every problem with its line.

A file is refused whole when any line is wrong (``ReferenceFileError`` lists the lines), so a half-read tariff
is never loaded.
"""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from customs.reference_lists import (
    EXPORT_INSPECTION_CONDITIONS,
    LICENCE_CONDITIONS,
    ListSpec,
    parse_bool,
    parse_date,
)

MAX_REPORTED_PROBLEMS = 20


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self):
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class ReferenceFileError(Exception):
    """The file cannot be loaded; ``problems`` say which lines and why."""

    def __init__(self, path, problems: list[Problem]):
        self.path, self.problems = Path(path), problems
        shown = "; ".join(str(p) for p in problems[:MAX_REPORTED_PROBLEMS])
        more = len(problems) - MAX_REPORTED_PROBLEMS
        if more > 0:
            shown += " " + _("(and %(count)s more)") % {"count": more}
        super().__init__(
            _("%(file)s was not loaded: %(problems)s") % {"file": self.path.name, "problems": shown}
        )


@dataclass
class ParsedFile:
    path: Path
    meta: dict[str, str] = field(default_factory=dict)
    rows: list[dict] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # file line of each row


def read_reference_file(spec: ListSpec, path) -> ParsedFile:
    """Parse ``path`` as the CSV format of ``spec``; raise ``ReferenceFileError`` naming every bad line."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ReferenceFileError(
            path, [Problem(0, _("cannot read the file (%(error)s).") % {"error": exc})]
        ) from exc
    except UnicodeDecodeError as exc:
        raise ReferenceFileError(path, [Problem(0, _("the file is not UTF-8 text."))]) from exc
    parsed = ParsedFile(path)
    lines = text.splitlines()
    first = 0
    while first < len(lines) and (lines[first].startswith("#") or not lines[first].strip()):
        key, sep, value = lines[first].lstrip("#").partition(":")
        if sep:
            parsed.meta[key.strip().lower()] = value.strip()
        first += 1
    reader = csv.DictReader(io.StringIO("\n".join(lines[first:])))
    problems = _check_header(spec, reader.fieldnames or [], first + 1)
    if problems:
        raise ReferenceFileError(path, problems)
    seen: dict[tuple, int] = {}
    for offset, raw in enumerate(reader, start=first + 2):
        row, row_problems = _parse_row(spec, raw, offset)
        key = (row.get("code"), row.get("valid_from"))
        if not row_problems and key in seen:
            row_problems.append(
                Problem(
                    offset,
                    _("code %(code)s from %(day)s is already on line %(line)s.")
                    % {"code": key[0], "day": key[1], "line": seen[key]},
                )
            )
        seen.setdefault(key, offset)
        problems += row_problems
        parsed.rows.append(row)
        parsed.lines.append(offset)
    if problems:
        raise ReferenceFileError(path, problems)
    if not parsed.rows:
        raise ReferenceFileError(path, [Problem(first + 1, _("the file has no rows."))])
    return parsed


def _check_header(spec: ListSpec, names: list[str], line: int) -> list[Problem]:
    needed = ["code", "name_cn", "valid_from"] + [c.name for c in spec.columns if not c.optional]
    missing = [name for name in needed if name not in names]
    if not missing:
        return []
    return [Problem(line, _("the header lacks the column(s) %(columns)s.") % {"columns": ", ".join(missing)})]


def _parse_row(spec: ListSpec, raw: dict, line: int) -> tuple[dict, list[Problem]]:
    problems: list[Problem] = []
    if None in raw:
        problems.append(Problem(line, _("the line has more values than the header has columns.")))
    row: dict = {}

    def take(name, parse, *, required=False):
        value = (raw.get(name) or "").strip()
        if required and not value:
            problems.append(Problem(line, _("%(column)s is empty.") % {"column": name}))
            return
        try:
            row[name] = parse(value)
        except ValueError as exc:
            problems.append(Problem(line, f"{name}: {exc}"))

    code = (raw.get("code") or "").strip()
    if not spec.valid_code_format(code):
        problems.append(
            Problem(
                line,
                _("code “%(code)s” is not a valid code (%(hint)s).") % {"code": code, "hint": spec.code_hint},
            )
        )
    row["code"] = code
    take("name_cn", str.strip, required=True)
    take("name_en", str.strip)
    take("valid_from", parse_date, required=True)
    take("valid_to", parse_date)
    for column in spec.columns:
        if column.name in ("needs_licence", "legal_inspection"):
            continue
        take(column.name, column.parse, required=column.required)
    if spec.name == "hs":
        _derive_hs_flags(row, raw, line, problems)
    if row.get("valid_from") and row.get("valid_to") and row["valid_to"] < row["valid_from"]:
        problems.append(Problem(line, _("valid_to is before valid_from.")))
    return row, problems


def _derive_hs_flags(row: dict, raw: dict, line: int, problems: list[Problem]) -> None:
    """Licence and inspection flags: as given, else derived from the supervision conditions."""
    conditions = set((row.get("supervision") or "").replace(",", "").replace(" ", ""))
    derived = {
        "needs_licence": bool(conditions & LICENCE_CONDITIONS),
        "legal_inspection": bool(conditions & EXPORT_INSPECTION_CONDITIONS),
    }
    for name, default in derived.items():
        value = (raw.get(name) or "").strip()
        try:
            row[name] = parse_bool(value) if value else default
        except ValueError as exc:
            problems.append(Problem(line, f"{name}: {exc}"))
    row.setdefault("unit2", "")
    row.setdefault("export_duty", None)
    row.setdefault("supervision", "")
    row.setdefault("inspection", "")
