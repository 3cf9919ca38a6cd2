"""Fault injection (protocol §5): configuration, determinism, and each fault's effect."""

from __future__ import annotations

import json
import time

import pytest

from govmock import faults
from govmock.config import ConfigError, Settings
from tests.govmock import cebmsg as ceb
from tests.govmock.harness import node_guid, wait_for
from tests.govmock.pki import new_guid

FAST = {"service_time_ms": 0, "receipt_interval_ms": 0}


def with_faults(make_govmock, customs=None, everyone=None, **env):
    config = {"*": {**FAST, **(everyone or {})}, "customs": customs or {}}
    return make_govmock(GOVMOCK_FAULTS=json.dumps(config), **env)


def test_decisions_depend_only_on_their_inputs():
    ids = [f"ID-{i}" for i in range(1000)]
    first = [faults.decide(7, "customs", i, "error", 0.3) for i in ids]
    assert first == [faults.decide(7, "customs", i, "error", 0.3) for i in ids]
    assert first != [faults.decide(8, "customs", i, "error", 0.3) for i in ids]
    assert first != [faults.decide(7, "ciq", i, "error", 0.3) for i in ids]
    assert first != [faults.decide(7, "customs", i, "drop", 0.3) for i in ids]


@pytest.mark.parametrize("rate", [0.05, 0.3, 0.5, 0.9])
def test_rates_are_roughly_honoured(rate):
    hits = sum(faults.decide(0, "customs", new_guid(), "error", rate) for _ in range(1000))
    assert abs(hits - 1000 * rate) < 60  # > 4 standard deviations for every rate here


def test_rate_zero_and_one_are_exact():
    assert not any(faults.decide(0, "tax", str(i), "x", 0) for i in range(200))
    assert all(faults.decide(0, "tax", str(i), "x", 1) for i in range(200))


def test_submit_errors_are_deterministic_under_the_seed_and_retries_draw_again(make_govmock, agent, tmp_path):
    def run(sub: str) -> list[int]:
        (tmp_path / sub).mkdir()
        gm = with_faults(
            make_govmock,
            {"error_rate": 0.5, "error_status": 502},
            GOVMOCK_SEED="42",
            GOVMOCK_DB=str(tmp_path / sub / "db.sqlite3"),
        )
        codes = [gm.post("customs", body, headers).status_code for body, headers in messages]
        gm.stop()
        return codes

    messages = []
    for index in range(40):
        guid, body = ceb.message(
            "CEB303Message", [ceb.order(ceb.Parcel())], guid=f"00000000-0000-0000-0000-{index:012d}"
        )
        messages.append(
            (
                body,
                agent.headers(
                    body, message_id=guid, message_type="CEB303Message", content_type="application/xml"
                ),
            )
        )
    first, second = run("a"), run("b")
    assert first == second
    assert set(first) == {202, 502}
    expected = [
        202 if not faults.decide(42, "customs", f"00000000-0000-0000-0000-{i:012d}#1", "error", 0.5) else 502
        for i in range(40)
    ]
    assert first == expected


def test_a_refused_submit_stores_nothing_and_a_retry_can_succeed(make_govmock, agent):
    gm = with_faults(make_govmock, {"error_rate": 1, "error_status": 500})
    guid, body = ceb.message("CEB303Message", [ceb.order(ceb.Parcel())])
    headers = agent.headers(
        body, message_id=guid, message_type="CEB303Message", content_type="application/xml"
    )
    assert gm.post("customs", body, headers).status_code == 500
    assert gm.signed_get(f"/customs/messages/{guid}").status_code == 404
    assert gm.admin("PUT", "/admin/faults/customs", {"error_rate": 0}).status_code == 200
    assert gm.post("customs", body, headers).status_code == 202


def test_hang_then_503(make_govmock, agent):
    gm = with_faults(make_govmock, {"hang_rate": 1, "hang_seconds": 0.3})
    guid, body = ceb.message("CEB303Message", [ceb.order(ceb.Parcel())])
    started = time.monotonic()
    response = gm.post(
        "customs",
        body,
        agent.headers(body, message_id=guid, message_type="CEB303Message", content_type="application/xml"),
    )
    assert response.status_code == 503
    assert time.monotonic() - started >= 0.3
    assert gm.signed_get(f"/customs/messages/{guid}").status_code == 404


def test_latency(make_govmock, agent):
    gm = with_faults(make_govmock, {"latency_ms": [250, 250]})
    started = time.monotonic()
    assert gm.send_ceb(agent, "CEB303Message", [ceb.order(ceb.Parcel())]).status_code == 202
    assert time.monotonic() - started >= 0.25


def test_outage_refuses_everything_and_holds_callbacks(make_govmock, agent, callback):
    gm = with_faults(make_govmock, {"service_time_ms": 1000})
    spec = ceb.order(ceb.Parcel())
    assert gm.send_ceb(agent, "CEB303Message", [spec]).status_code == 202
    assert gm.admin("PUT", "/admin/faults/customs", {"outage_seconds": 2}).status_code == 200
    assert gm.send_ceb(agent, "CEB303Message", [ceb.order(ceb.Parcel())]).status_code == 503
    assert gm.signed_get("/customs/receipts?after=0").status_code == 503
    assert gm.signed_get("/ciq/receipts?after=0").status_code == 200  # other departments are up
    # the message is processed during the outage (admin endpoints stay up)...
    wait_for(lambda: gm.admin("GET", "/admin/stats").json()["departments"]["customs"]["receipts"] == 1)
    assert callback.items("customs") == []  # ...but nothing is pushed
    wait_for(lambda: callback.items("customs"), timeout=5)  # pushed once the outage is over
    assert gm.signed_get("/customs/receipts?after=0").status_code == 200
    assert gm.statuses(node_guid(spec)) == ["2"]


def test_dropped_pushes_are_still_pollable(make_govmock, agent, callback):
    gm = with_faults(make_govmock, {"drop_rate": 1})
    spec = ceb.order(ceb.Parcel())
    gm.send_ceb(agent, "CEB303Message", [spec])
    gm.wait_statuses(node_guid(spec), ["2"])
    time.sleep(0.2)
    assert callback.items() == []
    assert gm.admin("GET", "/admin/stats").json()["departments"]["customs"]["pushes_dropped"] == 1


def test_duplicated_pushes_carry_the_same_receipt_id(make_govmock, agent, callback):
    gm = with_faults(make_govmock, {"duplicate_rate": 1})
    specs = [ceb.order(ceb.Parcel()) for _ in range(3)]
    gm.send_ceb(agent, "CEB303Message", specs)
    wait_for(lambda: len(callback.items("customs")) == 6)
    ids = [item["receipt_id"] for item in callback.items("customs")]
    assert set(ids) == {r["receipt_id"] for r in gm.receipts()}
    assert all(ids.count(i) == 2 for i in ids)
    for batch in callback.batches:  # a copy never travels in the same batch as its original
        batch_ids = [item["receipt_id"] for item in batch["receipts"]]
        assert len(batch_ids) == len(set(batch_ids))


def test_reordered_node_receipts_are_pushed_in_reverse(make_govmock, agent, callback):
    gm = with_faults(make_govmock, {"reorder_rate": 1})
    parcel = ceb.Parcel()
    gm.send_ceb(agent, "CEB303Message", [ceb.order(parcel)])
    gm.send_ceb(agent, "CEB505Message", [ceb.waybill(parcel)])
    wait_for(lambda: len(callback.items()) == 2)
    spec = ceb.inventory(parcel)
    gm.send_ceb(agent, "CEB603Message", [spec])
    wait_for(lambda: len([i for i in callback.items() if i["node_guid"] == node_guid(spec)]) == 3)
    pushed = [i["seq"] for i in callback.items() if i["node_guid"] == node_guid(spec)]
    assert pushed == sorted(pushed, reverse=True)
    polled = [r["seq"] for r in gm.receipts() if r["node_guid"] == node_guid(spec)]
    assert polled == sorted(pushed)  # polling order is untouched


def test_schema_error_and_reject_faults(make_govmock, agent, seller):
    gm = with_faults(make_govmock, {"schema_error_rate": 1}, everyone={"reject_rate": 1})
    spec = ceb.order(ceb.Parcel())
    gm.send_ceb(agent, "CEB303Message", [spec])
    assert "fault injection" in gm.wait_statuses(node_guid(spec), ["-900"])[0]["returnInfo"]
    response = gm.send_json(
        seller,
        "commerce",
        "commerce.filing_status",
        [{"filing_no": "F1", "uscc": "91330782MA28F3K135", "status": "ACTIVE"}],
    )
    gm.wait_statuses(response.json()["node_guids"][0], ["REJECTED"], "commerce")
    gm.admin("PUT", "/admin/faults/customs", {"schema_error_rate": 0})
    rejected = ceb.order(ceb.Parcel())
    gm.send_ceb(agent, "CEB303Message", [rejected])
    assert "fault injection" in gm.wait_statuses(node_guid(rejected), ["100"])[0]["returnInfo"]


def test_admin_fault_endpoints(gm):
    current = gm.admin("GET", "/admin/faults").json()
    assert current["faults"]["customs"]["service_time_ms"] == 0
    assert current["faults"]["tax"]["error_status"] == 503
    changed = gm.admin("PUT", "/admin/faults/tax", {"error_rate": 0.25, "latency_ms": [1, 5]}).json()
    assert changed["faults"]["error_rate"] == 0.25
    assert gm.admin("GET", "/admin/faults").json()["faults"]["tax"]["latency_ms"] == [1, 5]
    for bad in (
        {"error_rate": 2},
        {"nonsense": 1},
        {"latency_ms": [5, 1]},
        {"error_rate": True},
        {"outage_until": "soon"},
    ):
        response = gm.admin("PUT", "/admin/faults/tax", bad)
        assert (response.status_code, response.json()["error"]) == (400, "malformed")
    assert gm.http.put(f"{gm.url}/admin/faults/tax", json={"error_rate": 1}).status_code == 401
    assert gm.admin("PUT", "/admin/faults/police", {}).status_code == 404
    assert gm.admin("POST", "/admin/reset").json() == {"reset": True}
    assert gm.admin("GET", "/admin/faults").json()["faults"]["tax"]["error_rate"] == 0


def test_reset_forgets_everything(gm, agent):
    spec = ceb.order(ceb.Parcel())
    gm.send_ceb(agent, "CEB303Message", [spec])
    gm.wait_statuses(node_guid(spec), ["2"])
    gm.admin("POST", "/admin/reset")
    assert gm.receipts() == []
    again = ceb.order(ceb.Parcel(order_no=spec["head"]["orderNo"]))  # not a duplicate any more
    gm.send_ceb(agent, "CEB303Message", [again])
    gm.wait_statuses(node_guid(again), ["2"])
    assert [r["seq"] for r in gm.receipts()] == [1]


def test_fault_configuration_from_environment_and_file(tmp_path):
    path = tmp_path / "faults.json"
    path.write_text(json.dumps({"*": {"drop_rate": 0.1}, "safe": {"drop_rate": 0.2, "service_time_ms": 5}}))
    settings = Settings.from_env(
        {"GOVMOCK_FAULTS_FILE": str(path), "GOVMOCK_FAULTS": '{"safe": {"drop_rate": 0.3}}'}
    )
    assert settings.faults["customs"].drop_rate == 0.1
    assert settings.faults["safe"].drop_rate == 0.3
    assert settings.faults["safe"].service_time_ms == 5
    assert settings.faults["tax"].receipt_interval_ms == 200  # protocol default
    for bad in ('{"police": {}}', '{"*": {"drop_rate": 5}}', "[]", "not json"):
        with pytest.raises(ConfigError):
            Settings.from_env({"GOVMOCK_FAULTS": bad})
