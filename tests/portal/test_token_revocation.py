"""A new password ends every API token of the account (change page, reset link, manage.py changepassword):
revoked, audited, said beforehand on the password pages and afterwards on the profile."""

import io
import re

import lxml.html
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from portal.choices import AuditVerb, TokenRevokedBecause
from portal.models import ApiToken, AuditEvent
from portal.services import tokens
from tests import factories

pytestmark = pytest.mark.django_db

NEW = "A-new-long-passphrase-42"


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def _text(response) -> str:
    main = lxml.html.fromstring(response.content.decode()).find(".//main")
    return " ".join(main.text_content().split())


def _works(raw: str) -> bool:
    return Client().get("/api/v1/me/", headers={"authorization": f"Token {raw}"}).status_code == 200


@pytest.fixture
def erp_tokens(enterprise_admin):
    """Two live tokens and one the user revoked himself earlier."""
    live = [tokens.token_create(user=enterprise_admin, name=name)[1] for name in ("Kingdee ERP", "WMS")]
    old, _raw = tokens.token_create(user=enterprise_admin, name="old script")
    tokens.token_revoke(token=old, by=enterprise_admin)
    old.refresh_from_db()
    return live, old


def _change(client, user, old=factories.PASSWORD):
    client.force_login(user)
    return client.post("/password/change/", {"old_password": old, "new_password1": NEW, "new_password2": NEW})


def test_changing_the_password_revokes_every_live_token_and_audits_each(
    client, enterprise_admin, enterprise_operator, erp_tokens
):
    (erp, wms), old = erp_tokens
    colleague = tokens.token_create(user=enterprise_operator, name="colleague")[1]
    assert _works(erp) and _works(wms)

    response = _change(client, enterprise_admin)

    assert response.status_code == 302
    assert not _works(erp) and not _works(wms)
    assert _works(colleague)  # another user's tokens are not touched
    revoked = ApiToken.objects.filter(
        user=enterprise_admin, revoked_reason=TokenRevokedBecause.PASSWORD_CHANGE
    )
    assert revoked.count() == 2
    untouched = ApiToken.objects.get(pk=old.pk)
    assert (untouched.revoked_at, untouched.revoked_reason) == (old.revoked_at, TokenRevokedBecause.MANUAL)
    events = AuditEvent.objects.filter(verb=AuditVerb.TOKEN_REVOKE, payload__reason="password_change")
    assert sorted(e.payload["token"] for e in events) == sorted(t.prefix for t in revoked)
    assert {e.actor for e in events} == {enterprise_admin}


def test_after_the_change_the_profile_says_the_tokens_were_revoked_by_it(
    client, enterprise_admin, erp_tokens
):
    response = _change(client, enterprise_admin)
    profile = client.get(response["Location"])
    text = _text(profile)
    assert "Your password was changed" in text
    assert "2 API tokens were revoked" in text
    assert text.count("Revoked because the password was changed") == 2
    assert text.count("Revoked") == 3  # every row: two by the password, one by hand


def test_the_change_page_says_beforehand_how_many_tokens_will_be_revoked(
    client, enterprise_admin, erp_tokens
):
    client.force_login(enterprise_admin)
    text = _text(client.get("/password/change/"))
    assert "revokes your 2 API tokens" in text


def test_a_refused_change_revokes_nothing(client, enterprise_admin, erp_tokens):
    (erp, _wms), _old = erp_tokens
    response = _change(client, enterprise_admin, old="not-the-password-1")
    assert response.status_code == 200
    assert _works(erp)
    assert not AuditEvent.objects.filter(
        verb=AuditVerb.TOKEN_REVOKE, payload__reason="password_change"
    ).exists()


def test_the_change_and_the_revocation_commit_together(client, enterprise_admin, erp_tokens, monkeypatch):
    (erp, _wms), _old = erp_tokens

    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr("portal.services.tokens.audit", broken)
    with pytest.raises(RuntimeError):
        _change(client, enterprise_admin)
    enterprise_admin.refresh_from_db()
    assert enterprise_admin.check_password(factories.PASSWORD)  # the new password was not kept either
    assert _works(erp)


def _reset_link(client, user) -> str:
    client.post("/password/reset/", {"email": user.email})
    return re.search(r"https?://[^/\s]+(/password/reset/[^\s]+/)", mail.outbox[-1].body).group(1)


def test_resetting_the_password_revokes_every_live_token(client, enterprise_admin, erp_tokens):
    (erp, wms), _old = erp_tokens
    form_page = client.get(_reset_link(client, enterprise_admin), follow=True)
    assert "revokes every API token" in _text(form_page)
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    assert not _works(erp) and not _works(wms)
    assert (
        ApiToken.objects.filter(
            user=enterprise_admin, revoked_reason=TokenRevokedBecause.PASSWORD_RESET
        ).count()
        == 2
    )
    events = AuditEvent.objects.filter(verb=AuditVerb.TOKEN_REVOKE, payload__reason="password_reset")
    assert events.count() == 2
    assert "API tokens of the account were revoked" in _text(client.get(done["Location"]))


def test_the_reset_request_page_says_tokens_will_be_revoked(client):
    assert "revokes every API token" in _text(client.get("/password/reset/"))


def test_a_password_set_by_manage_py_changepassword_ends_the_tokens_too(
    client, enterprise_admin, erp_tokens, monkeypatch
):
    """Django's own command knows nothing of tokens: older tokens are refused, then revoked on first use."""
    from django.contrib.auth.management.commands import changepassword

    (erp, wms), _old = erp_tokens
    monkeypatch.setattr(changepassword.Command, "_get_pass", lambda self, prompt="": NEW)
    call_command("changepassword", enterprise_admin.username, stdout=io.StringIO())
    enterprise_admin.refresh_from_db()
    assert enterprise_admin.check_password(NEW)

    client.force_login(enterprise_admin)
    assert _text(client.get("/profile/")).count("Revoked because the password was changed") == 2
    assert not _works(erp)
    assert not _works(wms)
    revoked = ApiToken.objects.filter(
        user=enterprise_admin, revoked_reason=TokenRevokedBecause.PASSWORD_CHANGE
    )
    assert revoked.count() == 2
    events = AuditEvent.objects.filter(verb=AuditVerb.TOKEN_REVOKE, payload__reason="password_change")
    assert events.count() == 2
    assert {e.actor_label for e in events} == {"system:auth"}


def test_a_token_obtained_after_the_new_password_works(client, enterprise_admin, erp_tokens):
    _change(client, enterprise_admin)
    fresh = tokens.token_create(user=enterprise_admin, name="new ERP token")[1]
    assert _works(fresh)


def test_logging_in_with_an_upgraded_password_hash_is_not_a_new_password(
    settings, enterprise_admin, erp_tokens
):
    """Django re-hashes a password when the hasher's cost rises; that must not end the user's tokens."""
    (erp, _wms), _old = erp_tokens
    settings.PASSWORD_HASHERS = [
        "tests.portal.test_token_revocation.CostlierHasher",
        *settings.PASSWORD_HASHERS,
    ]
    assert (
        Client()
        .post("/login/", {"username": enterprise_admin.username, "password": factories.PASSWORD})
        .status_code
        == 302
    )
    enterprise_admin.refresh_from_db()
    assert enterprise_admin.password.startswith(CostlierHasher.algorithm)  # re-hashed
    assert _works(erp)


class CostlierHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_costlier"
    iterations = 1000
