"""The contract between accounts and the apps whose records belong to an account (``accounts.hooks``,
ADR 0026): registration registers its answers, and any other app's answers are consulted as well."""

import pytest

from accounts import hooks
from accounts.services import claims
from registration.services import holding
from tests.registration.test_claims import _age, _signup

pytestmark = pytest.mark.django_db


def test_registration_answers_every_question_accounts_asks():
    registered = hooks._HOOKS["registration"]
    assert registered.takeover_blocked is holding.takeover_blocked
    assert registered.in_force is holding.in_force
    assert registered.on_retired is holding.on_retired
    assert registered.on_credit_code is holding.on_credit_code


def test_another_app_can_keep_an_account_from_being_taken_over():
    org, _admin = _signup("waiting")
    _age(org, 30)
    assert claims.claimable(org)
    asked = []

    def busy(organisation, *, cutoff):
        asked.append((organisation.pk, cutoff is not None))
        return True

    hooks.register_holding_hooks("another_app", takeover_blocked=busy, in_force=lambda o: ["X-1"])
    try:
        assert not claims.claimable(org)
        assert asked == [(org.pk, True)]
        assert hooks.in_force(org) == ["X-1"]
    finally:
        del hooks._HOOKS["another_app"]
    assert claims.claimable(org)
