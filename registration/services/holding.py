"""Registration's answers to accounts (``accounts.hooks``, ADR 0026): what an organisation's filings mean
when its account changes hands or records its credit code. Registered in ``RegistrationConfig.ready``."""

from django.utils.translation import gettext_lazy

from accounts.hooks import Refused, register_holding_hooks
from portal.choices import AuditVerb
from portal.services.audit import audit
from registration import clock
from registration.choices import IN_FLIGHT, TERMINAL, FilingStatus
from registration.models import EntityFiling
from registration.services import qualifications
from registration.services._common import lock, move, save_status, tell_applicant, tell_bureau
from registration.validation.identity import identity_key_for

# A filing in these statuses shows the holder is pursuing its filing with the bureau: no takeover.
WITH_BUREAU_OR_DECIDED = frozenset(
    {
        FilingStatus.SUBMITTED,
        FilingStatus.UNDER_REVIEW,
        FilingStatus.REJECT_PENDING,
        FilingStatus.APPROVED,
        FilingStatus.ACTIVE,
        FilingStatus.SUSPENDED,
    }
)
# Qualifications were (or are being) registered for the holder: the bureau revokes first, then reassigns.
REVOKE_FIRST = frozenset({FilingStatus.APPROVED, FilingStatus.ACTIVE, FilingStatus.SUSPENDED})


def takeover_blocked(organisation, *, cutoff) -> bool:
    """A filing with the bureau, decided or in force, or one submitted after ``cutoff``."""
    filings = EntityFiling.objects.filter(owner=organisation)
    if filings.filter(status__in=list(WITH_BUREAU_OR_DECIDED)).exists():
        return True
    return filings.filter(submitted_at__gt=cutoff).exists()


def in_force(organisation) -> list[str]:
    return list(
        EntityFiling.objects.filter(owner=organisation, status__in=list(REVOKE_FIRST)).values_list(
            "filing_no", flat=True
        )
    )


def on_retired(organisation, holder, *, by, reason: str, reason_text, now, only_editable: bool) -> None:
    """The holder's filings stay on record under its claim; its open ones are withdrawn."""
    EntityFiling.objects.filter(owner=organisation, claim__isnull=True).update(claim=holder)
    _discard_open_filings(
        organisation, by=by, reason=reason, reason_text=reason_text, now=now, only_editable=only_editable
    )


def _discard_open_filings(organisation, *, by, reason: str, reason_text, now, only_editable: bool) -> None:
    """Withdraw the organisation's open filings; ``only_editable``: a filing with the bureau stops it all."""
    for filing in EntityFiling.objects.filter(owner=organisation, status__in=list(IN_FLIGHT)).order_by("pk"):
        filing = lock(filing)
        if filing.status not in IN_FLIGHT:
            continue
        if only_editable and filing.status not in (FilingStatus.DRAFT, FilingStatus.RETURNED):
            raise Refused(organisation)  # submitted while the takeover was being decided
        move(filing, verb="discard", by=by, reason=reason, reason_text=reason_text)
        clock.clock_pause(filing, now=now)
        save_status(filing, "clock_banked_days", "clock_running_since", "clock_due_on")
        if filing.first_submitted_at and filing.assigned_to_id:
            tell_bureau(
                filing,
                verb="discarded",
                title=gettext_lazy("Filing %(no)s was withdrawn: its organisation's account changed hands"),
            )


def on_credit_code(organisation, *, code: str, by) -> None:
    """Every legacy filing not yet closed becomes a credit-code one."""
    for filing in EntityFiling.objects.filter(owner=organisation, is_legacy_record=True).exclude(
        status__in=list(TERMINAL)
    ):
        _convert(lock(filing), code, by)


def _convert(filing: EntityFiling, code: str, by) -> None:
    filing.uscc, filing.is_legacy_record = code, False
    filing.identity_key = identity_key_for(filing)
    filing.updated_by = by
    filing.save(update_fields=["uscc", "is_legacy_record", "identity_key", "updated_by", "updated_at"])
    audit(
        verb=AuditVerb.UPDATE,
        target=filing,
        actor=by,
        payload={"fields": ["uscc"], "action": "credit_code_recorded"},
    )
    sent = qualifications.release_for_credit_code(filing) if filing.status == FilingStatus.APPROVED else 0
    params = {"code": code}
    title = gettext_lazy("Credit code %(code)s recorded for filing %(no)s")
    body = (
        gettext_lazy("The qualification messages that waited for it have been sent to the departments.")
        if sent
        else ""
    )
    tell_applicant(filing, verb="credit_code_recorded", title=title, body=body, params=params)
    if filing.first_submitted_at:
        tell_bureau(filing, verb="credit_code_recorded", title=title, body=body, params=params)


def register() -> None:
    register_holding_hooks(
        "registration",
        takeover_blocked=takeover_blocked,
        in_force=in_force,
        on_retired=on_retired,
        on_credit_code=on_credit_code,
    )
