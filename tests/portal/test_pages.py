"""The shell's pages: who may open what, and what answers for someone else's objects."""

import pytest

from portal.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/inbox/", "/profile/", "/team/", "/audit/", "/exchange/health/"])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_login_page_is_served_with_security_headers(client):
    response = client.get("/login/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Request-ID"]


def test_real_login_then_home_shows_the_role(client, enterprise_admin):
    response = client.post("/login/", {"username": enterprise_admin.username, "password": factories.PASSWORD})
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert home.context["user"] == enterprise_admin


@pytest.mark.parametrize(
    ("fixture", "url", "status"),
    [
        ("enterprise_admin", "/team/", 200),
        ("enterprise_operator", "/team/", 403),
        ("enterprise_admin", "/audit/", 403),
        ("system_admin", "/audit/", 200),
        ("system_admin", "/exchange/health/", 200),
        ("reviewer", "/exchange/health/", 403),
        ("customs_officer", "/customs/officer/", 200),
        ("customs_officer", "/tax/officer/", 403),
        ("tax_officer", "/tax/officer/", 200),
        ("tax_officer", "/customs/officer/", 403),
        ("enterprise_admin", "/customs/officer/", 403),
    ],
)
def test_role_pages(client, request, fixture, url, status):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(url).status_code == status


def test_another_users_notification_answers_404(client, enterprise_admin, other_admin):
    theirs = Notification.objects.create(recipient=other_admin, verb="x", title="private")
    client.force_login(enterprise_admin)
    assert client.post(f"/inbox/{theirs.pk}/open/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
