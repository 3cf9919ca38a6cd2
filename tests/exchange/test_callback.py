"""The receipt callback: HMAC over timestamp and body, a time window, no replays, size limit."""

import json
import time

import pytest

from exchange.models import Message, Receipt
from exchange.signing import hmac_signature
from tests.exchange.helpers import enqueue

pytestmark = pytest.mark.django_db
URL = "/exchange/receipts/"


def _post(client, body: bytes, *, secret="dev-only-callback-secret", ts=None, signature=None, **extra):
    ts = str(int(time.time()) if ts is None else ts)
    sig = signature if signature is not None else hmac_signature(secret, f"{ts}.".encode() + body)
    return client.post(
        URL,
        data=body,
        content_type="application/json",
        HTTP_X_GOVMOCK_TIMESTAMP=ts,
        HTTP_X_GOVMOCK_SIGNATURE=sig,
        **extra,
    )


@pytest.fixture
def body(enterprise, json_receipt):
    [message] = enqueue(enterprise)
    Message.objects.filter(pk=message.pk).update(status="sent")
    message.refresh_from_db()
    return json.dumps({"department": "customs", "receipts": [json_receipt(message, "ACCEPTED")]}).encode()


def test_authentic_callback_is_ingested(client, body):
    response = _post(client, body)
    assert response.status_code == 200
    assert response.json() == {"accepted": 1, "duplicates": 0}
    assert Receipt.objects.count() == 1


def test_callback_changes_are_attributed_to_the_department_not_to_anonymous(client, body):
    from django.utils import translation

    from portal.models import AuditEvent
    from portal.timeline import actor_display

    assert _post(client, body).status_code == 200
    events = list(AuditEvent.objects.filter(verb="receipt"))
    assert events
    assert {e.actor_label for e in events} == {"system:callback"}
    assert {e.via for e in events} == {"callback"}
    with translation.override("en"):
        assert actor_display(events[0]) == "System (receipt from the department)"
    with translation.override("zh-hans"):
        assert actor_display(events[0]) != "System (receipt from the department)"


def test_missing_signature_is_refused(client, body):
    response = client.post(URL, data=body, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "missing_signature"
    assert not Receipt.objects.exists()


def test_wrong_secret_is_refused(client, body):
    assert _post(client, body, secret="guess").status_code == 401
    assert not Receipt.objects.exists()


def test_tampered_body_is_refused(client, body):
    ts = int(time.time())
    signature = hmac_signature("dev-only-callback-secret", f"{ts}.".encode() + body)
    tampered = body.replace(b"ACCEPTED", b"REGISTERED")
    assert _post(client, tampered, ts=ts, signature=signature).status_code == 401


def test_old_timestamp_is_refused(client, body):
    response = _post(client, body, ts=int(time.time()) - 3600)
    assert response.status_code == 401
    assert response.json()["code"] == "stale_timestamp"


def test_replayed_request_is_refused(client, body):
    ts = int(time.time())
    assert _post(client, body, ts=ts).status_code == 200
    replay = _post(client, body, ts=ts)
    assert replay.status_code == 409
    assert replay.json()["code"] == "replay"


def test_oversized_body_is_refused_before_reading(client):
    response = client.post(
        URL, data=b"{}", content_type="application/json", CONTENT_LENGTH=str(6 * 1024 * 1024)
    )
    assert response.status_code == 413


def test_malformed_json_is_refused(client):
    assert _post(client, b'{"receipts": "nope"}').status_code == 400


def test_get_is_not_allowed(client):
    assert client.get(URL).status_code == 405


def test_ca_certificate_is_published(client):
    response = client.get("/exchange/ca.pem")
    assert response.status_code == 200
    assert response.content.startswith(b"-----BEGIN CERTIFICATE-----")


@pytest.mark.parametrize("count", [0, 101, 150])
def test_a_callback_without_1_to_100_receipts_is_refused_and_nothing_is_stored(
    client, enterprise, json_receipt, count
):
    [message] = enqueue(enterprise)
    items = [json_receipt(message, "ACCEPTED") for _ in range(count)]
    body = json.dumps({"department": "customs", "receipts": items}).encode()
    response = _post(client, body)
    assert response.status_code == 400
    assert response.json()["code"] == "bad_count"
    assert "1" in response.json()["message"] and "100" in response.json()["message"]
    assert not Receipt.objects.exists()


def test_a_callback_with_100_receipts_is_accepted(client, enterprise, json_receipt):
    [message] = enqueue(enterprise)
    items = [json_receipt(message, "ACCEPTED") for _ in range(100)]
    response = _post(client, json.dumps({"department": "customs", "receipts": items}).encode())
    assert response.status_code == 200
    assert response.json()["accepted"] == 100


def test_a_callback_of_an_unknown_department_is_refused(client, body):
    document = json.loads(body)
    response = _post(client, json.dumps({**document, "department": "police"}).encode())
    assert response.status_code == 400
    assert response.json()["code"] == "malformed"
    assert not Receipt.objects.exists()


def test_a_callback_receipt_for_a_message_of_another_department_is_flagged_not_applied(
    client, enterprise, json_receipt
):
    [message] = enqueue(enterprise)  # customs.registration
    Message.objects.filter(pk=message.pk).update(status="sent")
    message.refresh_from_db()
    foreign = {**json_receipt(message, "REGISTERED"), "department": "tax"}
    body = json.dumps({"department": "tax", "receipts": [foreign]}).encode()
    response = _post(client, body)
    assert response.status_code == 200
    assert response.json() == {"accepted": 1, "duplicates": 0}
    receipt = Receipt.objects.get()
    assert (receipt.disposition, receipt.flagged, receipt.message) == ("unmatched", True, None)
    message.refresh_from_db()
    assert message.status == "sent"


def test_a_callback_item_of_another_department_than_the_callback_is_flagged(client, body):
    document = json.loads(body)  # items of customs
    response = _post(client, json.dumps({**document, "department": "tax"}).encode())
    assert response.status_code == 200
    assert Receipt.objects.get().disposition == "unmatched"
    assert Message.objects.get().status == "sent"
