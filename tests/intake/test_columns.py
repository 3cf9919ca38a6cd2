"""Cell conversion: money without float errors, dates typed as text, limits, column-wise fast paths."""

import datetime
from decimal import Decimal

import pytest

from portal.intake.columns import CODE, DATE, DECIMAL, INT, TEXT, CellError, Column, convert_values

MONEY = Column("value", "金额", "Value", DECIMAL, decimal_places=2, round_half_up=True)
STRICT = Column("value", "金额", "Value", DECIMAL, decimal_places=2)


def one(column, value):
    out, errors = convert_values(column, [value])
    if errors:
        raise errors[0][1]
    return out[0]


def code_of(column, value) -> str:
    with pytest.raises(CellError) as caught:
        one(column, value)
    return caught.value.code


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2.675, Decimal("2.68")),  # float arithmetic would give 2.67 (2.675 is 2.67499999... in binary)
        (0.005, Decimal("0.01")),
        (1.005, Decimal("1.01")),
        ("0.005", Decimal("0.01")),
        ("1,234.565", Decimal("1234.57")),
        ("１２３．４５", Decimal("123.45")),  # full-width digits
        (0.1, Decimal("0.1")),
        (12, Decimal("12")),
        ("-0", Decimal("0")),
    ],
)
def test_decimals_round_half_up_from_what_the_sheet_stored(value, expected):
    result = one(MONEY, value)
    assert result == expected
    assert isinstance(result, Decimal)


def test_without_rounding_extra_places_are_refused():
    assert code_of(STRICT, 2.675) == "too_many_decimals"
    assert one(STRICT, 2.5) == Decimal("2.5")


@pytest.mark.parametrize("value", ["123456789012345678901", 1e25, "1" * 30])
def test_more_than_twenty_digits_are_refused(value):
    assert code_of(Column("v", "值", "V", DECIMAL), value) == "too_many_digits"


def test_twenty_digits_are_accepted():
    assert one(Column("v", "值", "V", DECIMAL), "12345678901234567890") == Decimal("12345678901234567890")


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1e5", "12a", "1.2.3", True, "1,23"])
def test_what_is_not_a_plain_number_is_refused(value):
    assert code_of(Column("v", "值", "V", DECIMAL), value) == "not_decimal"


@pytest.mark.parametrize("column", [MONEY, Column("q", "数量", "Qty", INT)])
def test_negative_numbers_are_refused_unless_allowed(column):
    assert code_of(column, -1) == "negative"
    allowed = Column(column.key, "x", "x", column.type, allow_negative=True)
    assert one(allowed, -1) == -1


@pytest.mark.parametrize(
    ("value", "expected"), [(3.0, 3), ("42", 42), ("1,000", 1000), (" 7 ", 7), ("０８", 8)]
)
def test_whole_numbers(value, expected):
    assert one(Column("q", "数量", "Qty", INT), value) == expected


@pytest.mark.parametrize("value", [2.5, "2.5", "x", "1" * 19])
def test_what_is_not_a_whole_number_is_refused(value):
    assert code_of(Column("q", "数量", "Qty", INT), value) in {"not_int", "too_many_digits"}


@pytest.mark.parametrize(
    "value",
    [
        "2026-03-05",
        "2026/03/05",
        "20260305",
        "2026-3-5",
        20260305,
        20260305.0,
        datetime.date(2026, 3, 5),
        datetime.datetime(2026, 3, 5),
    ],
)
def test_dates_as_cells_or_as_text(value):
    assert one(Column("d", "日期", "Date", DATE), value) == datetime.date(2026, 3, 5)


@pytest.mark.parametrize("value", ["2026-02-30", "05/03/2026", "2026.03.05", "2026-03/05", 46086, "soon"])
def test_what_is_not_a_date_is_refused(value):
    assert code_of(Column("d", "日期", "Date", DATE), value) == "not_date"


def test_a_date_with_a_time_is_refused():
    assert (
        code_of(Column("d", "日期", "Date", DATE), datetime.datetime(2026, 3, 5, 10, 30)) == "date_with_time"
    )


def test_text_keeps_what_was_typed_and_numbers_lose_their_point_zero():
    column = Column("t", "编号", "No", TEXT, max_length=5)
    assert one(column, "  abc ") == "abc"
    assert one(column, 142.0) == "142"
    assert code_of(column, "abcdef") == "too_long"


def test_code_lists():
    column = Column("c", "币制", "Currency", CODE, codes={"CNY": "人民币", "USD": "美元"})
    assert one(column, " CNY") == "CNY"
    assert code_of(column, "RMB") == "not_in_list"
    numeric = Column("k", "国别", "Country", CODE, codes=lambda: ["142", "502"])
    assert one(numeric, 142.0) == "142"


def test_empty_cells_are_none_and_required_ones_are_problems():
    out, errors = convert_values(Column("t", "编号", "No", TEXT, required=True), ["", None, "x"])
    assert out == [None, None, "x"]
    assert [(i, e.code) for i, e in errors] == [(0, "required"), (1, "required")]


def test_bounds():
    column = Column("v", "值", "V", DECIMAL, min_value=Decimal("1"), max_value=Decimal("10"))
    assert code_of(column, "0.5") == "below_min"
    assert code_of(column, 11) == "above_max"
    assert one(column, 10) == Decimal("10")


def test_a_column_declaration_is_checked():
    with pytest.raises(ValueError, match="code column"):
        Column("c", "代码", "Code", CODE)
    with pytest.raises(ValueError, match="reserved"):
        Column("_row", "行", "Row")


PLACES_5 = Column("v", "值", "V", DECIMAL, max_digits=19, decimal_places=5)
NUMERIC_TEXTS = [
    "0", "00.5", "5.", "1.20", "60.00", "2.675", "0.005", "1.2000000", "12345678901234", "1" * 15,
    "99999999999999.99999", "123456789012345678.5", " 1.5", "1,234.5", "-1", "+1", ".5", "1e3", "１２", "٣",
    "", "abc",
]  # fmt: skip


def _cell_by_cell(column, text):
    """What the scalar converter makes of one cell: (str of the value, []) or (None, [error code])."""
    from portal.intake.columns import converter

    if text == "":
        return None, []
    try:
        return str(converter(column)(text)), []
    except CellError as error:
        return None, [error.code]


@pytest.mark.parametrize("column", [MONEY, STRICT, PLACES_5])
def test_numbers_typed_as_text_convert_as_the_scalar_path_converts_them(column):
    """The column-wise fast path for plain numeric text gives what the cell-by-cell converter gives (value
    and places kept), and leaves everything else to it."""
    out, errors = convert_values(column, NUMERIC_TEXTS)
    for index, text in enumerate(NUMERIC_TEXTS):
        got = (None if out[index] is None else str(out[index]), [e.code for i, e in errors if i == index])
        assert got == _cell_by_cell(column, text), text
