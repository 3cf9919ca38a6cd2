"""Usernames (ADR 0022): NFKC everywhere one enters, ASCII only, no look-alike of an existing name; the login
page, the token endpoint and the lockout count all see the same normalised name."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import translation

from portal import accounts
from portal.auth import axes_username
from portal.models import Invitation, User
from portal.services import users as user_services
from tests import factories

pytestmark = pytest.mark.django_db

CYRILLIC = "\u0455eller_admin"  # ѕ: CYRILLIC SMALL LETTER DZE
FULL_WIDTH = "ｓｅｌｌｅｒ＿ａｄｍｉｎ"
WRONG = "not-the-password-1"
NEW_PASSWORD = "A-new-long-passphrase-42"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def seller(enterprise):
    return factories.UserFactory(username="seller_admin", organisation=enterprise, role="enterprise_admin")


def test_the_policy_normalises_full_width_and_sees_through_look_alikes():
    assert accounts.normalise_username(f" {FULL_WIDTH} ") == "seller_admin"
    skeleton = accounts.username_skeleton("seller_admin")
    for look_alike in (CYRILLIC, "Seller_Admin", "SELLER_ADMIN", "se11er_admin", "seIIer_admin", FULL_WIDTH):
        assert accounts.username_skeleton(look_alike) == skeleton, look_alike
    assert accounts.username_skeleton("seller_admln") == skeleton  # i and l
    assert accounts.username_skeleton("corner") == accounts.username_skeleton("comer")  # rn and m
    assert accounts.username_skeleton("seller_admin2") != skeleton


def test_other_scripts_are_refused_even_when_the_name_is_free():
    assert accounts.username_problems(CYRILLIC)  # no seller_admin exists here
    assert accounts.username_problems("张三")
    assert accounts.username_problems("seller admin")
    assert accounts.username_problems("seller_admin") == []


def test_a_look_alike_of_an_existing_name_is_refused(seller):
    for name in ("Seller_Admin", "se11er_admin", "seller_admln"):
        assert accounts.username_problems(name) == [str(accounts.username_taken_message())], name


def test_the_database_refuses_a_look_alike_whatever_path_writes_it(seller):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.UserFactory(username="SELLER_ADMIN", organisation=seller.organisation)


def test_the_skeleton_follows_a_rename(seller):
    seller.username = "seller_boss"
    seller.save(update_fields=["username"])
    seller.refresh_from_db()
    assert seller.username_key == accounts.username_skeleton("seller_boss")


# Invitation acceptance


def _invite(enterprise_admin) -> str:
    _invitation, raw = user_services.invitation_create(
        organisation=enterprise_admin.organisation,
        email="new.colleague@example.com",
        role="enterprise_operator",
        by=enterprise_admin,
    )
    return raw


def _accept(client, raw, username):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.post(
        f"/invitation/{raw}/",
        {"username": username, "full_name": "新同事", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


@pytest.mark.parametrize("username", [CYRILLIC, FULL_WIDTH, "Seller_Admin"])
def test_accepting_an_invitation_with_a_look_alike_username_is_a_field_error(
    client, seller, enterprise_admin, username
):
    raw = _invite(enterprise_admin)
    response = _accept(client, raw, username)
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not User.objects.filter(email="new.colleague@example.com").exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_full_width_username_is_stored_normalised_at_invitation(client, enterprise_admin):
    raw = _invite(enterprise_admin)
    response = _accept(client, raw, "ｎｅｗ＿ｏｎｅ")
    assert response.status_code == 302
    user = User.objects.get(email="new.colleague@example.com")
    assert user.username == "new_one"
    assert _login(Client(), "new_one", NEW_PASSWORD).status_code == 302


def test_a_username_taken_between_the_check_and_the_insert_is_a_field_error_not_a_500(
    enterprise_admin, seller, monkeypatch
):
    """The unique index answers a race the check cannot see; the service turns it into the field error."""
    raw = _invite(enterprise_admin)
    invitation = user_services.invitation_by_token(raw)
    monkeypatch.setattr(accounts, "username_problems", lambda name: [])
    with pytest.raises(ValidationError) as info:
        user_services.invitation_accept(
            invitation=invitation, username="Seller_Admin", password=NEW_PASSWORD, full_name="x"
        )
    assert "username" in info.value.error_dict


# Login page and lockout


def _login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_the_login_page_reads_a_full_width_username_as_its_ascii_account(client, seller):
    assert _login(client, FULL_WIDTH, factories.PASSWORD).status_code == 302
    assert client.get("/api/v1/me/").json()["username"] == "seller_admin"


def test_a_cyrillic_look_alike_does_not_log_in(client, seller):
    assert _login(client, CYRILLIC, factories.PASSWORD).status_code == 200


def test_full_width_failures_count_against_the_normalised_account(client, seller):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, FULL_WIDTH, WRONG)
    assert _login(Client(), "seller_admin", factories.PASSWORD).status_code == 429


def test_cyrillic_failures_do_not_lock_the_latin_account(client, seller):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        _login(client, CYRILLIC, WRONG)
    assert _login(Client(), "seller_admin", factories.PASSWORD).status_code == 302


def test_the_axes_username_is_normalised_from_credentials_and_from_the_raw_form():
    from django.test import RequestFactory

    assert axes_username(None, {"username": " ＳＥＬＬＥＲ＿ＡＤＭＩＮ "}) == "seller_admin"
    request = RequestFactory().post("/login/", {"username": FULL_WIDTH})
    assert axes_username(request) == "seller_admin"
    assert axes_username(None, {"username": CYRILLIC}) != "seller_admin"


# API token endpoint

TOKEN_URL = "/api/v1/auth/token/"


def _token(api_client, username, password):
    return api_client.post(TOKEN_URL, {"username": username, "password": password}, format="json")


def test_the_token_endpoint_reads_a_full_width_username_as_its_ascii_account(api_client, seller):
    response = _token(api_client, FULL_WIDTH, factories.PASSWORD)
    assert response.status_code == 201
    assert seller.api_tokens.count() == 1


def test_the_token_endpoint_refuses_a_cyrillic_look_alike(api_client, seller):
    response = _token(api_client, CYRILLIC, factories.PASSWORD)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_credentials")


def test_full_width_failures_on_the_api_lock_the_normalised_account_on_the_page(api_client, seller):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _token(api_client, FULL_WIDTH, WRONG)
    assert _token(api_client, "seller_admin", factories.PASSWORD).status_code == 429
    assert _login(Client(), "seller_admin", factories.PASSWORD).status_code == 429
