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
from tests.customs.builders import PLATFORM_CODE, item, list_head, order_head, order_item
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


# --- keyset pages -------------------------------------------------------------------------------------------
def test_the_list_pages_by_key_newest_first_and_back(seller_user, seller_api):
    made = [make_list(seller_user).pk for _ in range(5)]
    first = seller_api.get(URL, {"page_size": 2}).json()
    assert [r["id"] for r in first["results"]] == made[:2:-1]
    assert (first["count"], first["count_more"], first["previous"]) == (5, False, None)
    second = seller_api.get(first["next"]).json()
    assert [r["id"] for r in second["results"]] == [made[2], made[1]]
    third = seller_api.get(second["next"]).json()
    assert [r["id"] for r in third["results"]] == [made[0]] and third["next"] is None
    back = seller_api.get(second["previous"]).json()
    assert [r["id"] for r in back["results"]] == made[:2:-1] and back["previous"] is None
    oldest = seller_api.get(URL, {"page_size": 2, "ordering": "id"}).json()
    assert [r["id"] for r in oldest["results"]] == made[:2]
    assert [r["id"] for r in seller_api.get(oldest["next"]).json()["results"]] == made[2:4]
    other = seller_api.get(URL, {"page_size": 2, "ordering": "submitted_at"})
    assert other.status_code == 400 and other.json()["field"] == "ordering", "only ids order keyset pages"


def test_the_list_count_stops_at_the_cap(seller_user, seller_api, monkeypatch):
    monkeypatch.setattr("customs.selectors.pages.COUNT_CAP", 3)
    for _ in range(5):
        make_list(seller_user)
    body = seller_api.get(URL, {"page_size": 2}).json()
    assert (body["count"], body["count_more"], len(body["results"])) == (3, True, 2)
    whole = seller_api.get(URL, {"page_size": 10}).json()
    assert (whole["count"], whole["count_more"], len(whole["results"])) == (5, False, 5)


def test_a_page_key_that_is_not_an_id_is_a_400(seller_api):
    for name in ("after", "before"):
        response = seller_api.get(URL, {name: "12abc"}, headers={"accept-language": "en"})
        assert response.status_code == 400 and response.json()["field"] == name, response.json()
        assert "whole number" in response.json()["message"]
    numbered = seller_api.get(URL, {"page": 2}, headers={"accept-language": "en"})
    assert numbered.status_code == 400 and numbered.json()["field"] == "page"
    # Another order would be silently ignored by the pages by id: it is refused, in the caller's language.
    other_order = seller_api.get(URL, {"ordering": "-submitted_at"}, headers={"accept-language": "en"})
    assert other_order.status_code == 400 and other_order.json()["field"] == "ordering"
    assert "ordered by id only" in other_order.json()["message"]
    assert seller_api.get(URL, {"ordering": "id"}).status_code == 200
    assert "next" in numbered.json()["message"]


def test_the_list_queries_do_not_grow_with_its_rows(seller_user, seller_api):
    """A page in the middle (keys and the capped count) runs the same queries with 5 rows and with 25."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    made = [make_list(seller_user).pk for _ in range(7)]
    key = made[-1]  # the page after the newest: 6 rows left, 5 shown

    def measured():
        with CaptureQueriesContext(connection) as ctx:
            body = seller_api.get(URL, {"after": key, "status": "DRAFT", "page_size": 5}).json()
        return len(ctx), body

    measured()  # the first request fills the user's permission cache
    few, body = measured()
    assert len(body["results"]) == 5 and body["next"] is not None
    made += [make_list(seller_user).pk for _ in range(20)]
    many, body = measured()
    assert len(body["results"]) == 5 and body["count"] == 27
    assert few == many <= 10


def test_an_agent_finds_a_sellers_list_by_order_number_under_either_code(
    seller_user, broker, authorise, api_as
):
    """The order-number lookup leads with the sellers' codes (the index); a list naming its seller by the
    unified social credit code instead of the customs code is found as well."""
    seller = seller_user.organisation
    give_standing(seller)
    authorise(seller, broker, DocumentType.INVENTORY)
    agent_user = user_of(broker)

    def filed(order_no):
        head = list_head(cop_no=order_no, order_no=order_no, agent_code="")
        return services.list_create(owner=seller, by=agent_user, head=head, items=[item()])

    by_customs_code, by_uscc = filed("SO-K1"), filed("SO-K2")
    InventoryList.objects.filter(pk=by_uscc.pk).update(ebc_code=seller.code)  # codes_of: either code
    agent = api_as(agent_user)
    for inventory in (by_customs_code, by_uscc):
        rows = agent.get(URL, {"order_no": inventory.order_no}).json()["results"]
        assert [r["id"] for r in rows] == [inventory.pk]


def test_openapi_documents_the_keyset_pages(seller_api):
    schema = seller_api.get("/api/schema/", {"format": "json"}).json()
    listing = schema["paths"][URL]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"after", "before", "page_size"} <= names and "page" not in names
    ref = listing["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    page = schema["components"]["schemas"][ref]
    assert {"count", "count_more", "next", "previous", "results"} <= set(page["properties"])


def test_the_api_list_scope_is_visible_to(seller_user, broker, authorise, customs_officer, api_as):
    """The list endpoint spells the scope out for the indexes; it must be the rows visible_to gives each
    reader — the seller, its agent, an officer (sent lists only) — and an officer's order-number lookup
    is not narrowed to any enterprise's codes."""
    from customs.selectors.pages import documents_visible_to

    seller = seller_user.organisation
    give_standing(seller)
    authorise(seller, broker, DocumentType.INVENTORY)
    agent_user = user_of(broker)
    draft = make_list(seller_user, order_no="SO-V1")
    sent = make_list(seller_user, order_no="SO-V2", submit=True)
    filed = services.list_create(
        owner=seller,
        by=agent_user,
        head=list_head(cop_no="AG-V3", order_no="AG-V3", agent_code=""),
        items=[item()],
    )
    for user in (seller_user, agent_user, customs_officer):
        spelled = set(documents_visible_to(InventoryList, user).values_list("pk", flat=True))
        assert spelled == set(InventoryList.objects.visible_to(user).values_list("pk", flat=True)), user
        listed = {r["id"] for r in api_as(user).get(URL, {"page_size": 500}).json()["results"]}
        assert listed == spelled
    assert spelled == {sent.pk} and draft.pk not in spelled and filed.pk not in spelled  # the officer's
    officer = api_as(customs_officer)
    assert [r["id"] for r in officer.get(URL, {"order_no": "SO-V2"}).json()["results"]] == [sent.pk]
