"""Shared steps of every filing service: lock, move through the transition table, audit, notify."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import texts, workflow
from portal.choices import AuditVerb, Role
from portal.services.notifications import enterprise_staff, notify, users_with_role
from portal.statemachine import TransitionNotAllowed
from registration.models import EntityFiling, FilingCounter
from registration.transitions import FILING, VERB_LABELS

__all__ = ["VERB_LABELS", "lock", "move", "not_allowed", "require_status", "save_status"]


def lock(filing) -> EntityFiling:
    """Re-read the filing under a row lock (the caller is inside ``transaction.atomic``).

    Lock order is the same everywhere: a version and the version it changes are locked together, lowest
    primary key first (the older version), so activating a change (new, then previous) and reinstating a
    suspended version (old, then its waiting change) can never deadlock each other.
    """
    if filing._state.adding:  # only the primary key is known (e.g. from a receipt handler)
        previous_id = EntityFiling.objects.filter(pk=filing.pk).values_list("previous_id", flat=True).first()
    else:
        previous_id = filing.previous_id  # never changes once the row exists
    others = [EntityFiling(pk=previous_id)] if previous_id else []
    return workflow.lock(filing, *others)[0]  # ``portal.workflow.lock``: one model, primary-key order


def not_allowed(filing, verb: str) -> TransitionNotAllowed:
    return FILING.refusal(filing.status, verb)


def require_status(filing, verb: str, allowed) -> None:
    if filing.status not in allowed:
        raise not_allowed(filing, verb)


def move(
    filing,
    *,
    verb: str,
    by,
    reason: str = "",
    audit_verb=AuditVerb.TRANSITION,
    payload=None,
    internal: bool = False,
    reason_text: dict | None = None,
) -> str:
    """Apply ``verb`` from ``transitions.FILING`` with ``portal.workflow.transition`` (else
    ``TransitionNotAllowed``): lock check, status and ``status_changed_at``, audit.

    ``internal``: a step inside the bureau (a rejection proposal, a declined proposal): the reason is not
    copied to ``status_reason`` and the audit event is marked ``internal`` so the timeline does not show it
    to the applicant (ADR 0015). ``reason_text``: a reason the portal writes itself, kept with
    ``portal.texts.keep`` so that each reader sees it in their language; the record (``reason``) then
    defaults to both languages. Returns the old status; the caller saves the row.
    """
    if reason_text and not reason:
        reason = bilingual_of(reason_text)
    before = workflow.transition(
        filing,
        verb,
        by=by,
        workflow=FILING,
        reason=reason,
        audit_verb=audit_verb,
        internal=internal,
        payload={**(payload or {}), **({"reason_text": reason_text} if reason_text else {})},
    )
    if not internal:
        filing.status_reason = reason
        filing.status_reason_text = reason_text or {}
    return before


def save_status(filing, *fields: str) -> None:
    """Save a status change; a second ACTIVE version of one identity and role is refused (E-5)."""
    try:
        with transaction.atomic():
            filing.save(
                update_fields=["status", "status_changed_at", "status_reason", "status_reason_text", *fields]
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"uscc": _("A filing for this identity and role is already active (rule E-5).")},
            code="identity_active",
        ) from exc


def _params(filing, params) -> dict:
    return {"no": filing.filing_no or _("(draft)"), "name": filing.name_cn, **(params or {})}


def tell_applicant(filing, *, verb: str, title, body="", params=None, digest=None) -> None:
    """Every transition reaches the applicant's staff in their inbox and by email (after commit); a burst of
    like events (``digest``) is gathered into one notification."""
    notify(
        recipients=enterprise_staff(filing.owner),
        verb=f"registration.{verb}",
        title=title,
        body=body,
        params=_params(filing, params),
        target=filing,
        url=filing.get_absolute_url(),
        email=True,
        digest=digest,
    )


def tell_bureau(filing, *, verb: str, title, body="", params=None, recipients=None) -> None:
    """The officers concerned (the assigned reviewer, else every reviewer), inbox and email."""
    if recipients is None:
        recipients = (
            [filing.assigned_to] if filing.assigned_to_id else list(users_with_role(Role.COMMERCE_REVIEWER))
        )
    notify(
        recipients=[r for r in recipients if r is not None],
        verb=f"registration.{verb}",
        title=title,
        body=body,
        params=_params(filing, params),
        target=filing,
        url=filing.get_review_url(),
        email=True,
    )


def bilingual(text, params: dict | None = None) -> str:
    """``中文 (English)`` of a (lazy) message, as the record keeps reasons the system writes itself."""
    return bilingual_of(texts.keep(text, params))


def bilingual_of(kept: dict) -> str:
    """``中文 (English)`` of a kept text (``portal.texts.keep``): the record of a reason in both languages."""
    return texts.bilingual(kept)


def supervisors():
    return list(users_with_role(Role.COMMERCE_SUPERVISOR))


def next_filing_no(now=None) -> str:
    """``ZJKJ`` + local date + 8-digit per-day sequence; safe under concurrency (row lock on the counter)."""
    day = timezone.localdate(now)
    try:
        with transaction.atomic():
            FilingCounter.objects.get_or_create(day=day)
    except IntegrityError:
        pass  # another transaction created today's counter first; lock it below
    counter = FilingCounter.objects.select_for_update().get(day=day)
    counter.last += 1
    if counter.last > 99_999_999:
        raise RuntimeError("filing number sequence exhausted for the day")
    counter.save(update_fields=["last"])
    return f"ZJKJ{day:%Y%m%d}{counter.last:08d}"
