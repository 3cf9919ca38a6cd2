"""List endpoints run a fixed number of queries, however many rows they return (no N+1)."""

import pytest

from exchange.models import Envelope
from portal.models import Notification
from tests.api.helpers import message

pytestmark = pytest.mark.django_db

# Session-less forced authentication: the count is the endpoint's own (count + page, plus permission
# lookups); a token or session lookup would add one fixed query.
MAX_QUERIES = 6


def _count(django_assert_max_num_queries, client, url, rows):
    client.get(url)  # warm the user's permission cache, as any real client's second request has it
    with django_assert_max_num_queries(MAX_QUERIES) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert response.json()["count"] == rows
    return len(captured)


def test_notifications_list(api_as, enterprise_admin, django_assert_max_num_queries):
    client = api_as(enterprise_admin)
    Notification.objects.create(recipient=enterprise_admin, verb="x", title="first")
    few = _count(django_assert_max_num_queries, client, "/api/v1/notifications/", 1)
    for n in range(20):
        Notification.objects.create(recipient=enterprise_admin, verb="x", title=f"n{n}", url="/inbox/")
    many = _count(django_assert_max_num_queries, client, "/api/v1/notifications/", 21)
    assert many == few


def test_exchange_messages_list(api_as, enterprise_admin, customs_officer, django_assert_max_num_queries):
    org = enterprise_admin.organisation
    message(org, key="first", subject=org)
    client = api_as(enterprise_admin)
    few = _count(django_assert_max_num_queries, client, "/api/v1/exchange/messages/", 1)
    for n in range(20):
        envelope = Envelope.objects.create(
            department="customs",
            message_type="customs.registration",
            sender=org,
            content_type="application/json",
            body="{}",
            next_attempt_at=org.created_at,
            attempts=1,
            last_error="timeout",
        )
        message(org, key=f"K{n}", envelope=envelope, subject=org)
    many = _count(django_assert_max_num_queries, client, "/api/v1/exchange/messages/", 21)
    assert many == few
    officer = _count(django_assert_max_num_queries, api_as(customs_officer), "/api/v1/exchange/messages/", 21)
    assert officer <= MAX_QUERIES
