"""Concurrency on PostgreSQL: two approvals at once (one wins, one gets 409) and filing numbers under load."""

import threading

import pytest
from django.db import close_old_connections, connection

from accounts import services as account_services
from portal.statemachine import TransitionNotAllowed
from registration import services
from registration.choices import FilingStatus
from registration.models import EntityFiling, QualificationTask
from tests import factories
from tests.registration import builders

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(n: int, work) -> list:
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except Exception as exc:  # collected and asserted by the test
            results[i] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_double_approval_one_wins_the_other_is_409(api_as, enterprise_admin, reviewer):
    filing = builders.under_review(enterprise_admin, reviewer)

    def approve(_i):
        return (
            api_as(reviewer)
            .post(f"/api/v1/registration/filings/{filing.pk}/approve/", {}, format="json")
            .status_code
        )

    codes = sorted(_race(2, approve))
    assert codes == [200, 409]
    assert EntityFiling.objects.get(pk=filing.pk).status == FilingStatus.APPROVED
    assert QualificationTask.objects.filter(filing=filing).count() == 6  # one set of tasks, not two


def test_double_approval_in_services(enterprise_admin, reviewer):
    filing = builders.under_review(enterprise_admin, reviewer)
    results = _race(2, lambda _i: services.filing_approve(filing=filing, by=reviewer))
    assert sum(isinstance(r, EntityFiling) for r in results) == 1
    assert sum(isinstance(r, TransitionNotAllowed) for r in results) == 1


def test_filing_numbers_are_unique_under_concurrent_submissions():
    admins = [
        factories.UserFactory(organisation=factories.EnterpriseFactory(), role="enterprise_admin")
        for _ in range(6)
    ]
    drafts = [builders.draft(admin) for admin in admins]
    results = _race(6, lambda i: services.filing_submit(filing=drafts[i], by=admins[i]).filing_no)
    assert all(isinstance(r, str) for r in results), results
    assert len(set(results)) == 6
    assert sorted(int(r[-8:]) for r in results) == [1, 2, 3, 4, 5, 6]


def test_two_concurrent_new_filings_of_one_role_one_wins(api_as, enterprise_admin):
    """Both requests pass the duplicate-role check; the database constraint lets only one through."""

    def create(_i):
        return (
            api_as(enterprise_admin)
            .post(
                "/api/v1/registration/filings/",
                {"entity_type": "APPLICATION", "subtype": "ENTERPRISE"},
                format="json",
            )
            .status_code
        )

    assert sorted(_race(2, create)) == [201, 400]
    assert EntityFiling.objects.filter(owner=enterprise_admin.organisation).count() == 1


def test_activation_and_reinstatement_lock_in_one_order(enterprise_admin, reviewer):
    """A change waiting for its suspended base: reinstating the base and a late receipt on the change lock
    both versions lowest pk first, so they finish (one activates the change) instead of deadlocking."""
    base = builders.active(enterprise_admin, reviewer)
    change = services.filing_change(filing=base, by=enterprise_admin)
    change = services.filing_submit(filing=change, by=enterprise_admin)
    change = services.filing_accept(filing=change, by=reviewer)
    services.filing_suspend(filing=base, by=reviewer, reason="查")
    change = services.filing_approve(filing=change, by=reviewer)
    assert EntityFiling.objects.get(pk=change.pk).status == FilingStatus.APPROVED

    def work(i):
        if i == 0:
            return services.filing_reinstate(filing=base, by=reviewer, reason="好")
        from django.db import transaction

        from registration.services import lifecycle
        from registration.services._common import lock

        with transaction.atomic():
            return lifecycle.activate_if_ready(lock(EntityFiling(pk=change.pk)))

    results = _race(2, work)
    assert not any(isinstance(r, Exception) for r in results), results
    assert EntityFiling.objects.get(pk=change.pk).status == FilingStatus.ACTIVE
    assert EntityFiling.objects.get(pk=base.pk).status == FilingStatus.SUPERSEDED


def _signup(username: str, code: str):
    return account_services.enterprise_signup(
        uscc=code,
        name_cn=f"义乌市{username}电子商务有限公司",
        username=username,
        full_name=username,
        email=f"{username}@example.com",
        password="a-Long-enough-passphrase-42",
    )


def test_two_first_signups_of_one_code_one_account_one_recorded_refusal():
    from accounts.models import ClaimStatus, OrganisationClaim
    from portal.identifiers import make_uscc

    code = make_uscc("91", "330782", "MA2RCE01")
    results = _race(2, lambda i: _signup(f"racer{i}", code))
    assert sum(isinstance(r, tuple) for r in results) == 1, results
    (refused,) = [r for r in results if isinstance(r, Exception)]
    assert refused.error_dict["uscc"][0].code == "organisation_exists"
    statuses = sorted(OrganisationClaim.objects.filter(code=code).values_list("status", flat=True))
    assert statuses == [ClaimStatus.HOLDER, ClaimStatus.PENDING]


def test_two_claims_of_one_expired_account_at_once_one_takes_it_over():
    """Both claimants see an account open to a claim; the verification row lock lets one take it over, and
    the other, re-checking under the lock, finds a new holder and is refused (and recorded)."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import ClaimStatus, OrganisationClaim
    from portal.identifiers import make_uscc

    code = make_uscc("91", "330782", "MA2RCE02")
    org, squatter = _signup("squatter", code)
    OrganisationClaim.objects.filter(organisation=org).update(
        holder_since=timezone.now() - timedelta(days=20)
    )
    results = _race(2, lambda i: _signup(f"claimant{i}", code))
    winners = [r for r in results if isinstance(r, tuple)]
    assert len(winners) == 1, results
    assert winners[0][0].pk == org.pk
    claims = OrganisationClaim.objects.filter(organisation=org)
    assert claims.filter(status=ClaimStatus.HOLDER).get().user == winners[0][1]
    assert claims.filter(status=ClaimStatus.RETIRED).get().user == squatter
    assert claims.filter(status=ClaimStatus.PENDING).count() == 1
