"""Customs officers' pages: every enterprise's lists by status, enterprise, port and period; the rejected and
unmatched queues; rejection rates in one GROUP BY; overdue summaries from registration's calendar."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from customs import services
from customs.choices import DocStatus
from customs.models import InventoryList
from customs.selectors.officer import overdue_summaries, rejection_rates, unmatched_lists
from portal.models import Organisation
from registration.choices import CalendarKind
from registration.models import HolidayCalendar
from tests.customs.builders import (
    SELLER_CODE,
    item,
    list_head,
    order_head,
    order_item,
    payment_data,
    waybill_data,
)
from tests.customs.parties import enterprise, user_of

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def make(user, i, owner=None, status=DocStatus.DECLARED, **head):
    """A list as customs has it (accepted by China E-Port unless ``status`` says otherwise)."""
    made = services.list_create(
        owner=owner or user.organisation,
        by=user,
        head=list_head(cop_no=f"C{i}", order_no=f"SO-{i}", logistics_no=f"WB{i}", **head),
        items=[item()],
    )
    InventoryList.objects.filter(pk=made.pk).update(status=status)
    made.status = status
    return made


def test_officers_see_every_enterprises_lists_filtered(client, seller_user, customs_officer):
    other = user_of(enterprise("3301960033"))
    mine = make(seller_user, 1)
    theirs = make(other, 2, ebc_code="", agent_code="", owner_code="", port_code="2991")
    client.force_login(customs_officer)
    url = reverse("customs:officer-lists")
    ids = lambda r: [d.pk for d in r.context["page"]]  # noqa: E731
    assert ids(client.get(url)) == [theirs.pk, mine.pk]
    assert ids(client.get(url, {"enterprise": SELLER_CODE})) == [mine.pk]
    assert ids(client.get(url, {"enterprise": other.organisation.code})) == [theirs.pk]
    assert ids(client.get(url, {"port": "2991"})) == [theirs.pk]
    assert ids(client.get(url, {"date_from": "2025-03-04"})) == []
    assert ids(client.get(url, {"status": "DECLARED", "date_to": "2025-03-03"})) == [theirs.pk, mine.pk]


def test_officers_do_not_see_what_an_enterprise_never_sent(client, seller_user, customs_officer):
    """Drafts and discarded drafts are the enterprise's own business: not in the officers' pages, their
    counts, their status filter, the API, or a detail page."""
    sent = make(seller_user, 1)
    draft = make(seller_user, 2, status=DocStatus.DRAFT)
    withdrawn = make(seller_user, 3, status=DocStatus.WITHDRAWN)
    client.force_login(customs_officer)
    response = client.get(reverse("customs:officer-lists"))
    assert [d.pk for d in response.context["page"]] == [sent.pk]
    assert [(status, n) for status, _label, n, _more in response.context["counts"]] == [("DECLARED", 1)]
    assert client.get(reverse("customs:officer-lists"), {"status": "DRAFT"}).context["form"].errors
    api = client.get("/api/v1/customs/inventory-lists/").json()
    assert [row["id"] for row in api["results"]] == [sent.pk]
    for hidden in (draft, withdrawn):
        assert client.get(reverse("customs:lists-detail", args=[hidden.pk])).status_code == 404
        assert client.get(f"/api/v1/customs/inventory-lists/{hidden.pk}/").status_code == 404
    assert client.get(reverse("customs:lists-detail", args=[sent.pk])).status_code == 200


def test_officer_pages_are_for_officers_only(client, seller_user):
    client.force_login(seller_user)
    for name in (
        "officer-lists",
        "officer-rejected",
        "officer-unmatched",
        "officer-rates",
        "officer-overdue",
    ):
        assert client.get(reverse(f"customs:{name}")).status_code == 403


def test_the_rejected_queue(client, seller_user, customs_officer):
    a, _b = make(seller_user, 1), make(seller_user, 2)
    InventoryList.objects.filter(pk=a.pk).update(status=DocStatus.REJECTED, customs_info="商品编码错误")
    client.force_login(customs_officer)
    response = client.get(reverse("customs:officer-rejected"))
    assert [d.pk for d in response.context["page"]] == [a.pk]
    assert "商品编码错误" in response.content.decode()


def test_the_unmatched_queue_names_what_is_missing(client, seller_user, logistics, customs_officer):
    a, b = make(seller_user, 1), make(seller_user, 2)
    InventoryList.objects.filter(pk__in=[a.pk, b.pk]).update(status=DocStatus.DECLARED)
    org = seller_user.organisation
    services.order_create(owner=org, by=seller_user, head=order_head(order_no="SO-2"), items=[order_item()])
    services.payment_create(owner=org, by=seller_user, data=payment_data(order_no="SO-2"))
    services.waybill_create(owner=logistics, by=user_of(logistics), data=waybill_data(logistics_no="WB2"))
    rows = list(unmatched_lists())
    assert [(r.pk, r.has_order, r.has_payment, r.has_waybill) for r in rows] == [(a.pk, False, False, False)]
    client.force_login(customs_officer)
    response = client.get(reverse("customs:officer-unmatched"))
    assert [d.pk for d in response.context["page"]] == [a.pk]


def test_rejection_rates_in_one_query(client, seller_user, customs_officer):
    other = user_of(enterprise("3301960022"))
    theirs = make(other, 10, ebc_code="", agent_code="", owner_code="")
    lists = [make(seller_user, i) for i in range(4)] + [theirs]
    InventoryList.objects.filter(pk__in=[x.pk for x in lists]).update(
        status=DocStatus.DECLARED, submitted_at=datetime(2025, 3, 3, 10, tzinfo=SHANGHAI)
    )
    InventoryList.objects.filter(pk=lists[0].pk).update(status=DocStatus.REJECTED)
    InventoryList.objects.filter(pk=lists[1].pk).update(app_type="2")
    InventoryList.objects.filter(pk=lists[4].pk).update(status=DocStatus.REJECTED)
    with CaptureQueriesContext(connection) as ctx:
        rates = rejection_rates(date_from=date(2025, 3, 1), date_to=date(2025, 3, 31))
    assert len(ctx) == 1
    assert [(r.owner_id, r.sent, r.rejected, str(r.percent)) for r in rates] == [
        (other.organisation_id, 1, 1, "100.0"),
        (seller_user.organisation_id, 4, 2, "50.0"),
    ]
    assert rejection_rates(date_from=date(2025, 4, 1)) == []
    client.force_login(customs_officer)
    assert client.get(reverse("customs:officer-rates")).status_code == 200
    # Enterprise names in the reader's language (the Chinese name when there is no English one).
    Organisation.objects.filter(pk=other.organisation_id).update(name_en="Other Trading Co.")
    rates = {r.owner_id: r.name for r in rejection_rates(date_from=date(2025, 3, 1))}
    assert rates[other.organisation_id] == other.organisation.name_cn
    with translation.override("en"):
        rates = {r.owner_id: r.name for r in rejection_rates(date_from=date(2025, 3, 1))}
    assert rates[other.organisation_id] == "Other Trading Co."
    seller = seller_user.organisation
    assert rates[seller.pk] == (seller.name_en or seller.name_cn)


def test_overdue_summaries_follow_the_calendar(client, seller_user, customs_officer):
    inventory = make(seller_user, 1)
    closed = datetime(2026, 9, 20, 12, tzinfo=SHANGHAI)
    InventoryList.objects.filter(pk=inventory.pk).update(status=DocStatus.CLOSED, closed_at=closed)
    # 15 October 2026 is a Thursday; make it a holiday (and the 16th): the deadline moves to Monday the 19th.
    for day in (15, 16):
        HolidayCalendar.objects.update_or_create(
            date=date(2026, 10, day), defaults={"kind": CalendarKind.HOLIDAY}
        )
    assert overdue_summaries(today=date(2026, 10, 19)) == []
    (month,) = overdue_summaries(today=date(2026, 10, 20))
    assert (month.owner_id, month.month, month.deadline, month.lists) == (
        seller_user.organisation_id,
        date(2026, 9, 1),
        date(2026, 10, 19),
        1,
    )
    client.force_login(customs_officer)
    assert client.get(reverse("customs:officer-overdue")).status_code == 200
    assert client.get(reverse("customs:officer-declarations")).status_code == 200
