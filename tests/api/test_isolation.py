"""The API sees what the pages see: another organisation's objects are not found (404)."""

import pytest

from portal.models import Notification
from tests import factories
from tests.api.helpers import message

pytestmark = pytest.mark.django_db


def test_notifications_list_only_the_callers_own(api_as, enterprise_admin, other_admin):
    mine = Notification.objects.create(recipient=enterprise_admin, verb="x", title="mine")
    Notification.objects.create(recipient=other_admin, verb="x", title="theirs")
    body = api_as(enterprise_admin).get("/api/v1/notifications/").json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
    assert body["count"] == 1


def test_another_users_notification_is_not_found(api_as, enterprise_admin, other_admin):
    theirs = Notification.objects.create(recipient=other_admin, verb="x", title="theirs")
    client = api_as(enterprise_admin)
    assert client.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_the_own_notification_read(api_as, enterprise_admin):
    mine = Notification.objects.create(recipient=enterprise_admin, verb="x", title="mine")
    response = api_as(enterprise_admin).post(f"/api/v1/notifications/{mine.pk}/read/")
    assert response.json() == {"marked": 1}
    mine.refresh_from_db()
    assert mine.read_at is not None
    unread = api_as(enterprise_admin).get("/api/v1/notifications/", {"read_at__isnull": "true"}).json()
    assert unread["count"] == 0


def test_another_enterprises_message_is_not_found(api_as, enterprise_admin, other_admin):
    mine = message(enterprise_admin.organisation, key="MINE")
    theirs = message(other_admin.organisation, key="THEIRS")
    client = api_as(enterprise_admin)
    listed = client.get("/api/v1/exchange/messages/").json()
    assert [row["business_key"] for row in listed["results"]] == ["MINE"]
    assert client.get(f"/api/v1/exchange/messages/{mine.pk}/").status_code == 200
    assert client.get(f"/api/v1/exchange/messages/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/v1/exchange/messages/{theirs.pk}/receipts/").status_code == 404


def test_an_officer_sees_only_their_departments_messages(api_as, customs_officer, enterprise_admin):
    message(enterprise_admin.organisation, key="TO-CUSTOMS")
    message(enterprise_admin.organisation, department="tax", message_type="tax.refund", key="TO-TAX")
    listed = api_as(customs_officer).get("/api/v1/exchange/messages/").json()
    assert [row["business_key"] for row in listed["results"]] == ["TO-CUSTOMS"]


def test_a_user_without_an_organisation_sees_nothing(api_as, enterprise_admin):
    loner = factories.UserFactory(organisation=None)
    message(enterprise_admin.organisation)
    assert api_as(loner).get("/api/v1/exchange/messages/").json()["count"] == 0
