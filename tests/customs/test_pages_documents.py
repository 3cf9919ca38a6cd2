"""Order, payment-receipt and waybill pages: the same index, form, detail and actions as the lists."""

import pytest
from django.urls import reverse

from customs import services
from customs.choices import DocStatus
from customs.models import Order, Payment, Waybill
from tests.customs.builders import order_head, order_item, payment_data, waybill_data
from tests.customs.parties import enterprise, user_of

pytestmark = pytest.mark.django_db


def formset(lines: list[dict]) -> dict:
    data = {"items-TOTAL_FORMS": str(len(lines)), "items-INITIAL_FORMS": "0"}
    for i, line in enumerate(lines):
        data.update({f"items-{i}-{k}": v for k, v in line.items()})
    return data


def test_an_order_is_filed_from_the_form_and_sent_from_its_page(client, seller_user):
    client.force_login(seller_user)
    head = {k: v for k, v in order_head().items() if k not in ("ebc_code", "ebc_name")}
    response = client.post(reverse("customs:orders-new"), {**head, **formset([order_item()]), "save": "1"})
    order = Order.objects.get()
    assert response.status_code == 302 and order.items.count() == 1 and order.status == DocStatus.DRAFT
    client.post(reverse("customs:orders-action", args=[order.pk, "submit"]))
    order.refresh_from_db()
    assert order.status == DocStatus.SUBMITTED
    page = client.get(reverse("customs:orders"))
    assert [d.pk for d, *_ in page.context["rows"]] == [order.pk]
    assert client.get(reverse("customs:orders-detail", args=[order.pk])).status_code == 200


def test_a_payment_receipt_with_a_bad_amount_is_refused_on_its_field(client, seller_user):
    client.force_login(seller_user)
    data = {k: v for k, v in payment_data().items() if k not in ("ebc_code", "ebc_name")}
    data["accounting_date"] = "2025-03-02T10:00"
    response = client.post(reverse("customs:payments-new"), {**data, "charge": "abc", "save": "1"})
    assert response.status_code == 200 and response.context["form"].errors["charge"]
    assert not Payment.objects.exists()
    response = client.post(reverse("customs:payments-new"), {**data, "save": "1"})
    assert response.status_code == 302 and Payment.objects.get().charge == 60


def test_a_waybill_is_filed_and_withdrawn_by_its_logistics_enterprise(client, logistics):
    user = user_of(logistics)
    client.force_login(user)
    data = {k: v for k, v in waybill_data().items() if k not in ("logistics_code", "logistics_name")}
    response = client.post(reverse("customs:waybills-new"), {**data, "save": "1"})
    waybill = Waybill.objects.get()
    assert response.status_code == 302 and waybill.owner_id == logistics.pk
    client.post(reverse("customs:waybills-action", args=[waybill.pk, "withdraw"]))
    waybill.refresh_from_db()
    assert waybill.status == DocStatus.WITHDRAWN


def test_documents_of_another_enterprise_are_404(client, seller_user):
    order = services.order_create(
        owner=seller_user.organisation, by=seller_user, head=order_head(), items=[order_item()]
    )
    client.force_login(user_of(enterprise("3301960066")))
    assert client.get(reverse("customs:orders-detail", args=[order.pk])).status_code == 404
    assert client.post(reverse("customs:orders-action", args=[order.pk, "withdraw"])).status_code == 404
    order.refresh_from_db()
    assert order.status == DocStatus.DRAFT


def test_officers_read_documents_but_act_on_none(client, seller_user, customs_officer):
    order = services.order_create(
        owner=seller_user.organisation, by=seller_user, head=order_head(), items=[order_item()]
    )
    client.force_login(customs_officer)
    # A draft is the enterprise's own business; once sent, officers read it and may not act on it.
    assert client.get(reverse("customs:orders-detail", args=[order.pk])).status_code == 404
    type(order).objects.filter(pk=order.pk).update(status=DocStatus.DECLARED)
    response = client.get(reverse("customs:orders-detail", args=[order.pk]))
    assert response.status_code == 200 and not response.context["can_submit"]
    assert client.post(reverse("customs:orders-action", args=[order.pk, "withdraw"])).status_code == 403
    assert client.get(reverse("customs:orders")).status_code == 403
