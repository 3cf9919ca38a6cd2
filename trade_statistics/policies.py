"""Who may see the province's statistics. One place: the pages, the exports, the home panel and the
navigation all ask here, and the selectors refuse anyone else."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from portal.choices import Role

# Province-wide aggregates only: officials, the commerce bureau's supervisors, and the platform's
# administrators. Enterprise staff, reviewers and department officers have their own pages.
STATISTICS_ROLES = (Role.STATISTICS_OFFICIAL, Role.COMMERCE_SUPERVISOR, Role.SYSTEM_ADMIN)


def may_view_statistics(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.has_role(*STATISTICS_ROLES)


def ensure_may_view_statistics(user) -> None:
    if not may_view_statistics(user):
        raise PermissionDenied(
            _("Only statistics officials, supervisors and administrators see the statistics.")
        )
