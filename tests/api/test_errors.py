"""One error body everywhere in the API, in the caller's language; 404 answers in JSON."""

import pytest
from rest_framework.test import APIRequestFactory

from portal.api.errors import exception_handler
from portal.statemachine import TransitionNotAllowed

pytestmark = pytest.mark.django_db

SHAPE = {"code", "message", "field", "errors"}


def test_unauthenticated_requests_get_401_with_the_error_body(api_client):
    response = api_client.get("/api/v1/notifications/")
    assert response.status_code == 401
    body = response.json()
    assert set(body) == SHAPE
    assert body["code"] == "not_authenticated"
    assert body["errors"] == [{"code": "not_authenticated", "message": body["message"], "field": None}]


def test_an_unknown_api_url_answers_404_in_json(api_as, enterprise_admin):
    response = api_as(enterprise_admin).get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == SHAPE
    assert body["code"] == "not_found"


def test_an_unknown_object_answers_404_in_json(api_as, enterprise_admin):
    response = api_as(enterprise_admin).get("/api/v1/notifications/999999/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_wrong_method_answers_405_with_the_error_body(api_as, enterprise_admin):
    response = api_as(enterprise_admin).delete("/api/v1/me/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_accept_language_english_gives_english_messages(api_client):
    response = api_client.get("/api/v1/notifications/", headers={"accept-language": "en-GB,en;q=0.8"})
    assert response.json()["message"] == "Authentication credentials were not provided."
    assert response["Content-Language"] == "en"


def test_without_accept_language_messages_are_chinese(api_client):
    response = api_client.get("/api/v1/notifications/")
    assert response.json()["message"] == "身份认证信息未提供。"


def test_our_own_messages_follow_accept_language(api_client, db):
    data = {"username": "nobody", "password": "wrong-password-1"}
    english = api_client.post("/api/v1/auth/token/", data, format="json", headers={"accept-language": "en"})
    assert english.json()["message"] == "The username or password is not correct."
    chinese = api_client.post(
        "/api/v1/auth/token/", data, format="json", headers={"accept-language": "zh-CN"}
    )
    assert chinese.json()["message"] == "用户名或密码不正确。"


def test_the_language_cookie_beats_accept_language(api_client, db):
    api_client.cookies["portal_language"] = "zh-hans"
    response = api_client.get("/api/v1/notifications/", headers={"accept-language": "en"})
    assert response.json()["message"] == "身份认证信息未提供。"


def test_a_transition_not_allowed_is_409():
    request = APIRequestFactory().post("/api/v1/x/")
    response = exception_handler(
        TransitionNotAllowed(current="已批准", verb="submit", label="备案"), {"request": request}
    )
    assert response.status_code == 409
    assert response.data["code"] == "transition_not_allowed"
    assert "submit" in response.data["message"]
    assert response.data["errors"] == [
        {"code": "transition_not_allowed", "message": response.data["message"], "field": None}
    ]


def test_nested_validation_errors_name_their_path():
    from rest_framework.exceptions import ValidationError

    exc = ValidationError({"items": [{"qty": ["must be positive"]}, {}], "non_field_errors": ["mismatch"]})
    response = exception_handler(exc, {})
    fields = [e["field"] for e in response.data["errors"]]
    assert fields == ["items[0].qty", None]
    assert response.data["field"] == "items[0].qty"
