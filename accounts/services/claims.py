"""Who holds an enterprise's account (ADR 0017, ADR 0026): sign-up claims, the takeover of an unverified
account after the waiting period, the commerce bureau's reassignment and dismissal, and verification on
approval.

Lock order, everywhere: the organisation's ``OrganisationVerification`` row, then its claims, then the
records of the apps that file for it (their ``accounts.hooks``). Sign-up, takeover, reassignment, a new draft
and an approval therefore serialise on the one organisation without deadlocking each other.

Public functions for other apps (the contract of ADR 0026): ``lock_verification``, ``is_verified``,
``verification_of``, ``holder_of``, ``mark_verified``, ``current_claim_for_new_filing``, ``claim_after_days``
and ``organisation_for_code``.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import Length, Substr
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import hooks
from accounts.hooks import Refused
from accounts.models import (
    ClaimOrigin,
    ClaimStatus,
    OrganisationClaim,
    OrganisationVerification,
    VerificationStatus,
)
from accounts.policies import ensure_claims_officer
from accounts.transitions import CLAIM, VERIFICATION
from portal import identifiers, texts, workflow
from portal.choices import AuditVerb, OrganisationKind, Role
from portal.models import Invitation, Organisation, User
from portal.services.audit import audit
from portal.services.notifications import notify, users_with_role

INVITATION_DAYS = 7

__all__ = ["Refused"]


def claim_after_days() -> int:
    return settings.REGISTRATION_CLAIM_AFTER_DAYS


# --- reading ----------------------------------------------------------------------------------------------
def organisation_for_code(code: str) -> Organisation | None:
    """The organisation of this enterprise identity: the same code, else the same subject (a legacy
    organisation code and the credit code that embeds it at characters 9–17 are one enterprise)."""
    code = identifiers.normalise(code)
    if not code:
        return None
    exact = Organisation.objects.filter(code=code).first()
    if exact is not None:
        return exact
    subject = identifiers.subject_of(code)
    if not subject:
        return None
    enterprises = Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE)
    if len(code) == identifiers.USCC_LENGTH:
        return enterprises.filter(code=subject).first()
    return (
        enterprises.annotate(_length=Length("code"), _subject=Substr("code", 9, identifiers.ORG_CODE_LENGTH))
        .filter(_length=identifiers.USCC_LENGTH, _subject=subject)
        .order_by("pk")
        .first()
    )


def holder_of(organisation) -> OrganisationClaim | None:
    return OrganisationClaim.objects.filter(organisation=organisation, status=ClaimStatus.HOLDER).first()


def verification_of(organisation) -> OrganisationVerification | None:
    return OrganisationVerification.objects.filter(organisation=organisation).first()


def is_verified(organisation) -> bool:
    """Organisations not created by sign-up (seeded, made by an administrator) count as verified."""
    verification = verification_of(organisation)
    return verification is None or verification.is_verified


def lock_verification(organisation_id) -> OrganisationVerification | None:
    """Lock the organisation's verification row (the first lock of every account-level change)."""
    return (
        OrganisationVerification.objects.select_for_update().filter(organisation_id=organisation_id).first()
    )


def claimable(organisation, *, now=None) -> bool:
    """Whether a new sign-up may take the account over (ADR 0017): the organisation was created by sign-up
    and is not verified; its holder signed up at least ``REGISTRATION_CLAIM_AFTER_DAYS`` ago; none of its
    filings is with the bureau, approved or in force; and none was submitted within that time."""
    if not organisation.is_active:
        return False  # closed by the operator: not for anyone to take
    verification = verification_of(organisation)
    if verification is None or verification.is_verified:
        return False
    holder = holder_of(organisation)
    if holder is None or holder.holder_since is None:
        return False
    cutoff = (now or timezone.now()) - timedelta(days=claim_after_days())
    if holder.holder_since > cutoff:
        return False
    return not hooks.takeover_blocked(organisation, cutoff=cutoff)


# --- sign-up ------------------------------------------------------------------------------------------------
def start_holding(organisation, *, details: dict, user, origin: str, now) -> OrganisationClaim:
    """The claim of the people who now hold the account (sign-up or takeover)."""
    claim = OrganisationClaim.objects.create(
        organisation=organisation,
        status=ClaimStatus.HOLDER,
        origin=origin,
        user=user,
        holder_since=now,
        last_attempt_at=now,
        **_particulars(details),
    )
    audit(
        verb=AuditVerb.CREATE,
        target=claim,
        actor=user,
        to_state=ClaimStatus.HOLDER,
        payload={"organisation": organisation.pk, "code": claim.code, "origin": origin},
    )
    return claim


def _particulars(details: dict) -> dict:
    return {
        "code": details["code"],
        "name_cn": details.get("name_cn", "")[:100],
        "name_en": details.get("name_en", "")[:200],
        "division_code": details.get("division_code", "")[:6],
        "full_name": details.get("full_name", "")[:100],
        "username": details.get("username", "")[:150],
        "email": details.get("email", ""),
        "phone": details.get("phone", "")[:30],
        "language": (translation.get_language() or settings.LANGUAGE_CODE)[:10],
    }


def take_over(organisation, *, details: dict, now) -> None:
    """Retire the unverified holder of ``organisation`` for a new sign-up (the caller has locked the
    verification row and checked ``claimable``); the caller then creates the new administrator.

    Raises ``Refused`` when one of the holder's filings was submitted meanwhile (the check raced a
    submission): then nothing changes.
    """
    holder = _locked_holder(organisation)
    reason_text = texts.keep(
        gettext_lazy(
            "Not verified by the commerce bureau and no filing submitted for %(days)d days: taken over by a "
            "new sign-up for the same code."
        ),
        {"days": claim_after_days()},
    )
    _retire(
        organisation,
        holder,
        by=None,
        reason=texts.bilingual(reason_text),
        reason_text=reason_text,
        now=now,
        only_editable=True,
        title=gettext_lazy("Your account for %(name)s (%(code)s) was taken over"),
        body=gettext_lazy(
            "The account had not been verified by the commerce bureau and no filing had been submitted for "
            "%(days)d days, so a new sign-up for the same code has taken it over. Your user accounts are "
            "closed and your drafts withdrawn. If your enterprise is the rightful holder, contact the "
            "commerce bureau."
        ),
        params={"days": claim_after_days()},
    )
    _take_particulars(organisation, details)
    verification = OrganisationVerification.objects.get(organisation=organisation)
    workflow.transition(
        verification,
        "take_over",
        workflow=VERIFICATION,
        reason="taken over by a new sign-up after the waiting period",
        payload={"how": "take_over"},
    )
    verification.verified_at = verification.verified_by = verification.verified_filing = None
    verification.verified_note = ""
    verification.save()


def welcome_taker(organisation, user) -> None:
    """Tell the new holder what happened, and the bureau's supervisors."""
    params = {"name": organisation.name_cn, "code": organisation.code, "days": claim_after_days()}
    notify(
        recipients=[user],
        verb="registration.account_taken_over",
        title=gettext_lazy("You now hold the account of %(name)s (%(code)s)"),
        body=gettext_lazy(
            "Another sign-up held this code without verification and without submitting a filing for "
            "%(days)d days; its users were closed and told. Your account stays unverified until the "
            "commerce bureau approves your first filing."
        ),
        params=params,
        url=reverse("registration:filings"),
    )
    notify(
        recipients=list(users_with_role(Role.COMMERCE_SUPERVISOR)),
        verb="registration.account_taken_over",
        title=gettext_lazy("The unverified account of %(code)s was taken over by a new sign-up"),
        body=gettext_lazy("It had been unverified with no filing submitted for %(days)d days."),
        params=params,
        url=reverse("accounts:claim", args=[organisation.pk]),
    )


def record_refusal(organisation, details: dict) -> OrganisationClaim:
    """Keep a refused sign-up for the bureau (one PENDING claim per organisation and email address) and tell
    the supervisors about a new one. The holder is not told: a squatter would learn that the enterprise is
    looking for its account."""
    now = timezone.now()
    with transaction.atomic():
        claim = (
            OrganisationClaim.objects.select_for_update()
            .filter(organisation=organisation, status=ClaimStatus.PENDING, email__iexact=details["email"])
            .first()
        )
        if claim is not None:
            for name, value in _particulars(details).items():
                setattr(claim, name, value)
            claim.attempts += 1
            claim.last_attempt_at = now
            claim.save()
            audit(verb=AuditVerb.UPDATE, target=claim, payload={"attempts": claim.attempts})
            return claim
        claim = OrganisationClaim.objects.create(
            organisation=organisation,
            status=ClaimStatus.PENDING,
            origin=ClaimOrigin.REFUSED,
            last_attempt_at=now,
            **_particulars(details),
        )
        audit(
            verb=AuditVerb.CREATE,
            target=claim,
            to_state=ClaimStatus.PENDING,
            payload={"organisation": organisation.pk, "code": claim.code, "refused": True},
        )
        notify(
            recipients=list(users_with_role(Role.COMMERCE_SUPERVISOR)),
            verb="registration.signup_refused",
            title=gettext_lazy("A sign-up for %(code)s was refused: the code already has an account"),
            body=gettext_lazy(
                "%(person)s (%(email)s) signed up for %(name)s. Check who acts for the enterprise and "
                "reassign the account or dismiss the request."
            ),
            params={
                "code": claim.code,
                "person": claim.full_name,
                "email": claim.email,
                "name": claim.name_cn,
            },
            url=reverse("accounts:claim", args=[organisation.pk]),
        )
    return claim


# --- the commerce bureau --------------------------------------------------------------------------------
def _lock_pending(claim, by, verb) -> tuple[OrganisationClaim, OrganisationVerification]:
    ensure_claims_officer(by)
    verification, _created = OrganisationVerification.objects.get_or_create(
        organisation_id=claim.organisation_id,
        defaults={"status": VerificationStatus.VERIFIED, "verified_note": "existing organisation"},
    )
    verification = OrganisationVerification.objects.select_for_update().get(pk=verification.pk)
    claim = OrganisationClaim.objects.select_for_update().select_related("organisation").get(pk=claim.pk)
    CLAIM.target(claim.status, verb)  # only a pending sign-up is decided (else ``TransitionNotAllowed``)
    return claim, verification


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    return reason[:2000]


@transaction.atomic
def claim_reassign(*, claim, by, reason: str) -> OrganisationClaim:
    """Give the organisation to the claimant of a refused sign-up (a supervisor, after checking who acts for
    the enterprise). The holder's claim is retired, its users closed, its open filings withdrawn; the
    claimant is invited by email as the organisation's administrator; the account counts as verified."""
    reason = _reason(reason)
    claim, verification = _lock_pending(claim, by, "reassign")
    organisation = claim.organisation
    _ensure_nothing_in_force(organisation)
    now = timezone.now()
    retired = _retire(
        organisation,
        _locked_holder(organisation),
        by=by,
        reason=reason,
        now=now,
        only_editable=False,
        title=gettext_lazy("Your account for %(name)s (%(code)s) was reassigned by the commerce bureau"),
        body=gettext_lazy(
            "Reason: %(reason)s. Your user accounts are closed and your open filings withdrawn. If you "
            "disagree, contact the commerce bureau."
        ),
        params={"reason": texts.clause(reason)},
    )
    _take_particulars(organisation, _claim_details(claim), by=by)
    raw, invitation = _invitation_for(claim, by=by, now=now)
    workflow.transition(
        claim,
        "reassign",
        by=by,
        workflow=CLAIM,
        reason=reason,
        payload={"organisation": organisation.pk, "retired": getattr(retired, "pk", None)},
    )
    claim.holder_since, claim.invitation = now, invitation
    claim.decided_at, claim.decided_by, claim.decision_reason = now, by, reason
    claim.save()
    audit(
        verb=AuditVerb.INVITE,
        target=organisation,
        actor=by,
        payload={"email": claim.email, "role": Role.ENTERPRISE_ADMIN, "claim": claim.pk},
    )
    _verify(verification, by=by, now=now, filing=None, note=reason, payload={"how": "reassign"})
    _mail_invitation(claim, raw)
    return claim


def _ensure_nothing_in_force(organisation) -> None:
    """A reassignment waits until no filing of the organisation is approved or in force."""
    in_force = hooks.in_force(organisation)
    if in_force:
        raise ValidationError(
            _(
                "The organisation has a filing approved or in force (%(nos)s): its qualifications are "
                "registered for the present holder. Revoke it first, then reassign the account."
            )
            % {"nos": texts.join_list(in_force)},
            code="revoke_first",
        )


def _locked_holder(organisation) -> OrganisationClaim | None:
    return (
        OrganisationClaim.objects.select_for_update()
        .filter(organisation=organisation, status=ClaimStatus.HOLDER)
        .first()
    )


def _invitation_for(claim, *, by, now) -> tuple[str, Invitation]:
    """The claimant's invitation as the organisation's administrator: the raw token (for the email) and the
    row."""
    raw, hashed = Invitation.new_token()
    invitation = Invitation.objects.create(
        organisation=claim.organisation,
        email=claim.email,
        full_name=claim.full_name,
        role=Role.ENTERPRISE_ADMIN,
        token_hash=hashed,
        invited_by=by,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    return raw, invitation


def _verify(verification, *, by, now, filing, note: str, payload: dict) -> None:
    """The bureau verifies the account: by approving its first filing, or by reassigning it."""
    workflow.transition(verification, "verify", by=by, workflow=VERIFICATION, reason=note, payload=payload)
    verification.verified_at, verification.verified_by = now, by
    verification.verified_filing, verification.verified_note = filing, note
    verification.save()


def _mail_invitation(claim, raw: str) -> None:
    _mail_claimant(
        claim,
        subject=gettext_lazy("The commerce bureau assigned you the account of %(name)s"),
        body=gettext_lazy(
            "The commerce bureau has checked your sign-up for %(code)s and assigned you the account of "
            "%(name)s on the Zhejiang cross-border e-commerce portal. Open this link within %(days)d days to "
            "choose your username and password: %(link)s"
        ),
        params={
            "code": claim.code,
            "name": claim.organisation.name_cn,
            "days": INVITATION_DAYS,
            "link": settings.SITE_URL + reverse("portal:invitation-accept", args=[raw]),
        },
    )


@transaction.atomic
def claim_dismiss(*, claim, by, reason: str) -> OrganisationClaim:
    """Refuse a disputed sign-up: the account stays with its holder; the claimant is told by email."""
    reason = _reason(reason)
    claim, _verification = _lock_pending(claim, by, "dismiss")
    workflow.transition(
        claim,
        "dismiss",
        by=by,
        workflow=CLAIM,
        reason=reason,
        payload={"organisation": claim.organisation_id},
    )
    claim.decided_at, claim.decided_by, claim.decision_reason = timezone.now(), by, reason
    claim.save()
    _mail_claimant(
        claim,
        subject=gettext_lazy("Your sign-up for %(code)s"),
        body=gettext_lazy(
            "The commerce bureau has reviewed your sign-up for %(code)s and the account stays with its "
            "present holder. Reason: %(reason)s. If you have questions, contact the commerce bureau."
        ),
        params={"code": claim.code, "reason": reason},
    )
    return claim


def mark_verified(filing, *, by) -> None:
    """The first approved filing verifies the organisation (call with its verification row locked)."""
    verification = lock_verification(filing.owner_id)
    if verification is None or verification.is_verified:
        return
    _verify(
        verification,
        by=by,
        now=timezone.now(),
        filing=filing,
        note=filing.filing_no,
        payload={"how": "filing_approved", "filing": filing.pk},
    )


def current_claim_for_new_filing(owner, by) -> OrganisationClaim | None:
    """Lock the account and return the holder's claim a new filing belongs to; refuse someone whose account
    was closed meanwhile (a takeover or reassignment committed while their page was open)."""
    if (
        lock_verification(owner.pk) is None
        and not OrganisationClaim.objects.filter(organisation=owner).exists()
    ):
        return None
    if not User.objects.filter(pk=by.pk, is_active=True, organisation_id=owner.pk).exists():
        raise ValidationError(_("Your account is no longer active for this organisation."), code="retired")
    return holder_of(owner)


# --- shared steps ---------------------------------------------------------------------------------------
def _retire(
    organisation,
    holder,
    *,
    by,
    reason: str,
    now,
    only_editable: bool,
    title,
    body,
    params: dict,
    reason_text: dict | None = None,
) -> OrganisationClaim:
    """Retire the holder's claim (one is recorded for an organisation that predates claims): its filings
    stay on record under it, open ones are withdrawn, its users are told (inbox and email, sent after commit
    although they are closed by then: it is how they learn of it), closed and taken out of the organisation,
    and invitations not yet accepted are withdrawn."""
    holder = holder or _existing_holder(organisation)
    hooks.on_retired(
        organisation,
        holder,
        by=by,
        reason=reason,
        reason_text=reason_text,
        now=now,
        only_editable=only_editable,
    )
    users = list(User.objects.filter(organisation=organisation).order_by("pk"))
    retired_users = [u.username for u in users if u.is_active]
    notify(
        recipients=[u for u in users if u.is_active],
        verb="registration.account_retired",
        title=title,
        body=body,
        params={"name": organisation.name_cn, "code": organisation.code, **params},
        url="",
    )
    _close_users(users, organisation=organisation, claim=holder, by=by, reason=reason)
    Invitation.objects.filter(organisation=organisation, accepted_at=None, revoked_at=None).update(
        revoked_at=now
    )
    workflow.transition(
        holder,
        "retire",
        by=by,
        workflow=CLAIM,
        reason=reason,
        payload={"organisation": organisation.pk, "users": retired_users},
    )
    holder.retired_users = retired_users
    holder.retired_at, holder.retired_by, holder.retired_reason = now, by, reason
    holder.save()
    return holder


def _existing_holder(organisation) -> OrganisationClaim:
    """The claim of the people who held an organisation made before sign-ups were recorded."""
    return OrganisationClaim.objects.create(
        organisation=organisation,
        code=organisation.code,
        status=ClaimStatus.HOLDER,
        origin=ClaimOrigin.EXISTING,
        name_cn=organisation.name_cn,
        name_en=organisation.name_en,
        division_code=organisation.division_code,
        holder_since=organisation.created_at,
    )


def _close_users(users, *, organisation, claim, by, reason: str) -> None:
    """Close the holder's users and take them out of the organisation (each audited)."""
    payload = {"claim": claim.pk, "left_organisation": organisation.pk}
    for user in users:
        if user.is_active:
            audit(
                verb=AuditVerb.DEACTIVATE,
                target=user,
                actor=by,
                from_state="True",
                to_state="False",
                reason=reason,
                payload=payload,
            )
        else:  # already closed: it only leaves the organisation
            audit(verb=AuditVerb.UPDATE, target=user, actor=by, reason=reason, payload=payload)
        user.is_active, user.organisation = False, None
        user.save(update_fields=["is_active", "organisation"])


def _claim_details(claim) -> dict:
    return {
        "code": claim.code,
        "name_cn": claim.name_cn,
        "name_en": claim.name_en,
        "division_code": claim.division_code,
    }


PARTICULARS = ("code", "name_cn", "name_en", "division_code")


def _take_particulars(organisation, details: dict, *, by=None) -> None:
    """The new holder's particulars of the enterprise; a legacy organisation code becomes the credit code
    when the new holder signed up with the credit code that embeds it."""
    before = {name: getattr(organisation, name) for name in PARTICULARS}
    code = details.get("code", "")
    if (
        identifiers.is_legacy_code(organisation.code)
        and len(code) == identifiers.USCC_LENGTH
        and not Organisation.objects.filter(code=code).exclude(pk=organisation.pk).exists()
    ):
        organisation.code = code
    organisation.name_cn = details.get("name_cn") or organisation.name_cn
    organisation.name_en = details.get("name_en", "")
    organisation.division_code = details.get("division_code") or organisation.division_code
    organisation.save()
    after = {name: getattr(organisation, name) for name in PARTICULARS}
    if before != after:
        payload = {"before": before, "after": after}
        audit(verb=AuditVerb.UPDATE, target=organisation, actor=by, payload=payload)


def _mail_claimant(claim, *, subject, body, params: dict) -> None:
    """Email to someone who signed up but holds no account (so has no inbox), in the language they used."""
    if not claim.email:
        return
    with translation.override(claim.language or None):
        text_subject, text_body = str(subject) % params, str(body) % params
    email = claim.email
    transaction.on_commit(lambda: send_mail(text_subject, text_body, None, [email], fail_silently=True))


def pending_counts() -> dict[int, int]:
    """Pending sign-ups per organisation (the supervisors' list)."""
    return dict(
        OrganisationClaim.objects.filter(status=ClaimStatus.PENDING)
        .values_list("organisation")
        .annotate(n=Count("id"))
        .values_list("organisation", "n")
    )
