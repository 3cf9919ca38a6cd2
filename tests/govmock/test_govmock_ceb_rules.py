"""CEB603 business rules V1–V7 (→ 100), duplicates (→ -304001), appStatus 1, change and delete."""

from __future__ import annotations

import pytest

from tests.govmock import cebmsg as ceb
from tests.govmock.harness import node_guid


def inventory_row(**over):
    row = {
        "gnum": "1",
        "itemNo": "SKU",
        "itemName": "T恤",
        "gcode": "6109100010",
        "gname": "针织T恤",
        "gmodel": "棉",
        "barCode": "无",
        "country": "502",
        "currency": "142",
        "qty": "2",
        "unit": "011",
        "qty1": "2",
        "unit1": "011",
        "price": "60",
        "totalPrice": "120",
    }
    return {k: v for k, v in {**row, **over}.items() if v is not None}


@pytest.mark.parametrize(
    ("head", "rows", "rule"),
    [
        ({"grossWeight": "0"}, None, "V1"),
        ({"netWeight": "0"}, None, "V2"),
        ({"grossWeight": "1", "netWeight": "1.5"}, None, "V3"),
        ({}, [], "V4"),
        ({}, [inventory_row(price="0")], "V5"),
        ({}, [inventory_row(totalPrice="-1")], "V5"),
        ({}, [inventory_row(qty="3")], "V6"),
        ({}, [inventory_row(unit2="035", qty2=None)], "V7"),
        ({}, [inventory_row(unit2="035", qty2="0")], "V7"),
        ({}, [inventory_row(qty2="1.2")], "V7"),
    ],
)
def test_business_rule_refusals(gm, agent, head, rows, rule):
    spec = ceb.inventory(ceb.Parcel(), rows=rows, **head)
    gm.send_ceb(agent, "CEB603Message", [spec])
    [receipt] = gm.wait_statuses(node_guid(spec), ["100"])
    assert receipt["returnInfo"].startswith(f"海关退单 rejected: {rule} ")
    assert "invtNo" not in receipt


def test_rules_pass_with_second_unit(gm, agent):
    spec = ceb.inventory(ceb.Parcel(), rows=[inventory_row(unit2="035", qty2="0.4")])
    gm.send_ceb(agent, "CEB603Message", [spec])
    gm.wait_statuses(node_guid(spec), ["2"])


def test_duplicate_list_is_refused_and_a_rejected_one_is_replaced(gm, agent):
    parcel = ceb.Parcel()
    rejected = ceb.inventory(parcel, grossWeight="0")
    gm.send_ceb(agent, "CEB603Message", [rejected])
    gm.wait_statuses(node_guid(rejected), ["100"])
    corrected = ceb.inventory(parcel)  # same ebcCode + orderNo after a 100: accepted
    gm.send_ceb(agent, "CEB603Message", [corrected])
    gm.wait_statuses(node_guid(corrected), ["2"])
    duplicate = ceb.inventory(parcel)  # same keys while the first is live: -304001
    gm.send_ceb(agent, "CEB603Message", [duplicate])
    [receipt] = gm.wait_statuses(node_guid(duplicate), ["-304001"])
    assert parcel.order_no in receipt["returnInfo"]
    assert receipt["orderNo"] == parcel.order_no


def test_duplicate_order_and_waybill(gm, agent):
    parcel = ceb.Parcel()
    for build, message_type in ((ceb.order, "CEB303Message"), (ceb.waybill, "CEB505Message")):
        first, second = build(parcel), build(parcel)
        gm.send_ceb(agent, message_type, [first])
        gm.wait_statuses(node_guid(first), ["2"])
        gm.send_ceb(agent, message_type, [second])
        gm.wait_statuses(node_guid(second), ["-304001"])


def test_saved_only_declaration_is_answered_1_and_not_kept(gm, agent):
    parcel = ceb.Parcel()
    saved = ceb.inventory(parcel, appStatus="1")
    gm.send_ceb(agent, "CEB603Message", [saved])
    gm.wait_statuses(node_guid(saved), ["1"])
    declared = ceb.inventory(parcel)
    gm.send_ceb(agent, "CEB603Message", [declared])
    gm.wait_statuses(node_guid(declared), ["2"])


def test_change_and_delete_while_not_yet_entered(gm, agent):
    parcel = ceb.Parcel()
    first = ceb.inventory(parcel)
    gm.send_ceb(agent, "CEB603Message", [first])
    pre_no = gm.wait_statuses(node_guid(first), ["2"])[0]["preNo"]
    wrong = ceb.inventory(parcel, appType="2", preNo="B20250101000000001")
    gm.send_ceb(agent, "CEB603Message", [wrong])
    assert "preNo" in gm.wait_statuses(node_guid(wrong), ["100"])[0]["returnInfo"]
    change = ceb.inventory(parcel, appType="2", preNo=pre_no, grossWeight="2.5")
    gm.send_ceb(agent, "CEB603Message", [change])
    assert gm.wait_statuses(node_guid(change), ["2"])[0]["preNo"] == pre_no
    delete = ceb.inventory(parcel, appType="3", preNo=pre_no)
    gm.send_ceb(agent, "CEB603Message", [delete])
    gm.wait_statuses(node_guid(delete), ["2"])
    again = ceb.inventory(parcel)  # deleted: the keys are free again
    gm.send_ceb(agent, "CEB603Message", [again])
    gm.wait_statuses(node_guid(again), ["2"])


def test_change_after_entry_is_refused(gm, agent):
    parcel = ceb.Parcel()
    spec = ceb.inventory(parcel)
    for message_type, node in (
        ("CEB303Message", ceb.order(parcel)),
        ("CEB505Message", ceb.waybill(parcel)),
        ("CEB603Message", spec),
    ):
        gm.send_ceb(agent, message_type, [node])
    pre_no = gm.wait_statuses(node_guid(spec), ["2", "120", "399"])[0]["preNo"]
    change = ceb.inventory(parcel, appType="2", preNo=pre_no)
    gm.send_ceb(agent, "CEB603Message", [change])
    assert "status 399" in gm.wait_statuses(node_guid(change), ["100"])[0]["returnInfo"]


def test_delete_of_an_unknown_document(gm, agent):
    spec = ceb.order(ceb.Parcel(), appType="3")
    gm.send_ceb(agent, "CEB303Message", [spec])
    assert "no live document" in gm.wait_statuses(node_guid(spec), ["100"])[0]["returnInfo"]


def test_a_corrected_resubmission_after_a_rejection_is_declared_anew(gm, agent):
    parcel = ceb.Parcel()
    rejected = ceb.inventory(parcel, grossWeight="0")  # V1: refused, not kept
    gm.send_ceb(agent, "CEB603Message", [rejected])
    gm.wait_statuses(node_guid(rejected), ["100"])
    corrected = ceb.inventory(parcel, appType="2")
    gm.send_ceb(agent, "CEB603Message", [corrected])
    assert gm.wait_statuses(node_guid(corrected), ["2"])[0]["preNo"].startswith("B")
