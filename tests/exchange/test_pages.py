"""The exchange's pages: health, dead letters and replay, message and raw receipt scoping, desks, panels."""

import logging

import pytest
from django.utils import timezone

from exchange.choices import MessageStatus
from exchange.models import DepartmentState, Message, Receipt
from exchange.services import receipts_ingest
from tests.exchange.helpers import enqueue

pytestmark = pytest.mark.django_db


def test_health_page_counts_each_department(client, system_admin, enterprise):
    enqueue(enterprise, 3)
    enqueue(enterprise, 2, message_type="tax.refund_filing")
    Message.objects.filter(department="tax").update(status=MessageStatus.DEAD)
    DepartmentState.objects.create(department="customs", reachable=False, last_error="HTTP 503")
    client.force_login(system_admin)
    html = client.get("/exchange/health/").content.decode()
    assert 'data-testid="unreachable-customs"' in html
    assert 'data-testid="reachable-tax"' in html
    rows = {row["department"]: row for row in client.get("/exchange/health/").context["rows"]}
    assert rows["customs"]["pending"] == 3
    assert rows["tax"]["dead"] == 2


def test_replay_from_the_dead_letter_page(client, system_admin, enterprise):
    [message] = enqueue(enterprise)
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.DEAD, last_error="HTTP 503")
    client.force_login(system_admin)
    assert message.business_key in client.get("/exchange/dead/").content.decode()
    response = client.post(f"/exchange/messages/{message.pk}/replay/", {"next": "/exchange/dead/"})
    assert response.status_code == 302
    assert response["Location"] == "/exchange/dead/"
    assert Message.objects.get(pk=message.pk).status == MessageStatus.PENDING


def test_replay_refuses_a_redirect_off_site(client, system_admin, enterprise):
    [message] = enqueue(enterprise)
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.DEAD)
    client.force_login(system_admin)
    response = client.post(f"/exchange/messages/{message.pk}/replay/", {"next": "https://evil.example/"})
    assert response["Location"] == "/exchange/dead/"


@pytest.mark.parametrize("fixture", ["enterprise_admin", "customs_officer", "reviewer"])
def test_only_administrators_replay(client, request, fixture, enterprise):
    [message] = enqueue(enterprise)
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.DEAD)
    client.force_login(request.getfixturevalue(fixture))
    assert client.post(f"/exchange/messages/{message.pk}/replay/").status_code == 403
    assert client.get("/exchange/dead/").status_code == 403
    assert Message.objects.get(pk=message.pk).status == MessageStatus.DEAD


def test_replay_refused_when_the_department_answered(client, system_admin, enterprise):
    [message] = enqueue(enterprise)
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED, receipt_status="REJECTED")
    client.force_login(system_admin)
    client.post(f"/exchange/messages/{message.pk}/replay/")
    assert Message.objects.get(pk=message.pk).status == MessageStatus.FAILED


def test_raw_receipt_is_scoped(client, enterprise_admin, other_admin, tax_officer, enterprise, json_receipt):
    [message] = enqueue(enterprise)
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENT)
    message.refresh_from_db()
    receipts_ingest([json_receipt(message, "ACCEPTED")], via="callback")
    receipt = Receipt.objects.get()
    url = f"/exchange/receipts/{receipt.pk}/raw/"
    client.force_login(enterprise_admin)
    assert client.get(url).status_code == 200
    for outsider in (other_admin, tax_officer):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_message_page_says_queued_when_the_department_is_unreachable(client, enterprise_admin, enterprise):
    from exchange.services import messages_flush

    [message] = enqueue(enterprise)
    [pk] = messages_flush(message_type=message.message_type, sender_id=enterprise.pk)
    from exchange.models import Envelope

    Envelope.objects.filter(pk=pk).update(
        attempts=2, last_error="ConnectionError: refused", next_attempt_at=timezone.now()
    )
    client.force_login(enterprise_admin)
    html = client.get(f"/exchange/messages/{message.pk}/").content.decode()
    assert "已排队，待部门可达后发送" in html
    assert 'data-testid="queued-notice"' in html


def test_unknown_desk_is_404(client, customs_officer):
    client.force_login(customs_officer)
    assert client.get("/exchange/desk/nowhere/").status_code == 404


def test_officer_home_shows_the_desk_panel(client, customs_officer, enterprise):
    enqueue(enterprise, 2)
    Message.objects.update(status=MessageStatus.SENT, overdue_at=timezone.now())
    client.force_login(customs_officer)
    response = client.get("/")
    assert 'data-testid="desk-panel"' in response.content.decode()
    panel = next(
        ctx for template, ctx in response.context["panels"] if template == "exchange/panels/desk.html"
    )
    assert panel["counts"]["overdue"] == 2


def test_refused_callbacks_are_logged(client, caplog):
    with caplog.at_level(logging.WARNING, logger="exchange.views"):
        client.post("/exchange/receipts/", data=b"{}", content_type="application/json")
    assert any("refused" in record.getMessage() for record in caplog.records)


def test_a_non_ascii_signature_is_a_refusal_not_an_error(client):
    response = client.post(
        "/exchange/receipts/",
        data=b"{}",
        content_type="application/json",
        HTTP_X_GOVMOCK_TIMESTAMP=str(int(timezone.now().timestamp())),
        HTTP_X_GOVMOCK_SIGNATURE="签名" * 32,
    )
    assert response.status_code == 401


def test_messages_of_several_transactions_within_the_window_share_an_envelope(enterprise):
    from exchange.services import messages_flush

    first = enqueue(enterprise, 2, message_type="eport.card")
    second = enqueue(enterprise, 3, message_type="eport.card")
    [pk] = messages_flush(message_type="eport.card", sender_id=enterprise.pk)
    assert set(Message.objects.filter(envelope_id=pk).values_list("pk", flat=True)) == {
        m.pk for m in first + second
    }


def test_a_double_submission_reaches_the_department_once(enterprise):
    [first] = enqueue(enterprise, keys=["FILING-1:CUSTOMS_REG"])
    [again] = enqueue(enterprise, keys=["FILING-1:CUSTOMS_REG"])
    assert again.pk == first.pk
    Message.objects.filter(pk=first.pk).update(status=MessageStatus.FAILED, receipt_status="REJECTED")
    [retry] = enqueue(enterprise, keys=["FILING-1:CUSTOMS_REG"])
    assert retry.pk != first.pk, "after a final answer, the same key may be sent again"
