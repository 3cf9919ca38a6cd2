"""The commerce bureau's side: claim, assign, comment, approve, return, and reject with countersignature."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.services import claims
from portal import texts
from portal.choices import AuditVerb
from portal.services.audit import audit
from registration import clock
from registration.choices import WITH_BUREAU
from registration.models import DATA_FIELDS, EntityFiling, FieldComment, ReturnReason
from registration.policies import REVIEW, ensure_reviewer, ensure_supervisor
from registration.services import lifecycle, qualifications
from registration.services._common import (
    lock,
    move,
    require_status,
    supervisors,
    tell_applicant,
    tell_bureau,
)

COMMENTABLE_FIELDS = frozenset({"entity_type", *DATA_FIELDS, "attachments", "general"})


def commentable_fields(filing) -> frozenset[str]:
    """The fields of this filing's role that carry comments (what the applicant's pages show)."""
    from registration.presenters import applies

    return frozenset(
        name
        for name in COMMENTABLE_FIELDS
        if name in ("attachments", "general", "entity_type") or applies(filing, name)
    )


@transaction.atomic
def reveal_id_number(*, filing, by) -> str:
    """The full ID document number for a reviewer who asks to see it; audited every time (ADR 0015)."""
    ensure_reviewer(filing, by, assignee_only=False)
    audit(
        verb=AuditVerb.EXPORT,
        target=filing,
        actor=by,
        reason=_("ID document number shown in full"),
        payload={"action": "reveal_id", "field": "legal_rep_id_no", "internal": True},
    )
    return filing.legal_rep_id_no


@transaction.atomic
def filing_accept(*, filing, by):
    """A reviewer claims a submitted filing; it leaves the unassigned queue and is under their review."""
    filing = lock(filing)
    ensure_reviewer(filing, by)
    move(filing, verb="accept", by=by)
    filing.assigned_to, filing.assigned_at = by, timezone.now()
    filing.save()
    tell_applicant(filing, verb="under_review", title=gettext_lazy("Filing %(no)s is under review"))
    return filing


@transaction.atomic
def filing_assign(*, filing, by, reviewer):
    """A supervisor hands a filing to a reviewer (or to another one)."""
    filing = lock(filing)
    ensure_supervisor(filing, by)
    if not reviewer.is_active or not reviewer.has_perm(REVIEW):
        raise ValidationError({"reviewer": _("Choose an active commerce-bureau reviewer.")})
    if reviewer.organisation_id == filing.owner_id:
        raise PermissionDenied(_("A reviewer cannot review a filing of their own organisation."))
    before_reviewer = filing.assigned_to
    move(
        filing,
        verb="assign",
        by=by,
        audit_verb=AuditVerb.ASSIGN,
        payload={"reviewer": reviewer.get_username(), "before": getattr(before_reviewer, "username", "")},
    )
    first = filing.assigned_to_id is None
    filing.assigned_to, filing.assigned_at = reviewer, timezone.now()
    filing.save()
    tell_bureau(
        filing,
        verb="assigned",
        title=gettext_lazy("Filing %(no)s was assigned to you"),
        recipients=[reviewer],
    )
    if before_reviewer is not None and before_reviewer.pk != reviewer.pk:
        tell_bureau(
            filing,
            verb="reassigned",
            title=gettext_lazy("Filing %(no)s was reassigned to another reviewer"),
            recipients=[before_reviewer],
        )
    tell_applicant(
        filing,
        verb="under_review" if first else "reassigned",
        title=gettext_lazy("Filing %(no)s is under review")
        if first
        else gettext_lazy("Filing %(no)s was handed to another reviewer"),
    )
    return filing


@transaction.atomic
def comment_add(*, filing, by, field: str, text: str) -> FieldComment:
    """Pin a reviewer's comment to one field of the current review round."""
    filing = lock(filing)
    ensure_reviewer(filing, by)
    require_status(filing, "return", WITH_BUREAU)
    return _comment(filing, by, field, text)


def _comment(filing, by, field: str, text: str) -> FieldComment:
    text = (text or "").strip()
    if field not in commentable_fields(filing):
        raise ValidationError({"field": _("Choose a field of the filing.")})
    if not text:
        raise ValidationError({"text": _("Write the comment.")})
    comment = FieldComment.objects.create(
        filing=filing, field=field, review_round=filing.review_round, text=text[:2000], author=by
    )
    audit(verb=AuditVerb.COMMENT, target=filing, actor=by, reason=text[:500], payload={"field": field})
    return comment


@transaction.atomic
def filing_approve(*, filing, by, note: str = ""):
    """Approve: stops the clock, creates one qualification task per matrix cell and writes their messages
    in this transaction (sent after commit). Activates at once when nothing mandatory is left to do.

    The first approval of an organisation created by sign-up also verifies its account (ADR 0017).
    """
    claims.lock_verification(filing.owner_id)  # account first, then the filing (claims' lock order)
    filing = lock(filing)
    ensure_reviewer(filing, by)
    move(filing, verb="approve", by=by, reason=note)
    now = timezone.now()
    filing.decided_at, filing.decided_by, filing.decision_note = now, by, note
    clock.clock_pause(filing, now=now)
    if not filing.verify_token:
        filing.verify_token = secrets.token_urlsafe(32)
    filing.save()
    qualifications.tasks_create(filing)
    claims.mark_verified(filing, by=by)
    tell_applicant(
        filing,
        verb="approved",
        title=gettext_lazy("Filing %(no)s approved"),
        body=gettext_lazy("Your qualifications are now being registered with the departments."),
    )
    lifecycle.activate_if_ready(filing, by=by)
    return filing


@transaction.atomic
def filing_return(*, filing, by, reason_codes=(), note: str = "", comments=()):
    """Return for correction with reason codes, free text and field comments; pauses the clock."""
    filing = lock(filing)
    ensure_reviewer(filing, by)
    reasons = list(ReturnReason.objects.filter(code__in=list(reason_codes), active=True))
    if len(reasons) != len(set(reason_codes)):
        raise ValidationError({"reason_codes": _("Choose reasons from the list.")})
    if not reasons and not note.strip() and not comments:
        raise ValidationError({"note": _("Say what the applicant must correct.")})
    # The record (audit, status reason) keeps both languages; each reader sees the reasons in their own.
    summary = _return_summary(reasons, note, bilingual=True)
    said = texts.keep(lazy(_return_summary, str)(reasons, note))
    move(
        filing,
        verb="return",
        by=by,
        reason=summary,
        reason_text=said,
        payload={"reason_codes": [r.code for r in reasons], "note": note.strip()},
    )
    for item in comments:
        _comment(filing, by, item.get("field", ""), item.get("text", ""))
    now = timezone.now()
    filing.returned_at = now
    clock.clock_pause(filing, now=now)
    filing.decision_note = note
    filing.save()
    tell_applicant(
        filing,
        verb="returned",
        title=gettext_lazy("Filing %(no)s returned for correction"),
        body=gettext_lazy("Reasons: %(reasons)s. Correct the filing and submit it again."),
        params={"reasons": lazy(lambda: texts.clause(_return_summary(reasons, note)), str)()},
    )
    return filing


def _return_summary(reasons, note: str, *, bilingual: bool = False) -> str:
    """The reasons' labels and the note: in the active language, or ``中文 (English)`` for the record."""
    if bilingual:
        labels = [f"{r.label_zh} ({r.label_en})" if r.label_en else r.label_zh for r in reasons]
    else:
        labels = [r.label for r in reasons]
    separator = "; " if not bilingual and get_language() == "en" else "；"
    return separator.join(part for part in [*labels, note.strip()] if part)


@transaction.atomic
def filing_reject_request(*, filing, by, reason: str):
    """Propose rejection; a supervisor must countersign before it takes effect."""
    filing = lock(filing)
    ensure_reviewer(filing, by)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for rejection.")})
    move(filing, verb="reject_request", by=by, reason=reason, internal=True)
    filing.reject_requested_by, filing.reject_requested_at = by, timezone.now()
    filing.reject_reason = reason.strip()
    filing.save()
    tell_bureau(
        filing,
        verb="reject_requested",
        title=gettext_lazy("Rejection of filing %(no)s needs your countersignature"),
        body=gettext_lazy("Reason: %(reason)s"),
        params={"reason": filing.reject_reason},
        recipients=supervisors(),
    )
    return filing


@transaction.atomic
def filing_reject_countersign(*, filing, by, confirm: bool, note: str = ""):
    """A supervisor (not the proposer) confirms the rejection (terminal) or declines it (back to review)."""
    filing = lock(filing)
    ensure_supervisor(filing, by)
    if filing.reject_requested_by_id == by.pk:
        raise PermissionDenied(_("The rejection must be countersigned by another person."))
    if confirm:
        return _confirm_rejection(filing, by, note)
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why the rejection is declined.")})
    move(filing, verb="decline", by=by, reason=note, internal=True)
    proposer = filing.reject_requested_by
    filing.reject_requested_by = filing.reject_requested_at = None
    filing.reject_reason = ""
    filing.save()
    tell_bureau(
        filing,
        verb="reject_declined",
        title=gettext_lazy("Rejection of filing %(no)s declined"),
        body=gettext_lazy("Supervisor's note: %(note)s"),
        params={"note": note},
        recipients=[proposer],
    )
    return filing


def _confirm_rejection(filing: EntityFiling, by, note: str) -> EntityFiling:
    move(filing, verb="countersign", by=by, reason=filing.reject_reason, payload={"note": note})
    now = timezone.now()
    filing.decided_at, filing.decided_by, filing.countersigned_by = now, by, by
    filing.decision_note = filing.reject_reason
    clock.clock_pause(filing, now=now)
    filing.save()
    tell_applicant(
        filing,
        verb="rejected",
        title=gettext_lazy("Filing %(no)s rejected"),
        body=gettext_lazy("Reason: %(reason)s"),
        params={"reason": filing.reject_reason},
    )
    tell_bureau(
        filing,
        verb="rejected",
        title=gettext_lazy("Rejection of filing %(no)s countersigned"),
        recipients=[filing.reject_requested_by],
    )
    return filing
