"""Password guessing is slowed per client address and locked per (username, address), with a per-username
ceiling across addresses, so nobody gets a button that locks someone else's account (ADR 0005)."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from rest_framework.test import APIClient

from portal.choices import AuditVerb
from portal.models import ApiToken, AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-1"
ATTACKER, OWNER, OTHER = "203.0.113.7", "198.51.100.20", "192.0.2.33"
TOKEN_URL = "/api/v1/auth/token/"


def _login(username, password, address, **extra):
    return Client(REMOTE_ADDR=address, **extra).post("/login/", {"username": username, "password": password})


def _token(username, password, address, **extra):
    client = APIClient(REMOTE_ADDR=address, **extra)
    return client.post(TOKEN_URL, {"username": username, "password": password}, format="json")


# --- lockout per (username, address) ---------------------------------------------------------------------
def test_failures_from_one_address_do_not_lock_the_account_elsewhere(enterprise_admin):
    """Five wrong passwords from an attacker's address no longer lock the reviewer out of their own office."""
    statuses = [_login(enterprise_admin.username, WRONG, ATTACKER).status_code for _ in range(5)]
    assert statuses[-1] == 429
    assert _login(enterprise_admin.username, factories.PASSWORD, ATTACKER).status_code == 429
    assert _login(enterprise_admin.username, factories.PASSWORD, OWNER).status_code == 302
    assert _token(enterprise_admin.username, factories.PASSWORD, OWNER).status_code == 201


def test_the_pair_lockout_is_shared_by_the_page_and_the_api(enterprise_admin):
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        _token(enterprise_admin.username, WRONG, ATTACKER)
    assert _login(enterprise_admin.username, factories.PASSWORD, ATTACKER).status_code == 429
    assert not ApiToken.objects.exists()


# --- ceiling per username, across addresses ----------------------------------------------------------------
def test_many_addresses_together_lock_the_username_for_everyone(enterprise_admin, settings):
    """Distributed guessing stays bounded: past the ceiling the username is locked whatever the address."""
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 8
    for address in ("203.0.113.1", "203.0.113.2"):
        for _ in range(4):  # under the pair limit at each address
            assert _login(enterprise_admin.username, WRONG, address).status_code == 200
    locked = _login(enterprise_admin.username, factories.PASSWORD, OWNER)
    assert locked.status_code == 429
    assert "portal/auth/locked_out.html" in [t.name for t in locked.templates]
    api = _token(enterprise_admin.username, factories.PASSWORD, OWNER)
    assert (api.status_code, api.json()["code"]) == (429, "locked_out")


def test_one_address_cannot_push_a_username_over_the_ceiling(enterprise_admin, settings):
    """Refusals of a locked pair are not password checks: they do not count towards the ceiling."""
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 8
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 0  # the address throttle would stop the loop first
    for _ in range(15):  # 5 password checks, then 10 refusals of the locked pair
        _login(enterprise_admin.username, WRONG, ATTACKER)
    assert _login(enterprise_admin.username, factories.PASSWORD, OWNER).status_code == 302


def test_the_ceiling_answer_is_the_same_for_an_unknown_username(enterprise_admin, settings):
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 2
    for name in (enterprise_admin.username, "ghost-user"):
        for address in ("203.0.113.1", "203.0.113.2"):
            _login(name, WRONG, address)
    known = _token(enterprise_admin.username, factories.PASSWORD, OWNER)
    unknown = _token("ghost-user", WRONG, OWNER)
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())


# --- throttle per client address ---------------------------------------------------------------------------
def _spray(limit: int, address: str, via=_login):
    """Wrong passwords for ``limit`` different usernames (no pair lockout is reached)."""
    return [via(f"user-{n}", WRONG, address).status_code for n in range(limit)]


@pytest.fixture(autouse=True)
def _clock_inside_one_window(clock):
    """The address counts live in windows of a minute: a test that crossed a window's end while counting would
    start again from zero (seen at a shifted date). Each test starts at the same moment inside a window."""
    clock("2026-03-02 10:00:05")


def test_an_address_with_too_many_failures_gets_429_in_chinese_without_a_password_check(
    enterprise_admin, settings
):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    assert _spray(6, ATTACKER) == [200] * 6
    audited = AuditEvent.objects.filter(verb=AuditVerb.LOGIN_FAILED).count()

    response = _login(enterprise_admin.username, factories.PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= settings.LOGIN_ADDRESS_WINDOW_SECONDS
    assert "portal/auth/throttled.html" in [t.name for t in response.templates]
    assert "您所在网络的登录失败次数过多" in response.content.decode()
    assert AuditEvent.objects.filter(verb=AuditVerb.LOGIN_FAILED).count() == audited  # never authenticated
    assert not AuditEvent.objects.filter(verb=AuditVerb.LOGIN).exists()

    assert _login(enterprise_admin.username, factories.PASSWORD, OTHER).status_code == 302


def test_the_api_and_the_page_share_the_address_count(enterprise_admin, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    _spray(3, ATTACKER, via=_token)
    _spray(3, ATTACKER)
    response = _token(enterprise_admin.username, factories.PASSWORD, ATTACKER, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    body = response.json()
    assert set(body) == {"code", "message", "field", "errors"}
    assert body["code"] == "throttled"
    assert body["message"].startswith("Too many failed sign-in attempts from your network.")
    assert body["errors"] == [{"code": "throttled", "message": body["message"], "field": None}]
    assert "Retry-After" in response
    assert not ApiToken.objects.exists()


def test_successful_logins_do_not_count_so_an_office_behind_one_address_keeps_working(enterprise, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    colleagues = [
        factories.UserFactory(organisation=enterprise, role="enterprise_operator") for _ in range(5)
    ]
    _spray(2, OWNER)
    assert [_login(u.username, factories.PASSWORD, OWNER).status_code for u in colleagues] == [302] * 5


def test_the_address_may_try_again_when_the_window_has_passed(enterprise_admin, settings, clock):
    clock("2026-03-02 10:00:05")
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    _spray(3, ATTACKER)
    assert _login(enterprise_admin.username, factories.PASSWORD, ATTACKER).status_code == 429
    clock("2026-03-02 10:01:05")
    assert _login(enterprise_admin.username, factories.PASSWORD, ATTACKER).status_code == 302


def test_a_forged_x_forwarded_for_does_not_reset_the_count_without_trusted_proxies(
    enterprise_admin, settings
):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for n in range(3):
        _login(f"user-{n}", WRONG, ATTACKER, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    forged = _login(enterprise_admin.username, factories.PASSWORD, ATTACKER, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert forged.status_code == 429


def test_behind_trusted_proxies_the_address_the_proxy_saw_counts(enterprise_admin, settings):
    """TRUSTED_PROXY_COUNT=1: the proxy appends the client's address; what the client wrote before it is not
    trusted, and everyone arrives from the proxy's own address."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    proxy = "10.0.0.1"
    for n in range(3):
        _login(f"user-{n}", WRONG, proxy, HTTP_X_FORWARDED_FOR=f"10.7.7.{n}, {ATTACKER}")
    attacker = _login(enterprise_admin.username, factories.PASSWORD, proxy, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert attacker.status_code == 429
    owner = _login(enterprise_admin.username, factories.PASSWORD, proxy, HTTP_X_FORWARDED_FOR=OWNER)
    assert owner.status_code == 302


def test_addresses_of_one_ipv6_network_count_together(enterprise_admin, settings):
    """An IPv6 client holds a whole /64: rotating addresses inside it must not reset the count."""
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for n in range(3):
        _login(f"user-{n}", WRONG, f"2001:db8:1:2::{n + 1:x}")
    assert _login(enterprise_admin.username, factories.PASSWORD, "2001:db8:1:2:ffff::9").status_code == 429
    assert _login(enterprise_admin.username, factories.PASSWORD, "2001:db8:1:3::1").status_code == 302
