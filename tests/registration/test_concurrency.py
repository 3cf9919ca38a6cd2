"""Concurrency on PostgreSQL: two approvals at once (one wins, one gets 409) and filing numbers under load."""

import threading

import pytest
from django.db import close_old_connections, connection

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
