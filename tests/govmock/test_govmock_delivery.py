"""Receipt delivery (protocol §2): signed callback pushes, retries, polling, seq order, durability."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time

import pytest
import requests

from tests.govmock import cebmsg as ceb
from tests.govmock.harness import node_guid, wait_for
from tests.govmock.pki import hmac_headers

FAST = {"service_time_ms": 0, "receipt_interval_ms": 0}


def test_pushes_are_signed_batched_and_complete(gm, agent, callback):
    for _ in range(3):
        assert (
            gm.send_ceb(agent, "CEB303Message", [ceb.order(ceb.Parcel()) for _ in range(100)]).status_code
            == 202
        )
    wait_for(lambda: len(callback.items("customs")) == 300)
    assert callback.bad_signatures == 0
    assert all(1 <= len(batch["receipts"]) <= 100 for batch in callback.batches)
    assert all(batch["department"] == "customs" for batch in callback.batches)
    pushed = callback.items("customs")
    assert sorted(i["seq"] for i in pushed) == list(range(1, 301))
    assert {i["receipt_id"] for i in pushed} == {r["receipt_id"] for r in gm.receipts()}
    item = pushed[0]
    assert set(item) == {
        "seq",
        "receipt_id",
        "department",
        "message_id",
        "node_guid",
        "receipt_type",
        "content_type",
        "raw",
        "created_at",
    }
    assert item["created_at"].endswith("+00:00")


def test_failed_pushes_are_retried(gm, agent, callback):
    callback.answers = [503]
    spec = ceb.order(ceb.Parcel())
    gm.send_ceb(agent, "CEB303Message", [spec])
    [item] = wait_for(lambda: callback.items("customs"), timeout=8)  # after 1 s of backoff
    assert item["node_guid"] == node_guid(spec)

    def counted():  # the pusher counts a push once the receiver has answered it: read until it has
        stats = gm.admin("GET", "/admin/stats").json()["departments"]["customs"]
        return (stats["pushes_failed"], stats["pushes_ok"]) == (1, 1)

    wait_for(counted, timeout=5)


def test_polling_pages_in_seq_order(gm, agent):
    gm.send_ceb(agent, "CEB303Message", [ceb.order(ceb.Parcel()) for _ in range(7)])
    wait_for(lambda: len(gm.receipts()) == 7)
    page = gm.signed_get("/customs/receipts?after=2&limit=3").json()
    assert [r["seq"] for r in page["receipts"]] == [3, 4, 5]
    assert page["last_seq"] == 5
    assert gm.signed_get("/customs/receipts?after=7").json() == {"receipts": [], "last_seq": 7}
    assert len(gm.signed_get("/customs/receipts").json()["receipts"]) == 7  # defaults: after=0
    assert gm.signed_get("/customs/receipts?limit=0").status_code == 400
    assert gm.signed_get("/customs/receipts?after=x").status_code == 400
    assert gm.signed_get("/ciq/receipts?after=0").json() == {"receipts": [], "last_seq": 0}


@pytest.mark.parametrize("case", ["missing", "wrong_secret", "stale", "other_query", "other_path"])
def test_polling_requires_a_valid_hmac(gm, case):
    target = "/customs/receipts?after=0&limit=10"
    headers = {
        "missing": {},
        "wrong_secret": hmac_headers("not-the-secret", "GET", target),
        "stale": hmac_headers(gm.secret, "GET", target, timestamp=int(time.time()) - 301),
        "other_query": hmac_headers(gm.secret, "GET", "/customs/receipts?after=0&limit=11"),
        "other_path": hmac_headers(gm.secret, "GET", "/ciq/receipts?after=0&limit=10"),
    }[case]
    response = gm.http.get(gm.url + target, headers=headers)
    assert (response.status_code, response.json()["error"]) == (401, "unauthorized")
    message = gm.http.get(gm.url + "/customs/messages/X", headers=headers)
    assert message.status_code == 401


def test_timestamp_within_the_window_is_accepted(gm):
    target = "/customs/receipts?after=0"
    headers = hmac_headers(gm.secret, "GET", target, timestamp=int(time.time()) - 250)
    assert gm.http.get(gm.url + target, headers=headers).status_code == 200


def test_a_cursor_never_skips_a_receipt_while_receipts_are_being_written(gm, agent):
    seen: list[int] = []
    deadline = time.monotonic() + 30

    def poll() -> None:
        after = 0
        while after < 500 and time.monotonic() < deadline:
            page = gm.signed_get(f"/customs/receipts?after={after}&limit=37").json()
            seen.extend(r["seq"] for r in page["receipts"])
            after = page["last_seq"]

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    for _ in range(5):
        gm.send_ceb(agent, "CEB303Message", [ceb.order(ceb.Parcel()) for _ in range(100)])
    poller.join(timeout=35)
    assert seen == list(range(1, 501))


def test_receipts_of_one_node_are_spaced_by_the_interval(make_govmock, agent):
    gm = make_govmock(GOVMOCK_FAULTS=json.dumps({"*": {"service_time_ms": 0, "receipt_interval_ms": 150}}))
    parcel = ceb.Parcel()
    for message_type, spec in (("CEB303Message", ceb.order(parcel)), ("CEB505Message", ceb.waybill(parcel))):
        gm.send_ceb(agent, message_type, [spec])
    spec = ceb.inventory(parcel)
    received = dt.datetime.fromisoformat(gm.send_ceb(agent, "CEB603Message", [spec]).json()["received_at"])
    receipts = gm.wait_statuses(node_guid(spec), ["2", "120", "399"])
    shanghai = dt.timezone(dt.timedelta(hours=8))
    times = [
        dt.datetime.strptime(r["returnTime"] + "000", "%Y%m%d%H%M%S%f").replace(tzinfo=shanghai)
        for r in receipts
    ]
    # the k-th receipt of the node is emitted no earlier than k intervals after processing began
    # (2 ms of slack for the millisecond truncation of both stamps)
    for k, moment in enumerate(times):
        assert (moment - received).total_seconds() >= k * 0.150 - 0.002, times


def test_pending_work_survives_a_restart(make_govmock, agent, callback):
    gm = make_govmock(GOVMOCK_FAULTS=json.dumps({"*": {"service_time_ms": 1500, "receipt_interval_ms": 0}}))
    spec = ceb.order(ceb.Parcel())
    assert gm.send_ceb(agent, "CEB303Message", [spec]).status_code == 202
    gm.stop()  # before the message was processed
    assert callback.items() == []
    gm.start()
    gm.wait_statuses(node_guid(spec), ["2"])
    wait_for(lambda: callback.items("customs"))


def test_pending_pushes_survive_a_restart(make_govmock, agent, callback):
    callback.answers = [500] * 1000  # the portal is down
    gm = make_govmock()
    spec = ceb.order(ceb.Parcel())
    gm.send_ceb(agent, "CEB303Message", [spec])
    gm.wait_statuses(node_guid(spec), ["2"])
    wait_for(lambda: gm.admin("GET", "/admin/stats").json()["departments"]["customs"]["pushes_failed"])
    gm.stop()
    callback.answers = []  # the portal is back
    gm.start()
    [item] = wait_for(lambda: callback.items("customs"), timeout=8)
    assert item["node_guid"] == node_guid(spec)


def test_keeps_up_with_a_burst_of_messages(gm, agent, callback):
    messages = []
    for _ in range(100):
        guid, body = ceb.message("CEB303Message", [ceb.order(ceb.Parcel()) for _ in range(10)])
        messages.append(
            (
                body,
                agent.headers(
                    body, message_id=guid, message_type="CEB303Message", content_type="application/xml"
                ),
            )
        )
    started = time.monotonic()
    results: list[int] = []

    def send(chunk: list[tuple[bytes, dict]]) -> None:
        with requests.Session() as session:
            results.extend(
                session.post(f"{gm.url}/customs/messages", data=b, headers=h, timeout=30).status_code
                for b, h in chunk
            )

    threads = [threading.Thread(target=send, args=(messages[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [202] * 100
    wait_for(lambda: len(callback.items("customs")) == 1000, timeout=20)
    assert time.monotonic() - started < 10  # 100 messages, 1000 receipts: far above 50 messages/s
