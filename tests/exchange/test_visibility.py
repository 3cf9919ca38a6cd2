"""Who sees which messages: the sender organisation, the addressed department's officers, administrators."""

import pytest

from exchange.models import Message
from tests.exchange.helpers import enqueue

pytestmark = pytest.mark.django_db


@pytest.fixture
def messages(enterprise, other_enterprise):
    ours = enqueue(enterprise, 3)
    theirs = enqueue(other_enterprise, 2)
    tax = enqueue(enterprise, 1, message_type="tax.refund_filing")
    return ours, theirs, tax


def test_enterprise_sees_only_its_own(api_as, enterprise_admin, messages):
    ours, _theirs, tax = messages
    data = api_as(enterprise_admin).get("/api/v1/exchange/messages/").json()
    assert data["count"] == 4
    assert {m["message_id"] for m in data["results"]} == {m.message_id for m in ours + tax}


def test_another_enterprises_message_page_answers_404(enterprise_admin, client, messages):
    """The API's 404s are the kit's (tests/exchange/test_api.py); the page answers the same."""
    theirs = messages[1][0]
    client.force_login(enterprise_admin)
    assert client.get(f"/exchange/messages/{theirs.pk}/").status_code == 404


def test_department_officer_sees_their_department_only(api_as, customs_officer, tax_officer, messages):
    assert api_as(customs_officer).get("/api/v1/exchange/messages/").json()["count"] == 5
    data = api_as(tax_officer).get("/api/v1/exchange/messages/").json()
    assert [m["message_type"] for m in data["results"]] == ["tax.refund_filing"]


def test_administrator_sees_everything(api_as, system_admin, messages):
    assert api_as(system_admin).get("/api/v1/exchange/messages/").json()["count"] == 6


def test_filters(api_as, enterprise_admin, messages):
    client = api_as(enterprise_admin)
    assert client.get("/api/v1/exchange/messages/?department=tax").json()["count"] == 1
    assert client.get("/api/v1/exchange/messages/?status=pending").json()["count"] == 4
    ours = messages[0]
    assert client.get(f"/api/v1/exchange/messages/?business_key={ours[0].business_key}").json()["count"] == 1


def test_list_query_count_is_bounded(api_as, enterprise_admin, enterprise, django_assert_max_num_queries):
    enqueue(enterprise, 40, subject=enterprise)
    client = api_as(enterprise_admin)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/exchange/messages/?page_size=40")
    assert response.json()["count"] == 40


def _timeline(obj, user) -> str:
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load portal_tags %}{% timeline obj %}").render(
        Context({"obj": obj, "request": request})
    )


def test_timeline_tells_a_subjects_messages_and_receipts_in_plain_words(
    enterprise_admin, system_admin, enterprise, json_receipt, monkeypatch
):
    from exchange import registry
    from exchange.services import receipts_ingest

    # Messages about organisations are this test's own: it declares them, as an app declares its subjects.
    monkeypatch.setattr(registry, "_subjects", {type(enterprise)})
    [message] = enqueue(enterprise, subject=enterprise)
    Message.objects.filter(pk=message.pk).update(status="sent", sent_at=message.created_at)
    message.refresh_from_db()
    receipts_ingest([json_receipt(message, "REGISTERED", info="登记成功")], via="callback")

    html = _timeline(enterprise, enterprise_admin)
    assert "已发送至海关" in html and "海关已登记" in html  # one plain line per event
    assert "报关单位注册登记 · 海关" in html  # grouped under the message's kind and department
    for technical in (message.message_id, message.business_key, "REGISTERED", "登记成功", "exchange/"):
        assert technical not in html, technical
    assert "technical-details" not in html

    html = _timeline(enterprise, system_admin)  # administrators open the technical details
    assert 'data-testid="technical-details"' in html
    for technical in (message.message_id, message.business_key, "REGISTERED", "登记成功"):
        assert technical in html, technical
    assert f"/exchange/messages/{message.pk}/" in html
