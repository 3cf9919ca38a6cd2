"""Logging in and out, wrong passwords, lockout, password change and reset, CSRF."""

import re

import lxml.html
import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from portal.choices import AuditVerb
from portal.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-1"


def _login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def _main_text(response) -> str:
    """The visible text of <main>, whitespace-normalised (request ids and tokens are not in it)."""
    main = lxml.html.fromstring(response.content.decode()).find(".//main")
    return " ".join(main.text_content().split())


def _logged_in(client) -> bool:
    return client.get("/").status_code == 200


def test_login_with_the_form_then_logout_by_post(client, enterprise_admin):
    response = _login(client, enterprise_admin.username, factories.PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _logged_in(client)

    assert client.get("/logout/").status_code == 405  # a link or an <img> cannot log anyone out
    assert _logged_in(client)

    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert not _logged_in(client)


def test_login_follows_a_local_next_but_not_a_foreign_one(client, enterprise_admin):
    data = {"username": enterprise_admin.username, "password": factories.PASSWORD}
    assert client.post("/login/?next=/inbox/", data)["Location"] == "/inbox/"
    client.post("/logout/")
    assert client.post("/login/?next=https://evil.example/", data)["Location"] == "/"


def test_wrong_password_and_unknown_user_get_the_same_answer(client, enterprise_admin):
    wrong_password = _login(client, enterprise_admin.username, WRONG)
    unknown_user = _login(client, "no-such-user", WRONG)

    assert wrong_password.status_code == unknown_user.status_code == 200
    known_errors = wrong_password.context["form"].non_field_errors()
    assert known_errors == unknown_user.context["form"].non_field_errors()
    assert len(known_errors) == 1
    # Apart from the username echoed back into its own input, the pages are identical.
    known_text = _main_text(wrong_password)
    assert known_text == _main_text(unknown_user)
    assert known_errors[0] in known_text
    assert not _logged_in(client)


def test_inactive_user_gets_the_same_answer_as_a_wrong_password(client, enterprise_admin):
    enterprise_admin.is_active = False
    enterprise_admin.save(update_fields=["is_active"])
    inactive = _login(client, enterprise_admin.username, factories.PASSWORD)
    unknown = _login(client, "no-such-user", WRONG)
    assert inactive.status_code == 200
    assert _main_text(inactive) == _main_text(unknown)
    assert not _logged_in(client)


def _fail_until_locked(client, username) -> list[int]:
    return [_login(client, username, WRONG).status_code for _ in range(settings.AXES_FAILURE_LIMIT)]


def test_lockout_after_the_failure_limit_even_with_the_right_password(client, enterprise_admin):
    statuses = _fail_until_locked(client, enterprise_admin.username)
    assert statuses[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429

    response = _login(client, enterprise_admin.username, factories.PASSWORD)
    assert response.status_code == 429
    assert "portal/auth/locked_out.html" in [t.name for t in response.templates]
    assert not _logged_in(client)


def test_the_lockout_page_is_the_same_for_an_unknown_username(client, enterprise_admin):
    _fail_until_locked(client, enterprise_admin.username)
    known = _login(client, enterprise_admin.username, factories.PASSWORD)
    _fail_until_locked(client, "ghost-user")
    unknown = _login(client, "ghost-user", WRONG)
    assert known.status_code == unknown.status_code == 429
    assert _main_text(known) == _main_text(unknown)
    assert enterprise_admin.username not in known.content.decode()


def test_lockout_counts_case_and_whitespace_variants_as_one_username(client, enterprise_admin):
    username = enterprise_admin.username
    variants = [username.upper(), f" {username}", username.title(), f"{username} ", username]
    statuses = [_login(client, v, WRONG).status_code for v in variants[: settings.AXES_FAILURE_LIMIT]]
    assert statuses[-1] == 429
    assert _login(client, username, factories.PASSWORD).status_code == 429


def test_a_locked_account_does_not_stop_colleagues_at_the_same_address(
    client, enterprise_admin, enterprise_operator
):
    """Colleagues behind one office address keep working while one account is locked there (ADR 0005)."""
    _fail_until_locked(client, enterprise_admin.username)
    colleague = Client()
    assert _login(colleague, enterprise_operator.username, factories.PASSWORD).status_code == 302


def test_a_successful_login_resets_the_failure_count(client, enterprise_admin):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, enterprise_admin.username, WRONG)
    assert _login(client, enterprise_admin.username, factories.PASSWORD).status_code == 302
    client.post("/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, enterprise_admin.username, WRONG).status_code == 200
    assert _login(client, enterprise_admin.username, factories.PASSWORD).status_code == 302


def test_password_change_keeps_the_session_and_is_audited(client, enterprise_admin):
    _login(client, enterprise_admin.username, factories.PASSWORD)
    new = "A-new-long-passphrase-42"
    response = client.post(
        "/password/change/",
        {"old_password": factories.PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert response["Location"] == "/profile/"
    enterprise_admin.refresh_from_db()
    assert enterprise_admin.check_password(new)
    assert client.get("/profile/").status_code == 200  # still logged in
    assert AuditEvent.objects.filter(verb=AuditVerb.PASSWORD_CHANGE, actor=enterprise_admin).count() == 1


def test_password_change_with_a_wrong_old_password_changes_nothing(client, enterprise_admin):
    _login(client, enterprise_admin.username, factories.PASSWORD)
    new = "A-new-long-passphrase-42"
    response = client.post(
        "/password/change/", {"old_password": WRONG, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    enterprise_admin.refresh_from_db()
    assert enterprise_admin.check_password(factories.PASSWORD)
    assert not AuditEvent.objects.filter(verb=AuditVerb.PASSWORD_CHANGE).exists()


def test_password_change_needs_a_login(client):
    response = client.get("/password/change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_password_reset_by_email_link(client, enterprise_admin):
    response = client.post("/password/reset/", {"email": enterprise_admin.email})
    assert response.status_code == 302
    assert response["Location"] == "/password/reset/sent/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [enterprise_admin.email]
    link = re.search(r"https?://[^/\s]+(/password/reset/[^\s]+/)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    new = "Reset-passphrase-2026"
    done = client.post(set_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert done["Location"] == "/password/reset/complete/"

    enterprise_admin.refresh_from_db()
    assert enterprise_admin.check_password(new)
    assert AuditEvent.objects.filter(verb=AuditVerb.PASSWORD_RESET, actor=enterprise_admin).exists()
    assert client.get(link).context["validlink"] is False  # the link works once
    assert _login(client, enterprise_admin.username, new).status_code == 302


def test_the_password_reset_link_is_built_on_site_url_not_on_the_host_header(
    client, enterprise_admin, settings
):
    """A reset requested with a forged Host header still mails a link to the portal (Host poisoning)."""
    settings.SITE_URL = "https://portal.zjcbec.example"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]  # a host the portal also answers for
    response = client.post(
        "/password/reset/", {"email": enterprise_admin.email}, headers={"host": "evil.example"}
    )
    assert response.status_code == 302
    body = mail.outbox[0].body
    assert "evil.example" not in body
    assert re.search(r"^https://portal\.zjcbec\.example/password/reset/[^\s/]+/[^\s/]+/$", body, re.M)


def test_password_reset_for_an_unknown_email_answers_identically(client, enterprise_admin):
    known = client.post("/password/reset/", {"email": enterprise_admin.email})
    unknown = client.post("/password/reset/", {"email": "nobody@nowhere.example"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1  # only the known address got a message
    assert _main_text(client.get(known["Location"])) == _main_text(client.get(unknown["Location"]))


def test_login_post_without_csrf_token_is_refused_with_the_portal_page(enterprise_admin):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": enterprise_admin.username, "password": factories.PASSWORD})
    assert response.status_code == 403
    assert "portal/error.html" in [t.name for t in response.templates]
    assert not _logged_in(client)


def test_logged_in_post_without_csrf_token_changes_nothing(enterprise_admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(enterprise_admin)
    response = client.post("/profile/", {"full_name": "改名", "email": "x@example.com", "language": "en"})
    assert response.status_code == 403
    enterprise_admin.refresh_from_db()
    assert enterprise_admin.full_name != "改名"
    assert enterprise_admin.language == "zh-hans"


def test_login_with_the_csrf_token_from_the_page_works(enterprise_admin):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/login/")
    token = lxml.html.fromstring(page.content.decode()).xpath("//main//input[@name='csrfmiddlewaretoken']")
    response = client.post(
        "/login/",
        {
            "username": enterprise_admin.username,
            "password": factories.PASSWORD,
            "csrfmiddlewaretoken": token[0].get("value"),
        },
    )
    assert response.status_code == 302
