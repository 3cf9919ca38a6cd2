"""``POST /api/v1/customs/{orders,payments,waybills}/batch/``: what a platform's, a payment enterprise's and a
carrier's systems send at volume — atomic, idempotent, errors by row and field in the caller's language,
never another enterprise's data, never a 500."""

import pytest

from customs.choices import DocumentType
from customs.models import Order, OrderItem, Payment, Waybill
from exchange.models import Message
from tests import factories
from tests.customs.api_kit import give_standing
from tests.customs.builders import (
    LOGISTICS_CODE,
    PLATFORM_CODE,
    order_head,
    order_item,
    payment_data,
    waybill_data,
)
from tests.customs.parties import user_of

pytestmark = pytest.mark.django_db
ORDERS = "/api/v1/customs/orders/batch/"


def orders(n, start=0, **head):
    return [
        {**order_head(order_no=f"SO-B{i:05d}", ebc_code="", **head), "items": [order_item()]}
        for i in range(start, start + n)
    ]


@pytest.fixture
def seller_api(seller_user, api_as):
    give_standing(seller_user.organisation)
    return api_as(seller_user)


def test_a_batch_of_orders_is_created_then_answered_the_same_when_retried(seller_api):
    first = seller_api.post(ORDERS, {"orders": orders(3)}, format="json")
    assert first.status_code == 201, first.json()
    body = first.json()
    assert (body["created"], body["unchanged"]) == (3, 0)
    assert [(r["index"], r["ebp_code"], r["order_no"], r["created"]) for r in body["orders"]] == [
        (i, PLATFORM_CODE, f"SO-B{i:05d}", True) for i in range(3)
    ]
    again = seller_api.post(ORDERS, {"orders": orders(3)}, format="json")
    assert again.status_code == 200
    assert [r["id"] for r in again.json()["orders"]] == [r["id"] for r in body["orders"]]
    assert Order.objects.count() == 3 and Message.objects.count() == 3
    detail = seller_api.get(f"/api/v1/customs/orders/{body['orders'][0]['id']}/").json()
    assert detail["status"] == "SUBMITTED" and len(detail["items"]) == 1


def test_one_bad_order_answers_every_error_by_row_and_field_and_saves_nothing(seller_api):
    batch = orders(3)
    batch[2]["items"][0]["price"] = "abc"
    batch[0]["goods_value"] = "-5"
    response = seller_api.post(ORDERS, {"orders": batch}, format="json", headers={"accept-language": "en"})
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"orders[2].items[0].price", "orders[0].goods_value"} <= fields
    assert all(f.startswith(("orders[0]", "orders[2]")) for f in fields)
    message = next(
        e["message"] for e in response.json()["errors"] if e["field"] == "orders[2].items[0].price"
    )
    assert "number" in message.lower()
    assert Order.objects.count() == OrderItem.objects.count() == Message.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"orders": []}, "required"),
        ({"lists": orders(1)}, "required"),
        ([1, 2], "invalid"),
        ({"orders": [{}] * 10_001}, "too_many"),
        ({"orders": orders(1), "submit": "yes"}, "invalid"),
        ({"orders": orders(1), "owner": "abc"}, "invalid"),
    ],
    ids=["empty", "wrong-key", "not-an-object", "10001", "submit-text", "owner-text"],
)
def test_a_malformed_batch_is_a_400_naming_what_is_wrong(seller_api, body, code):
    response = seller_api.post(ORDERS, body, format="json")
    assert response.status_code == 400 and response.json()["code"] == code
    assert Order.objects.count() == 0


@pytest.mark.parametrize(
    "bad", [{"items": "x"}, {"items": [1]}, {"goods_value": [1]}, {"order_no": {"a": 1}}]
)
def test_odd_shapes_are_400_never_500(seller_api, bad):
    response = seller_api.post(
        ORDERS, {"orders": [orders(1)[0], {**orders(1, start=1)[0], **bad}]}, format="json"
    )
    assert response.status_code == 400, response.content[:300]
    assert all(e["field"].startswith("orders[1]") for e in response.json()["errors"])
    assert Order.objects.count() == 0


def test_filing_for_a_seller_that_did_not_authorise_you_is_refused(seller, broker, authorise, api_as):
    api = api_as(user_of(broker))
    refused = api.post(
        ORDERS, {"owner": seller.pk, "orders": orders(2)}, format="json", headers={"accept-language": "en"}
    )
    assert refused.status_code == 403 and "authorised" in refused.json()["message"]
    assert Order.objects.count() == 0
    authorise(seller, broker, DocumentType.ORDER)
    allowed = api.post(ORDERS, {"owner": seller.pk, "orders": orders(2)}, format="json")
    assert allowed.status_code == 201 and set(Order.objects.values_list("owner", "filer")) == {
        (seller.pk, broker.pk)
    }


def test_another_enterprises_order_number_is_refused_and_its_id_not_shown(seller_api, api_as):
    other = factories.EnterpriseFactory()
    give_standing(other, "3301960088")
    theirs = api_as(user_of(other)).post(ORDERS, {"orders": orders(1, ebp_name="测试平台")}, format="json")
    assert theirs.status_code == 201
    response = seller_api.post(ORDERS, {"orders": orders(2)}, format="json")
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["orders[0].order_no"]
    assert '"id"' not in response.content.decode() and "owner" not in response.content.decode()


def test_officers_read_but_do_not_file(customs_officer, api_as):
    response = api_as(customs_officer).post(ORDERS, {"orders": orders(1)}, format="json")
    assert response.status_code == 403


def test_a_payment_enterprise_and_a_carrier_file_their_batches(seller, payer, logistics, api_as):
    receipts = [payment_data(order_no=f"SO-{i}", pay_no=f"P-{i}", pay_code=payer.code) for i in range(3)]
    for receipt in receipts:
        receipt["accounting_date"] = receipt["accounting_date"].isoformat()
    paid = api_as(user_of(payer)).post(
        "/api/v1/customs/payments/batch/", {"owner": seller.pk, "payments": receipts}, format="json"
    )
    assert paid.status_code == 201, paid.json()
    assert [r["pay_no"] for r in paid.json()["payments"]] == ["P-0", "P-1", "P-2"]
    assert set(Payment.objects.values_list("owner", "filer", "party")) == {(seller.pk, payer.pk, payer.pk)}
    shipped = api_as(user_of(logistics)).post(
        "/api/v1/customs/waybills/batch/",
        {"waybills": [waybill_data(logistics_no=f"WB-{i}") for i in range(3)], "submit": False},
        format="json",
    )
    assert shipped.status_code == 201, shipped.json()
    assert [(r["logistics_code"], r["logistics_no"]) for r in shipped.json()["waybills"]] == [
        (LOGISTICS_CODE, f"WB-{i}") for i in range(3)
    ]
    assert set(Waybill.objects.values_list("status", flat=True)) == {"DRAFT"}


def test_the_openapi_documents_the_three_batches(seller_api):
    schema = seller_api.get("/api/schema/", {"format": "json"}).json()
    for name, key in (("orders", "orders"), ("payments", "payments"), ("waybills", "waybills")):
        post = schema["paths"][f"/api/v1/customs/{name}/batch/"]["post"]
        assert "10,000" in post["description"]
        ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        assert key in schema["components"]["schemas"][ref]["properties"]


def test_the_batch_paths_have_their_own_body_cap(settings):
    for name in ("orders", "payments", "waybills"):
        assert settings.REQUEST_BODY_MAX_BYTES_BY_PATH[f"/api/v1/customs/{name}/batch/"] >= 30 * 2**20


# --- CEB XML bodies -----------------------------------------------------------------------------------------
def ceb(message_type: str, payloads_, prolog: bytes = b"") -> bytes:
    """A CEB file of these payloads as the portal itself sends them (guid, BaseTransfer and all)."""
    from types import SimpleNamespace

    from exchange.payloads import ceb_body

    messages = [SimpleNamespace(payload=p, message_id=f"G{i:035d}") for i, p in enumerate(payloads_)]
    sender = SimpleNamespace(code="91330100MA2XXXXX0X", name_cn="发送方")
    body = ceb_body(
        envelope_id="E1", message_type=message_type, messages=messages, sender=sender, dxp_id="DXP1"
    )
    return body.replace(b"<?xml version='1.0' encoding='UTF-8'?>", prolog) if prolog else body


def order_payloads(n, start=0, **head):
    from types import SimpleNamespace

    from customs.payloads import order_payload

    return [
        order_payload(
            SimpleNamespace(**order_head(order_no=f"SO-X{i:05d}", **head), note="", order_type="E"),
            [SimpleNamespace(**order_item(), gnum=1, item_describe="", bar_code="", note="")],
        )
        for i in range(start, start + n)
    ]


def test_a_ceb303_file_of_many_orders_is_a_batch(seller_api):
    body = ceb("CEB303Message", order_payloads(3))
    response = seller_api.post(ORDERS, body, content_type="application/xml")
    assert response.status_code == 201, response.json()
    assert [r["order_no"] for r in response.json()["orders"]] == [f"SO-X{i:05d}" for i in range(3)]
    order = Order.objects.get(order_no="SO-X00001")
    assert order.status == "SUBMITTED" and order.items.get().item_no == "SKU-1"
    again = seller_api.post(ORDERS + "?submit=false", body, content_type="text/xml")
    assert again.status_code == 200 and again.json()["unchanged"] == 3


def test_a_bad_node_in_a_ceb_file_is_named_by_its_position(seller_api):
    bad = order_payloads(3)
    bad[1]["parts"][1]["fields"] = [
        f if f[0] != "price" else ["price", "abc"] for f in bad[1]["parts"][1]["fields"]
    ]
    response = seller_api.post(ORDERS, ceb("CEB303Message", bad), content_type="application/xml")
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} >= {"orders[1].items[0].price"}
    assert Order.objects.count() == 0


BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
)
XXE = b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize("prolog", [BOMB, XXE], ids=["entity-expansion", "external-entity"])
def test_a_hostile_ceb_file_is_refused_before_anything(seller_api, prolog):
    response = seller_api.post(
        ORDERS, ceb("CEB303Message", order_payloads(1), prolog), content_type="application/xml"
    )
    assert response.status_code == 400 and response.json()["code"] == "dtd"
    assert Order.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "code"),
    [(b"<not-closed", "xml_broken"), (b"", "required"), (b"<CEB303Message/>", "required")],
    ids=["broken", "empty", "no-nodes"],
)
def test_a_ceb_file_that_is_not_a_batch_says_why(seller_api, body, code):
    response = seller_api.post(
        ORDERS, body, content_type="application/xml", headers={"accept-language": "en"}
    )
    assert response.status_code == 400 and response.json()["code"] == code, response.json()


def test_receipts_waybills_and_lists_come_as_ceb_files_too(seller, seller_user, payer, logistics, api_as):
    from types import SimpleNamespace

    from customs.models import InventoryList
    from customs.payloads import payment_payload, waybill_payload
    from tests.customs.imports_kit import ceb603

    receipts = [
        payment_payload(SimpleNamespace(**payment_data(order_no=f"SO-{i}", pay_no=f"P-{i}"), note=""))
        for i in range(2)
    ]
    paid = api_as(user_of(payer)).post(
        f"/api/v1/customs/payments/batch/?owner={seller.pk}",
        ceb("CEB403Message", receipts),
        content_type="application/xml",
    )
    assert paid.status_code == 201, paid.json()
    assert Payment.objects.get(pay_no="P-1").accounting_date.isoformat().startswith("2025-03-02")
    bills = [
        waybill_payload(SimpleNamespace(**waybill_data(logistics_no=f"WB-{i}"), note="", ebc_telephone=""))
        for i in range(2)
    ]
    shipped = api_as(user_of(logistics)).post(
        "/api/v1/customs/waybills/batch/", ceb("CEB505Message", bills), content_type="application/xml"
    )
    assert shipped.status_code == 201 and Waybill.objects.count() == 2
    give_standing(seller)
    lists = api_as(seller_user).post(
        "/api/v1/customs/inventory-lists/batch/", ceb603(2), content_type="application/xml"
    )
    assert lists.status_code == 201, lists.json()
    assert InventoryList.objects.count() == 2
