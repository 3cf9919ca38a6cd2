"""After approval: activation, supersession of the old version, suspension, reinstatement, revocation.

Every change of a filing in force is also reported to the commerce register (``commerce.filing_status``)
in the same transaction, so the register and the portal never disagree after a commit.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exchange.services import message_enqueue
from portal import texts, workflow
from registration import clock, payloads
from registration.choices import IN_FLIGHT, FilingStatus, TaskStatus
from registration.models import EntityFiling
from registration.policies import ensure_reviewer, ensure_supervisor
from registration.services._common import lock, move, save_status, tell_applicant, tell_bureau


def publish_status(filing: EntityFiling, *, reason: str = "") -> None:
    """Tell the commerce register the filing's status (natural persons have no USCC and are not listed)."""
    if filing.is_natural_person or not filing.uscc:
        return
    message_enqueue(
        message_type="commerce.filing_status",
        sender=filing.owner,
        # One message per status change: the key names the change, so an exchange that merges a repeated
        # live key (a double submission) never swallows a later change of the same filing.
        business_key=f"{filing.filing_no}:STATUS:{filing.version}:{filing.status}:{timezone.now():%Y%m%d%H%M%S%f}",
        payload=payloads.filing_status(filing, reason=reason),
        subject=filing,
        sender_dxp_id=filing.dxp_id or "",
    )


def mandatory_open(filing: EntityFiling) -> bool:
    return filing.qualifications.filter(mandatory=True).exclude(status=TaskStatus.DONE).exists()


def activate_if_ready(filing: EntityFiling, *, by=None) -> bool:
    """APPROVED → ACTIVE once every mandatory qualification is DONE (call with the filing locked).

    A change version waits while the version it changes is not ACTIVE (suspended meanwhile), and then
    supersedes it in the same transaction: there is never a moment with two or no versions in force.
    """
    if filing.status != FilingStatus.APPROVED or mandatory_open(filing):
        return False
    # The caller locked this version with ``lock()``, which locked the previous one first (lowest pk).
    previous = workflow.lock(EntityFiling(pk=filing.previous_id))[0] if filing.previous_id else None
    if previous is not None and previous.status != FilingStatus.ACTIVE:
        return False
    if previous is not None:
        move(
            previous,
            verb="supersede",
            by=by,
            reason_text=texts.keep(gettext_lazy("Superseded by version %(v)d"), {"v": filing.version}),
        )
        save_status(previous)
        tell_applicant(
            previous,
            verb="superseded",
            title=gettext_lazy("Version %(old)s of filing %(no)s is superseded by version %(new)s"),
            params={"old": previous.version, "new": filing.version},
        )
    move(filing, verb="activate", by=by)
    filing.activated_at = timezone.now()
    save_status(filing, "activated_at")
    publish_status(filing)
    tell_applicant(
        filing,
        verb="active",
        title=gettext_lazy("Filing %(no)s is active"),
        body=gettext_lazy("All mandatory qualifications are registered. The certificate can be downloaded."),
    )
    return True


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    return reason


@transaction.atomic
def filing_suspend(*, filing, by, reason: str):
    """ACTIVE → SUSPENDED; the verification page says so at once."""
    filing = lock(filing)
    ensure_reviewer(filing, by, assignee_only=False)
    reason = _reason(reason)
    move(filing, verb="suspend", by=by, reason=reason)
    save_status(filing)
    publish_status(filing, reason=reason)
    tell_applicant(
        filing,
        verb="suspended",
        title=gettext_lazy("Filing %(no)s suspended"),
        body=gettext_lazy("Reason: %(reason)s"),
        params={"reason": reason},
    )
    return filing


@transaction.atomic
def filing_reinstate(*, filing, by, reason: str):
    """SUSPENDED → ACTIVE; a change approved meanwhile then takes effect."""
    filing = lock(filing)
    ensure_reviewer(filing, by, assignee_only=False)
    reason = _reason(reason)
    move(filing, verb="reinstate", by=by, reason=reason)
    save_status(filing)
    publish_status(filing, reason=reason)
    tell_applicant(
        filing,
        verb="reinstated",
        title=gettext_lazy("Filing %(no)s reinstated"),
        body=gettext_lazy("Reason: %(reason)s"),
        params={"reason": reason},
    )
    waiting = EntityFiling.objects.filter(previous=filing, status=FilingStatus.APPROVED).first()
    if waiting is not None:
        activate_if_ready(lock(waiting), by=by)
    return filing


@transaction.atomic
def filing_revoke(*, filing, by, reason: str):
    """ACTIVE/SUSPENDED → REVOKED (terminal, supervisors only); an open change of it is discarded."""
    filing = lock(filing)
    ensure_supervisor(filing, by)
    reason = _reason(reason)
    move(filing, verb="revoke", by=by, reason=reason)
    save_status(filing)
    publish_status(filing, reason=reason)
    for change in EntityFiling.objects.filter(lineage=filing.lineage, status__in=list(IN_FLIGHT)):
        change = lock(change)
        move(
            change,
            verb="discard",
            by=by,
            reason_text=texts.keep(gettext_lazy("The filing it changes was revoked.")),
        )
        clock.clock_pause(change, now=timezone.now())
        save_status(change, "clock_banked_days", "clock_running_since", "clock_due_on")
        title = gettext_lazy(
            "The change (version %(v)s) of filing %(no)s was discarded: the filing was revoked"
        )
        tell_applicant(change, verb="discarded", title=title, params={"v": change.version})
        if change.first_submitted_at and change.assigned_to_id:
            tell_bureau(change, verb="discarded", title=title, params={"v": change.version})
    tell_applicant(
        filing,
        verb="revoked",
        title=gettext_lazy("Filing %(no)s revoked"),
        body=gettext_lazy("Reason: %(reason)s"),
        params={"reason": reason},
    )
    tell_bureau(filing, verb="revoked", title=gettext_lazy("Filing %(no)s revoked"))
    return filing


@transaction.atomic
def filing_release(*, filing, by, reason: str):
    """RETURNED → WITHDRAWN by a supervisor: the applicant left a returned filing lying and it holds its
    identity's slot for the role, which another applicant needs. The applicant is told why."""
    filing = lock(filing)
    ensure_supervisor(filing, by)
    reason = _reason(reason)
    move(filing, verb="release", by=by, reason=reason)
    clock.clock_pause(filing, now=timezone.now())
    save_status(filing, "clock_banked_days", "clock_running_since", "clock_due_on")
    tell_applicant(
        filing,
        verb="released",
        title=gettext_lazy("Filing %(no)s was closed by the commerce bureau"),
        body=gettext_lazy("Reason: %(reason)s"),
        params={"reason": reason},
    )
    return filing
