"""Issue 8 §3: no uniqueness rule answers 500. Races that slip past a service's own check are a 409 that names
no table, constraint or other organisation; expected clashes are field errors."""

import pytest
from django.db import IntegrityError

from registration import services
from registration.models import ReturnReason
from registration.services import reasons as reason_services
from tests.registration import builders

pytestmark = pytest.mark.django_db

LEAKS = ("registration_", "UNIQUE", "unique", "constraint", "identity_key", "IntegrityError")


def _racing(monkeypatch, target, name):
    def clash(**kwargs):
        raise IntegrityError("UNIQUE constraint failed: registration_entityfiling.identity_key")

    monkeypatch.setattr(target, name, clash)


def test_a_race_on_a_page_is_a_409_in_the_users_language(client, monkeypatch, enterprise_admin):
    filing = builders.draft(enterprise_admin)
    _racing(monkeypatch, services, "filing_submit")
    client.force_login(enterprise_admin)
    client.cookies["portal_language"] = "en"
    response = client.post(f"/registration/filings/{filing.pk}/edit/submit/")
    assert response.status_code == 409
    text = response.content.decode()
    assert "conflicts with a record saved at the same moment" in text
    assert not any(word in text for word in LEAKS)


def test_a_race_in_the_api_is_a_409_conflict_body(api_as, monkeypatch, enterprise_admin):
    filing = builders.draft(enterprise_admin)
    _racing(monkeypatch, services, "filing_submit")
    response = api_as(enterprise_admin).post(
        f"/api/v1/registration/filings/{filing.pk}/submit/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["field"]) == ("conflict", None)
    assert "冲突" in body["message"]
    assert not any(word in str(body) for word in LEAKS)


def test_two_supervisors_adding_one_return_reason_get_a_field_error(monkeypatch, supervisor):
    """The existence check passes for both; the database refuses the second insert."""
    reason_services.reason_add(code="LATE_DOC", label_zh="材料逾期", label_en="Late documents", by=supervisor)
    monkeypatch.setattr(ReturnReason.objects, "filter", lambda **kw: ReturnReason.objects.none())
    with pytest.raises(Exception) as refused:
        reason_services.reason_add(
            code="LATE_DOC", label_zh="材料逾期", label_en="Late documents", by=supervisor
        )
    assert refused.type.__name__ == "ValidationError"
    assert "code" in refused.value.error_dict
