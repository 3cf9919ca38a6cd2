"""A department desk reads for people: message types by name, headings that say what a column is, search by
enterprise name or credit code, a read-only page of the enterprise a message came from."""

import pytest

from exchange.choices import MessageStatus
from exchange.models import Message
from tests import factories
from tests.exchange.helpers import enqueue

pytestmark = pytest.mark.django_db


def _headings(html: str) -> list[str]:
    head = html[html.index("<thead>") : html.index("</thead>")]
    return [cell.split("<", 1)[0] for cell in head.split('<th scope="col">')[1:]]


def test_the_desk_names_message_types_and_says_what_each_column_is(client, customs_officer, enterprise):
    [message] = enqueue(enterprise, message_type="eport.card")
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENT, receipt_status="ACCEPTED")
    client.force_login(customs_officer)
    html = client.get("/exchange/desk/customs/").content.decode()
    table = html[html.index('data-testid="desk"') :]
    assert "eport.card" not in table
    assert "中国电子口岸卡" in table
    assert _headings(html) == ["创建时间", "报文类型", "企业", "涉及", "状态", "最新回执", "报文详情"]
    assert "新建" not in html
    assert "ACCEPTED" not in table, "the receipt reads by its meaning, not its code"
    assert "部门已接收" in table
    assert enterprise.code in table
    assert f'href="/exchange/messages/{message.pk}/"' in html


def test_the_desk_searches_by_enterprise_name_and_credit_code(client, customs_officer, enterprise):
    other = factories.EnterpriseFactory(name_cn="宁波某某跨境贸易有限公司")
    [mine] = enqueue(enterprise)
    [theirs] = enqueue(other)
    client.force_login(customs_officer)
    for query, shown, hidden in (
        ("宁波某某", theirs, mine),
        (other.code[-8:].lower(), theirs, mine),
        (enterprise.code, mine, theirs),
    ):
        html = client.get("/exchange/desk/customs/", {"q": query}).content.decode()
        assert f'data-message="{shown.pk}"' in html, query
        assert f'data-message="{hidden.pk}"' not in html, query


def test_the_desk_filters_by_message_type(client, customs_officer, enterprise):
    [card] = enqueue(enterprise, message_type="eport.card")
    [registration] = enqueue(enterprise)
    client.force_login(customs_officer)
    html = client.get("/exchange/desk/customs/", {"type": "eport.card"}).content.decode()
    assert f'data-message="{card.pk}"' in html
    assert f'data-message="{registration.pk}"' not in html


def test_the_enterprise_page_of_a_desk_is_read_only_and_for_its_officers(
    client, customs_officer, tax_officer, enterprise, enterprise_admin
):
    [message] = enqueue(enterprise)
    url = f"/exchange/desk/customs/enterprises/{enterprise.pk}/"
    client.force_login(customs_officer)
    html = client.get(url).content.decode()
    assert enterprise.name_cn in html and enterprise.code in html
    assert f'data-message="{message.pk}"' in html
    assert "<form" not in html.split('data-testid="desk-enterprise"', 1)[1]
    client.force_login(tax_officer)
    assert client.get(url).status_code == 403
    client.force_login(enterprise_admin)
    assert client.get(url).status_code == 403


def test_a_government_body_is_not_an_enterprise_page(client, customs_officer):
    client.force_login(customs_officer)
    url = f"/exchange/desk/customs/enterprises/{customs_officer.organisation_id}/"
    assert client.get(url).status_code == 404
