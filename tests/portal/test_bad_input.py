"""Over-long fields and bodies that are not UTF-8: a clear refusal, and nothing saved."""

import pytest

from portal.models import ApiToken, AuditEvent, Invitation

pytestmark = pytest.mark.django_db

BOUNDARY = "PortalTestBoundary"


def _multipart(fields: dict[str, bytes]) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value + b"\r\n"
        for name, value in fields.items()
    ]
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def _field_errors(response, field: str) -> list[str]:
    return response.context["form"].errors.get(field, [])


def test_profile_full_name_of_101_characters_is_refused_at_the_field(client, enterprise_admin):
    client.force_login(enterprise_admin)
    before = enterprise_admin.full_name
    response = client.post(
        "/profile/", {"full_name": "名" * 101, "email": enterprise_admin.email, "language": "zh-hans"}
    )
    assert response.status_code == 200
    assert _field_errors(response, "full_name")
    page = response.content.decode()
    assert 'id="id_full_name_error"' in page
    enterprise_admin.refresh_from_db()
    assert enterprise_admin.full_name == before
    assert not AuditEvent.objects.filter(verb="update").exists()


def test_profile_full_name_of_100_characters_is_accepted(client, enterprise_admin):
    client.force_login(enterprise_admin)
    response = client.post(
        "/profile/", {"full_name": "名" * 100, "email": enterprise_admin.email, "language": "zh-hans"}
    )
    assert response.status_code == 302
    enterprise_admin.refresh_from_db()
    assert enterprise_admin.full_name == "名" * 100


def test_invitation_email_longer_than_254_characters_is_refused(client, enterprise_admin):
    client.force_login(enterprise_admin)
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".cn"  # 313 characters, otherwise well formed
    assert len(email) > 254
    response = client.post("/team/", {"email": email, "role": "enterprise_operator", "full_name": ""})
    assert response.status_code == 200
    assert _field_errors(response, "email")
    assert not Invitation.objects.exists()


def test_invitation_full_name_longer_than_100_characters_is_refused(client, enterprise_admin):
    client.force_login(enterprise_admin)
    response = client.post(
        "/team/", {"email": "new@example.com", "role": "enterprise_operator", "full_name": "x" * 101}
    )
    assert _field_errors(response, "full_name")
    assert not Invitation.objects.exists()


def test_token_name_longer_than_100_characters_creates_nothing(client, enterprise_admin):
    client.force_login(enterprise_admin)
    response = client.post("/profile/tokens/", {"name": "n" * 101})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_form_body_with_an_invalid_percent_escape_is_refused(client, enterprise_admin):
    client.force_login(enterprise_admin)
    response = client.post(
        "/profile/",
        data=b"full_name=%FF%FE&email=a%40example.com&language=en",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "UTF-8" in response.content.decode()
    enterprise_admin.refresh_from_db()
    assert enterprise_admin.language == "zh-hans"
    assert enterprise_admin.email != "a@example.com"


def test_form_body_with_raw_invalid_bytes_is_refused(client, enterprise_admin):
    client.force_login(enterprise_admin)
    response = client.post(
        "/profile/",
        data=b"full_name=\xc3\x28&email=a%40example.com&language=en",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    enterprise_admin.refresh_from_db()
    assert enterprise_admin.language == "zh-hans"


def test_a_chinese_form_body_in_utf8_is_accepted(client, enterprise_admin):
    client.force_login(enterprise_admin)
    response = client.post(
        "/profile/",
        data=b"full_name=%E5%BC%A0%E4%B8%89&email="
        + enterprise_admin.email.replace("@", "%40").encode()
        + b"&language=zh-hans",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    enterprise_admin.refresh_from_db()
    assert enterprise_admin.full_name == "张三"


def test_multipart_text_field_with_invalid_bytes_is_refused(client, enterprise_admin):
    client.force_login(enterprise_admin)
    body = _multipart({"full_name": b"\xff\xfe\xfd", "email": b"a@example.com", "language": b"en"})
    response = client.post("/profile/", data=body, content_type=f"multipart/form-data; boundary={BOUNDARY}")
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
    enterprise_admin.refresh_from_db()
    assert enterprise_admin.language == "zh-hans"


def test_multipart_in_utf8_is_accepted(client, enterprise_admin):
    client.force_login(enterprise_admin)
    body = _multipart(
        {"full_name": "李四".encode(), "email": enterprise_admin.email.encode(), "language": b"zh-hans"}
    )
    response = client.post("/profile/", data=body, content_type=f"multipart/form-data; boundary={BOUNDARY}")
    assert response.status_code == 302
    enterprise_admin.refresh_from_db()
    assert enterprise_admin.full_name == "李四"


def test_json_with_invalid_bytes_is_refused_with_the_api_error_body(api_client, enterprise_admin):
    response = api_client.post(
        "/api/v1/auth/token/",
        data=b'{"username": "\xff\xfe", "password": "x"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_encoding"
    assert body["field"] is None
    assert "UTF-8" in body["message"]
    assert body["errors"] == [{"code": "invalid_encoding", "message": body["message"], "field": None}]
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.exists()


def test_json_with_invalid_bytes_on_an_authenticated_endpoint(api_as, enterprise_admin):
    response = api_as(enterprise_admin).post(
        "/api/v1/notifications/1/read/", data=b'{"x": "\xc0\xaf"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_encoding"
