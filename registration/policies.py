"""Who may do what to a filing, beyond seeing it (seeing is ``visible_to``; acting is checked here).

Services call these after locking the row, so a page, the API and a script are held to the same rules.
A refusal is ``PermissionDenied`` with a message in the user's language (403 in the API).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from portal.choices import Role

REVIEW = "registration.review_entityfiling"
SUPERVISE = "registration.countersign_entityfiling"


def _active(user) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Log in to do this."))


def ensure_applicant(filing, user) -> None:
    """Enterprise staff of the filing's own organisation, and of the claim it was made under: a filing of
    people who held the account before it changed hands is not theirs (ADR 0017)."""
    _active(user)
    if user.organisation_id != filing.owner_id or not user.has_role(
        Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR
    ):
        raise PermissionDenied(_("Only your organisation's enterprise staff can do this."))
    if filing.claim_id is not None and filing.claim.status == "RETIRED":
        raise PermissionDenied(_("Only your organisation's enterprise staff can do this."))


def _no_conflict(filing, user) -> None:
    if user.organisation_id is not None and user.organisation_id == filing.owner_id:
        raise PermissionDenied(_("You cannot act on a filing of your own organisation."))


def ensure_reviewer(filing, user, *, assignee_only: bool = True) -> None:
    """A commerce-bureau reviewer; for decisions, the reviewer it is assigned to (or a supervisor)."""
    _active(user)
    if not user.has_perm(REVIEW):
        raise PermissionDenied(_("Only commerce-bureau reviewers can do this."))
    _no_conflict(filing, user)
    if assignee_only and filing.assigned_to_id not in (None, user.pk) and not user.has_perm(SUPERVISE):
        raise PermissionDenied(_("This filing is assigned to another reviewer."))


def ensure_supervisor(filing, user) -> None:
    _active(user)
    if not user.has_perm(SUPERVISE):
        raise PermissionDenied(_("Only a commerce-bureau supervisor can do this."))
    _no_conflict(filing, user)


def may_download(filing, user) -> bool:
    """Attachments (licence and ID scans) go to the owner's enterprise staff and to commerce-bureau
    reviewers and supervisors only: seeing a filing (``view_all``) is not enough (ADR 0015)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if is_applicant(filing, user):
        return True
    return user.has_role(Role.COMMERCE_REVIEWER, Role.COMMERCE_SUPERVISOR) and user.has_perm(REVIEW)


def ensure_may_download(filing, user) -> None:
    if not may_download(filing, user):
        raise PermissionDenied(
            _("Only the applicant's staff and the commerce bureau's reviewers can open attachments.")
        )


def can_review(user) -> bool:
    return bool(user.is_authenticated and user.has_perm(REVIEW))


def can_supervise(user) -> bool:
    return bool(user.is_authenticated and user.has_perm(SUPERVISE))


def is_applicant(filing, user) -> bool:
    return bool(
        user.is_authenticated
        and user.organisation_id == filing.owner_id
        and user.has_role(Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR)
        and not (filing.claim_id is not None and filing.claim.status == "RETIRED")
    )
