"""Department desks point to what a message concerns: the filing (read-only) when the officer may see it,
the sending enterprise always."""

import pytest
from django.db.models import Q

from exchange.models import Message
from tests.registration.builders import approved

pytestmark = pytest.mark.django_db


def _row(html: str, message: Message) -> str:
    start = html.index(f'data-message="{message.pk}"')
    return html[start : html.index("</tr>", start)]


def test_the_commerce_desk_links_the_filing_a_message_concerns(client, enterprise_admin, reviewer):
    filing = approved(enterprise_admin, reviewer)
    message = Message.objects.get(department="commerce", message_type="commerce.ft_operator")
    client.force_login(reviewer)
    row = _row(client.get("/exchange/desk/commerce/").content.decode(), message)
    assert f'href="/registration/filings/{filing.pk}/"' in row
    assert f"备案 {filing.filing_no}" in row
    assert f"/exchange/desk/commerce/enterprises/{enterprise_admin.organisation_id}/" in row
    assert client.get(f"/registration/filings/{filing.pk}/").status_code == 200


def test_customs_sees_the_enterprise_not_a_filing_it_may_not_open(
    client, enterprise_admin, reviewer, customs_officer
):
    filing = approved(enterprise_admin, reviewer)
    message = Message.objects.filter(Q(department="customs"), ~Q(subject_id="")).first()
    client.force_login(customs_officer)
    row = _row(client.get("/exchange/desk/customs/").content.decode(), message)
    assert f"/registration/filings/{filing.pk}/" not in row
    assert client.get(f"/registration/filings/{filing.pk}/").status_code == 404
    page = client.get(f"/exchange/desk/customs/enterprises/{enterprise_admin.organisation_id}/")
    html = page.content.decode()
    assert enterprise_admin.organisation.code in html
    assert f'data-message="{message.pk}"' in html
