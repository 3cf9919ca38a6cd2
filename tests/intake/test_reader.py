"""Header mapping by bilingual headers, phantom rows, the row cap and data left after a gap."""

import pytest
from django.test import override_settings
from django.utils.translation import override

from portal.intake.reader import read_xlsx
from portal.intake.safe_open import IntakeRefused
from tests.intake.helpers import HEADERS, good_rows, xlsx
from tests.intake_app.importer import ParcelImporter

IMPORTER = ParcelImporter()


def refused(content) -> IntakeRefused:
    with pytest.raises(IntakeRefused) as caught:
        read_xlsx(content, IMPORTER)
    return caught.value


@pytest.mark.parametrize(
    "headers",
    [
        HEADERS,
        ["包裹编号", "数量", "重量", "申报价值", "发货日期", "币制", "备注"],
        ["Parcel number", "quantity", "WEIGHT", "Declared value", "Shipped on", "Currency", "Note"],
        ["*包裹编号 / Parcel number", "*数量/Quantity", "重量", "申报价值", "发货日期", "币制", "备注"],
        ["数量", "包裹编号", "Weight"],  # any order, optional columns may be left out
    ],
)
def test_headers_are_matched_in_either_language(headers):
    if headers[0] == "数量":
        rows = [[2, "P1", 1.5]]
    else:
        rows = [["P1", 2, 1.5, 10, "2026-03-02", "CNY", "n"][: len(headers)]]
    result = read_xlsx(xlsx(rows, headers=headers), IMPORTER)
    assert result.problem_count == 0, result.problems
    assert result.rows[0]["number"] == "P1" and result.rows[0]["quantity"] == 2


def test_an_unknown_column_is_refused_naming_it():
    error = refused(xlsx([["P1", 1, "x"]], headers=["包裹编号", "数量", "颜色"]))
    assert error.code == "unknown_column"
    with override("zh-hans"):
        assert "颜色" in str(error) and "C" in str(error)


def test_a_duplicated_column_is_refused():
    assert refused(xlsx([["P1", 1, 2]], headers=["包裹编号", "数量", "Quantity"])).code == "duplicate_column"


def test_missing_required_columns_are_listed():
    error = refused(xlsx([["P1"]], headers=["包裹编号"]))
    assert error.code == "missing_columns"
    with override("en"):
        assert "Quantity" in str(error)


def test_the_header_may_sit_below_empty_rows():
    result = read_xlsx(xlsx([[], [], HEADERS, *good_rows(2)], headers=None), IMPORTER)
    assert [row["_row"] for row in result.rows] == [4, 5]


def test_blank_rows_between_data_are_skipped_and_rows_keep_their_sheet_numbers():
    result = read_xlsx(xlsx([good_rows(1)[0], [], [], good_rows(1, start=2)[0]]), IMPORTER)
    assert [row["_row"] for row in result.rows] == [2, 5]


@override_settings(INTAKE_EMPTY_ROWS_STOP=5)
def test_data_after_a_long_gap_is_refused_not_silently_dropped():
    rows = [*good_rows(2), *([[]] * 6), good_rows(1, start=9)[0]]
    error = refused(xlsx(rows))
    assert error.code == "data_after_gap"
    with override("en"):
        assert "Row 10" in str(error)


@override_settings(INTAKE_EMPTY_ROWS_STOP=5)
def test_phantom_rows_below_the_data_are_ignored():
    def phantom(workbook, ws):
        for row in range(10, 5000, 7):
            ws.cell(row=row, column=3).number_format = "0.00"  # formatted, empty
        ws["G1048576"].number_format = "0.00"

    result = read_xlsx(xlsx(good_rows(3), edit=phantom), IMPORTER)
    assert len(result.rows) == 3


@override_settings(INTAKE_MAX_ROWS=5)
def test_the_row_cap_counts_data_rows():
    assert len(read_xlsx(xlsx(good_rows(5)), IMPORTER).rows) == 5
    assert refused(xlsx(good_rows(6))).code == "too_many_rows"


@override_settings(INTAKE_MAX_ROWS=5, INTAKE_EMPTY_ROWS_STOP=5)
def test_data_far_below_the_cap_is_refused_by_the_scan():
    def far(workbook, ws):
        ws["A500"] = "P9"

    assert refused(xlsx(good_rows(2), edit=far)).code == "far_cell"


def test_a_header_only_file_has_no_rows():
    assert refused(xlsx([])).code == "no_rows"


def test_an_empty_sheet_has_no_header():
    assert refused(xlsx([], headers=None)).code == "no_header"


def test_problems_are_counted_beyond_what_is_kept():
    rows = good_rows(30)
    for row in rows:
        row[1] = "x"
        row[4] = "bad date"
    with override_settings(INTAKE_MAX_PROBLEMS_STORED=10):
        result = read_xlsx(xlsx(rows), IMPORTER)
    assert result.problem_count == 60
    assert len(result.problems) == 10
    assert [(p.row, p.column) for p in result.problems[:3]] == [
        (2, "quantity"),
        (2, "shipped_on"),
        (3, "quantity"),
    ]
