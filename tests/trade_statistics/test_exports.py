"""CSV and XLSX exports: the same tables as the page (through the same selectors), numbers as numbers,
and no cell a spreadsheet could run as a formula."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation

from registration.models import EntityFiling
from tests.registration import builders
from tests.trade_statistics import population
from tests.trade_statistics.conftest import enterprise_admin_in
from trade_statistics import exports, report, selectors

pytestmark = pytest.mark.django_db

CSV_URL, XLSX_URL = "/statistics/export.csv", "/statistics/export.xlsx"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _csv_blocks(response) -> list[list[list[str]]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    blocks, current = [], []
    for row in csv.reader(io.StringIO(text[1:])):
        if row:
            current.append(row)
        else:
            blocks.append(current)
            current = []
    blocks.append(current)
    return blocks


def _workbook(response):
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _expected_rows(table) -> list[list[str]]:
    rows = [[str(table.caption)], [str(c) for c in table.columns], *table.rows, table.total]
    if table.note:
        rows.append([str(table.note)])
    return [["" if v is None else str(v) for v in row] for row in rows]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("杭州市", "杭州市"),
        ("2026-11", "2026-11"),
        ("a=b", "a=b"),
        ("", ""),
        (None, None),
        (-3, -3),  # a number cannot carry a formula; it stays a number
        (12, 12),
    ],
)
def test_neutralise_prefixes_formula_triggers_with_an_apostrophe(value, expected):
    assert exports.neutralise(value) == expected


def test_sheet_titles_are_valid_and_unique():
    taken: set[str] = set()
    assert exports.sheet_title("A/B:C[D]?*\\", taken) == "ABCD"
    assert exports.sheet_title("x" * 40, taken) == "x" * 31
    assert exports.sheet_title("x" * 40, taken) == "x" * 27 + " (2)"
    assert exports.sheet_title("abcd", taken) == "abcd (2)"


@pytest.fixture
def province(clock, reviewer, supervisor):
    return population.build(clock, reviewer, supervisor)


def test_csv_holds_the_about_block_and_every_table_of_the_page(client, province, statistics_official):
    client.force_login(statistics_official)
    response = client.get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="zhejiang-cbec-statistics-')
    assert "no-store" in response["Cache-Control"]
    blocks = _csv_blocks(response)

    about = dict(row for row in blocks[0][1:] if len(row) == 2)
    assert about["生成时间"].endswith("(Asia/Shanghai)")
    assert about["目标值（美元/年）"] == "50000000000"
    assert about["目标年份"] == "2017"
    assert "浙政办发〔2014〕59号" in about["依据"]
    assert "尚未采集" in about["交易额"]

    with translation.override("zh-hans"):
        expected = report.build(selectors.dashboard(user=statistics_official))
        assert blocks[1:] == [_expected_rows(t) for t in expected.tables]
    city_rows = {row[0]: row[1:] for row in blocks[3][2:]}
    assert city_rows["金华市"] == ["330700", "2"]
    assert city_rows["合计"] == ["", "5"]


def test_xlsx_has_a_sheet_per_table_with_numbers_as_numbers(client, province, statistics_official):
    client.force_login(statistics_official)
    response = client.get(XLSX_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == exports_content_type()
    book = _workbook(response)
    with translation.override("zh-hans"):
        expected = report.build(selectors.dashboard(user=statistics_official))
        assert book.sheetnames == ["说明", *(str(t.sheet) for t in expected.tables)]
        for table, sheet in zip(expected.tables, book.worksheets[1:], strict=True):
            values = [list(row) for row in sheet.iter_rows(values_only=True)]
            width = max(len(r) for r in values)
            # A workbook keeps numbers as floating point: 90.9 reads back as the float nearest to it.
            wanted = [
                [float(v) if isinstance(v, Decimal) else exports.xlsx_value(v) for v in row]
                for row in exports.table_rows(table)
            ]
            assert values == [row + [None] * (width - len(row)) for row in wanted]
    about = {row[0]: row[1] for row in book["说明"].iter_rows(min_row=2, values_only=True)}
    assert about["目标值（美元/年）"] == 50_000_000_000
    assert about["目标年份"] == 2017
    cities = {row[0]: row[1:] for row in book.worksheets[3].iter_rows(min_row=3, values_only=True)}
    assert cities["金华市"] == ("330700", 2)
    monthly = {row[0]: row[1:] for row in book.worksheets[4].iter_rows(min_row=3, values_only=True)}
    assert monthly["2026-03"] == (2, 2, 0, 4)
    assert monthly["合计"] == (6, 5, 1, 3.5)


def exports_content_type() -> str:
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_formula_in_the_data_is_neutralised_in_both_exports(client, reviewer, statistics_official):
    """Division codes are validated when entered; this one stands for bad legacy or imported data that
    reached the table anyway, and must not run in the official's spreadsheet."""
    filing = builders.active(enterprise_admin_in("330106"), reviewer)
    EntityFiling.objects.filter(pk=filing.pk).update(division_code="=1+20")
    client.force_login(statistics_official)

    rows = [row for block in _csv_blocks(client.get(CSV_URL)) for row in block]
    assert ["不在区划表中", "'=1+2", "1"] in rows
    assert not [cell for row in rows for cell in row if cell.startswith(TRIGGERS)]

    book = _workbook(client.get(XLSX_URL))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [c.value for c in cells if isinstance(c.value, str) and c.value.startswith(TRIGGERS)]
    city = {row[1].value: row[1] for row in book.worksheets[3].iter_rows(min_row=3)}
    assert city["'=1+2"].data_type == "s"


def test_exports_follow_the_users_language(client, province, statistics_official):
    client.force_login(statistics_official)
    client.cookies["portal_language"] = "en"
    blocks = _csv_blocks(client.get(CSV_URL))
    assert blocks[3][0] == ["Registered operators (active filings) by prefecture-level city"]
    assert ["Jinhua", "330700", "2"] in blocks[3]
    assert _workbook(client.get(XLSX_URL)).sheetnames[0] == "About"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("ab\x01c\x1f", "abc"), ("=\x00cmd", "'=cmd"), ("", None), ("杭州", "杭州"), (7, 7)],
)
def test_workbook_cells_drop_control_characters_xml_cannot_hold(value, expected):
    assert exports.xlsx_value(value) == expected
