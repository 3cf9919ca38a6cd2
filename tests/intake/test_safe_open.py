"""Hostile uploads are refused before a parser can be hurt by them, with a message in the user's language."""

import io
import subprocess
import sys
import zipfile

import pytest
from django.test import override_settings
from django.utils.translation import override

from portal.intake import safe_open
from portal.intake.safe_open import IntakeRefused, Limits, open_xlsx, parse_xml, scan_sheet, sniff
from tests.intake.helpers import good_rows, patch_part, xlsx

LIMITS = Limits(max_bytes=50 * 2**20, max_entries=100, max_unpacked=50 * 2**20, max_ratio=150)
SHEET = "xl/worksheets/sheet1.xml"


def _open(content, limits=LIMITS, max_row=1000, max_col=20):
    return open_xlsx(content, sheet_names=("数据", "Data"), max_row=max_row, max_col=max_col, limits=limits)


def _refused(content, **kwargs) -> IntakeRefused:
    with pytest.raises(IntakeRefused) as caught:
        _open(content, **kwargs)
    return caught.value


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_plain_workbook_opens():
    sheet = _open(xlsx(good_rows(3)))
    assert sheet.name == "数据"
    assert sheet.rows[1][0] == "P000001"


def test_a_zip_bomb_is_refused_from_the_central_directory():
    bomb = _zip({"xl/workbook.xml": b"<workbook/>", SHEET: b"0" * (40 * 2**20)})
    assert len(bomb) < 100_000
    error = _refused(bomb)
    assert error.code == "zip_bomb"
    with override("zh-hans"):
        assert "压缩" in str(error)
    with override("en"):
        assert "compressed" in str(error)


def test_a_workbook_unpacking_past_the_cap_is_refused():
    limits = Limits(max_bytes=LIMITS.max_bytes, max_entries=100, max_unpacked=2**20, max_ratio=10**6)
    assert _refused(_zip({"a.xml": b"1" * (2**20 + 1)}), limits=limits).code == "too_big_unpacked"


def test_too_many_entries_are_refused():
    many = _zip({f"xl/part{i}.xml": b"<x/>" for i in range(101)})
    assert _refused(many).code == "too_many_entries"


def test_encrypted_entries_are_refused():
    content = bytearray(_zip({"xl/workbook.xml": b"<workbook/>"}))
    # Set the "encrypted" flag bit in the central directory record (what a password-protected zip carries).
    central = content.rfind(b"PK\x01\x02")
    content[central + 8] |= 0x1
    assert _refused(bytes(content)).code == "encrypted"


def test_nested_archives_are_refused():
    assert _refused(_zip({"xl/embeddings/book.xlsx": b"PK..."})).code == "nested_archive"


def test_a_nested_archive_under_another_name_is_refused_when_read():
    content = patch_part(xlsx(good_rows(1)), "xl/styles.xml", lambda _old: b"PK\x03\x04 hidden zip")
    with zipfile.ZipFile(io.BytesIO(content)) as archive, pytest.raises(IntakeRefused) as caught:
        safe_open.read_part(archive, "xl/styles.xml")
    assert caught.value.code == "nested_archive"


def test_far_away_data_is_refused_before_calamine_allocates_for_it():
    """Values in A1 and XFD1048576 make python-calamine ask for 550 GB and abort the process (SIGABRT).
    The scan refuses the file first; the same bytes read in a child process show what it prevents."""

    def far(workbook, ws):
        ws["XFD1048576"] = "x"

    content = xlsx(good_rows(1), edit=far)
    error = _refused(content)
    assert error.code == "far_cell"
    assert "XFD1048576" in str(error)


def test_calamine_itself_would_abort_on_that_file(tmp_path):
    """Why the scan exists (run in a child process under a memory limit, so the suite survives)."""

    def far(workbook, ws):
        ws["XFD1048576"] = "x"

    path = tmp_path / "far.xlsx"
    path.write_bytes(xlsx([["a"]], edit=far))
    code = (
        "import resource, python_calamine as pc;"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30));"
        f"pc.CalamineWorkbook.from_path({str(path)!r}).get_sheet_by_index(0)"
    )
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert child.returncode != 0


def test_far_away_empty_styled_cells_are_phantom_rows_and_harmless():
    def phantom(workbook, ws):
        ws["T1048576"].number_format = "0.00"  # styled, no value: what "format the whole sheet" leaves

    content = xlsx(good_rows(2), edit=phantom)
    assert b'r="T1048576"' in zipfile.ZipFile(io.BytesIO(content)).read(SHEET)
    sheet = _open(content)
    assert len(sheet.rows) == 3


def test_a_dimension_claiming_a_million_rows_changes_nothing():
    content = patch_part(
        xlsx(good_rows(2)),
        SHEET,
        lambda old: old.replace(b'<dimension ref="A1:G3"/>', b'<dimension ref="A1:T1048576"/>'),
    )
    assert b"A1:T1048576" in zipfile.ZipFile(io.BytesIO(content)).read(SHEET)
    assert len(_open(content).rows) == 3


@pytest.mark.parametrize(
    "cell",
    [b'<c s="0" r="A2"', b'<c  r="A2"', b'<c\tr="A2"', b"<c r='A2'"],
    ids=["attribute-order", "double-space", "tab", "single-quotes"],
)
def test_cells_not_written_the_standard_way_are_refused(cell):
    content = patch_part(xlsx(good_rows(1)), SHEET, lambda old: old.replace(b'<c r="A2"', cell, 1))
    assert _refused(content).code == "non_standard"


def test_a_prefixed_far_cell_cannot_slip_past_the_scan():
    xml = (
        b'<worksheet xmlns:x="main"><sheetData><row r="1">'
        b'<x:c r="XFD1048576"><x:v>1</x:v></x:c></row></sheetData></worksheet>'
    )
    with pytest.raises(IntakeRefused) as caught:
        scan_sheet(xml, max_row=100, max_col=10)
    assert caught.value.code == "non_standard"


def test_a_prefixed_far_cell_is_refused_before_calamine_reads_the_workbook(tmp_path):
    """calamine takes ``<x:c`` for a cell (by its local name) and aborts on the far one; open_xlsx ran the
    prefix check alongside calamine until it was found to abort: a child process under a memory limit shows
    the refusal now comes first."""
    content = patch_part(
        xlsx(good_rows(2)),
        SHEET,
        lambda old: old.replace(b"<worksheet ", b'<worksheet xmlns:x="urn:x" ', 1).replace(
            b"</sheetData>", b'<row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></row></sheetData>'
        ),
    )
    path = tmp_path / "prefixed.xlsx"
    path.write_bytes(content)
    code = (
        "import resource, django;"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30));"
        "django.setup();"
        "from portal.intake.safe_open import IntakeRefused, open_xlsx\n"
        "try:\n"
        f"    open_xlsx(open({str(path)!r}, 'rb').read(), sheet_names=('数据',), max_row=100, max_col=10)\n"
        "except IntakeRefused as exc:\n"
        "    print(exc.code)"
    )
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert (child.returncode, child.stdout.strip()) == (0, b"non_standard"), child.stderr[-2000:]


@pytest.mark.parametrize(
    ("element", "refused"),
    [
        (b"<x:f>1+2</x:f>", True),
        (b"<:c/>", True),
        (b"<a.b-c:c/>", True),
        (b"<\xc3\xbc:c/>", True),  # a prefix in UTF-8: calamine reads it as a cell all the same
        (b"<" + b"p" * 5000 + b":c/>", True),
        (b"<x:col/>", False),
        (b"<t>a:c d</t>", False),
        (b"<t>" + b"p" * 5000 + b":c d</t>", False),
    ],
)
def test_prefixed_cell_and_formula_elements_are_found_whatever_the_prefix(element, refused):
    xml = b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is>' + element + b"</is></c></row>"
    if refused:
        with pytest.raises(IntakeRefused) as caught:
            scan_sheet(xml, max_row=100, max_col=10)
        assert caught.value.code == "non_standard"
    else:
        scan_sheet(xml, max_row=100, max_col=10)


@pytest.mark.parametrize("max_row", [9, 100, 1070, 50_070, 100_070])
def test_the_extent_is_exact_at_the_last_row_and_column(max_row):
    def cell(ref: str) -> bytes:
        return f'<worksheet><sheetData><row r="1"><c r="{ref}"><v>1</v></c></row></sheetData>'.encode()

    for ref in (f"J{max_row}", f"A00{max_row}", "J1"):
        scan_sheet(cell(ref), max_row=max_row, max_col=10)
    for ref in (f"J{max_row + 1}", f"A00{max_row + 1}", f"A{max_row * 10}", "K1", "AA1", f"K{max_row}"):
        with pytest.raises(IntakeRefused) as caught:
            scan_sheet(cell(ref), max_row=max_row, max_col=10)
        assert caught.value.code == "far_cell", ref


def test_formulas_are_refused_naming_the_cell():
    def formula(workbook, ws):
        ws["B3"] = "=1+2"

    error = _refused(xlsx(good_rows(2), edit=formula))
    assert error.code == "formula"
    with override("en"):
        assert "B3" in str(error)


def test_merged_cells_are_refused():
    def merge(workbook, ws):
        ws.merge_cells("A1:B1")

    error = _refused(xlsx(good_rows(2), edit=merge))
    assert error.code == "merged_cells"
    with override("en"):
        assert "A1:B1" in str(error)


def test_a_missing_sheet_names_the_expected_and_found_sheets():
    def second(workbook, ws):
        workbook.create_sheet("Other")

    error = _refused(xlsx(good_rows(1), sheet="Sheet1", edit=second))
    assert error.code == "missing_sheet"
    with override("en"):
        assert "Sheet1" in str(error) and "Data" in str(error)


def test_a_single_sheet_is_read_whatever_its_name():
    assert _open(xlsx(good_rows(1), sheet="Sheet1")).name == "Sheet1"


def test_a_dtd_inside_a_workbook_part_is_refused():
    content = patch_part(xlsx(good_rows(1)), SHEET, lambda old: b'<!DOCTYPE x [<!ENTITY a "b">]>' + old)
    assert _refused(content).code == "dtd"


def test_garbage_is_not_a_workbook():
    assert _refused(b"PK\x03\x04 not really a zip").code == "not_a_workbook"


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"", "a.xlsx", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old.xls", "old_xls"),
        (b"%PDF-1.7", "a.xlsx", "unsupported_type"),
        (b"PK\x03\x04rest", "parcels.xml", "type_mismatch"),
        (b"<?xml version='1.0'?><a/>", "parcels.xlsx", "type_mismatch"),
    ],
)
def test_sniffing_decides_by_content(content, name, code):
    with pytest.raises(IntakeRefused) as caught:
        sniff(content, name)
    assert caught.value.code == code


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<Parcels><Parcel><Number>&lol9;</Number></Parcel></Parcels>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Parcels><Parcel><Number>&xxe;</Number></Parcel></Parcels>"""
PLAIN_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE Parcels SYSTEM "http://127.0.0.1:9/parcels.dtd">
<Parcels/>"""


@pytest.mark.parametrize(
    "content", [BILLION_LAUGHS, EXTERNAL, PLAIN_DTD], ids=["billion-laughs", "xxe", "dtd"]
)
def test_xml_with_a_dtd_is_refused(content):
    with pytest.raises(IntakeRefused) as caught:
        parse_xml(content)
    assert caught.value.code == "dtd"
    with override("en"):
        assert "DTD" in str(caught.value)
    assert "root:" not in str(caught.value)


def test_broken_xml_says_why():
    with pytest.raises(IntakeRefused) as caught:
        parse_xml(b"<Parcels><Parcel></Parcels>")
    assert caught.value.code == "xml_broken"


@override_settings(INTAKE_MAX_UPLOAD_BYTES=100)
def test_xml_over_the_size_cap_is_refused():
    with pytest.raises(IntakeRefused) as caught:
        parse_xml(b"<a>" + b"x" * 200 + b"</a>")
    assert caught.value.code == "too_large"


def test_plain_xml_parses():
    root = parse_xml(b"<Parcels><Parcel><Number>P1</Number></Parcel></Parcels>")
    assert root.find("Parcel/Number").text == "P1"
