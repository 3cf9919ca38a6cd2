"""What the kit (tests/api/test_shell_api.py, tests/exchange/test_api.py) does not say about isolation: the
inbox's unread filter after marking read."""

import pytest

from portal.models import Notification

pytestmark = pytest.mark.django_db


def test_marking_the_own_notification_read(api_as, enterprise_admin):
    mine = Notification.objects.create(recipient=enterprise_admin, verb="x", title="mine")
    response = api_as(enterprise_admin).post(f"/api/v1/notifications/{mine.pk}/read/")
    assert response.json() == {"marked": 1}
    mine.refresh_from_db()
    assert mine.read_at is not None
    unread = api_as(enterprise_admin).get("/api/v1/notifications/", {"read_at__isnull": "true"}).json()
    assert unread["count"] == 0
