"""From an uploaded file to typed row dicts: header mapping, phantom rows, row cap, cell conversion.

The shell does this for every importer; the importer only declares its columns. Cell problems do not stop
the reading: every row is converted and every problem collected, so the error workbook can mark them all.
File-level problems (no header, unknown or missing columns, too many rows) refuse the file at once.
"""

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import repeat

from django.conf import settings
from django.utils.translation import gettext_noop

from portal.intake import messages as m
from portal.intake.columns import Column, convert_values
from portal.intake.registry import ROW, Importer, Problem
from portal.intake.safe_open import IntakeRefused, column_letters, open_xlsx, parse_xml

HEADER_SEARCH_ROWS = 20  # the header is the first non-empty row among these
EXTRA_COLUMNS = 10  # cells this far right of the declared columns are still looked at (then refused)
PROGRESS_EVERY = 2000
PROBLEMS_HEADER = "问题\nProblems"  # the column the error workbook adds; ignored when it comes back

NO_HEADER = gettext_noop("The sheet “%(sheet)s” has no header row. Use the template and keep its first row.")
UNKNOWN_COLUMN = gettext_noop(
    "Column %(column)s is headed “%(header)s”, which is not a column of this import. Use the template's "
    "headers."
)
DUPLICATE_COLUMN = gettext_noop("The column “%(header)s” appears twice (columns %(first)s and %(second)s).")
MISSING_COLUMNS = gettext_noop("Required columns are missing: %(columns)s.")
TOO_MANY_ROWS = gettext_noop("The file has more than %(max)s data rows. Split it into several files.")
DATA_AFTER_GAP = gettext_noop(
    "Row %(row)s holds data after %(gap)s empty rows. Delete the empty rows or what follows them."
)
NO_ROWS = gettext_noop("The file has a header but no data rows.")


@dataclass
class ReadResult:
    """Typed rows, the raw rows as uploaded (for the error workbook) and the problems found."""

    rows: list[dict]
    raw_rows: list[list]
    header: list
    positions: dict[str, int]
    row_numbers: list[int]
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0


def _fold(text) -> str:
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return "".join(ch for ch in text if not ch.isspace() and ch not in "*")


def _header_index(columns: Iterable[Column]) -> dict[str, str]:
    index = {}
    for column in columns:
        for text in (column.header_zh, column.header_en, column.header_zh + column.header_en, column.key):
            index[_fold(text)] = column.key
    return index


def _match_header(text, index) -> str | None:
    folded = _fold(text)
    if folded in index:
        return index[folded]
    parts = str(text).replace("／", "/").replace("|", "/").replace("\n", "/").split("/")
    keys = {index.get(_fold(part)) for part in parts if _fold(part)}
    return keys.pop() if len(keys) == 1 and None not in keys else None


def map_header(header: list, columns: list[Column]) -> dict[str, int]:
    """``{column key: position}``; refuses unknown, duplicate and missing required columns."""
    index, positions = _header_index(columns), {}
    ignored = {_fold(PROBLEMS_HEADER), _fold("问题"), _fold("Problems")}
    for position, text in enumerate(header):
        if text is None or str(text).strip() == "" or _fold(text) in ignored:
            continue
        key = _match_header(text, index)
        if key is None:
            raise IntakeRefused(
                "unknown_column",
                UNKNOWN_COLUMN,
                column=column_letters(position + 1),
                header=m.clip(str(text).replace("\n", " ")),
            )
        if key in positions:
            raise IntakeRefused(
                "duplicate_column",
                DUPLICATE_COLUMN,
                header=m.clip(str(text).replace("\n", " ")),
                first=column_letters(positions[key] + 1),
                second=column_letters(position + 1),
            )
        positions[key] = position
    missing = [c for c in columns if c.required and c.key not in positions]
    if missing:
        names = "、".join(f"{c.header_zh} {c.header_en}" for c in missing)
        raise IntakeRefused("missing_columns", MISSING_COLUMNS, columns=m.clip(names))
    return positions


def convert_rows(
    columns: list[Column], positions: dict[str, int], raw_rows: list, numbers: list[int], *, keep: int
) -> tuple[list[dict], list[Problem], int]:
    """Typed row dicts, the first ``keep`` problems in row order, and the count of all problems.

    Works a column at a time (``columns.convert_values``), then zips the columns back into rows.
    """
    width = len(raw_rows[0]) if raw_rows else 0
    by_position = list(zip(*raw_rows, strict=True)) if raw_rows else []
    empty = ("",) * len(raw_rows)
    keys, typed, kept, count = [ROW], [numbers], [], 0
    for column in columns:
        position = positions.get(column.key)
        values = by_position[position] if position is not None and position < width else empty
        if position is None and not column.required:
            values = (None,) * len(raw_rows)
        out, errors = convert_values(column, values)
        count += len(errors)
        kept.extend(Problem(numbers[i], column.key, e.code, e.message_id, e.params) for i, e in errors[:keep])
        keys.append(column.key)
        typed.append(out)
    kept.sort(key=lambda p: p.row)  # stable: within a row, problems stay in column order
    # Every row has the same keys: ``map`` builds the dicts without a Python-level loop (a third of the
    # time of a comprehension over ``dict(zip(keys, values))``).
    rows = list(map(dict, map(zip, repeat(keys), zip(*typed, strict=True))))
    return rows, kept[:keep], count


def _is_empty(raw: list) -> bool:
    return raw.count("") + raw.count(None) == len(raw)


@dataclass
class RawSheet:
    """The data rows of a workbook as uploaded, with the header's column positions (before conversion)."""

    header: list
    positions: dict[str, int]
    raw_rows: list[list]
    numbers: list[int]


def read_xlsx(content: bytes, importer: Importer, *, on_progress: Callable | None = None) -> ReadResult:
    """Parse (``read_sheet``) then convert every cell, column by column."""
    sheet = read_sheet(content, importer, on_progress=on_progress)
    typed, problems, count = convert_rows(
        list(importer.columns),
        sheet.positions,
        sheet.raw_rows,
        sheet.numbers,
        keep=settings.INTAKE_MAX_PROBLEMS_STORED,
    )
    return ReadResult(typed, sheet.raw_rows, sheet.header, sheet.positions, sheet.numbers, problems, count)


def read_sheet(content: bytes, importer: Importer, *, on_progress: Callable | None = None) -> RawSheet:
    """Safe open, calamine, header mapping, phantom rows and the row cap: the parse, without conversion."""
    columns = list(importer.columns)
    max_rows = importer.max_rows or settings.INTAKE_MAX_ROWS
    gap = settings.INTAKE_EMPTY_ROWS_STOP
    sheet = open_xlsx(
        content,
        sheet_names=importer.sheet_names,
        max_row=HEADER_SEARCH_ROWS + max_rows + gap,
        max_col=len(columns) + EXTRA_COLUMNS,
    )
    rows = sheet.rows
    header_at = next((i for i, raw in enumerate(rows[:HEADER_SEARCH_ROWS]) if not _is_empty(raw)), None)
    if header_at is None:
        raise IntakeRefused("no_header", NO_HEADER, sheet=m.clip(sheet.name))
    header = rows[header_at]
    positions = map_header(header, columns)
    raw_rows, numbers, empties = [], [], 0
    total = len(rows) - header_at - 1
    for index in range(header_at + 1, len(rows)):
        raw = rows[index]
        if _is_empty(raw):
            empties += 1
            if empties >= gap:
                _refuse_data_after(rows, index + 1, gap)
                break
            continue
        empties = 0
        if len(raw_rows) >= max_rows:
            raise IntakeRefused("too_many_rows", TOO_MANY_ROWS, max=max_rows)
        raw_rows.append(raw)
        numbers.append(index + 1)
    if not raw_rows:
        raise IntakeRefused("no_rows", NO_ROWS)
    if on_progress is not None:
        on_progress(total, total)
    return RawSheet(header, positions, raw_rows, numbers)


def _refuse_data_after(rows: list, start: int, gap: int) -> None:
    for index in range(start, len(rows)):
        if not _is_empty(rows[index]):
            raise IntakeRefused("data_after_gap", DATA_AFTER_GAP, row=index + 1, gap=gap)


def read_xml(content: bytes, importer: Importer, *, job, on_progress: Callable | None = None) -> ReadResult:
    """Items of an XML file (``importer.rows_from_xml``) converted like the cells of a sheet."""
    columns = list(importer.columns)
    max_rows = importer.max_rows or settings.INTAKE_MAX_ROWS
    root = parse_xml(content)
    positions = {column.key: i for i, column in enumerate(columns)}
    raw_rows, numbers = [], []
    for number, item in enumerate(importer.rows_from_xml(root, job=job), start=1):
        if len(raw_rows) >= max_rows:
            raise IntakeRefused("too_many_rows", TOO_MANY_ROWS, max=max_rows)
        raw_rows.append([item.get(column.key, "") for column in columns])
        numbers.append(item.get(ROW, number))
        if on_progress is not None and len(raw_rows) % PROGRESS_EVERY == 0:
            on_progress(len(raw_rows), None)
    if not raw_rows:
        raise IntakeRefused("no_rows", NO_ROWS)
    typed, problems, count = convert_rows(
        columns, positions, raw_rows, numbers, keep=settings.INTAKE_MAX_PROBLEMS_STORED
    )
    header = [column.header for column in columns]
    return ReadResult(typed, raw_rows, header, positions, numbers, problems, count)
