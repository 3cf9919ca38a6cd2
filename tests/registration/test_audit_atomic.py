"""Every transition verb writes its audit event (from, to, actor); every transition is all-or-nothing."""

import pytest

from portal.models import AuditEvent, Notification
from registration import services
from registration.choices import FilingStatus
from registration.models import EntityFiling, FilingSubmission
from registration.transitions import TRANSITIONS
from tests.registration import builders

pytestmark = pytest.mark.django_db


def _submit(f):
    filing = builders.draft(f.admin)
    return filing, services.filing_submit(filing=filing, by=f.admin), f.admin


def _withdraw(f):
    filing = builders.draft(f.admin)
    return filing, services.filing_withdraw(filing=filing, by=f.admin), f.admin


def _resubmit(f):
    """A corrected filing goes back to the reviewer who returned it (RETURNED → UNDER_REVIEW)."""
    filing = builders.returned(f.admin, f.reviewer)
    return filing, services.filing_submit(filing=filing, by=f.admin), f.admin


def _accept(f):
    filing = builders.submitted(f.admin)
    return filing, services.filing_accept(filing=filing, by=f.reviewer), f.reviewer


def _assign(f):
    filing = builders.submitted(f.admin)
    return filing, services.filing_assign(filing=filing, by=f.supervisor, reviewer=f.reviewer), f.supervisor


def _approve(f):
    filing = builders.under_review(f.admin, f.reviewer)
    return filing, services.filing_approve(filing=filing, by=f.reviewer), f.reviewer


def _return(f):
    filing = builders.under_review(f.admin, f.reviewer)
    return filing, services.filing_return(filing=filing, by=f.reviewer, note="改"), f.reviewer


def _reject_request(f):
    filing = builders.under_review(f.admin, f.reviewer)
    return filing, services.filing_reject_request(filing=filing, by=f.reviewer, reason="不符"), f.reviewer


def _proposed(f):
    filing = builders.under_review(f.admin, f.reviewer)
    return services.filing_reject_request(filing=filing, by=f.reviewer, reason="不符")


def _countersign(f):
    filing = _proposed(f)
    done = services.filing_reject_countersign(filing=filing, by=f.supervisor, confirm=True)
    return filing, done, f.supervisor


def _decline(f):
    filing = _proposed(f)
    done = services.filing_reject_countersign(filing=filing, by=f.supervisor, confirm=False, note="再审")
    return filing, done, f.supervisor


def _activate(f):
    filing = builders.approved(f.admin, f.reviewer)
    builders.answer_all(filing)
    return filing, EntityFiling.objects.get(pk=filing.pk), None


def _suspend(f):
    filing = builders.active(f.admin, f.reviewer)
    return filing, services.filing_suspend(filing=filing, by=f.reviewer, reason="查"), f.reviewer


def _reinstate(f):
    filing = builders.active(f.admin, f.reviewer)
    filing = services.filing_suspend(filing=filing, by=f.reviewer, reason="查")
    return filing, services.filing_reinstate(filing=filing, by=f.reviewer, reason="好"), f.reviewer


def _revoke(f):
    filing = builders.active(f.admin, f.reviewer)
    return filing, services.filing_revoke(filing=filing, by=f.supervisor, reason="撤"), f.supervisor


def _supersede(f):
    base = builders.active(f.admin, f.reviewer)
    change = services.filing_submit(filing=services.filing_change(filing=base, by=f.admin), by=f.admin)
    change = services.filing_accept(filing=change, by=f.reviewer)
    services.filing_approve(filing=change, by=f.reviewer)
    return base, EntityFiling.objects.get(pk=base.pk), f.reviewer


def _discard(f):
    base = builders.active(f.admin, f.reviewer)
    change = services.filing_change(filing=base, by=f.admin)
    services.filing_revoke(filing=base, by=f.supervisor, reason="撤")
    return change, EntityFiling.objects.get(pk=change.pk), f.supervisor


def _release(f):
    filing = builders.returned(f.admin, f.reviewer)
    return filing, services.filing_release(filing=filing, by=f.supervisor, reason="长期未补正"), f.supervisor


SCENARIOS = {
    "submit": _submit,
    "resubmit": _resubmit,
    "withdraw": _withdraw,
    "accept": _accept,
    "assign": _assign,
    "approve": _approve,
    "return": _return,
    "reject_request": _reject_request,
    "countersign": _countersign,
    "decline": _decline,
    "activate": _activate,
    "suspend": _suspend,
    "reinstate": _reinstate,
    "revoke": _revoke,
    "supersede": _supersede,
    "discard": _discard,
    "release": _release,
}


def test_every_verb_of_the_table_has_a_scenario():
    assert {verb for _, verb in TRANSITIONS} == set(SCENARIOS)


class People:
    def __init__(self, admin, reviewer, supervisor):
        self.admin, self.reviewer, self.supervisor = admin, reviewer, supervisor


@pytest.mark.parametrize("verb", sorted(SCENARIOS))
def test_every_transition_is_audited_with_from_to_and_actor(enterprise_admin, reviewer, supervisor, verb):
    _before, after, actor = SCENARIOS[verb](People(enterprise_admin, reviewer, supervisor))
    events = AuditEvent.objects.for_object(after).filter(payload__action=verb).order_by("-id")
    assert events.exists(), verb
    event = events.first()
    assert event.to_state == after.status or verb == "approve"  # approve may activate at once
    assert (event.from_state and event.from_state != event.to_state) or verb == "assign"
    if actor is not None:
        assert event.actor == actor


class Boom(Exception):
    pass


def _failing_notify(*args, **kwargs):
    raise Boom


ATOMIC = {
    "withdraw": (
        lambda f: builders.returned(f.admin, f.reviewer),
        lambda f, x: services.filing_withdraw(filing=x, by=f.admin),
    ),
    "assign": (
        lambda f: builders.submitted(f.admin),
        lambda f, x: services.filing_assign(filing=x, by=f.supervisor, reviewer=f.reviewer),
    ),
    "return": (
        lambda f: builders.under_review(f.admin, f.reviewer),
        lambda f, x: services.filing_return(
            filing=x, by=f.reviewer, note="改", comments=[{"field": "name_cn", "text": "改名"}]
        ),
    ),
    "reject_request": (
        lambda f: builders.under_review(f.admin, f.reviewer),
        lambda f, x: services.filing_reject_request(filing=x, by=f.reviewer, reason="不符"),
    ),
    "countersign": (
        _proposed,
        lambda f, x: services.filing_reject_countersign(filing=x, by=f.supervisor, confirm=True),
    ),
    "suspend": (
        lambda f: builders.active(f.admin, f.reviewer),
        lambda f, x: services.filing_suspend(filing=x, by=f.reviewer, reason="查"),
    ),
    "revoke": (
        lambda f: builders.active(f.admin, f.reviewer),
        lambda f, x: services.filing_revoke(filing=x, by=f.supervisor, reason="撤"),
    ),
    "resubmit": (
        lambda f: builders.returned(f.admin, f.reviewer),
        lambda f, x: services.filing_submit(filing=x, by=f.admin),
    ),
}


@pytest.mark.parametrize("name", sorted(ATOMIC))
def test_a_failure_late_in_a_transition_leaves_nothing_behind(
    monkeypatch, enterprise_admin, reviewer, supervisor, name
):
    people = People(enterprise_admin, reviewer, supervisor)
    prepare, act = ATOMIC[name]
    filing = prepare(people)
    status = EntityFiling.objects.get(pk=filing.pk).status
    counts = (
        AuditEvent.objects.count(),
        Notification.objects.count(),
        FilingSubmission.objects.count(),
        filing.field_comments.count(),
    )
    monkeypatch.setattr("registration.services._common.notify", _failing_notify)
    with pytest.raises(Boom):
        act(people, filing)
    assert EntityFiling.objects.get(pk=filing.pk).status == status
    assert counts == (
        AuditEvent.objects.count(),
        Notification.objects.count(),
        FilingSubmission.objects.count(),
        filing.field_comments.count(),
    )
    assert status != FilingStatus.WITHDRAWN
