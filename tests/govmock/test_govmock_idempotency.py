"""Idempotency (protocol §1): the message id returns the stored ack; a node guid is processed once."""

from __future__ import annotations

import threading

from tests.govmock import cebmsg as ceb
from tests.govmock.harness import node_guid, wait_for

XML = "application/xml; charset=utf-8"


def test_same_message_id_twice_is_processed_once(gm, agent):
    spec = ceb.order(ceb.Parcel())
    guid, body = ceb.message("CEB303Message", [spec])
    headers = agent.headers(body, message_id=guid, message_type="CEB303Message", content_type=XML)
    first = gm.post("customs", body, headers)
    gm.wait_statuses(node_guid(spec), ["2"])
    second = gm.post("customs", body, headers)
    assert (first.status_code, second.status_code) == (202, 200)
    assert second.json() == {**first.json(), "duplicate": True}
    gm.wait_statuses(node_guid(spec), ["2"])  # nothing processed again
    stats = gm.admin("GET", "/admin/stats").json()["departments"]["customs"]
    assert (stats["messages"], stats["duplicates_answered"], stats["receipts"]) == (1, 1, 1)


def test_resent_message_with_another_body_still_returns_the_stored_ack(gm, agent):
    spec = ceb.order(ceb.Parcel())
    guid, body = ceb.message("CEB303Message", [spec])
    first = gm.post(
        "customs", body, agent.headers(body, message_id=guid, message_type="CEB303Message", content_type=XML)
    )
    _, other = ceb.message("CEB303Message", [ceb.order(ceb.Parcel())], guid=guid)
    again = gm.post(
        "customs",
        other,
        agent.headers(other, message_id=guid, message_type="CEB303Message", content_type=XML),
    )
    assert again.status_code == 200
    assert again.json()["node_guids"] == first.json()["node_guids"] == [node_guid(spec)]


def test_node_guid_reused_under_another_message_id_is_not_processed_again(gm, agent):
    parcel = ceb.Parcel()
    spec = ceb.order(parcel)
    gm.send_ceb(agent, "CEB303Message", [spec])
    gm.wait_statuses(node_guid(spec), ["2"])
    fresh = ceb.order(ceb.Parcel())
    response = gm.send_ceb(agent, "CEB303Message", [spec, fresh])  # new message id, one known node
    assert response.status_code == 202
    assert response.json()["node_guids"] == [node_guid(spec), node_guid(fresh)]
    gm.wait_statuses(node_guid(fresh), ["2"])
    # the reused node was neither answered again nor treated as a duplicate declaration (-304001)
    assert gm.statuses(node_guid(spec)) == ["2"]
    stats = gm.admin("GET", "/admin/stats").json()["departments"]["customs"]
    assert (stats["nodes"], stats["nodes_already_known"]) == (2, 1)


def test_concurrent_resends_are_acknowledged_once(gm, agent):
    spec = ceb.order(ceb.Parcel())
    guid, body = ceb.message("CEB303Message", [spec])
    headers = agent.headers(body, message_id=guid, message_type="CEB303Message", content_type=XML)
    statuses: list[int] = []

    def send() -> None:
        statuses.append(gm.post("customs", body, headers).status_code)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] * 7 + [202]
    gm.wait_statuses(node_guid(spec), ["2"])


def test_message_query_returns_the_ack_and_its_receipts(gm, agent):
    spec = ceb.order(ceb.Parcel())
    response = gm.send_ceb(agent, "CEB303Message", [spec])
    message_id = response.json()["message_id"]
    gm.wait_statuses(node_guid(spec), ["2"])
    answer = gm.signed_get(f"/customs/messages/{message_id}").json()
    assert answer["ack"] == response.json()
    assert [r["node_guid"] for r in answer["receipts"]] == [node_guid(spec)]
    assert answer["receipts"][0]["message_id"] == message_id
    unknown = gm.signed_get("/customs/messages/00000000-0000-0000-0000-000000000000")
    assert (unknown.status_code, unknown.json()["error"]) == (404, "unknown_message")
    wait_for(lambda: gm.callback.items("customs"))
