"""SAFE receipt limits L1–L4 (DOMAIN §5.3)."""

from __future__ import annotations

import pytest

from tests.govmock.pki import new_guid

YIWU = "91330782MA28F3K135"


def receipt(**change):
    node = {
        "receipt_id": "R" + new_guid()[:20],
        "channel": "BANK",
        "channel_code": "BKCHCNBJ",
        "beneficiary_uscc": YIWU,
        "beneficiary_type": "ENTERPRISE",
        "payer_country": "502",
        "currency_iso": "USD",
        "amount": "100.00",
        "usd_equivalent": "100.00",
        "value_date": "2025-02-20",
        "order_nos": ["ORD1"],
    }
    return {k: v for k, v in {**node, **change}.items() if v is not None}


def person(**change):
    return receipt(
        **{
            "beneficiary_type": "INDIVIDUAL",
            "beneficiary_uscc": None,
            "person_id_hash": "sha256:abc",
            **change,
        }
    )


def send(gm, who, node, expected):
    response = gm.send_json(who, "safe", "safe.receipt", [node])
    return gm.wait_statuses(response.json()["node_guids"][0], expected, "safe")[-1]


@pytest.fixture
def registered(gm, seller):
    response = gm.send_json(
        seller,
        "safe",
        "safe.directory",
        [{"uscc": YIWU, "name_cn": "义乌某某", "division_code": "330782", "entity_type": "APPLICATION"}],
    )
    gm.wait_statuses(response.json()["node_guids"][0], ["ACCEPTED", "REGISTERED"], "safe")
    return gm


def test_l3_enterprise_must_be_in_the_directory(gm, seller):
    assert "L3" in send(gm, seller, receipt(), ["REJECTED"])["info"]


def test_completed_and_l4_duplicate(registered, seller):
    node = receipt()
    done = send(registered, seller, node, ["COMPLETED"])
    assert done["data"]["receipt_id"] == node["receipt_id"]
    assert "L4" in send(registered, seller, {**node}, ["REJECTED"])["info"]


@pytest.mark.parametrize(
    ("value_date", "usd", "status"),
    [
        ("2015-01-28", "10000.00", "COMPLETED"),
        ("2015-01-28", "10000.01", "REJECTED"),
        ("2015-01-29", "50000.00", "COMPLETED"),
        ("2015-01-29", "50000.01", "REJECTED"),
    ],
)
def test_l1_payment_institution_cap_depends_on_the_value_date(registered, seller, value_date, usd, status):
    node = receipt(channel="PAYMENT_INSTITUTION", value_date=value_date, usd_equivalent=usd)
    result = send(registered, seller, node, [status])
    if status == "REJECTED":
        assert "L1" in result["info"]


def test_l2_individual_annual_quota(gm, seller):
    assert (
        send(gm, seller, person(usd_equivalent="30000"), ["COMPLETED"])["data"]["year_total_usd"] == "30000"
    )
    over = send(gm, seller, person(usd_equivalent="20000.01"), ["NEEDS_DOCUMENTS"])
    assert "L2" in over["info"]
    assert over["data"]["year_total_usd"] == "30000"
    assert (
        send(gm, seller, person(usd_equivalent="20000"), ["COMPLETED"])["data"]["year_total_usd"] == "50000"
    )
    with_documents = person(usd_equivalent="5000", documents=["contract-2025-001.pdf"])
    assert send(gm, seller, with_documents, ["COMPLETED"])["data"]["year_total_usd"] == "55000"
    next_year = person(usd_equivalent="40000", value_date="2026-01-02")
    assert send(gm, seller, next_year, ["COMPLETED"])["data"]["year_total_usd"] == "40000"
    other_person = person(usd_equivalent="40000", person_id_hash="sha256:def")
    assert send(gm, seller, other_person, ["COMPLETED"])["data"]["year_total_usd"] == "40000"


def test_needs_documents_receipt_can_be_resubmitted_with_documents(gm, seller):
    node = person(usd_equivalent="60000")
    send(gm, seller, node, ["NEEDS_DOCUMENTS"])
    send(gm, seller, {**node, "documents": ["invoice.pdf"]}, ["COMPLETED"])


def test_receipt_schema(gm, seller):
    error = send(gm, seller, receipt(beneficiary_uscc=None), ["SCHEMA_ERROR"])
    assert "beneficiary_uscc" in error["info"]
    error = send(gm, seller, receipt(amount="abc", value_date="2025-13-01"), ["SCHEMA_ERROR"])
    assert "amount" in error["info"]
    assert "value_date" in error["info"]
