"""Opening uploaded workbooks and XML files without trusting them (ADR 0021).

An ``.xlsx`` is a zip of XML parts. Before any parser sees it:

* the zip's central directory is checked: number of entries, total uncompressed size, compression ratio of
  each large entry (a zip bomb is a small file that inflates to gigabytes), no encrypted entries, no nested
  archives, no duplicate or path-like entry names;
* the data sheet's XML is inflated (bounded by the caps above, which zipfile enforces against lying headers)
  and scanned as bytes: no DTD, no formulas, every cell written with its position (``<c r="B7">``), and no
  cell holding a value outside the rows and columns an import may have. The last check is what keeps
  python-calamine safe: it allocates a dense grid from the first to the last cell holding a value, so a
  300-byte workbook with values in A1 and XFD1048576 asks for 550 GB and aborts the whole process (measured;
  see the ADR). Empty styled cells far away ("phantom rows") are harmless: calamine skips them.

XML files are parsed with defusedxml: no DTD (so no entity expansion and no external entities), no network.
Every refusal is an ``IntakeRefused`` whose message renders in the reader's language.
"""

import io
import posixpath
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext_noop

from portal.intake import messages as m
from portal.intake.choices import FileFormat

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_NESTED_ARCHIVE_SUFFIXES = (
    ".zip", ".xlsx", ".xlsm", ".xlsb", ".docx", ".docm", ".pptx", ".jar", ".gz", ".tgz", ".7z", ".rar",
    ".tar", ".bz2", ".xz", ".cab",
)  # fmt: skip
_ARCHIVE_MAGIC = (b"PK\x03\x04", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"BZh", b"\xfd7zXZ")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_RATIO_FLOOR = 1024 * 1024  # small entries may compress as well as they like
# What a sheet must not hold, each found by a pattern that starts with a literal (the regex engine then skips
# from candidate to candidate in C; one alternation at every "<" costs ten times as much on a 50 MB sheet):
# a DTD or entity, a formula, a cell start tag that is not exactly '<c r="' (then the positions the far-cell
# scan finds are not every position) and a prefixed cell or formula element (calamine matches local names,
# so "<x:c" is a cell too), found from its ":c"/":f" and confirmed backwards (``_prefixed_element``).
_DTD_AT = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_FORMULA_AT = re.compile(rb"<f[\s>/]")
_BARE_CELL_AT = re.compile(rb'<c(?:[\t\n\r>/]| (?!r="))')
_PREFIXED_AT = re.compile(rb":[cf][\s>/]")
# The bytes an XML parser (quick-xml, under calamine) may read as part of an element's name.
_NAME_BYTES = bytes(b for b in range(256) if b not in b" \t\n\r\f\v<>/")

NOT_A_WORKBOOK = gettext_noop(
    "The file is not an Excel workbook (.xlsx) that can be read; it may be damaged."
)
OLD_XLS = gettext_noop(
    "The file is in the old Excel 97–2003 format (.xls). Open it in Excel or WPS and save it as .xlsx."
)
WRONG_TYPE = gettext_noop("Upload an Excel workbook (.xlsx) or an XML file; this file is neither.")
FORMAT_NOT_ACCEPTED = gettext_noop("This import does not accept %(format)s files.")
NAME_MISMATCH = gettext_noop(
    "The file is named “%(name)s” but its content is %(format)s. Rename it to match."
)
TOO_LARGE = gettext_noop("The file is larger than %(mb)s MB.")
EMPTY = gettext_noop("The file is empty.")
TOO_MANY_ENTRIES = gettext_noop("The workbook holds %(count)s parts; at most %(max)s are accepted.")
TOO_BIG_UNPACKED = gettext_noop("The workbook unpacks to more than %(mb)s MB; at most that is accepted.")
BOMB = gettext_noop(
    "The workbook part “%(name)s” is compressed %(ratio)s times; at most %(max)s is accepted (a zip bomb?)."
)
ENCRYPTED = gettext_noop(
    "The workbook is protected with a password. Save it without a password and upload it."
)
NESTED = gettext_noop(
    "The workbook contains another archive (“%(name)s”). Remove embedded files and save again."
)
BAD_ENTRY = gettext_noop("The workbook contains a part with an unusable name (“%(name)s”).")
DTD = gettext_noop("The file declares a DTD or entities, which are not accepted.")
MISSING_SHEET = gettext_noop("The workbook has no sheet named %(expected)s. Its sheets are: %(found)s.")
FORMULA = gettext_noop(
    "Cell %(cell)s holds a formula. Upload values only: copy the cells and paste them as values."
)
MERGED = gettext_noop("Cells %(cells)s are merged. Unmerge every cell and upload again.")
NON_STANDARD = gettext_noop(
    "The workbook was written by a program that leaves out cell positions. Open it in Excel or WPS and save "
    "it again as .xlsx."
)
FAR_CELL = gettext_noop(
    "Cell %(cell)s holds data outside the table (at most %(rows)s rows and %(columns)s columns are read). "
    "Delete whatever is there and upload again."
)
XML_BROKEN = gettext_noop("The XML file cannot be read: %(reason)s")


class IntakeRefused(Exception):
    """The whole file is refused: a stable code and a message id with parameters (``messages.render``)."""

    def __init__(self, code: str, message_id: str, **params):
        self.code, self.message_id, self.params = code, message_id, params
        super().__init__(code)

    def __str__(self):
        return m.render(self.message_id, self.params)


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_entries: int
    max_unpacked: int
    max_ratio: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            max_bytes=settings.INTAKE_MAX_UPLOAD_BYTES,
            max_entries=settings.INTAKE_ZIP_MAX_ENTRIES,
            max_unpacked=settings.INTAKE_ZIP_MAX_UNPACKED_BYTES,
            max_ratio=settings.INTAKE_ZIP_MAX_RATIO,
        )


def sniff(content: bytes, name: str = "") -> str:
    """The upload's format by its content (the name's extension must agree); refuses anything else."""
    if not content:
        raise IntakeRefused("empty", EMPTY)
    head = content[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if content.startswith(b"PK\x03\x04"):
        found = FileFormat.XLSX
    elif content.startswith(_OLE_MAGIC):
        raise IntakeRefused("old_xls", OLD_XLS)
    elif head.startswith(b"<"):
        found = FileFormat.XML
    else:
        raise IntakeRefused("unsupported_type", WRONG_TYPE)
    extension = posixpath.splitext(name.lower())[1]
    if name and extension != f".{found}":
        raise IntakeRefused("type_mismatch", NAME_MISMATCH, name=m.clip(name), format=found.upper())
    return found


def check_zip(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse the archive from its central directory alone, before anything is inflated."""
    entries = archive.infolist()
    if len(entries) > limits.max_entries:
        raise IntakeRefused("too_many_entries", TOO_MANY_ENTRIES, count=len(entries), max=limits.max_entries)
    seen, total = set(), 0
    for entry in entries:
        name = entry.filename
        if name in seen or name.startswith("/") or "\\" in name or ".." in name.split("/"):
            raise IntakeRefused("bad_entry", BAD_ENTRY, name=m.clip(name))
        seen.add(name)
        if entry.flag_bits & 0x1:
            raise IntakeRefused("encrypted", ENCRYPTED)
        if name.lower().endswith(_NESTED_ARCHIVE_SUFFIXES):
            raise IntakeRefused("nested_archive", NESTED, name=m.clip(name))
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise IntakeRefused("not_a_workbook", NOT_A_WORKBOOK)
        total += entry.file_size
        if total > limits.max_unpacked:
            raise IntakeRefused("too_big_unpacked", TOO_BIG_UNPACKED, mb=limits.max_unpacked // 2**20)
        if entry.file_size > _RATIO_FLOOR:
            ratio = entry.file_size / max(entry.compress_size, 1)
            if ratio > limits.max_ratio:
                raise IntakeRefused(
                    "zip_bomb", BOMB, name=m.clip(name), ratio=int(ratio), max=limits.max_ratio
                )


def read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    """One part, inflated no further than its declared size (zipfile stops there and checks the CRC)."""
    info = archive.getinfo(name)
    try:
        with archive.open(info) as handle:
            data = handle.read(info.file_size + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise IntakeRefused("not_a_workbook", NOT_A_WORKBOOK) from None
    if len(data) > info.file_size:
        raise IntakeRefused("not_a_workbook", NOT_A_WORKBOOK)
    if data[:4] in _ARCHIVE_MAGIC or data[:4] == b"PK\x03\x04" or data.startswith(_OLE_MAGIC):
        raise IntakeRefused("nested_archive", NESTED, name=m.clip(name))
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
        raise IntakeRefused("dtd", DTD)
    return data


def _xml(data: bytes):
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise IntakeRefused("dtd", DTD) from None
    except (SafeET.ParseError, ValueError, RecursionError):
        raise IntakeRefused("not_a_workbook", NOT_A_WORKBOOK) from None


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """``{sheet name: part name}`` of the worksheets, resolved as calamine resolves them."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        raise IntakeRefused("not_a_workbook", NOT_A_WORKBOOK)
    workbook = _xml(read_part(archive, "xl/workbook.xml"))
    rels = _xml(read_part(archive, "xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{{{_PKG_REL}}}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{{{_MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{_REL}}}id"), "")
        target = target[1:] if target.startswith("/") else target
        part = target if target.startswith("xl/") else f"xl/{target}"
        if part in names:
            parts[sheet.get("name", "")] = part
    return parts


def choose_sheet(parts: dict[str, str], wanted) -> str:
    by_folded = {name.strip().casefold(): name for name in parts}
    for name in wanted:
        if name.strip().casefold() in by_folded:
            return by_folded[name.strip().casefold()]
    if len(parts) == 1:
        return next(iter(parts))
    raise IntakeRefused(
        "missing_sheet",
        MISSING_SHEET,
        expected=" / ".join(f"“{n}”" for n in wanted),
        found=m.clip("、".join(parts) or "—"),
    )


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def _after(char: str) -> bytes | None:
    return None if char == "Z" else f"[{chr(ord(char) + 1)}-Z]".encode()


def _rows_beyond(max_row: int) -> bytes:
    """A pattern for the row numbers above ``max_row`` (leading zeros allowed): so no cell of a workbook
    within its bounds matches the far-cell pattern at all and the scan stays in the regex engine."""
    text = str(max_row)
    longer = rb"[1-9][0-9]{" + str(len(text)).encode() + rb",}"
    same = [
        text[:i].encode() + f"[{int(digit) + 1}-9]".encode() + rb"[0-9]" * (len(text) - i - 1)
        for i, digit in enumerate(text)
        if digit != "9"
    ]
    return rb"0*(?:" + b"|".join([longer, *same]) + b")"


def _far_pattern(max_row: int, max_col: int) -> re.Pattern:
    """``<c r="…"`` references beyond ``max_col`` (by letters) or beyond ``max_row`` (by digits)."""
    letters = column_letters(min(max_col, 702))
    beyond = [rb"[A-Z]{3}"]
    if len(letters) == 1:
        beyond.append(rb"[A-Z]{2}")
        if _after(letters) is not None:
            beyond.append(_after(letters))
    else:
        if _after(letters[0]) is not None:
            beyond.append(_after(letters[0]) + rb"[A-Z]")
        if _after(letters[1]) is not None:
            beyond.append(letters[0].encode() + _after(letters[1]))
    return re.compile(
        rb'<c r="(?:(?:' + b"|".join(beyond) + rb")[0-9]|[A-Z]{1,3}" + _rows_beyond(max_row) + rb")"
    )


def _cell_at(xml: bytes, position: int) -> str:
    start = xml.rfind(b'<c r="', 0, position)
    if start == -1:
        return "?"
    end = xml.find(b'"', start + 6, start + 20)
    return xml[start + 6 : end].decode("ascii", "replace") if end != -1 else "?"


def _holds_value(xml: bytes, position: int) -> bool:
    tag_end = xml.find(b">", position)
    if tag_end == -1 or xml[tag_end - 1 : tag_end] == b"/":
        return False
    close = xml.find(b"</c>", tag_end)
    content = xml[tag_end + 1 : close if close != -1 else len(xml)]
    return b"<v" in content or b"<is" in content


def scan_sheet(xml: bytes, *, max_row: int, max_col: int) -> None:
    """Byte-level checks of a worksheet part (see the module docstring): the content, then the extent."""
    scan_content(xml)
    scan_extent(xml, max_row=max_row, max_col=max_col)


def scan_content(xml: bytes, *, cells_checked: bool = False) -> None:
    """No DTD or entity, no formula, every cell written ``<c r="…"``, no prefixed cell or formula element.

    The first of these in the part is the one refused. ``cells_checked``: ``scan_cells`` has passed, so the
    last two are not looked for again."""
    patterns = [("dtd", _DTD_AT), ("formula", _FORMULA_AT)]
    if not cells_checked:
        patterns.append(("non_standard", _BARE_CELL_AT))
    found = [(hit.start(), code) for code, pattern in patterns if (hit := pattern.search(xml)) is not None]
    prefixed = None if cells_checked else _prefixed_element(xml)
    if prefixed is not None:
        found.append((prefixed, "non_standard"))
    if not found:
        return
    position, code = min(found)
    if code == "dtd":
        raise IntakeRefused("dtd", DTD)
    if code == "formula":
        raise IntakeRefused("formula", FORMULA, cell=_cell_at(xml, position))
    raise IntakeRefused("non_standard", NON_STANDARD)


def _prefixed_element(xml: bytes) -> int | None:
    """Where the first prefixed ``c`` or ``f`` element starts (``<x:c``, ``<:f>``), or None.

    Each ``:c``/``:f`` followed by a name's end is a candidate; it is one when the bytes before it, back to
    the nearest byte that cannot be in a name, are a ``<`` and a prefix. The stretches walked back over end
    at the candidate's own delimiter, so they never overlap: linear in the part's size."""
    for match in _PREFIXED_AT.finditer(xml):
        end = match.start()
        start, step = end, 64
        while True:
            low = max(0, start - step)
            kept = xml[low:start].rstrip(_NAME_BYTES)
            if kept or low == 0:
                break
            start, step = low, step * 2
        if kept.endswith(b"<"):
            return low + len(kept) - 1
    return None


def scan_extent(xml: bytes, *, max_row: int, max_col: int) -> None:
    """No cell holding a value outside ``max_row`` × ``max_col``: what keeps calamine's dense grid bounded.

    Only meaningful once every cell is known to be written ``<c r="…"`` (``scan_cells``): calamine reads a
    cell without a position as the next one, and a prefixed ``<x:c`` as a cell, which this scan cannot see.
    ``open_xlsx`` therefore refuses such a workbook before calamine reads it. In a workbook within its
    bounds nothing matches the pattern, so the scan runs at the regex engine's speed."""
    for match in _far_pattern(max_row, max_col).finditer(xml):
        if _holds_value(xml, match.end()):
            cell = _cell_at(xml, match.end())
            raise IntakeRefused(
                "far_cell", FAR_CELL, cell=cell, rows=max_row, columns=column_letters(max_col)
            )


def scan_cells(xml: bytes) -> None:
    """Every cell written ``<c r="…"`` and none prefixed: what ``scan_extent`` relies on, so it runs first."""
    if _BARE_CELL_AT.search(xml) is not None or _prefixed_element(xml) is not None:
        raise IntakeRefused("non_standard", NON_STANDARD)


@dataclass
class Sheet:
    """The data sheet as calamine read it: rows of cell values from A1 (empty cells are ``""``)."""

    name: str
    rows: list[list]
    merged: list


def open_xlsx(
    content: bytes, *, sheet_names, max_row: int, max_col: int, limits: Limits | None = None
) -> Sheet:
    """Check, scan and read the data sheet of a workbook (``max_row``/``max_col``: the extent read)."""
    import python_calamine

    limits = limits or Limits.from_settings()
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise IntakeRefused("not_a_workbook", NOT_A_WORKBOOK) from None
    with archive:
        check_zip(archive, limits)
        parts = sheet_parts(archive)
        name = choose_sheet(parts, sheet_names)
        xml = read_part(archive, parts[name])
        if "xl/sharedStrings.xml" in archive.namelist():
            read_part(archive, "xl/sharedStrings.xml")  # size and DTD checks only
    # The extent first: it bounds the grid calamine allocates. The extent scan sees ``<c r=`` cells only,
    # while calamine also takes a cell written without a position (as the next one along) and a prefixed
    # ``<x:c`` (by its local name): ``scan_cells`` refuses both before calamine reads anything.
    scan_cells(xml)
    scan_extent(xml, max_row=max_row, max_col=max_col)
    # calamine (Rust, releasing the GIL) reads while this thread finishes the content checks.
    with ThreadPoolExecutor(max_workers=1) as pool:
        reading = pool.submit(_calamine_rows, python_calamine, content, name)
        try:
            scan_content(xml, cells_checked=True)
        except IntakeRefused:
            reading.exception()  # wait for the reader; the content's refusal is the one to tell
            raise
        rows, merged = reading.result()
    refuse_merged(merged)
    return Sheet(name=name, rows=rows, merged=merged)


def _calamine_rows(python_calamine, content: bytes, name: str):
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
        with workbook:
            sheet = workbook.get_sheet_by_name(name)
            merged = sheet.merged_cell_ranges or []
            return sheet.to_python(skip_empty_area=False), merged
    except python_calamine.PasswordError:
        raise IntakeRefused("encrypted", ENCRYPTED) from None
    except (python_calamine.CalamineError, ValueError, TypeError, OverflowError):
        raise IntakeRefused("not_a_workbook", NOT_A_WORKBOOK) from None


def refuse_merged(merged) -> None:
    if merged:
        (top, left), (bottom, right) = merged[0]
        cells = f"{column_letters(left + 1)}{top + 1}:{column_letters(right + 1)}{bottom + 1}"
        raise IntakeRefused("merged_cells", MERGED, cells=cells)


def parse_xml(content: bytes, *, max_bytes: int | None = None):
    """Parse an uploaded XML document safely; returns the root element (xml.etree API)."""
    limit = max_bytes or settings.INTAKE_MAX_UPLOAD_BYTES
    if len(content) > limit:
        raise IntakeRefused("too_large", TOO_LARGE, mb=limit // 2**20)
    if not content.strip():
        raise IntakeRefused("empty", EMPTY)
    try:
        return SafeET.fromstring(content, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise IntakeRefused("dtd", DTD) from None
    except SafeET.ParseError as exc:
        raise IntakeRefused("xml_broken", XML_BROKEN, reason=m.clip(exc)) from None
    except (ValueError, RecursionError):
        raise IntakeRefused("xml_broken", XML_BROKEN, reason="—") from None
