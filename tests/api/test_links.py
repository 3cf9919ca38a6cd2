"""Absolute links in API answers are built on SITE_URL, never on the request's Host header."""

import pytest

from portal.services.notifications import notify

pytestmark = pytest.mark.django_db


def test_pagination_links_are_on_site_url_whatever_the_host_header(api_as, enterprise_admin, settings):
    settings.SITE_URL = "https://portal.zjcbec.example"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]
    for n in range(3):
        notify(recipients=[enterprise_admin], verb="x", title=f"n{n}", email=False)
    client = api_as(enterprise_admin)

    forged = {"host": "evil.example"}

    first = client.get("/api/v1/notifications/?page_size=1", headers=forged).json()
    assert first["next"] == "https://portal.zjcbec.example/api/v1/notifications/?page=2&page_size=1"
    second = client.get(first["next"].removeprefix(settings.SITE_URL), headers=forged).json()
    assert second["previous"] == "https://portal.zjcbec.example/api/v1/notifications/?page_size=1"
    assert second["next"].startswith("https://portal.zjcbec.example/api/v1/notifications/?")
