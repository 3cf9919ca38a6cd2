"""V1–V14 (DOMAIN §3.8): each rule fails on a list that breaks it and passes on one that keeps it."""

import pytest
from django.utils import translation

from customs.validation import check_list, check_lists, clean_list
from tests.customs.builders import item, list_head, list_row

pytestmark = pytest.mark.django_db


def codes_of(problems):
    return {(p.code, p.field) for p in problems}


def check(head=None, items=None, **overrides):
    row = list_row(items=items, **overrides) if head is None else head
    return check_list(row, row["items"])


def test_the_reference_list_passes_every_check():
    assert check() == []


FAILING = [
    ("V1", "gross_weight", {"gross_weight": "0", "net_weight": "0"}, None),
    ("V2", "net_weight", {"net_weight": "0"}, None),
    ("V3", "net_weight", {"net_weight": "1.3"}, None),
    ("V4", "items", {}, []),
    ("V5", "items[0].price", {}, [item(price="0", total_price="60.00")]),
    ("V5", "items[0].total_price", {}, [item(total_price="0.004")]),  # rounds to 0.00
    ("V6", "items[0].qty1", {}, [item(qty1="3")]),
    ("V7", "items[0].qty2", {}, [item(qty2="")]),
    ("V7", "items[0].qty2", {}, [item(qty2="0")]),
    ("V8", "items[0].gcode", {}, [item(gcode="95030089")]),
    ("V8", "items[0].gcode", {}, [item(gcode="9503008999")]),
    ("V8", "items[0].gcode", {"ie_date": "2021-06-01"}, None),  # the tariff edition starts in 2022
    ("V8", "items[0].unit1", {}, [item(unit1="011", unit="011")]),
    ("V8", "items[0].unit2", {}, [item(unit2="007")]),
    ("V9", "items[0].total_price", {}, [item(total_price="60.02")]),
    ("V10", "items[1].gnum", {}, [item(gnum=1), item(item_no="SKU-2", gnum=3)]),
    ("V11", "ems_no", {"ems_no": "E330100000001"}, None),
    ("V11", "iac_code", {"trade_mode": "1210", "ems_no": "E330100000001"}, None),
    ("V12", "statistics_flag", {"statistics_flag": "A", "claims_refund": True}, None),
    ("V13", "ie_flag", {"ie_flag": "I"}, None),
    ("V14", "customs_code", {"customs_code": "2999"}, None),
    ("V14", "port_code", {"port_code": "0000"}, None),
]


@pytest.mark.parametrize(
    ("code", "field", "overrides", "items"), FAILING, ids=[f[0] + ":" + f[1] for f in FAILING]
)
def test_each_rule_fails(code, field, overrides, items):
    assert (code, field) in codes_of(check(items=items, **overrides))


PASSING = [
    ("V1", {"gross_weight": "0.001", "net_weight": "0.001"}, None),
    ("V2", {"net_weight": "0.00001"}, None),
    ("V4", {}, [item()]),
    ("V3", {"net_weight": "1.2"}, None),  # equal weights are fine
    ("V5", {}, [item(price="0.00001", qty="1", qty1="1", total_price="0.005", qty2="0.1")]),  # 0.005 → 0.01
    ("V6", {}, [item(unit="011", qty="1", price="60")]),  # other unit: quantities may differ
    ("V7", {}, [item(qty2="0.00001")]),
    ("V8", {}, [item(gcode="7019710010", unit="035", unit1="035", qty1="2", unit2="", qty2="")]),
    ("V9", {}, [item(qty="3", qty1="3", price="0.333", total_price="1.00")]),  # 0.999 within 0.01
    ("V10", {}, [item(gnum=1), item(item_no="SKU-2", gnum=2)]),
    ("V11", {"trade_mode": "1210", "ems_no": "E330100000001", "iac_code": "3301960009"}, None),
    ("V12", {"statistics_flag": "A", "claims_refund": False}, None),  # refund-eligible, not claimed
    ("V13", {"ie_flag": "E"}, None),
    ("V14", {"customs_code": "3101", "port_code": "3109"}, None),
]


@pytest.mark.parametrize(("code", "overrides", "items"), PASSING, ids=[p[0] for p in PASSING])
def test_each_rule_passes(code, overrides, items):
    problems = check(items=items, **overrides)
    assert [p for p in problems if p.code == code] == []
    assert [p for p in problems if p.is_error] == []


def test_v12_refuses_path_a_for_licensed_goods_even_without_refund():
    goods = item(gcode="7019710010", unit="035", unit1="035", qty1="2", unit2="", qty2="")
    problems = check(items=[goods], statistics_flag="A", claims_refund=False)
    assert [(p.code, p.params["gcode"]) for p in problems] == [("V12", "7019710010")]


def test_the_tariff_is_read_at_the_lists_export_date(django_assert_max_num_queries):
    old = list_row(ie_date="2021-12-31", cop_no="A")
    new = list_row(ie_date="2022-01-01", cop_no="B")
    results = check_lists([old, new])
    assert [p.code for p in results[0]] == ["V8"]
    assert results[1] == []


def test_a_batch_reads_the_code_lists_once_per_export_date(django_assert_max_num_queries):
    rows = [list_row(cop_no=f"C{i}", order_no=f"O{i}") for i in range(200)]
    rows += [list_row(cop_no=f"D{i}", ie_date="2025-03-04") for i in range(200)]
    with django_assert_max_num_queries(2 * 9):  # lists × two days (+ the version check)
        results = check_lists(rows)
    assert all(r == [] for r in results)


def test_clean_list_gives_typed_values_and_totals():
    checked = clean_list(list_head(), [item(), item(item_no="SKU-2", total_price="0.005", price="0.0025")])
    assert checked.ok, checked.problems
    assert str(checked.items[1]["total_price"]) == "0.01"
    assert checked.head["total_value"] == checked.items[0]["total_price"] + checked.items[1]["total_price"]
    assert checked.head["currency"] == "142"
    assert [line["gnum"] for line in checked.items] == [1, 2]


def test_messages_name_the_line_and_field_in_the_readers_language():
    (problem,) = [p for p in check(items=[item(qty1="3")]) if p.code == "V6"]
    with translation.override("en"):
        assert "equal" in problem.message()
        from customs.validation import field_label

        assert field_label(problem.field) == "line 1, first legal quantity"
    with translation.override("zh-hans"):
        assert "第1行" in field_label(problem.field)
        assert "法定" in problem.message()
