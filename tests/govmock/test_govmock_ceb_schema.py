"""Format validation answered by CEB900 (DOMAIN §3.5, protocol §1): not an HTTP error."""

from __future__ import annotations

import pytest

from tests.govmock import cebmsg as ceb
from tests.govmock.harness import node_guid


def format_error(gm, agent, message_type, spec, **message_kwargs):
    guid, body = ceb.message(message_type, [spec], **message_kwargs)
    headers = agent.headers(
        body, message_id=guid, message_type=message_type, content_type="application/xml; charset=utf-8"
    )
    assert gm.post("customs", body, headers).status_code == 202
    [receipt] = gm.wait_statuses(node_guid(spec), ["-900"])
    assert receipt["root"] == "CEB900Message"
    assert receipt["node"] == "MessageReturn"
    assert receipt["guid"] == node_guid(spec)
    assert node_guid(spec) in receipt["returnInfo"]
    assert len(receipt["returnTime"]) == 14  # DOMAIN §0: CEB900 returnTime has 14 characters
    return receipt["returnInfo"]


@pytest.mark.parametrize(
    ("override", "field", "problem"),
    [
        ({"grossWeight": None}, "InventoryHead/grossWeight", "required field missing"),
        ({"copNo": "C" * 31}, "InventoryHead/copNo", "longer than 30"),
        ({"customsCode": "290"}, "InventoryHead/customsCode", "4 digits"),
        ({"appType": "4"}, "InventoryHead/appType", "one of 1, 2, 3"),
        ({"appStatus": "0"}, "InventoryHead/appStatus", "one of 1, 2"),
        ({"appTime": "20250230101010"}, "InventoryHead/appTime", "YYYYMMDDhhmmss"),
        ({"ieDate": "2025-02-20"}, "InventoryHead/ieDate", "T8"),
        ({"grossWeight": "1,5"}, "InventoryHead/grossWeight", "decimal"),
        ({"packNo": "-1"}, "InventoryHead/packNo", "integer"),
        ({"statisticsFlag": "C"}, "InventoryHead/statisticsFlag", "one of A, B"),
        ({"ebcCode": "3301960000X"}, "InventoryHead/ebcCode", "customs code"),
        ({"ownerCode": "91330782MA28F3K130"}, "InventoryHead/ownerCode", "USCC"),
        ({"trafMode": "B"}, "InventoryHead/trafMode", "one of"),
        ({"colour": "red"}, "InventoryHead/colour", "unexpected element"),
    ],
)
def test_inventory_head_format_errors(gm, agent, override, field, problem):
    info = format_error(gm, agent, "CEB603Message", ceb.inventory(ceb.Parcel(), **override))
    assert field in info
    assert problem in info


def test_inventory_row_format_error_names_the_row(gm, agent):
    parcel = ceb.Parcel(rows=[ceb.Row(), ceb.Row(gcode="61091000")])
    info = format_error(gm, agent, "CEB603Message", ceb.inventory(parcel))
    assert "InventoryList[2]/gcode: must be 10 digits" in info


def test_missing_base_transfer_is_a_format_error_for_every_node(gm, agent):
    info = format_error(gm, agent, "CEB303Message", ceb.order(ceb.Parcel()), base_transfer={})
    assert "BaseTransfer" in info


def test_order_without_items_is_a_format_error(gm, agent):
    spec = ceb.order(ceb.Parcel())
    spec["rows"] = []
    assert "OrderList: at least 1 row(s) required" in format_error(gm, agent, "CEB303Message", spec)


def test_each_node_is_answered_on_its_own(gm, agent):
    good, bad = ceb.order(ceb.Parcel()), ceb.order(ceb.Parcel(), orderNo=None)
    gm.send_ceb(agent, "CEB303Message", [good, bad])
    gm.wait_statuses(node_guid(good), ["2"])
    [receipt] = gm.wait_statuses(node_guid(bad), ["-900"])
    assert "OrderHead/orderNo: required field missing" in receipt["returnInfo"]


def test_element_outside_the_ceb_namespace_is_a_format_error(gm, agent):
    spec = ceb.order(ceb.Parcel())
    guid, body = ceb.message("CEB303Message", [spec])
    body = body.replace(b"<ceb:freight>0</ceb:freight>", b"<freight>0</freight>")
    headers = agent.headers(
        body, message_id=guid, message_type="CEB303Message", content_type="application/xml; charset=utf-8"
    )
    assert gm.post("customs", body, headers).status_code == 202
    [receipt] = gm.wait_statuses(node_guid(spec), ["-900"])
    assert "freight: element not in the CEB namespace" in receipt["returnInfo"]
