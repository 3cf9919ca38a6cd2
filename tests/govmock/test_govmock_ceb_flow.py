"""Customs CEB flows: three-document match in any order, 800/899 progression, cancellation, CEB607."""

from __future__ import annotations

import itertools

import pytest

from tests.govmock import cebmsg as ceb
from tests.govmock.harness import node_guid, wait_for

TYPES = {"order": "CEB303Message", "waybill": "CEB505Message", "inventory": "CEB603Message"}


def declare_all(gm, agent, parcel, order=("order", "waybill", "inventory")):
    """Send the three documents of a parcel in the given order; returns their nodes by kind."""
    nodes = {"order": ceb.order(parcel), "waybill": ceb.waybill(parcel), "inventory": ceb.inventory(parcel)}
    for kind in order:
        response = gm.send_ceb(agent, TYPES[kind], [nodes[kind]])
        assert response.status_code == 202, response.text
        # each document is answered before the next is sent, so the arrival order really is this one
        wait_for(lambda kind=kind: gm.statuses(node_guid(nodes[kind])))
    return nodes


@pytest.mark.parametrize("order", list(itertools.permutations(["order", "waybill", "inventory"])))
def test_three_document_match_in_any_arrival_order(gm, agent, order):
    parcel = ceb.Parcel()
    nodes = declare_all(gm, agent, parcel, order)
    inventory = gm.wait_statuses(node_guid(nodes["inventory"]), ["2", "120", "399"])
    gm.wait_statuses(node_guid(nodes["order"]), ["2", "120"])
    gm.wait_statuses(node_guid(nodes["waybill"]), ["2", "120"])
    accepted, entered, concluded = inventory
    assert accepted["preNo"].startswith("B")
    assert len(accepted["preNo"]) == 18
    assert "invtNo" not in accepted  # customs assigns the list number on entry (120)
    assert entered["invtNo"] == concluded["invtNo"]
    assert entered["invtNo"].startswith("2901")
    assert entered["invtNo"][8] == "E"
    assert len(entered["invtNo"]) == 18
    assert concluded["orderNo"] == parcel.order_no
    assert concluded["statisticsFlag"] == "B"


def test_match_receipts_are_emitted_order_waybill_then_list(gm, agent):
    nodes = declare_all(gm, agent, ceb.Parcel())
    gm.wait_statuses(node_guid(nodes["inventory"]), ["2", "120", "399"])
    seqs = {(r["node_guid"], ceb.parse_receipt(r["raw"])["returnStatus"]): r["seq"] for r in gm.receipts()}
    order_120 = seqs[(node_guid(nodes["order"]), "120")]
    waybill_120 = seqs[(node_guid(nodes["waybill"]), "120")]
    list_120 = seqs[(node_guid(nodes["inventory"]), "120")]
    list_399 = seqs[(node_guid(nodes["inventory"]), "399")]
    assert order_120 < waybill_120 < list_120 < list_399  # DOMAIN §3.7 step 3


def test_receipt_document_shape(gm, agent):
    parcel = ceb.Parcel()
    spec = ceb.order(parcel)
    gm.send_ceb(agent, "CEB303Message", [spec])
    [receipt] = gm.wait_statuses(node_guid(spec), ["2"])
    assert receipt["root"] == "CEB304Message"
    assert receipt["node"] == "OrderReturn"
    assert receipt["version"] == "1.0"
    assert receipt["guid"] == node_guid(spec)
    assert receipt["root_guid"] != node_guid(spec)
    assert receipt["root_guid"] == receipt["root_guid"].upper()
    assert len(receipt["returnTime"]) == 17
    assert receipt["returnTime"].isdigit()
    assert (receipt["ebpCode"], receipt["ebcCode"], receipt["orderNo"]) == (ceb.EBP, ceb.EBC, parcel.order_no)


def test_payment_gets_120_only_after_the_list_is_concluded(gm, agent):
    parcel = ceb.Parcel()
    pay = ceb.payment(parcel)
    gm.send_ceb(agent, "CEB403Message", [pay])
    gm.wait_statuses(node_guid(pay), ["2"])
    declare_all(gm, agent, parcel, ("order", "inventory"))
    gm.wait_statuses(node_guid(pay), ["2"])  # no waybill yet: no match, payment stays at 2
    nodes = declare_all(gm, agent, parcel, ("waybill",))
    gm.wait_statuses(node_guid(pay), ["2", "120"])
    assert gm.statuses(node_guid(nodes["waybill"])) == ["2", "120"]


def test_payment_arriving_after_the_match_gets_120(gm, agent):
    parcel = ceb.Parcel()
    nodes = declare_all(gm, agent, parcel)
    gm.wait_statuses(node_guid(nodes["inventory"]), ["2", "120", "399"])
    pay = ceb.payment(parcel)
    gm.send_ceb(agent, "CEB403Message", [pay])
    gm.wait_statuses(node_guid(pay), ["2", "120"])


def concluded_list(gm, agent, parcel=None):
    parcel = parcel or ceb.Parcel()
    nodes = declare_all(gm, agent, parcel)
    invt_no = gm.wait_statuses(node_guid(nodes["inventory"]), ["2", "120", "399"])[-1]["invtNo"]
    return parcel, nodes["inventory"], invt_no


def test_arrival_releases_and_departure_closes(gm, agent):
    parcel, spec, _ = concluded_list(gm, agent)
    arrival = ceb.arrival([parcel.logistics_no])
    gm.send_ceb(agent, "CEB507Message", [arrival])
    returns = gm.wait_statuses(node_guid(arrival), ["2", "120"])
    assert returns[0]["root"] == "CEB508Message"
    assert returns[0]["operatorCode"] == "3301980OPR"
    gm.wait_statuses(node_guid(spec), ["2", "120", "399", "800"])
    departure = ceb.departure([parcel.logistics_no])
    gm.send_ceb(agent, "CEB509Message", [departure])
    assert gm.wait_statuses(node_guid(departure), ["2", "120"])[0]["root"] == "CEB510Message"
    gm.wait_statuses(node_guid(spec), ["2", "120", "399", "800", "899"])


def test_parcel_events_before_the_list_concludes_are_applied_later(gm, agent):
    parcel = ceb.Parcel()
    departure, arrival = ceb.departure([parcel.logistics_no]), ceb.arrival([parcel.logistics_no])
    gm.send_ceb(agent, "CEB509Message", [departure])
    gm.wait_statuses(node_guid(departure), ["2", "120"])
    nodes = declare_all(gm, agent, parcel, ("inventory", "order", "waybill"))
    gm.wait_statuses(node_guid(nodes["inventory"]), ["2", "120", "399"])  # departed but never arrived
    gm.send_ceb(agent, "CEB507Message", [arrival])
    gm.wait_statuses(node_guid(nodes["inventory"]), ["2", "120", "399", "800", "899"])


def test_cancellation(gm, agent):
    parcel, spec, invt_no = concluded_list(gm, agent)
    cancel = ceb.cancel(invt_no)
    gm.send_ceb(agent, "CEB605Message", [cancel])
    accepted, done = gm.wait_statuses(node_guid(cancel), ["2", "399"])
    assert accepted["root"] == "CEB606Message"
    assert accepted["node"] == "InvtCancelReturn"
    assert done["invtNo"] == invt_no
    # the cancelled list no longer moves, and its keys may be declared again
    arrival = ceb.arrival([parcel.logistics_no])
    gm.send_ceb(agent, "CEB507Message", [arrival])
    gm.wait_statuses(node_guid(arrival), ["2", "120"])
    assert gm.statuses(node_guid(spec)) == ["2", "120", "399"]
    again = ceb.cancel(invt_no)
    gm.send_ceb(agent, "CEB605Message", [again])
    assert "cancelled" in gm.wait_statuses(node_guid(again), ["100"])[0]["returnInfo"]
    redeclared = ceb.inventory(parcel)
    gm.send_ceb(agent, "CEB603Message", [redeclared])
    # order and waybill are still accepted (120), so the new list matches at once; the parcel has arrived
    gm.wait_statuses(node_guid(redeclared), ["2", "120", "399", "800"])


@pytest.mark.parametrize(
    ("case", "reason"),
    [("unknown", "unknown invtNo"), ("closed", "the list is closed"), ("other_consignor", "ebcCode differs")],
)
def test_cancellation_refusals(gm, agent, case, reason):
    invt_no = "29012025E999999999"
    if case != "unknown":
        parcel, spec, invt_no = concluded_list(gm, agent)
    if case == "closed":
        gm.send_ceb(agent, "CEB507Message", [ceb.arrival([parcel.logistics_no])])
        gm.send_ceb(agent, "CEB509Message", [ceb.departure([parcel.logistics_no])])
        gm.wait_statuses(node_guid(spec), ["2", "120", "399", "800", "899"])
    cancel = ceb.cancel(invt_no, ebc="3301960002" if case == "other_consignor" else ceb.EBC)
    gm.send_ceb(agent, "CEB605Message", [cancel])
    assert reason in gm.wait_statuses(node_guid(cancel), ["100"])[0]["returnInfo"]


def test_waybill_link_of_live_lists(gm, agent):
    parcel, _, invt_no = concluded_list(gm, agent)
    link = ceb.waybill_link([(parcel.logistics_no, invt_no)])
    gm.send_ceb(agent, "CEB607Message", [link])
    accepted, entered = gm.wait_statuses(node_guid(link), ["2", "120"])
    assert accepted["root"] == "CEB608Message"
    assert entered["billNo"] == "999-12345678"
    assert entered["preNo"].startswith("B")
    unknown = ceb.waybill_link([(parcel.logistics_no, None), ("NO-SUCH-PARCEL", None)])
    gm.send_ceb(agent, "CEB607Message", [unknown])
    info = gm.wait_statuses(node_guid(unknown), ["100"])[0]["returnInfo"]
    assert "NO-SUCH-PARCEL" in info
    assert parcel.logistics_no not in info
