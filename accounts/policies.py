"""Who may decide who holds an account (a commerce-bureau supervisor; ADR 0017, ADR 0026)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

CLAIMS = "accounts.resolve_organisationclaim"


def ensure_claims_officer(user) -> None:
    """A commerce-bureau supervisor resolving disputed sign-ups (reviewers and enterprises may not)."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Log in to do this."))
    if not user.has_perm(CLAIMS):
        raise PermissionDenied(_("Only a commerce-bureau supervisor can resolve disputed sign-ups."))


def can_resolve_claims(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(CLAIMS))
