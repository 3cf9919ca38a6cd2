"""Models of the shell: organisations, users, audit, notifications, API tokens, invitations, imports."""

from portal.models.audit import AuditEvent
from portal.models.base import ScopedQuerySet, TimeStampedModel
from portal.models.intake import ImportJob, ImportProblem
from portal.models.notification import Notification
from portal.models.organisation import Organisation
from portal.models.token import ApiToken
from portal.models.user import Invitation, User

__all__ = [
    "ApiToken",
    "AuditEvent",
    "ImportJob",
    "ImportProblem",
    "Invitation",
    "Notification",
    "Organisation",
    "ScopedQuerySet",
    "TimeStampedModel",
    "User",
]
