"""C1–C7 (DOMAIN §3.7): each check fails and passes; the bulk form reads in a constant number of queries."""

from datetime import datetime
from decimal import Decimal

import pytest

from customs.validation import clean_list, match_problems
from customs.validation.documents import clean_order, clean_payment, clean_waybill
from tests.customs.builders import (
    SHANGHAI,
    item,
    list_head,
    order_head,
    order_item,
    payment_data,
    waybill_data,
)


def a_list(items=None, **overrides):
    checked = clean_list(list_head(**overrides), items or [item()], refs=_NoRefs())
    return {**checked.head, "items": checked.items}


class _NoRefs:
    """Code lists that accept everything: the matching checks need none."""

    on = datetime(2025, 3, 3).date()

    def entries(self, name):
        return _Anything()


class _Anything(dict):
    def __contains__(self, key):
        return True

    def get(self, key, default=None):
        return type(
            "HS",
            (),
            {
                "unit1": "007",
                "unit2": "035",
                "needs_licence": False,
                "export_duty": None,
                "refund_rate": None,
            },
        )()


def an_order(items=None, **overrides):
    checked = clean_order(order_head(**overrides), items or [order_item()], refs=_NoRefs())
    return {**checked.head, "items": checked.items}


def a_payment(**overrides):
    return clean_payment(payment_data(**overrides), refs=_NoRefs()).head


def a_waybill(**overrides):
    return clean_waybill(waybill_data(**overrides), refs=_NoRefs()).head


AT = datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI)


def codes(problems):
    return {(p.code, p.severity) for p in problems}


def test_all_three_consistent_pass():
    assert match_problems(a_list(), an_order(), a_payment(), a_waybill(), at=AT) == []


def test_c1_currency():
    problems = match_problems(a_list([item(currency="502")]), an_order(), at=AT)
    assert ("C1", "error") in codes(problems)
    assert [p.field for p in problems if p.code == "C1"] == ["items[0].currency"]


def two_lines(second: str):
    return a_list(
        [
            item(qty="2", qty1="2", price="30", total_price="60.00"),
            item(item_no="SKU-2", qty="1", qty1="1", price=second, total_price=second),
        ]
    )


def order_of_100():
    return an_order(
        [order_item(), order_item(item_no="SKU-2", qty="1", price="40", total_price="40.00")],
        goods_value="100.00",
    )


def test_c2_test_vector_99_60_passes():
    assert [p for p in match_problems(two_lines("39.60"), order_of_100(), at=AT) if p.code == "C2"] == []


def test_c2_test_vector_99_40_fails():
    (problem,) = [p for p in match_problems(two_lines("39.40"), order_of_100(), at=AT) if p.code == "C2"]
    assert problem.severity == "error"
    assert problem.params["diff"] == "0.60" and problem.params["tolerance"] == "0.50"


def test_c2_tolerance_is_at_least_one_cent():
    small = an_order([order_item(qty="1", price="1", total_price="1.00")], goods_value="1.00")
    ok = a_list([item(qty="1", qty1="1", price="1.01", total_price="1.01")])
    off = a_list([item(qty="1", qty1="1", price="1.02", total_price="1.02")])
    assert "C2" not in {p.code for p in match_problems(ok, small, at=AT)}
    assert "C2" in {p.code for p in match_problems(off, small, at=AT)}


def test_c3_sku_multiset():
    order = an_order([order_item(qty="3", total_price="90.00", price="30")], goods_value="60.00")
    problems = match_problems(a_list(), order, at=AT)
    (c3,) = [p for p in problems if p.code == "C3"]
    assert c3.params == {"extra": "SKU-1×2", "missing": "SKU-1×3"}
    same = an_order([order_item(qty="2.00000")])  # the same quantity written otherwise
    assert "C3" not in {p.code for p in match_problems(a_list(), same, at=AT)}


def test_c4_receipt_amount_is_a_warning():
    order = an_order(freight="10")
    assert ("C4", "warning") in codes(match_problems(a_list(), order, a_payment(charge="69.98"), at=AT))
    assert "C4" not in {p.code for p in match_problems(a_list(), order, a_payment(charge="69.99"), at=AT)}
    other = match_problems(a_list(), order, a_payment(charge="100", currency="502"), at=AT)
    assert ("C4", "warning") in codes(other)


def test_c5_weight_is_a_warning():
    assert ("C5", "warning") in codes(match_problems(a_list(gross_weight="1.5"), waybill=a_waybill(), at=AT))
    assert match_problems(a_list(gross_weight="1.32"), waybill=a_waybill(), at=AT) == []  # within 10 %
    light = a_waybill(gross_weight="0.1")
    assert (
        match_problems(a_list(gross_weight="0.15", net_weight="0.1"), waybill=light, at=AT) == []
    )  # 0.05 kg


def test_c6_parties():
    problems = match_problems(a_list(ebp_code="3301960009"), an_order(), at=AT)
    assert ("C6", "error") in codes(problems)
    problems = match_problems(a_list(), waybill=a_waybill(ebc_code="3301960009"), at=AT)
    assert [p.field for p in problems if p.code == "C6"] == ["ebc_code"]
    assert match_problems(a_list(), waybill=a_waybill(ebc_code=""), at=AT) == []


def test_c7_payment_before_declaration_is_a_warning():
    late = a_payment(accounting_date=datetime(2025, 3, 3, 10, 0, tzinfo=SHANGHAI))
    assert codes(match_problems(a_list(), payment=late, at=AT)) == {("C7", "warning")}
    assert match_problems(a_list(), payment=a_payment(), at=AT) == []


def test_nothing_to_compare_without_the_documents():
    assert match_problems(a_list()) == []


def test_match_problems_takes_model_instances(db):
    from customs.models import InventoryItem, InventoryList, Order, OrderItem

    order = Order(goods_value=Decimal("100.00"), currency="142", ebp_code="3301960002")
    order._prefetched_objects_cache = {
        "items": [OrderItem(item_no="SKU-1", qty=Decimal(2), currency="142", total_price=Decimal(100))]
    }
    inventory = InventoryList(ebp_code="3301960002", gross_weight=Decimal(1), net_weight=Decimal(1))
    inventory._prefetched_objects_cache = {
        "items": [
            InventoryItem(item_no="SKU-1", qty=Decimal(2), currency="142", total_price=Decimal("99.40"))
        ]
    }
    assert {p.code for p in match_problems(inventory, order, at=AT)} == {"C2"}


@pytest.mark.parametrize("n", [3, 30])
def test_match_lists_reads_in_constant_queries(db, n, django_assert_num_queries):
    from customs.validation import match_lists

    lists = [a_list(order_no=f"SO-{i}", logistics_no=f"WB-{i}") for i in range(n)]
    with django_assert_num_queries(3):  # orders (no items to prefetch when none found), payments, waybills
        found = match_lists(lists)
    assert set(found) == set(range(n))
    assert all(not m.complete and m.problems == [] for m in found.values())
