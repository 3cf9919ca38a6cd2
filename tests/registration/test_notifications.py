"""Every transition reaches the people concerned in their inbox and by email ("audited and notified")."""

import pytest
from django.utils import translation

from portal.models import Notification
from registration import services
from registration.models import ReturnReason
from tests.registration import builders

pytestmark = pytest.mark.django_db


def _told(verb: str) -> dict:
    """username → email wanted, of the notifications of ``registration.<verb>``."""
    rows = Notification.objects.filter(verb=f"registration.{verb}").select_related("recipient")
    return {n.recipient.username: n.email_wanted for n in rows}


def _expect(verb: str, *users) -> None:
    told = _told(verb)
    for user in users:
        assert told.get(user.username) is True, (verb, user.username, told)


def test_submit_tells_applicant_and_reviewers_by_email(enterprise_admin, enterprise_operator, reviewer):
    builders.submitted(enterprise_admin)
    _expect("submitted", enterprise_admin, enterprise_operator, reviewer)


def test_claim_tells_the_applicant(enterprise_admin, reviewer):
    builders.under_review(enterprise_admin, reviewer)
    _expect("under_review", enterprise_admin)


def test_assignment_and_reassignment_tell_everyone_concerned(
    enterprise_admin, reviewer, reviewer2, supervisor
):
    filing = builders.submitted(enterprise_admin)
    services.filing_assign(filing=filing, by=supervisor, reviewer=reviewer)
    _expect("assigned", reviewer)
    _expect("under_review", enterprise_admin)
    services.filing_assign(filing=filing, by=supervisor, reviewer=reviewer2)
    _expect("assigned", reviewer2)
    _expect("reassigned", reviewer, enterprise_admin)


def test_decisions_tell_the_applicant(enterprise_admin, reviewer):
    builders.returned(enterprise_admin, reviewer)
    _expect("returned", enterprise_admin)
    filing = builders.approved(enterprise_admin, reviewer, entity_type="SERVICE", subtype="LOGISTICS")
    _expect("approved", enterprise_admin)
    builders.answer_all(filing)
    _expect("qualification_done", enterprise_admin)
    _expect("active", enterprise_admin)


def test_rejection_steps_tell_the_bureau_then_the_applicant(
    enterprise_admin, reviewer, supervisor, supervisor2
):
    filing = builders.under_review(enterprise_admin, reviewer)
    filing = services.filing_reject_request(filing=filing, by=reviewer, reason="不符合条件")
    _expect("reject_requested", supervisor, supervisor2)
    assert enterprise_admin.username not in _told("reject_requested")
    services.filing_reject_countersign(filing=filing, by=supervisor, confirm=False, note="再看看")
    _expect("reject_declined", reviewer)
    filing = services.filing_reject_request(filing=filing, by=reviewer, reason="不符合条件")
    services.filing_reject_countersign(filing=filing, by=supervisor, confirm=True)
    _expect("rejected", enterprise_admin, reviewer)


def test_lifecycle_tells_applicant_and_bureau(enterprise_admin, reviewer, supervisor):
    filing = builders.active(enterprise_admin, reviewer)
    services.filing_suspend(filing=filing, by=reviewer, reason="核查")
    _expect("suspended", enterprise_admin)
    services.filing_reinstate(filing=filing, by=reviewer, reason="核查完毕")
    _expect("reinstated", enterprise_admin)
    change = services.filing_change(filing=filing, by=enterprise_admin)
    change = services.filing_submit(filing=change, by=enterprise_admin)
    services.filing_accept(filing=change, by=reviewer)
    services.filing_revoke(filing=filing, by=supervisor, reason="吊销")
    _expect("revoked", enterprise_admin, reviewer)
    _expect("discarded", enterprise_admin, reviewer)


def test_supersession_tells_the_applicant(enterprise_admin, reviewer):
    filing = builders.active(enterprise_admin, reviewer)
    change = services.filing_change(filing=filing, by=enterprise_admin)
    change = services.filing_submit(filing=change, by=enterprise_admin)
    change = services.filing_accept(filing=change, by=reviewer)
    services.filing_approve(filing=change, by=reviewer)
    _expect("superseded", enterprise_admin)


def test_withdrawal_tells_the_applicant_and_the_reviewer_of_a_returned_filing(enterprise_admin, reviewer):
    filing = builders.returned(enterprise_admin, reviewer)
    services.filing_withdraw(filing=filing, by=enterprise_admin)
    _expect("withdrawn", enterprise_admin, reviewer)


def test_a_draft_withdrawn_before_submission_tells_only_the_applicant(enterprise_admin, reviewer):
    services.filing_withdraw(filing=builders.draft(enterprise_admin), by=enterprise_admin)
    _expect("withdrawn", enterprise_admin)
    assert reviewer.username not in _told("withdrawn")


def test_return_reasons_are_in_each_recipients_language(enterprise_admin, enterprise_operator, reviewer):
    enterprise_operator.language = "en"
    enterprise_operator.save(update_fields=["language"])
    reason = ReturnReason.objects.get(code="NAME_MISMATCH")
    builders.returned(enterprise_admin, reviewer)
    bodies = {n.recipient.username: n.body for n in Notification.objects.filter(verb="registration.returned")}
    assert reason.label_zh in bodies[enterprise_admin.username]
    assert reason.label_en in bodies[enterprise_operator.username]
    assert reason.label_zh not in bodies[enterprise_operator.username]
    with translation.override("en"):
        assert reason.label_en in str(reason)


def test_return_reasons_follow_the_readers_current_language(enterprise_admin, reviewer):
    """The notification keeps the reasons, not a rendering: switching language switches them."""
    reason = ReturnReason.objects.get(code="NAME_MISMATCH")
    builders.returned(enterprise_admin, reviewer)
    row = Notification.objects.get(verb="registration.returned", recipient=enterprise_admin)
    with translation.override("en"):
        assert reason.label_en in row.shown_body and reason.label_zh not in row.shown_body
        assert row.shown_body.startswith("Reasons: ") and ".." not in row.shown_body
    with translation.override("zh-hans"):
        assert reason.label_zh in row.shown_body and reason.label_en not in row.shown_body
        assert row.shown_body.startswith("事由：") and "。。" not in row.shown_body


def test_one_approval_tells_the_applicant_three_times_not_once_per_receipt(enterprise_admin, reviewer):
    """Policy (ADR 0025): one notification per filing event; the departments' burst of receipts is one
    digest ("6 qualifications registered"), not one notification per qualification."""
    filing = builders.approved(enterprise_admin, reviewer)
    before = Notification.objects.filter(recipient=enterprise_admin).count()
    builders.answer_all(filing)
    done = filing.qualifications.filter(status="DONE").count()
    rows = list(Notification.objects.filter(recipient=enterprise_admin).order_by("id"))[before - 1 :]
    assert [r.verb for r in rows] == [
        "registration.approved",
        "registration.qualification_done",
        "registration.active",
    ]
    digest = rows[1]
    assert digest.count == done >= 4
    with translation.override("en"):
        assert digest.shown_title == f"Filing {filing.filing_no}: {done} qualifications registered"
        assert (
            f"Customs registration registered: {filing.qualifications.get(code='CUSTOMS_REG').identifier}"
            in (digest.shown_body.splitlines())
        )
