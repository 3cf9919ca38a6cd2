"""POST /api/v1/auth/token/: issue, refuse, lock out; token authentication and revocation."""

import pytest
from django.conf import settings

from portal.choices import AuditVerb
from portal.models import ApiToken, AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def _issue(api_client, username, password, **extra):
    return api_client.post(TOKEN_URL, {"username": username, "password": password, **extra}, format="json")


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"code", "message", "field", "errors"}
    return body


def test_a_token_is_issued_for_the_right_password(api_client, enterprise_admin):
    response = _issue(api_client, enterprise_admin.username, factories.PASSWORD, name="Kingdee ERP")
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Kingdee ERP"
    token = ApiToken.objects.get(user=enterprise_admin)
    assert token.key_hash == ApiToken.hash_key(body["token"])
    assert body["token"] not in str(token.__dict__)  # only the hash is stored
    event = AuditEvent.objects.get(verb=AuditVerb.TOKEN_CREATE)
    assert (event.actor, event.via) == (enterprise_admin, "api")


def test_the_token_authenticates_the_user(api_client, enterprise_admin):
    raw = _issue(api_client, enterprise_admin.username, factories.PASSWORD).json()["token"]
    response = api_client.get("/api/v1/me/", headers={"authorization": f"Token {raw}"})
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == enterprise_admin.username
    assert body["roles"] == ["enterprise_admin"]
    assert body["organisation"]["code"] == enterprise_admin.organisation.code
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("username", ["known", "unknown"])
def test_a_wrong_password_gets_400_invalid_credentials_whoever_the_user(
    api_client, enterprise_admin, username
):
    name = enterprise_admin.username if username == "known" else "nobody-here"
    response = _issue(api_client, name, "wrong-password-1")
    assert response.status_code == 400
    body = _error(response)
    assert body["code"] == "invalid_credentials"
    assert body["field"] is None
    assert body["message"] == "用户名或密码不正确。"
    assert not ApiToken.objects.exists()


def test_missing_fields_are_listed_each_with_its_field(api_client):
    response = api_client.post(TOKEN_URL, {}, format="json")
    assert response.status_code == 400
    body = _error(response)
    assert {e["field"] for e in body["errors"]} == {"username", "password"}
    assert {e["code"] for e in body["errors"]} == {"required"}
    assert body["field"] in {"username", "password"}


def test_over_long_fields_are_refused_at_the_field(api_client, enterprise_admin):
    response = _issue(api_client, enterprise_admin.username, factories.PASSWORD, name="n" * 101)
    assert response.status_code == 400
    body = _error(response)
    assert (body["field"], body["code"]) == ("name", "max_length")
    assert not ApiToken.objects.exists()


def test_lockout_answers_429_in_json_even_with_the_right_password(api_client, enterprise_admin):
    statuses = [
        _issue(api_client, enterprise_admin.username, "wrong-password-1").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    response = _issue(api_client, enterprise_admin.username, factories.PASSWORD)
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    body = _error(response)
    assert body["code"] == "locked_out"
    assert body["errors"] == [{"code": "locked_out", "message": body["message"], "field": None}]
    assert not ApiToken.objects.exists()


def test_lockout_is_shared_between_the_api_and_the_login_page(api_client, client, enterprise_admin):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _issue(api_client, enterprise_admin.username, "wrong-password-1")
    page = client.post("/login/", {"username": enterprise_admin.username, "password": factories.PASSWORD})
    assert page.status_code == 429
    assert "text/html" in page["Content-Type"]


def test_lockout_for_an_unknown_user_looks_the_same(api_client, enterprise_admin):
    for name in (enterprise_admin.username, "ghost"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _issue(api_client, name, "wrong-password-1")
    known = _issue(api_client, enterprise_admin.username, factories.PASSWORD)
    unknown = _issue(api_client, "ghost", factories.PASSWORD)
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())


def test_an_inactive_user_gets_no_token(api_client, enterprise_admin):
    enterprise_admin.is_active = False
    enterprise_admin.save(update_fields=["is_active"])
    response = _issue(api_client, enterprise_admin.username, factories.PASSWORD)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"


def test_a_token_revoked_in_the_profile_stops_working(api_client, client, enterprise_admin):
    raw = _issue(api_client, enterprise_admin.username, factories.PASSWORD).json()["token"]
    auth = {"authorization": f"Token {raw}"}
    assert api_client.get("/api/v1/me/", headers=auth).status_code == 200

    client.force_login(enterprise_admin)
    token = ApiToken.objects.get()
    assert token.prefix in client.get("/profile/").content.decode()
    client.post(f"/profile/tokens/{token.pk}/revoke/")

    response = api_client.get("/api/v1/me/", headers=auth)
    assert response.status_code == 401
    assert _error(response)["code"] == "authentication_failed"


def test_a_token_of_a_deactivated_user_stops_working(api_client, enterprise_admin):
    raw = _issue(api_client, enterprise_admin.username, factories.PASSWORD).json()["token"]
    enterprise_admin.is_active = False
    enterprise_admin.save(update_fields=["is_active"])
    assert api_client.get("/api/v1/me/", headers={"authorization": f"Token {raw}"}).status_code == 401


def test_a_made_up_token_is_refused(api_client, db):
    response = api_client.get("/api/v1/me/", headers={"authorization": "Token " + "0" * 40})
    assert response.status_code == 401
    assert _error(response)["message"] == "令牌无效或已被吊销。"


def test_the_token_shown_once_in_the_profile(client, enterprise_admin):
    client.force_login(enterprise_admin)
    client.post("/profile/tokens/", {"name": "ERP"})
    first = client.get("/profile/")
    raw = first.context["new_token"]
    assert raw
    assert ApiToken.objects.get().key_hash == ApiToken.hash_key(raw)
    assert client.get("/profile/").context["new_token"] is None
