"""Request bodies larger than the configured cap are refused with 413 before anything reads them."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

pytestmark = pytest.mark.django_db

SHAPE = {"code", "message", "field", "errors"}
MiB = 1024 * 1024
UPLOAD = "/registration/filings/1/edit/attachments/"
API_UPLOAD = "/api/v1/registration/filings/1/attachments/"


def _declaring(client, path: str, length: int, content_type="multipart/form-data; boundary=x", **extra):
    """A POST whose Content-Length says ``length`` while only a few bytes follow: whatever tried to read the
    declared body would fail on the test client's stream, so a clean 413 proves nobody read it."""
    return client.generic(
        "POST", path, b"--x--", content_type=content_type, CONTENT_LENGTH=str(length), **extra
    )


def test_the_default_cap_is_a_little_above_the_largest_attachment():
    attachment = django_settings.REGISTRATION_ATTACHMENT_MAX_BYTES
    assert attachment < django_settings.REQUEST_BODY_MAX_BYTES <= attachment + 2 * MiB


def test_an_upload_declaring_more_than_the_cap_gets_the_413_page_in_chinese(client, enterprise_admin):
    client.force_login(enterprise_admin)
    response = _declaring(client, UPLOAD, django_settings.REQUEST_BODY_MAX_BYTES + 1)
    assert response.status_code == 413
    assert "portal/error.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "请求内容过大" in html
    assert "11.0" in html  # the cap, as a size


def test_the_page_speaks_the_language_the_user_chose(enterprise_admin):
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = _declaring(client, UPLOAD, django_settings.REQUEST_BODY_MAX_BYTES + 1)
    assert response.status_code == 413
    assert "The request is too large" in response.content.decode()


def test_the_api_answers_413_with_the_error_body(api_client):
    response = _declaring(api_client, API_UPLOAD, 50 * MiB)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == SHAPE
    assert body["code"] == "request_too_large"
    assert body["field"] is None
    assert body["errors"] == [{"code": "request_too_large", "message": body["message"], "field": None}]
    assert "11.0" in body["message"]


def test_a_body_at_the_cap_goes_through(client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 4096
    body = "username=someone&password=" + "p" * (4096 - len("username=someone&password="))
    response = client.post("/login/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200  # the login form again (wrong password), not 413
    assert response.context["form"].errors


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ("/customs/imports/upload/", False),  # its prefix allows 64 MiB
        ("/customs/other/", True),  # the general cap
        ("/api/v1/customs/imports/", False),
        ("/api/v1/registration/", True),
    ],
)
def test_a_path_prefix_can_have_its_own_cap(api_client, settings, path, refused):
    settings.REQUEST_BODY_MAX_BYTES_BY_PATH = {
        "/customs/imports/": 64 * MiB,
        "/api/v1/customs/imports/": 64 * MiB,
    }
    response = _declaring(api_client, path, 60 * MiB, content_type="application/octet-stream")
    assert (response.status_code == 413) is refused


def test_the_longest_matching_prefix_wins(api_client, settings):
    settings.REQUEST_BODY_MAX_BYTES_BY_PATH = {"/api/": 64 * MiB, "/api/v1/registration/": 1024}
    assert _declaring(api_client, API_UPLOAD, 2048).status_code == 413
    other = _declaring(api_client, "/api/v1/customs/", 2048, content_type="application/octet-stream")
    assert other.status_code != 413
