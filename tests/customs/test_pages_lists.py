"""Inventory-list pages: the index (filters, status counts, keyset pages with a constant number of queries),
the list with its checks and timeline, the form with goods lines, and the actions."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customs import services
from customs.choices import DocStatus, DocumentType
from customs.models import InventoryList
from tests.customs.builders import item, list_head
from tests.customs.parties import enterprise, user_of

pytestmark = pytest.mark.django_db


def make(user, n=1, owner=None, items=None, **head):
    made = []
    for i in range(n):
        made.append(
            services.list_create(
                owner=owner or user.organisation,
                by=user,
                head=list_head(
                    **{
                        "cop_no": f"COP-{i:04d}",
                        "order_no": f"SO-{i:04d}",
                        "logistics_no": f"WB{i:04d}",
                        **head,
                    }
                ),
                items=items or [item()],
            )
        )
    return made


def post_lines(head: dict, lines: list[dict], **extra) -> dict:
    data = {f"{k}": v for k, v in head.items()}
    data.update(
        {
            "items-TOTAL_FORMS": str(len(lines)),
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
        }
    )
    for i, line in enumerate(lines):
        for k, v in line.items():
            data[f"items-{i}-{k}"] = v
    data.update(extra)
    return data


FORM_HEAD = {
    k: v
    for k, v in list_head().items()
    if k not in ("ebc_code", "ebc_name", "agent_code", "agent_name", "owner_code", "owner_name", "trade_mode")
}
FORM_LINE = dict(item().items())


def test_the_index_shows_the_lists_with_counts_per_status(client, seller_user):
    lists = make(seller_user, 3)
    services.list_withdraw(inventory=lists[0], by=seller_user)
    client.force_login(seller_user)
    response = client.get(reverse("customs:lists"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "COP-0001" in body and "COP-0002" in body
    assert 'data-status="DRAFT"' in body
    counts = {s: (n, more) for s, _label, n, more in response.context["counts"]}
    assert counts == {DocStatus.DRAFT: (2, False), DocStatus.WITHDRAWN: (1, False)}
    response = client.get(reverse("customs:lists"), {"status": "WITHDRAWN"})
    assert [d.pk for d, *_ in response.context["rows"]] == [lists[0].pk]
    response = client.get(reverse("customs:lists"), {"number": "SO-0002"})
    assert [d.pk for d, *_ in response.context["rows"]] == [lists[2].pk]
    InventoryList.objects.filter(pk=lists[1].pk).update(invt_no="29012025E000000007")
    for number in ("COP-0001", "29012025E000000007"):
        response = client.get(reverse("customs:lists"), {"number": number})
        assert [d.pk for d, *_ in response.context["rows"]] == [lists[1].pk]


def test_the_index_pages_by_key_with_a_constant_number_of_queries(client, seller_user, monkeypatch):
    monkeypatch.setattr("customs.selectors.pages.PAGE_SIZE", 2)
    lists = make(seller_user, 5)
    client.force_login(seller_user)
    url = reverse("customs:lists")
    first = client.get(url)
    assert [d.pk for d, *_ in first.context["rows"]] == [lists[4].pk, lists[3].pk]
    older = first.context["page"].older
    second = client.get(url, {"after": older})
    assert [d.pk for d, *_ in second.context["rows"]] == [lists[2].pk, lists[1].pk]
    back = client.get(url, {"before": second.context["page"].newer})
    assert [d.pk for d, *_ in back.context["rows"]] == [lists[4].pk, lists[3].pk]
    with CaptureQueriesContext(connection) as small:
        client.get(url, {"after": older})
    for i in range(5, 25):
        make(seller_user, 1, cop_no=f"MORE-{i}", order_no=f"SO-M{i}", logistics_no=f"WBM{i}")
    with CaptureQueriesContext(connection) as large:
        client.get(url, {"after": older})
    assert len(large) == len(small)


def test_another_enterprise_gets_404_and_sees_nothing(client, seller_user):
    (inventory,) = make(seller_user)
    stranger = user_of(enterprise("3301960077"))
    client.force_login(stranger)
    assert client.get(reverse("customs:lists-detail", args=[inventory.pk])).status_code == 404
    assert client.get(reverse("customs:lists-edit", args=[inventory.pk])).status_code == 404
    assert client.post(reverse("customs:lists-action", args=[inventory.pk, "submit"])).status_code == 404
    assert not client.get(reverse("customs:lists")).context["rows"]


def test_the_form_saves_a_draft_with_its_lines(client, seller_user):
    client.force_login(seller_user)
    response = client.post(reverse("customs:lists-new"), post_lines(FORM_HEAD, [FORM_LINE], save="1"))
    inventory = InventoryList.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "customs:lists-detail", args=[inventory.pk]
    )
    assert inventory.status == DocStatus.DRAFT and inventory.items.count() == 1
    assert inventory.ebc_code == list_head()["ebc_code"]


def test_a_bad_line_value_comes_back_on_its_input_in_the_users_language_and_saves_nothing(
    client, seller_user
):
    client.force_login(seller_user)
    data = post_lines(FORM_HEAD, [FORM_LINE, {**FORM_LINE, "price": "-1"}], save="1")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("customs:lists-new"), data)
    assert response.status_code == 200
    line = response.context["lines"].forms[1]
    assert line.errors["price"] and not any("\u4e00" <= ch <= "\u9fff" for ch in line.errors["price"][0])
    assert not InventoryList.objects.exists()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = client.post(reverse("customs:lists-new"), data)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.context["lines"].forms[1].errors["price"][0])


def test_the_detail_shows_the_checks_pointing_at_fields(client, seller_user):
    (inventory,) = make(seller_user, gross_weight="0.5", net_weight="1.0", items=[item(total_price="61.00")])
    client.force_login(seller_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("customs:lists-detail", args=[inventory.pk]))
    body = response.content.decode()
    assert "Customs would reject this because" in body
    codes = {p["code"] for p in response.context["problems"]}
    assert "V3" in codes
    assert 'data-code="V3" data-field="net_weight"' in body and "#field-net_weight" in body


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("zh-hans", ("2901 杭州海关", "502 美国", "142 人民币")),
        ("en", ("2901 Hangzhou", "502 United States", "142 Yuan")),
    ],
)
def test_the_detail_names_the_codes_in_the_readers_language(client, seller_user, language, shown):
    """A seller reads "502 美国", not a bare 502: codes with their names from the code lists."""
    (inventory,) = make(seller_user)
    client.force_login(seller_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    body = client.get(reverse("customs:lists-detail", args=[inventory.pk])).content.decode()
    for text in shown:
        assert text in body


def test_send_and_resubmit_from_the_page(client, seller_user):
    (inventory,) = make(seller_user)
    client.force_login(seller_user)
    client.post(reverse("customs:lists-action", args=[inventory.pk, "submit"]))
    inventory.refresh_from_db()
    assert inventory.status == DocStatus.SUBMITTED
    InventoryList.objects.filter(pk=inventory.pk).update(status=DocStatus.REJECTED)
    data = post_lines({**FORM_HEAD, "gross_weight": "1.5"}, [FORM_LINE], send="1")
    response = client.post(reverse("customs:lists-edit", args=[inventory.pk]), data)
    assert response.status_code == 302
    inventory.refresh_from_db()
    assert (inventory.status, inventory.app_type, str(inventory.gross_weight.normalize())) == (
        "SUBMITTED",
        "2",
        "1.5",
    )


def test_the_withdraw_and_copy_actions(client, seller_user):
    (inventory,) = make(seller_user)
    client.force_login(seller_user)
    client.post(reverse("customs:lists-action", args=[inventory.pk, "withdraw"]))
    inventory.refresh_from_db()
    assert inventory.status == DocStatus.WITHDRAWN
    response = client.post(reverse("customs:lists-copy", args=[inventory.pk]), {"cop_no": "COP-NEW"})
    copy = InventoryList.objects.get(cop_no="COP-NEW")
    assert response.status_code == 302 and copy.status == DocStatus.DRAFT and copy.items.count() == 1
    response = client.post(reverse("customs:lists-copy", args=[inventory.pk]), {"cop_no": "COP-NEW"})
    assert response.status_code == 200 and response.context["form"].errors["cop_no"]


def test_held_for_inspection_says_so(client, seller_user):
    (inventory,) = make(seller_user)
    InventoryList.objects.filter(pk=inventory.pk).update(status=DocStatus.INSPECTION)
    client.force_login(seller_user)
    response = client.get(reverse("customs:lists-detail", args=[inventory.pk]))
    assert 'data-testid="held"' in response.content.decode()


def test_an_agent_files_only_for_sellers_that_authorised_it(client, seller, seller_user, broker, authorise):
    agent_user = user_of(broker)
    client.force_login(agent_user)
    form = client.get(reverse("customs:lists-new")).context["seller_form"]
    assert form is None  # no authorisation: only its own enterprise
    authorise(seller, broker, DocumentType.INVENTORY)
    response = client.get(reverse("customs:lists-new"))
    assert [c for c, _ in response.context["seller_form"].fields["owner"].choices] == [broker.pk, seller.pk]
    data = post_lines(FORM_HEAD, [FORM_LINE], save="1", owner=str(seller.pk))
    assert client.post(reverse("customs:lists-new"), data).status_code == 302
    inventory = InventoryList.objects.get()
    assert (inventory.owner_id, inventory.filer_id) == (seller.pk, broker.pk)
    assert client.get(reverse("customs:lists-detail", args=[inventory.pk])).status_code == 200


def test_cancel_with_a_reason_from_the_page(client, seller_user):
    (inventory,) = make(seller_user)
    InventoryList.objects.filter(pk=inventory.pk).update(
        status=DocStatus.CONCLUDED, invt_no="29012025E000000001"
    )
    client.force_login(seller_user)
    url = reverse("customs:lists-cancel", args=[inventory.pk])
    client.post(url, {"reason": ""})
    assert not inventory.cancellations.exists()
    client.post(url, {"reason": "买家取消订单"})
    (cancellation,) = inventory.cancellations.all()
    assert cancellation.reason == "买家取消订单" and cancellation.status == DocStatus.SUBMITTED
    body = client.get(reverse("customs:lists-detail", args=[inventory.pk])).content.decode()
    assert "买家取消订单" in body


def test_a_draft_cannot_be_cancelled_and_the_page_says_why(client, seller_user):
    (inventory,) = make(seller_user)
    client.force_login(seller_user)
    response = client.post(reverse("customs:lists-cancel", args=[inventory.pk]), {"reason": "x"}, follow=True)
    assert response.status_code == 200 and list(response.context["messages"])
    assert not inventory.cancellations.exists()


def test_counts_stop_at_the_cap(client, seller_user, monkeypatch):
    monkeypatch.setattr("customs.selectors.pages.COUNT_CAP", 1)
    make(seller_user, 3)
    client.force_login(seller_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("customs:lists"))
    assert [(s, n, more) for s, _label, n, more in response.context["counts"]] == [(DocStatus.DRAFT, 1, True)]
    assert "(more than 1)" in response.content.decode()


def test_the_index_scope_is_visible_to(seller, seller_user, broker, authorise):
    """The index spells the scope out for the indexes; it must be the rows visible_to gives, no more."""
    from customs.selectors.pages import authorising_sellers_of, enterprise_documents
    from customs.services.authorisations import authorisation_revoke

    agent_user = user_of(broker)
    made = authorise(seller, broker, DocumentType.INVENTORY)
    own = make(seller_user, 2)
    filed = services.list_create(
        owner=seller,
        by=agent_user,
        head=list_head(cop_no="AG-1", order_no="AG-1", agent_code=""),
        items=[item()],
    )
    other = make(user_of(enterprise("3301960088")), 1, ebc_code="", agent_code="", owner_code="")

    def scope(user):
        org = user.organisation
        sellers = [s.pk for s in authorising_sellers_of(org, DocumentType.INVENTORY)]
        return set(enterprise_documents(InventoryList, org, sellers).values_list("pk", flat=True))

    def visible(user):
        return set(InventoryList.objects.visible_to(user).values_list("pk", flat=True))

    assert scope(seller_user) == visible(seller_user) == {x.pk for x in own} | {filed.pk}
    assert scope(agent_user) == visible(agent_user) == {filed.pk}
    authorisation_revoke(authorisation=made, by=seller_user)
    assert scope(agent_user) == visible(agent_user) == set()
    assert other[0].pk not in scope(seller_user)


def test_the_status_counts_are_one_query(client, seller_user):
    lists = make(seller_user, 4)
    services.list_withdraw(inventory=lists[0], by=seller_user)
    services.list_submit(inventory=lists[1], by=seller_user)
    client.force_login(seller_user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("customs:lists"))
    sql = [q["sql"] for q in ctx.captured_queries]
    counting = [q for q in sql if "COUNT(" in q and "customs_inventorylist" in q]
    assert len(counting) == 1, counting
    counts = {s: n for s, _label, n, _more in response.context["counts"]}
    assert counts == {DocStatus.DRAFT: 2, DocStatus.WITHDRAWN: 1, DocStatus.SUBMITTED: 1}


def test_a_number_that_names_no_list_shows_nothing_and_no_counts(client, seller_user):
    make(seller_user, 2)
    client.force_login(seller_user)
    response = client.get(reverse("customs:lists"), {"number": "NO-SUCH-NUMBER"})
    assert response.status_code == 200
    assert response.context["rows"] == [] and response.context["counts"] == []
