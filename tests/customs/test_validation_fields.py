"""Field checks: required fields, lengths, party codes, code lists, and the Decimal edges (ADR 0023)."""

from decimal import Decimal

import pytest
from django.utils import translation

from customs.validation import (
    Problem,
    check_list,
    check_order,
    check_payment,
    check_waybill,
    clean_list,
    to_validation_error,
)
from tests.customs.builders import (
    item,
    list_head,
    list_row,
    order_head,
    order_item,
    payment_data,
    waybill_data,
)

pytestmark = pytest.mark.django_db


def problem_at(problems, field):
    found = [p for p in problems if p.field == field]
    assert found, problems
    return found[0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.005", Decimal("0.01")),
        ("0.015", Decimal("0.02")),
        ("0.0049", Decimal("0.00")),
        ("12.345", Decimal("12.35")),
    ],
)
def test_money_stored_to_two_places_rounds_half_up(value, expected):
    checked = clean_list(list_head(freight=value), [item()])
    assert checked.head["freight"] == expected


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("freight", "-0.01", "negative"),
        ("gross_weight", "-1", "negative"),
        ("freight", "12345678901234567890", "too_large"),  # 20 digits
        ("freight", "123456789012345.1", "too_large"),  # 15 before the point
        ("freight", "99999999999999.995", "too_large"),  # rounds up into a 15th digit
        ("gross_weight", "1234567890", "too_large"),  # the weight column holds 9
        ("net_weight", "0.000001", "decimals"),  # weights keep 5 places, more is refused
        ("freight", "abc", "number"),
        ("freight", "NaN", "number"),
        ("pack_no", "1.5", "integer"),
        ("ie_date", "2025-02-30", "date"),
        ("cop_no", "x" * 31, "max_length"),
        ("pod", "x" * 21, "max_length"),
        ("customs_code", "29O1", "format"),
        ("ebc_name", "bad\x07name", "characters"),
        ("statistics_flag", "C", "choice"),
        ("country", "777", "code_list"),
    ],
)
def test_head_fields_refused_with_a_code(field, value, code):
    problems = check_list(list_head(**{field: value}), [item()])
    assert problem_at(problems, field).code == code


def test_fourteen_digits_and_five_places_are_accepted():
    checked = clean_list(list_head(freight="99999999999999.99"), [item(price="30.00000")])
    assert checked.ok, checked.problems
    assert checked.items[0]["price"] == Decimal(30)


def test_unit_price_with_six_places_is_refused_not_rounded():
    problems = check_list(list_head(), [item(price="30.000001")])
    assert problem_at(problems, "items[0].price").code == "decimals"


def test_json_floats_are_read_as_their_decimal_text():
    checked = clean_list(list_head(gross_weight=1.2, net_weight=1.0), [item(price=30.1, total_price=60.2)])
    assert checked.head["gross_weight"] == Decimal("1.2")
    assert checked.items[0]["price"] == Decimal("30.1")


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("3301960001", None),
        ("91330782MA28F3K135", None),  # DOMAIN §2.1 example 2
        ("91330782MA28F3K130", "party_check"),
        ("330196000", "party_code"),
        ("330196000A", None),
        ("3301000001", "party_code"),  # economic-zone digit 0
    ],
)
def test_party_codes_are_customs_codes_or_uscc(code, problem):
    problems = check_list(list_head(ebp_code=code), [item()])
    found = [p.code for p in problems if p.field == "ebp_code"]
    assert found == ([problem] if problem else [])


def test_required_fields_are_named():
    head = list_head()
    del head["order_no"]
    head["logistics_no"] = "   "
    problems = check_list(head, [item(gname="")])
    assert {(p.code, p.field) for p in problems} >= {
        ("required", "order_no"),
        ("required", "logistics_no"),
        ("required", "items[0].gname"),
    }
    with translation.override("en"):
        assert problem_at(problems, "order_no").message() == "Enter the order number."
    with translation.override("zh-hans"):
        assert "订单编号" in problem_at(problems, "order_no").message()


def test_a_broken_field_does_not_fail_the_rules_a_second_time():
    problems = check_list(list_head(gross_weight="abc"), [item()])
    assert [p.code for p in problems] == ["number"]


def test_problems_round_trip_through_the_checks_column():
    problem = check_list(list_head(net_weight="2"), [item()])[0]
    assert Problem.from_dict(problem.to_dict()) == problem
    assert problem.to_dict()["params"] == {"net": "2", "gross": "1.2"}


def test_to_validation_error_keys_fields_and_keeps_codes():
    problems = check_list(list_head(net_weight="2"), [item(price="-1")])
    error = to_validation_error(problems, prefix="rows[4].")
    assert set(error.error_dict) == {"rows[4].net_weight", "rows[4].items[0].price"}
    assert error.error_dict["rows[4].net_weight"][0].code == "V3"


def test_order_checks():
    assert check_order(order_head(), [order_item()]) == []
    problems = check_order(order_head(goods_value="70"), [order_item(currency="502", total_price="61")])
    assert {(p.code, p.field, p.severity) for p in problems} == {
        ("line_currency", "items[0].currency", "error"),
        ("line_total", "items[0].total_price", "error"),
        ("goods_value", "goods_value", "warning"),
    }
    assert [p.code for p in check_order(order_head(), [])] == ["lines"]


def test_payment_and_waybill_checks():
    assert check_payment(payment_data()) == []
    assert [p.code for p in check_payment(payment_data(charge="0"))] == ["positive"]
    assert [p.code for p in check_payment(payment_data(accounting_date="yesterday"))] == ["datetime"]
    assert check_waybill(waybill_data()) == []
    assert [p.code for p in check_waybill(waybill_data(currency="999"))] == ["code_list"]


def test_batch_rows_without_items_key():
    row = list_row()
    del row["items"]
    from customs.validation import check_lists

    assert [p.code for p in check_lists([row])[0]] == ["V4"]


ODD_VALUES = [None, "", "  ", " 12 ", "0", "00012", "-1", "1e3", "0E+20", "1.234567", "1.50000", "12.345",
              "99999999999999.995", "123456789012345", "abc", "x\x01", "\x0bx", 7, 0, -5, 1.5, True,
              "2026-13-01", "20250303", "e", "X", "1210", "14", "1420", "３３０１", "3301960001 ",
              "913301007XXXXXXXXX", ["x"], "毛" * 300, "0.005", "60.001"]  # fmt: skip


def test_a_batch_is_cleaned_as_each_list_alone():
    """``clean_lists`` converts column by column with fast paths; every value, type and problem is what
    ``clean_list`` finds for the same list alone, odd values included (a bad character in one row makes
    its whole column go the ordinary way)."""
    from customs.validation import clean_lists

    rows = []
    for number, value in enumerate(ODD_VALUES * 3):
        row = list_row(items=[item(), item(item_no="SKU-2")], cop_no=f"C{number}")
        head_field = list(row)[number % len(row)]
        if head_field != "items":
            row[head_field] = value
        row["items"][number % 2][list(item())[number % 16]] = value
        rows.append(row)
    rows.append({**list_row(), "items": ["not a line"]})
    rows.append({**list_row(), "items": "not a list"})
    batch = clean_lists(rows)
    for row, checked in zip(rows, batch, strict=True):
        alone = clean_list(row, row.get("items") or ())
        assert [p.to_dict() for p in checked.problems] == [p.to_dict() for p in alone.problems]
        assert {k: (type(v), str(v)) for k, v in checked.head.items()} == {
            k: (type(v), str(v)) for k, v in alone.head.items()
        }
        assert [{k: (type(v), str(v)) for k, v in line.items()} for line in checked.items] == [
            {k: (type(v), str(v)) for k, v in line.items()} for line in alone.items
        ]
