"""CEB701 → CEB702/CEB792: the DOMAIN §3.9 worked example end to end, flags, and eligibility."""

from __future__ import annotations

from decimal import Decimal

import pytest

from govmock.ceb import grouping
from tests.govmock import cebmsg as ceb
from tests.govmock.cebmsg import Parcel, Row
from tests.govmock.harness import node_guid, wait_for

FEB = "2025-02-20T10:00:00+08:00"  # when the parcels leave: lists close in February 2025
MARCH = "2025-03-10T09:00:00+08:00"  # when the summary is declared
PERIOD = {"startTime": "20250201000000", "endTime": "20250228235959"}
TOY = {"gcode": "9503008900", "unit1": "007", "item_no": "SKU-TOY", "item_name": "玩具 toy"}


def worked_example_parcels() -> list[Parcel]:
    """DOMAIN §3.9: six lists closed 2025-02, consignor 3301960001, exit customs 2901."""
    return [
        Parcel(rows=[Row(qty1="2", total="120.00")]),
        Parcel(rows=[Row(qty1="3", total="150.00"), Row(qty1="1", total="35.50", **TOY)]),
        Parcel(country="303", rows=[Row(country="303", qty1="1", total="60.00")]),
        Parcel(traf_mode="6", rows=[Row(qty1="1", total="45.00")]),
        Parcel(rows=[Row(currency="502", qty1="2", total="18.00")]),
        Parcel(owner="3307960002", rows=[Row(qty1="4", total="200.00")]),
    ]


def close_lists(gm, agent, parcels, *, closed_at=FEB) -> list[str]:
    """Declare, match, arrive and depart every parcel; returns the invtNos (in parcel order)."""
    lists = [ceb.inventory(p) for p in parcels]
    for message_type, nodes in (
        ("CEB303Message", [ceb.order(p) for p in parcels]),
        ("CEB505Message", [ceb.waybill(p) for p in parcels]),
        ("CEB603Message", lists),
        ("CEB507Message", [ceb.arrival([p.logistics_no for p in parcels])]),
    ):
        assert gm.send_ceb(agent, message_type, nodes).status_code == 202
    for spec in lists:
        gm.wait_statuses(node_guid(spec), ["2", "120", "399", "800"])
    assert (
        gm.send_ceb(
            agent, "CEB509Message", [ceb.departure([p.logistics_no for p in parcels])], mock_now=closed_at
        ).status_code
        == 202
    )
    invt_nos = []
    for spec in lists:
        receipts = gm.wait_statuses(node_guid(spec), ["2", "120", "399", "800", "899"])
        invt_nos.append(receipts[-1]["invtNo"])
    return invt_nos


def summarise(gm, agent, invt_nos, **head) -> list[dict]:
    spec = ceb.summary(invt_nos, **{**PERIOD, **head})
    assert gm.send_ceb(agent, "CEB701Message", [spec], mock_now=MARCH).status_code == 202
    wait_for(lambda: gm.statuses(node_guid(spec)))
    return gm.node_receipts(node_guid(spec))


def declarations(receipts: list[dict]) -> list[dict]:
    return [r for r in receipts if r["root"] == "CEB792Message"]


def items_of(declaration: dict) -> list[tuple[str, str, str, Decimal, Decimal]]:
    return [
        (i["country"], i["gcode"], i["currency"], Decimal(i["qty1"]), Decimal(i["totalPrice"]))
        for i in declaration["items"]
    ]


def test_worked_example_end_to_end(gm, agent):
    invt = close_lists(gm, agent, worked_example_parcels())
    spec = ceb.summary(invt, **PERIOD)
    assert gm.send_ceb(agent, "CEB701Message", [spec], mock_now=MARCH).status_code == 202
    receipts = gm.wait_statuses(node_guid(spec), ["2", "399", "399", "399", "399", "399"])
    accepted, concluded, *results = receipts
    assert accepted["root"] == "CEB702Message"
    assert accepted["node"] == "SummaryReturn"
    sum_no = accepted["sumNo"]
    assert len(sum_no) == 18
    assert sum_no.startswith("29012025")
    assert concluded["root"] == "CEB702Message"
    assert concluded["sumNo"] == sum_no
    assert [r["root"] for r in results] == ["CEB792Message"] * 4

    d1, d2, d3, d4 = results
    assert [[row["invtNo"] for row in d["lists"]] for d in results] == [
        [invt[0], invt[1], invt[1], invt[4]],
        [invt[2]],
        [invt[3]],
        [invt[5]],
    ]
    assert items_of(d1) == [
        ("502", "6109100010", "142", Decimal(5), Decimal("270.00")),
        ("502", "9503008900", "142", Decimal(1), Decimal("35.50")),
        ("502", "6109100010", "502", Decimal(2), Decimal("18.00")),
    ]
    assert items_of(d2) == [("303", "6109100010", "142", Decimal(1), Decimal("60.00"))]
    assert items_of(d3) == [("502", "6109100010", "142", Decimal(1), Decimal("45.00"))]
    assert items_of(d4) == [("502", "6109100010", "142", Decimal(4), Decimal("200.00"))]
    assert [row["gNo"] for row in d1["lists"]] == ["1", "1", "2", "3"]
    assert [(row["gnum"], row["gcode"]) for row in d1["lists"][1:3]] == [
        ("1", "6109100010"),
        ("2", "9503008900"),
    ]

    entry_ids = [d["head"]["entryId"] for d in results]
    assert len(set(entry_ids)) == 4
    for index, d in enumerate(results, start=1):
        head = d["head"]
        assert head["guid"] == node_guid(spec)
        assert head["sumNo"] == sum_no
        assert head["entryId"][:9] == "29012025" + "0"
        assert len(head["entryId"]) == 18
        assert head["entryId"].isdigit()
        assert head["decState"]
        assert (head["msgSeqNo"], head["msgCount"]) == (str(index), "4")
        assert head["returnTime"][:8] == "20250310"
    assert (d3["head"]["trafMode"], d2["head"]["country"], d4["head"]["ownerCode"]) == (
        "6",
        "303",
        "3307960002",
    )
    assert Decimal(d1["head"]["grossWeight"]) == Decimal("4.5")  # 3 lists × 1.5 kg


def test_summary_flag_1_ignores_the_producer(gm, agent):
    parcels = worked_example_parcels()
    invt = close_lists(gm, agent, [parcels[0], parcels[5]])
    results = declarations(summarise(gm, agent, invt, summaryFlag="1"))
    assert len(results) == 1
    assert items_of(results[0]) == [("502", "6109100010", "142", Decimal(6), Decimal("320.00"))]


def test_item_name_flag_splits_items_by_item_name(gm, agent):
    parcels = [Parcel(rows=[Row(item_name="红色T恤")]), Parcel(rows=[Row(item_name="蓝色T恤")])]
    invt = close_lists(gm, agent, parcels)
    [result] = declarations(summarise(gm, agent, invt, itemNameFlag="1"))
    assert [i["itemName"] for i in result["items"]] == ["红色T恤", "蓝色T恤"]


def test_ineligible_lists_are_named_and_nothing_is_summarised(gm, agent):
    closed = close_lists(gm, agent, [Parcel()])
    simplified = close_lists(gm, agent, [Parcel(statistics_flag="A")])
    january = close_lists(gm, agent, [Parcel()], closed_at="2025-01-31T23:00:00+08:00")
    receipts = summarise(gm, agent, [closed[0], simplified[0], january[0], "29012025E000999999"])
    assert [r["returnStatus"] for r in receipts] == ["100"]
    info = receipts[0]["returnInfo"]
    assert simplified[0] in info
    assert "statisticsFlag" in info
    assert january[0] in info
    assert "outside" in info
    assert "29012025E000999999" in info
    assert closed[0] not in info
    # the eligible list was not consumed by the refused application
    assert [r["returnStatus"] for r in summarise(gm, agent, closed)][:2] == ["2", "399"]
    second = summarise(gm, agent, closed)
    assert second[0]["returnStatus"] == "100"
    assert "already summarised" in second[0]["returnInfo"]


def test_open_list_and_other_consignor_are_ineligible(gm, agent):
    parcel = Parcel()
    spec = ceb.inventory(parcel)
    for message_type, node in (
        ("CEB303Message", ceb.order(parcel)),
        ("CEB505Message", ceb.waybill(parcel)),
        ("CEB603Message", spec),
    ):
        gm.send_ceb(agent, message_type, [node])
    invt_no = gm.wait_statuses(node_guid(spec), ["2", "120", "399"])[-1]["invtNo"]
    receipts = summarise(gm, agent, [invt_no])
    assert receipts[0]["returnStatus"] == "100"
    assert "not closed (status 399)" in receipts[0]["returnInfo"]
    receipts = summarise(gm, agent, [invt_no], ebcCode="3301960002")
    assert "another consignor" in receipts[0]["returnInfo"]


def _listing(invt_no: str, head: dict, rows: list[tuple[str, str, str, str, str]]) -> dict:
    base = {
        "ebcCode": "3301960001",
        "trafMode": "5",
        "ownerCode": "3301960001",
        "country": "502",
        "portCode": "2901",
        "grossWeight": "1",
        "netWeight": "1",
        "packNo": "1",
        "logisticsNo": invt_no,
    }
    return {
        "invtNo": invt_no,
        "head": {**base, **head},
        "rows": [
            {
                "gnum": str(i),
                "gcode": g,
                "country": c,
                "currency": cur,
                "qty1": q,
                "unit1": "011",
                "totalPrice": t,
            }
            for i, (g, c, cur, q, t) in enumerate(rows, start=1)
        ],
    }


def test_grouping_function_on_the_worked_example():
    lists = [
        _listing("L1", {}, [("6109100010", "502", "142", "2", "120.00")]),
        _listing(
            "L2",
            {},
            [("6109100010", "502", "142", "3", "150.00"), ("9503008900", "502", "142", "1", "35.50")],
        ),
        _listing("L3", {"country": "303"}, [("6109100010", "303", "142", "1", "60.00")]),
        _listing("L4", {"trafMode": "6"}, [("6109100010", "502", "142", "1", "45.00")]),
        _listing("L5", {}, [("6109100010", "502", "502", "2", "18.00")]),
        _listing("L6", {"ownerCode": "3307960002"}, [("6109100010", "502", "142", "4", "200.00")]),
    ]
    result = grouping.summarize(lists, summary_flag="2", item_name_flag="")
    assert [d.invt_nos for d in result] == [["L1", "L2", "L5"], ["L3"], ["L4"], ["L6"]]
    assert [(i.gcode, i.currency, i.qty1, i.total_price) for i in result[0].items] == [
        ("6109100010", "142", Decimal(5), Decimal("270.00")),
        ("9503008900", "142", Decimal(1), Decimal("35.50")),
        ("6109100010", "502", Decimal(2), Decimal("18.00")),
    ]
    assert [d.items[0].total_price for d in result[1:]] == [
        Decimal("60.00"),
        Decimal("45.00"),
        Decimal("200.00"),
    ]


@pytest.mark.parametrize(("max_items", "expected"), [(50, [["A", "B"]]), (3, [["A"], ["B"]])])
def test_grouping_starts_a_new_declaration_rather_than_splitting_a_list(max_items, expected):
    rows_a = [(f"61091000{i:02d}", "502", "142", "1", "1") for i in range(2)]
    rows_b = [(f"62091000{i:02d}", "502", "142", "1", "1") for i in range(2)]
    result = grouping.summarize(
        [_listing("A", {}, rows_a), _listing("B", {}, rows_b)],
        summary_flag="2",
        item_name_flag="",
        max_items=max_items,
    )
    assert [d.invt_nos for d in result] == expected
