"""Customs' own decisions on lists (DOMAIN §3.6 mock machine): manual review 300 before 399, inspection
500 after 399, and an inspected list released (800) only after arrival AND the inspection's end."""

from __future__ import annotations

import json
import time

from tests.govmock import cebmsg as ceb
from tests.govmock.harness import node_guid
from tests.govmock.test_govmock_ceb_flow import declare_all

FAST = {"service_time_ms": 0, "receipt_interval_ms": 0}


def with_customs(make_govmock, **customs):
    return make_govmock(GOVMOCK_FAULTS=json.dumps({"*": FAST, "customs": customs}))


def arrive(gm, agent, parcel, event="arrival"):
    node = ceb.arrival([parcel.logistics_no]) if event == "arrival" else ceb.departure([parcel.logistics_no])
    gm.send_ceb(agent, "CEB507Message" if event == "arrival" else "CEB509Message", [node])
    gm.wait_statuses(node_guid(node), ["2", "120"])


def test_defaults_send_neither_300_nor_500(gm, agent):
    parcel = ceb.Parcel()
    nodes = declare_all(gm, agent, parcel)
    gm.wait_statuses(node_guid(nodes["inventory"]), ["2", "120", "399"])


def test_review_comes_before_399(make_govmock, agent):
    gm = with_customs(make_govmock, review_rate=1)
    nodes = declare_all(gm, agent, ceb.Parcel())
    review = gm.wait_statuses(node_guid(nodes["inventory"]), ["2", "120", "300", "399"])[2]
    assert review["invtNo"] and "人工审核" in review["returnInfo"]


def test_manual_inspection_waits_for_arrival_and_the_release(make_govmock, agent):
    gm = with_customs(make_govmock, inspection_rate=1, inspection_manual=True)
    parcel = ceb.Parcel()
    nodes = declare_all(gm, agent, parcel)
    guid = node_guid(nodes["inventory"])
    invt_no = gm.wait_statuses(guid, ["2", "120", "399", "500"])[-1]["invtNo"]
    arrive(gm, agent, parcel)
    time.sleep(0.3)
    assert gm.statuses(guid) == ["2", "120", "399", "500"]  # arrived, still held
    answer = gm.admin("POST", "/admin/customs/inspections/release", {"invt_no": invt_no})
    assert answer.json() == {"released": [invt_no]}
    gm.wait_statuses(guid, ["2", "120", "399", "500", "800"])
    arrive(gm, agent, parcel, "departure")
    gm.wait_statuses(guid, ["2", "120", "399", "500", "800", "899"])


def test_a_release_before_arrival_waits_for_the_parcel(make_govmock, agent):
    gm = with_customs(make_govmock, inspection_rate=1, inspection_manual=True)
    parcel = ceb.Parcel()
    guid = node_guid(declare_all(gm, agent, parcel)["inventory"])
    gm.wait_statuses(guid, ["2", "120", "399", "500"])
    assert gm.admin("POST", "/admin/customs/inspections/release", {"all": True}).status_code == 200
    time.sleep(0.3)
    assert gm.statuses(guid) == ["2", "120", "399", "500"]
    arrive(gm, agent, parcel)
    gm.wait_statuses(guid, ["2", "120", "399", "500", "800"])


def test_timed_inspection_releases_after_the_delay(make_govmock, agent):
    gm = with_customs(make_govmock, inspection_rate=1, inspection_release_ms=700)
    parcel = ceb.Parcel()
    guid = node_guid(declare_all(gm, agent, parcel)["inventory"])
    gm.wait_statuses(guid, ["2", "120", "399", "500"])
    arrived = time.monotonic()
    arrive(gm, agent, parcel)
    arrive(gm, agent, parcel, "departure")
    gm.wait_statuses(guid, ["2", "120", "399", "500", "800", "899"])
    assert time.monotonic() - arrived >= 0.6


def test_shares_are_deterministic_under_the_seed(make_govmock, agent):
    gm = with_customs(make_govmock, inspection_rate=0.5)
    parcels = [ceb.Parcel() for _ in range(8)]
    guids = [node_guid(declare_all(gm, agent, p)["inventory"]) for p in parcels]
    time.sleep(0.5)
    from govmock import faults

    for guid in guids:
        held = faults.decide(0, "customs", guid, "inspection", 0.5)
        expected = ["2", "120", "399", "500"] if held else ["2", "120", "399"]
        gm.wait_statuses(guid, expected)


def test_bad_release_requests(make_govmock):
    gm = with_customs(make_govmock)
    assert gm.admin("POST", "/admin/customs/inspections/release", {"what": 1}).status_code == 400
    assert gm.admin("PUT", "/admin/faults/customs", {"inspection_manual": "yes"}).status_code == 400
