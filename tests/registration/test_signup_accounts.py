"""Sign-up and the account rules of ADR 0022: usernames normalised and not look-alikes, email addresses of
one active account only, and a clash found by the database a field error, never a 500."""

import pytest
from django.utils import translation

from portal import accounts
from portal.identifiers import make_uscc
from portal.models import Organisation, User
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "a-Long-enough-passphrase-42"
CYRILLIC = "\u0455eller_admin"
FULL_WIDTH = "ｓｅｌｌｅｒ＿ａｄｍｉｎ"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _post(client, *, username="new_admin", email="new.admin@example.com", n=1):
    client.cookies["portal_language"] = "en"
    return client.post(
        "/registration/signup/",
        {
            "uscc": make_uscc("91", "330782", f"MA2KQU{n:02d}"),
            "name_cn": "义乌市新电子商务有限公司",
            "division_code": "",
            "full_name": "新 法人",
            "username": username,
            "email": email,
            "phone": "13900000000",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def _field_errors(response, field) -> list[str]:
    """The field's errors in English (a request deactivates the test's language when it ends)."""
    with translation.override("en"):
        return [str(e) for e in response.context["form"].errors.get(field, [])]


def _unusable() -> list[str]:
    with translation.override("en"):
        return [str(accounts.email_unusable_message())]


@pytest.fixture
def seller(enterprise):
    return factories.UserFactory(username="seller_admin", email="li.si@example.com", organisation=enterprise)


@pytest.mark.parametrize("username", [CYRILLIC, FULL_WIDTH, "Seller_Admin", "se11er_admin"])
def test_a_look_alike_of_an_existing_username_is_refused_at_sign_up(client, seller, username):
    response = _post(client, username=username)
    assert response.status_code == 200
    assert _field_errors(response, "username")
    assert not Organisation.objects.filter(name_cn="义乌市新电子商务有限公司").exists()
    assert User.objects.count() == 1


def test_a_cyrillic_username_is_refused_even_when_no_latin_twin_exists(client):
    response = _post(client, username=CYRILLIC)
    assert response.status_code == 200
    assert "Latin letters" in " ".join(_field_errors(response, "username"))
    assert not User.objects.exists()


def test_a_full_width_username_is_stored_in_its_normalised_form(client):
    response = _post(client, username=FULL_WIDTH)
    assert response.status_code == 302
    assert User.objects.get().username == "seller_admin"


@pytest.mark.parametrize("email", ["li.si@example.com", "LI.SI@Example.COM", " li.si@example.com "])
def test_an_address_of_an_active_account_cannot_sign_up_again(client, seller, email):
    response = _post(client, email=email)
    assert response.status_code == 200
    errors = _field_errors(response, "email")
    assert errors == _unusable()
    assert seller.username not in response.content.decode()  # says nothing of whose it is
    assert User.objects.count() == 1


def test_an_address_of_a_deactivated_account_may_be_used_again(client, seller):
    User.objects.filter(pk=seller.pk).update(is_active=False)
    assert _post(client, email="Li.Si@example.com").status_code == 302
    assert User.objects.get(username="new_admin").email == "li.si@example.com"


def test_a_clash_only_the_database_sees_is_a_field_error_and_leaves_nothing(client, seller, monkeypatch):
    """Two sign-ups with one address at the same moment: the unique index decides, the page explains."""
    monkeypatch.setattr(accounts, "email_in_use", lambda *args, **kwargs: False)
    response = _post(client, email="LI.SI@example.com")
    assert response.status_code == 200
    assert _field_errors(response, "email") == _unusable()
    assert not Organisation.objects.filter(name_cn="义乌市新电子商务有限公司").exists()
    assert User.objects.count() == 1
