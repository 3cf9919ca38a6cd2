"""What the kit does not say about the customs API: the checks report in the caller's language, field
errors, the batch (atomic, idempotent, 10,000 at most), who may file for whom, hostile values, filters, and
the OpenAPI description."""

import pytest
from django.utils import timezone

from customs import services
from customs.choices import DocumentType
from customs.models import InventoryItem, InventoryList
from exchange.models import Message
from portal.models import AuditEvent
from tests import factories
from tests.customs.api_kit import api_list_head, give_standing, make_list
from tests.customs.builders import PLATFORM_CODE, item, order_head, order_item
from tests.customs.parties import user_of

pytestmark = pytest.mark.django_db
URL = "/api/v1/customs/inventory-lists/"
BATCH = URL + "batch/"


def row(**head):
    items = head.pop("items", None)
    return {**api_list_head(**head), "items": items if items is not None else [item()]}


def written():
    return (
        InventoryList.objects.count(),
        InventoryItem.objects.count(),
        Message.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def seller_api(seller_user, api_as):
    give_standing(seller_user.organisation)
    return api_as(seller_user)


def errors_by_field(response) -> dict:
    body = response.json()
    return {e["field"]: e for e in body["errors"]}


# --- the checks report --------------------------------------------------------------------------------------
def test_the_detail_says_why_customs_would_reject_in_the_callers_language(seller_api):
    created = seller_api.post(URL, row(gross_weight="0"), format="json")
    assert created.status_code == 201, created.json()
    url = f"{URL}{created.json()['id']}/"
    zh = seller_api.get(url, headers={"accept-language": "zh-hans"}).json()
    en = seller_api.get(url, headers={"accept-language": "en"}).json()
    assert zh["check_state"] == "error"
    v1_zh = next(c for c in zh["checks"] if c["code"] == "V1")
    v1_en = next(c for c in en["checks"] if c["code"] == "V1")
    assert v1_zh["field"] == v1_en["field"] == "gross_weight"
    assert v1_zh["message"] == "毛重必须大于0千克。"
    assert v1_en["message"] == "The gross weight must be more than 0 kg."
    refused = seller_api.post(f"{url}submit/", headers={"accept-language": "en"})
    assert refused.status_code == 400 and "gross_weight" in errors_by_field(refused)
    assert InventoryList.objects.get().status == "DRAFT"


def test_a_bad_line_value_is_a_field_error_naming_the_line(seller_api):
    response = seller_api.post(
        URL, row(items=[item(price="abc")]), format="json", headers={"accept-language": "en"}
    )
    assert response.status_code == 400
    error = errors_by_field(response)["items[0].price"]
    assert "line 1" in error["message"]
    assert not InventoryList.objects.exists()


@pytest.mark.parametrize(
    ("line", "field", "code"),
    [
        (item(price="-30", total_price="-60"), "items[0].price", "negative"),
        (item(qty="123456789012345678901"), "items[0].qty", "too_large"),
        (item(price="30.123456"), "items[0].price", "decimals"),
    ],
    ids=["negative", "20-digits", "six-places"],
)
def test_decimal_edge_cases_are_refused_by_field(seller_api, line, field, code):
    response = seller_api.post(URL, row(items=[line]), format="json")
    assert response.status_code == 400, response.json()
    assert errors_by_field(response)[field]["code"] == code
    assert not InventoryList.objects.exists()


def test_money_rounds_half_up(seller_api):
    response = seller_api.post(URL, row(items=[item(total_price="60.005")]), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["items"][0]["total_price"] == "60.01000"


# --- the batch ----------------------------------------------------------------------------------------------
def test_a_batch_creates_every_list_and_a_retry_creates_nothing_twice(seller_api):
    lists = [row() for _ in range(3)]
    first = seller_api.post(BATCH, {"lists": lists}, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["created"] == 3
    ids = [r["id"] for r in first.json()["lists"]]
    assert set(InventoryList.objects.values_list("status", flat=True)) == {"SUBMITTED"}
    before = written()
    again = seller_api.post(BATCH, {"lists": lists}, format="json")
    assert again.status_code == 200
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 3)
    assert [r["id"] for r in again.json()["lists"]] == ids
    assert written() == before


def test_one_bad_list_refuses_the_batch_with_errors_by_index_and_field(seller_api):
    lists = [row(), row(items=[item(price="x")]), row(gross_weight="")]
    response = seller_api.post(BATCH, {"lists": lists}, format="json", headers={"accept-language": "en"})
    assert response.status_code == 400
    fields = errors_by_field(response)
    assert "lists[1].items[0].price" in fields and "lists[2].gross_weight" in fields
    assert not any(f.startswith("lists[0]") for f in fields)
    assert written() == (0, 0, 0, 0)


def test_10001_lists_are_refused_before_anything_is_read(seller_api):
    response = seller_api.post(BATCH, {"lists": [{}] * 10_001}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "too_many" and response.json()["field"] == "lists"
    assert written() == (0, 0, 0, 0)


@pytest.mark.parametrize("body", [[], {"lists": []}, {"lists": "x"}, {"lists": [row()], "submit": "yes"}])
def test_a_batch_of_the_wrong_shape_is_a_400(seller_api, body):
    response = seller_api.post(BATCH, body, format="json")
    assert response.status_code == 400, response.json()
    assert written() == (0, 0, 0, 0)


def test_the_same_order_twice_in_a_batch_is_refused(seller_api):
    lists = [row(order_no="SO-1"), row(order_no="SO-1")]
    response = seller_api.post(BATCH, {"lists": lists}, format="json")
    assert response.status_code == 400
    assert errors_by_field(response)["lists[1].order_no"]["code"] == "taken"
    assert written() == (0, 0, 0, 0)


def test_an_order_already_declared_is_refused(seller_api):
    assert seller_api.post(URL, {**row(order_no="SO-9"), "submit": True}, format="json").status_code == 201
    before = written()
    response = seller_api.post(URL, {**row(order_no="SO-9"), "submit": True}, format="json")
    assert response.status_code == 400
    assert errors_by_field(response)["order_no"]["code"] == "taken"
    batch = seller_api.post(BATCH, {"lists": [row(order_no="SO-9")]}, format="json")
    assert errors_by_field(batch)["lists[0].order_no"]["code"] == "taken"
    assert written() == before


def test_a_list_for_another_enterprises_order_is_refused(seller_api, api_as):
    other = user_of(give_standing(factories.EnterpriseFactory(), "3301960099"))
    head = order_head(order_no="SO-THEIRS", ebp_code=PLATFORM_CODE)
    head.pop("ebc_code")
    services.order_create(owner=other.organisation, by=other, head=head, items=[order_item()])
    before = written()
    single = seller_api.post(URL, {**row(order_no="SO-THEIRS"), "submit": True}, format="json")
    assert single.status_code == 400
    assert errors_by_field(single)["order_no"]["code"] == "other_enterprise"
    batch = seller_api.post(BATCH, {"lists": [row(), row(order_no="SO-THEIRS")]}, format="json")
    assert errors_by_field(batch)["lists[1].order_no"]["code"] == "other_enterprise"
    assert written() == before


# --- agents -------------------------------------------------------------------------------------------------
def test_an_agent_files_only_for_a_seller_that_authorised_it_and_not_after_revocation(
    seller_user, broker, authorise, api_as
):
    give_standing(seller_user.organisation)
    agent = api_as(user_of(broker))
    seller = seller_user.organisation
    refused = agent.post(URL, {**row(), "owner": seller.pk}, format="json")
    assert refused.status_code == 400 and refused.json()["field"] == "owner"
    batch = agent.post(BATCH, {"owner": seller.pk, "lists": [row()]}, format="json")
    assert batch.status_code == 400 and batch.json()["field"] == "owner"
    assert written() == (0, 0, 0, 0)

    grant = authorise(seller, broker, DocumentType.INVENTORY)
    created = agent.post(URL, {**row(), "owner": seller.pk}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["owner"] == seller.pk and created.json()["filer"] == broker.pk
    assert agent.post(BATCH, {"owner": seller.pk, "lists": [row()]}, format="json").status_code == 201
    assert agent.get(URL).json()["count"] == 2

    grant.revoked_at = timezone.now()
    grant.save()
    before = written()
    assert agent.post(BATCH, {"owner": seller.pk, "lists": [row()]}, format="json").status_code == 400
    assert agent.get(f"{URL}{created.json()['id']}/").status_code == 404
    assert agent.post(f"{URL}{created.json()['id']}/submit/").status_code == 404
    assert agent.get(URL).json()["count"] == 0
    assert written() == before


# --- filters ------------------------------------------------------------------------------------------------
def test_filters_by_status_and_business_keys(seller_user, seller_api):
    draft = make_list(seller_user, order_no="SO-F1")
    sent = make_list(seller_user, order_no="SO-F2", submit=True)
    assert [r["id"] for r in seller_api.get(URL, {"status": "DRAFT"}).json()["results"]] == [draft.pk]
    assert [r["id"] for r in seller_api.get(URL, {"order_no": "SO-F2"}).json()["results"]] == [sent.pk]
    assert [r["id"] for r in seller_api.get(URL, {"cop_no": draft.cop_no}).json()["results"]] == [draft.pk]
    assert [r["id"] for r in seller_api.get(URL, {"before_id": sent.pk}).json()["results"]] == [draft.pk]
    bad = seller_api.get(URL, {"status": "NOPE"})
    assert bad.status_code == 400 and bad.json()["field"] == "status"


def test_openapi_documents_the_customs_documents(seller_api):
    schema = seller_api.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for name in ("orders", "payments", "waybills", "inventory-lists"):
        assert f"/api/v1/customs/{name}/" in paths
        assert f"/api/v1/customs/{name}/{{id}}/submit/" in paths
    batch = paths["/api/v1/customs/inventory-lists/batch/"]["post"]
    assert "10,000" in batch["description"]
    assert "items" in schema["components"]["schemas"]["ListCreateInputRequest"]["properties"]


def test_a_batch_body_over_the_forms_5_mb_is_read_and_answered(seller_api):
    body = {"lists": [{}] * 10_001, "padding": "x" * (6 * 2**20)}  # over DATA_UPLOAD_MAX_MEMORY_SIZE
    response = seller_api.post(BATCH, body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "too_many"


def test_a_batch_that_is_not_json_is_a_400(seller_api):
    response = seller_api.post(BATCH, b"{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


def test_the_batch_path_has_its_own_body_cap(settings):
    assert settings.REQUEST_BODY_MAX_BYTES_BY_PATH["/api/v1/customs/inventory-lists/batch/"] >= 30 * 2**20


@pytest.mark.parametrize(
    "bad",
    [
        {"items": "x"},
        {"items": [1, "a"]},
        {"items": None},
        {"gross_weight": [1]},
        {"gross_weight": {"a": 1}},
        {"cop_no": 12.5},
        {"ie_date": True},
        {"items": [{"qty": [], "price": {}}]},
    ],
    ids=["items-text", "items-scalars", "items-null", "list-value", "object-value", "float-ref", "bool-date",
         "line-containers"],
)  # fmt: skip
def test_odd_shapes_in_a_batch_are_400_never_500(seller_api, bad):
    response = seller_api.post(BATCH, {"lists": [row(), {**row(), **bad}]}, format="json")
    assert response.status_code == 400, response.content[:500]
    assert all(e["field"].startswith("lists[1]") for e in response.json()["errors"]), response.json()
    assert written() == (0, 0, 0, 0)


@pytest.mark.parametrize("owner", ["abc", 1.5, True, [1]])
def test_an_owner_that_is_not_an_id_is_a_400(seller_api, owner):
    response = seller_api.post(BATCH, {"owner": owner, "lists": [row()]}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "owner"
