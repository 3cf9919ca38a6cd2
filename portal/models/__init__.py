"""Models of the shell: organisations, users, audit events, notifications, API tokens, invitations."""

from portal.models.audit import AuditEvent
from portal.models.base import ScopedQuerySet, TimeStampedModel
from portal.models.notification import Notification
from portal.models.organisation import Organisation
from portal.models.token import ApiToken
from portal.models.user import Invitation, User

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Invitation",
    "Notification",
    "Organisation",
    "ScopedQuerySet",
    "TimeStampedModel",
    "User",
]
