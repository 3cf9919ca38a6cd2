"""Every transition: allowed only from the table's statuses, atomic, audited, side effects after commit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from exchange.models import Message
from portal.models import AuditEvent, Notification
from portal.statemachine import TransitionNotAllowed
from registration import services
from registration.choices import FilingStatus as S
from registration.models import EntityFiling, FilingCounter, QualificationTask
from tests.registration import builders

pytestmark = pytest.mark.django_db


def _submit(f, p):
    return services.filing_submit(filing=f, by=p["admin"])


def _withdraw(f, p):
    return services.filing_withdraw(filing=f, by=p["admin"])


def _accept(f, p):
    return services.filing_accept(filing=f, by=p["reviewer"])


def _assign(f, p):
    return services.filing_assign(filing=f, by=p["supervisor"], reviewer=p["reviewer"])


def _approve(f, p):
    return services.filing_approve(filing=f, by=p["reviewer"])


def _return(f, p):
    return services.filing_return(filing=f, by=p["reviewer"], reason_codes=["OTHER"], note="补正")


def _reject(f, p):
    return services.filing_reject_request(filing=f, by=p["reviewer"], reason="虚假材料")


def _countersign(f, p):
    return services.filing_reject_countersign(filing=f, by=p["supervisor"], confirm=True)


def _decline(f, p):
    return services.filing_reject_countersign(filing=f, by=p["supervisor"], confirm=False, note="证据不足")


def _suspend(f, p):
    return services.filing_suspend(filing=f, by=p["reviewer"], reason="核查中")


def _reinstate(f, p):
    return services.filing_reinstate(filing=f, by=p["reviewer"], reason="核查完毕")


def _revoke(f, p):
    return services.filing_revoke(filing=f, by=p["supervisor"], reason="注销")


CASES = {
    "submit": (_submit, {S.DRAFT: S.SUBMITTED, S.RETURNED: S.SUBMITTED}),
    "withdraw": (_withdraw, {S.DRAFT: S.WITHDRAWN, S.RETURNED: S.WITHDRAWN}),
    "accept": (_accept, {S.SUBMITTED: S.UNDER_REVIEW}),
    "assign": (_assign, {S.SUBMITTED: S.UNDER_REVIEW, S.UNDER_REVIEW: S.UNDER_REVIEW}),
    "approve": (_approve, {S.UNDER_REVIEW: S.APPROVED}),
    "return": (_return, {S.UNDER_REVIEW: S.RETURNED}),
    "reject_request": (_reject, {S.UNDER_REVIEW: S.REJECT_PENDING}),
    "countersign": (_countersign, {S.REJECT_PENDING: S.REJECTED}),
    "decline": (_decline, {S.REJECT_PENDING: S.UNDER_REVIEW}),
    "suspend": (_suspend, {S.ACTIVE: S.SUSPENDED}),
    "reinstate": (_reinstate, {S.SUSPENDED: S.ACTIVE}),
    "revoke": (_revoke, {S.ACTIVE: S.REVOKED, S.SUSPENDED: S.REVOKED}),
}


@pytest.fixture
def people(enterprise_admin, reviewer, supervisor):
    return {"admin": enterprise_admin, "reviewer": reviewer, "supervisor": supervisor}


def _in_status(people, status) -> EntityFiling:
    filing = builders.draft(people["admin"])
    EntityFiling.objects.filter(pk=filing.pk).update(
        status=status,
        filing_no="ZJKJ2026010100000099",
        assigned_to=people["reviewer"] if status in (S.UNDER_REVIEW, S.REJECT_PENDING) else None,
        reject_requested_by=people["reviewer"] if status == S.REJECT_PENDING else None,
    )
    return EntityFiling.objects.get(pk=filing.pk)


@pytest.mark.parametrize("status", S.values)
@pytest.mark.parametrize("verb", list(CASES))
def test_transition_allowed_only_from_table(people, verb, status):
    service, allowed = CASES[verb]
    filing = _in_status(people, status)
    if status in allowed:
        result = service(filing, people)
        assert result.status == allowed[status]
        assert EntityFiling.objects.get(pk=filing.pk).status == allowed[status]
    else:
        with pytest.raises(TransitionNotAllowed):
            service(filing, people)
        assert EntityFiling.objects.get(pk=filing.pk).status == status


def test_each_transition_is_audited_with_states_actor_and_reason(people):
    filing = builders.under_review(people["admin"], people["reviewer"])
    services.filing_return(
        filing=filing, by=people["reviewer"], reason_codes=["NAME_MISMATCH"], note="请更正名称"
    )
    event = AuditEvent.objects.for_object(filing).filter(verb="transition").order_by("-id").first()
    assert (event.from_state, event.to_state) == (S.UNDER_REVIEW, S.RETURNED)
    assert event.actor == people["reviewer"]
    assert "主体名称与营业执照不一致" in event.reason
    assert "请更正名称" in event.reason
    assert event.payload["reason_codes"] == ["NAME_MISMATCH"]
    assert event.owner_org == people["admin"].organisation
    states = list(
        AuditEvent.objects.for_object(filing)
        .filter(verb="transition")
        .order_by("id")
        .values_list("to_state", flat=True)
    )
    assert states == [S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED]


def test_reviewer_cannot_act_on_own_organisations_filing(enterprise_admin, own_org_reviewer):
    filing = builders.submitted(enterprise_admin)
    with pytest.raises(PermissionDenied):
        services.filing_accept(filing=filing, by=own_org_reviewer)
    EntityFiling.objects.filter(pk=filing.pk).update(status=S.UNDER_REVIEW)
    with pytest.raises(PermissionDenied):
        services.filing_approve(filing=filing, by=own_org_reviewer)
    assert EntityFiling.objects.get(pk=filing.pk).status == S.UNDER_REVIEW


def test_only_the_assigned_reviewer_decides(enterprise_admin, reviewer, reviewer2):
    filing = builders.under_review(enterprise_admin, reviewer)
    with pytest.raises(PermissionDenied):
        services.filing_approve(filing=filing, by=reviewer2)
    assert EntityFiling.objects.get(pk=filing.pk).status == S.UNDER_REVIEW


def test_enterprise_users_cannot_review_and_reviewers_cannot_submit(enterprise_admin, other_admin, reviewer):
    filing = builders.submitted(enterprise_admin)
    with pytest.raises(PermissionDenied):
        services.filing_accept(filing=filing, by=enterprise_admin)
    draft = builders.draft(enterprise_admin, entity_type="SERVICE", subtype="LOGISTICS")
    with pytest.raises(PermissionDenied):
        services.filing_submit(filing=draft, by=reviewer)
    with pytest.raises(PermissionDenied):
        services.filing_submit(filing=draft, by=other_admin)


def test_countersign_needs_another_person(enterprise_admin, reviewer, supervisor):
    filing = builders.under_review(enterprise_admin, supervisor)
    services.filing_reject_request(filing=filing, by=supervisor, reason="材料虚假")
    with pytest.raises(PermissionDenied):
        services.filing_reject_countersign(filing=filing, by=supervisor, confirm=True)
    with pytest.raises(PermissionDenied):
        services.filing_reject_countersign(filing=filing, by=reviewer, confirm=True)
    assert EntityFiling.objects.get(pk=filing.pk).status == S.REJECT_PENDING


def test_countersigned_rejection_is_terminal_and_tells_everyone(enterprise_admin, reviewer, supervisor):
    filing = builders.under_review(enterprise_admin, reviewer)
    services.filing_reject_request(filing=filing, by=reviewer, reason="材料虚假")
    assert Notification.objects.filter(recipient=supervisor, verb="registration.reject_requested").exists()
    filing = services.filing_reject_countersign(filing=filing, by=supervisor, confirm=True, note="同意")
    assert filing.status == S.REJECTED
    assert filing.countersigned_by == supervisor
    assert Notification.objects.filter(recipient=enterprise_admin, verb="registration.rejected").exists()
    assert not filing.clock_running_since


def test_suspend_and_revoke_need_reasons_and_revoke_needs_a_supervisor(enterprise_admin, reviewer):
    filing = builders.active(enterprise_admin, reviewer)
    with pytest.raises(ValidationError) as info:
        services.filing_suspend(filing=filing, by=reviewer, reason=" ")
    assert set(info.value.error_dict) == {"reason"}
    with pytest.raises(PermissionDenied):
        services.filing_revoke(filing=filing, by=reviewer, reason="x")
    assert EntityFiling.objects.get(pk=filing.pk).status == S.ACTIVE


def test_approve_failure_midway_leaves_nothing(enterprise_admin, reviewer, monkeypatch):
    filing = builders.under_review(enterprise_admin, reviewer)
    events = AuditEvent.objects.count()
    calls = {"n": 0}
    real = services.qualifications.message_enqueue

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("database went away")
        return real(**kwargs)

    monkeypatch.setattr(services.qualifications, "message_enqueue", flaky)
    with pytest.raises(RuntimeError):
        services.filing_approve(filing=filing, by=reviewer)
    filing.refresh_from_db()
    assert filing.status == S.UNDER_REVIEW
    assert filing.decided_at is None
    assert not filing.verify_token
    assert not QualificationTask.objects.filter(filing=filing).exists()
    assert not Message.objects.exists()
    assert AuditEvent.objects.count() == events


def test_submit_failure_midway_keeps_no_number(enterprise_admin, monkeypatch):
    filing = builders.draft(enterprise_admin)
    from registration.services import drafts

    def broken(*args, **kwargs):
        raise RuntimeError("clock broke")

    monkeypatch.setattr(drafts.clock, "clock_start", broken)
    with pytest.raises(RuntimeError):
        services.filing_submit(filing=filing, by=enterprise_admin)
    filing.refresh_from_db()
    assert filing.status == S.DRAFT
    assert filing.filing_no == ""
    assert filing.review_round == 0
    assert FilingCounter.objects.filter(last__gt=0).count() == 0


def test_side_effects_wait_for_commit(
    enterprise_admin, reviewer, monkeypatch, django_capture_on_commit_callbacks
):
    from exchange.services import enqueue

    published = []
    monkeypatch.setattr(enqueue, "publish", lambda task, **kw: published.append(kw["args"]) or True)
    filing = builders.under_review(enterprise_admin, reviewer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.filing_approve(filing=filing, by=reviewer)
    assert published == []  # nothing leaves before the transaction commits
    assert callbacks
    for callback in callbacks:
        callback()
    types = sorted(args[0] for args in published)
    assert types == sorted(
        [
            "commerce.ft_operator",
            "customs.registration",
            "ciq.enterprise_filing",
            "safe.directory",  # the E-Port card follows the customs receipt (it carries the code)
        ]
    )


def test_notification_emails_go_after_commit(
    enterprise_admin, reviewer, monkeypatch, django_capture_on_commit_callbacks
):
    from portal import tasks

    sent = []
    monkeypatch.setattr(tasks.send_notification_emails, "apply_async", lambda args, **kw: sent.append(args))
    filing = builders.under_review(enterprise_admin, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        services.filing_return(filing=filing, by=reviewer, note="请补充授权书")
    assert sent, "the returned-for-correction email is enqueued once the transaction commits"
    assert Notification.objects.filter(recipient=enterprise_admin, verb="registration.returned").exists()


def test_withdrawn_change_can_be_reopened_and_one_change_at_a_time(enterprise_admin, reviewer):
    filing = builders.active(enterprise_admin, reviewer)
    change = services.filing_change(filing=filing, by=enterprise_admin)
    assert (change.version, change.status, change.previous_id) == (2, S.DRAFT, filing.pk)
    with pytest.raises(ValidationError) as info:
        services.filing_change(filing=filing, by=enterprise_admin)
    assert info.value.code == "change_open"
    services.filing_withdraw(filing=change, by=enterprise_admin)
    again = services.filing_change(filing=filing, by=enterprise_admin)
    assert again.version == 3


def test_lock_takes_a_version_and_its_previous_lowest_pk_first(enterprise_admin, reviewer):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from registration.services._common import lock

    base = builders.active(enterprise_admin, reviewer)
    change = services.filing_change(filing=base, by=enterprise_admin)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        lock(change)
    (sql,) = [
        q["sql"]
        for q in queries
        if "FOR UPDATE" in q["sql"].upper() or "registration_entityfiling" in q["sql"]
    ]
    assert "ORDER BY" in sql.upper() and str(base.pk) in sql and str(change.pk) in sql


def test_a_resubmission_to_a_reviewer_who_left_goes_back_to_unassigned(enterprise_admin, reviewer):
    from registration import selectors

    filing = builders.returned(enterprise_admin, reviewer)
    reviewer.is_active = False
    reviewer.save(update_fields=["is_active"])
    filing = services.filing_submit(filing=filing, by=enterprise_admin)
    assert filing.assigned_to is None
    from tests import factories

    other = factories.UserFactory(organisation=reviewer.organisation, role="commerce_reviewer")
    assert selectors.queue(other, which="unassigned").filter(pk=filing.pk).exists()


def test_a_resubmission_keeps_an_active_reviewer(enterprise_admin, reviewer):
    filing = services.filing_submit(filing=builders.returned(enterprise_admin, reviewer), by=enterprise_admin)
    assert filing.assigned_to == reviewer
    assert filing.status == S.UNDER_REVIEW, "no second claim: the reviewer who returned it has it"
    assert filing.review_round == 2 and filing.clock_running_since is not None
    with pytest.raises(TransitionNotAllowed):
        services.filing_accept(filing=filing, by=reviewer)
    assert services.filing_approve(filing=filing, by=reviewer).status == S.APPROVED
    event = AuditEvent.objects.filter(target_id=str(filing.pk), to_state=S.UNDER_REVIEW).order_by("pk")
    assert event.last().payload["action"] == "resubmit"
    assert event.last().actor == enterprise_admin


def test_the_reviewer_who_returned_it_is_told_of_the_resubmission(enterprise_admin, reviewer, reviewer2):
    filing = builders.returned(enterprise_admin, reviewer)
    before = Notification.objects.order_by("pk").last().pk
    services.filing_submit(filing=filing, by=enterprise_admin)
    told = Notification.objects.filter(verb="registration.submitted", target_id=str(filing.pk), pk__gt=before)
    assert set(told.values_list("recipient", flat=True)) >= {reviewer.pk}
    assert not told.filter(recipient=reviewer2).exists()


def test_a_second_open_filing_of_one_role_is_refused_by_the_database(enterprise_admin):
    from django.db import IntegrityError, transaction

    from registration.models import EntityFiling

    first = builders.draft(enterprise_admin, complete=False)
    clone = EntityFiling(owner=first.owner, entity_type=first.entity_type, subtype=first.subtype, uscc="")
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()
