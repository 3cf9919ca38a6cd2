"""Pages are Chinese unless the user chooses English; the choice sticks in a cookie and the profile."""

import lxml.html
import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def _lang_and_h1(response) -> tuple[str, str]:
    doc = lxml.html.fromstring(response.content.decode())
    return doc.get("lang"), doc.findtext(".//h1").strip()


def test_pages_are_chinese_even_when_the_browser_asks_for_english(client):
    response = client.get("/login/", headers={"accept-language": "en-US,en;q=0.9"})
    assert _lang_and_h1(response) == ("zh-Hans", "登录")
    assert response["Content-Language"] == "zh-hans"


def test_switching_to_english_sets_the_cookie_and_returns_to_the_page(client):
    response = client.post("/language/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    cookie = response.cookies[COOKIE]
    assert cookie.value == "en"
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == settings.LANGUAGE_COOKIE_AGE
    assert _lang_and_h1(client.get("/login/")) == ("en", "Log in")

    client.post("/language/", {"language": "zh-hans", "next": "/login/"})
    assert _lang_and_h1(client.get("/login/")) == ("zh-Hans", "登录")


def test_switching_when_logged_in_also_saves_the_profile(client, enterprise_admin):
    client.force_login(enterprise_admin)
    client.post("/language/", {"language": "en", "next": "/profile/"})
    enterprise_admin.refresh_from_db()
    assert enterprise_admin.language == "en"


def test_the_profile_language_applies_on_a_new_browser(client, enterprise_admin):
    enterprise_admin.language = "en"
    enterprise_admin.save(update_fields=["language"])
    client.force_login(enterprise_admin)
    assert COOKIE not in client.cookies
    lang, h1 = _lang_and_h1(client.get("/profile/"))
    assert (lang, h1) == ("en", "My profile")


def test_an_unknown_language_falls_back_to_chinese(client):
    response = client.post("/language/", {"language": "fr", "next": "/login/"})
    assert response.cookies[COOKIE].value == "zh-hans"


def test_the_language_switch_never_redirects_off_site(client):
    response = client.post("/language/", {"language": "en", "next": "https://evil.example/phish"})
    assert response["Location"] == "/"


def test_the_language_switch_is_post_only(client):
    assert client.get("/language/?language=en").status_code == 405
