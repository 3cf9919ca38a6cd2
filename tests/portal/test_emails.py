"""Email addresses (ADR 0022): changing one needs the current password and is told to the old address; one
address belongs to one active account, case-insensitively, and a clash is a field error, never a 500."""

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import translation

from portal import accounts
from portal.choices import AuditVerb
from portal.models import AuditEvent, Invitation, User
from portal.services import users as user_services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def _save_profile(client, user, **changes):
    client.force_login(user)
    data = {"full_name": user.full_name, "email": user.email, "phone": "", "language": "en", **changes}
    return client.post("/profile/", data)


def _errors(response, field) -> list[str]:
    """The field's errors in English (a request deactivates the test's language when it ends)."""
    with translation.override("en"):
        return [str(e) for e in response.context["form"].errors.get(field, [])]


def _unusable() -> list[str]:
    with translation.override("en"):
        return [str(accounts.email_unusable_message())]


def test_changing_the_email_without_the_current_password_changes_nothing(client, enterprise_admin):
    before = enterprise_admin.email
    response = _save_profile(client, enterprise_admin, email="new@example.com")
    assert response.status_code == 200
    assert _errors(response, "current_password")
    enterprise_admin.refresh_from_db()
    assert enterprise_admin.email == before
    assert not mail.outbox


def test_changing_the_email_with_a_wrong_password_changes_nothing(client, enterprise_admin):
    response = _save_profile(
        client, enterprise_admin, email="new@example.com", current_password="not-the-password-1"
    )
    assert _errors(response, "current_password") == ["The password is not correct."]
    enterprise_admin.refresh_from_db()
    assert enterprise_admin.email != "new@example.com"


def test_other_details_need_no_password(client, enterprise_admin):
    response = _save_profile(client, enterprise_admin, full_name="王五")
    assert response.status_code == 302
    enterprise_admin.refresh_from_db()
    assert enterprise_admin.full_name == "王五"


def test_a_new_email_with_the_password_is_saved_audited_and_told_to_the_old_address(
    client, enterprise_admin, django_capture_on_commit_callbacks
):
    old = enterprise_admin.email
    with django_capture_on_commit_callbacks(execute=True):
        response = _save_profile(
            client, enterprise_admin, email=" New.Address@Example.com ", current_password=factories.PASSWORD
        )
    assert response.status_code == 302
    enterprise_admin.refresh_from_db()
    assert enterprise_admin.email == "new.address@example.com"
    [message] = mail.outbox
    assert message.to == [old]
    assert enterprise_admin.username in message.body
    assert "ne***@example.com" in message.body and "new.address@example.com" not in message.body
    event = AuditEvent.objects.get(verb=AuditVerb.UPDATE, actor=enterprise_admin)
    assert event.payload["email"] == {"from": old, "to": "new.address@example.com"}
    assert "current_password" not in event.payload["fields"]


@pytest.mark.parametrize("taken", ["colleague@example.com", "COLLEAGUE@example.com"])
def test_another_active_accounts_address_cannot_be_taken(client, enterprise_admin, other_admin, taken):
    User.objects.filter(pk=other_admin.pk).update(email="colleague@example.com")
    response = _save_profile(client, enterprise_admin, email=taken, current_password=factories.PASSWORD)
    assert response.status_code == 200
    assert _errors(response, "email") == _unusable()
    assert other_admin.username not in response.content.decode()
    enterprise_admin.refresh_from_db()
    assert enterprise_admin.email != "colleague@example.com"
    assert not mail.outbox


def test_a_clash_only_the_database_sees_on_the_profile_is_a_field_error(
    client, enterprise_admin, other_admin, monkeypatch
):
    monkeypatch.setattr(accounts, "email_in_use", lambda *args, **kwargs: False)
    response = _save_profile(
        client, enterprise_admin, email=other_admin.email.upper(), current_password=factories.PASSWORD
    )
    assert response.status_code == 200
    assert _errors(response, "email") == _unusable()


def test_the_database_keeps_active_addresses_unique_case_insensitively(enterprise_admin):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.UserFactory(email=enterprise_admin.email.upper())
    factories.UserFactory(email=enterprise_admin.email.upper(), is_active=False)  # inactive ones may share
    factories.UserFactory(email="")  # and so may accounts without an address
    factories.UserFactory(email="")


def test_an_invitation_for_an_address_taken_before_acceptance_is_refused_cleanly(
    client, enterprise_admin, other_admin
):
    _invitation, raw = user_services.invitation_create(
        organisation=enterprise_admin.organisation,
        email="Shared@Example.com",
        role="enterprise_operator",
        by=enterprise_admin,
    )
    User.objects.filter(pk=other_admin.pk).update(email="shared@example.com")
    password = "A-new-long-passphrase-42"
    response = client.post(
        f"/invitation/{raw}/",
        {"username": "newbie", "full_name": "新人", "password1": password, "password2": password},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not User.objects.filter(username="newbie").exists()
    assert Invitation.objects.get().accepted_at is None


def test_reactivating_an_account_whose_address_was_taken_keeps_it_marked_shared(
    client, enterprise_admin, enterprise_operator
):
    user_services.user_set_active(user=enterprise_operator, active=False, by=enterprise_admin)
    factories.UserFactory(email=enterprise_operator.email.upper())
    client.force_login(enterprise_admin)
    response = client.post(f"/team/{enterprise_operator.pk}/reactivate/")
    assert response.status_code == 302
    enterprise_operator.refresh_from_db()
    assert enterprise_operator.is_active and enterprise_operator.email_shared


def test_an_account_with_a_shared_address_is_asked_to_change_it_and_the_change_clears_the_mark(
    client, enterprise_admin
):
    User.objects.filter(pk=enterprise_admin.pk).update(email_shared=True)
    enterprise_admin.refresh_from_db()
    client.force_login(enterprise_admin)
    assert "also used by another account" in client.get("/profile/").content.decode()
    response = _save_profile(
        client, enterprise_admin, email="mine.alone@example.com", current_password=factories.PASSWORD
    )
    assert response.status_code == 302
    enterprise_admin.refresh_from_db()
    assert not enterprise_admin.email_shared
    assert "also used by another account" not in client.get("/profile/").content.decode()
