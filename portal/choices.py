"""Enumerations of the shell: organisation kinds, roles, audit verbs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "ENTERPRISE", _("Enterprise")
    COMMERCE = "COMMERCE", _("Commerce bureau")
    CUSTOMS = "CUSTOMS", _("Customs")
    CIQ = "CIQ", _("Inspection and quarantine")
    SAFE = "SAFE", _("Foreign exchange administration (SAFE)")
    TAX = "TAX", _("Tax bureau")
    STATISTICS = "STATISTICS", _("Statistics office")
    OPERATOR = "OPERATOR", _("Platform operator")


GOVERNMENT_KINDS = frozenset(
    {
        OrganisationKind.COMMERCE,
        OrganisationKind.CUSTOMS,
        OrganisationKind.CIQ,
        OrganisationKind.SAFE,
        OrganisationKind.TAX,
        OrganisationKind.STATISTICS,
    }
)

# The exchange department code (docs/exchange-protocol.md) each government body answers for.
DEPARTMENT_OF_KIND = {
    OrganisationKind.COMMERCE: "commerce",
    OrganisationKind.CUSTOMS: "customs",
    OrganisationKind.CIQ: "ciq",
    OrganisationKind.SAFE: "safe",
    OrganisationKind.TAX: "tax",
}


class Role(models.TextChoices):
    """Roles are Django groups of these names (created by migration 0002)."""

    ENTERPRISE_ADMIN = "enterprise_admin", _("Enterprise administrator")
    ENTERPRISE_OPERATOR = "enterprise_operator", _("Enterprise operator")
    COMMERCE_REVIEWER = "commerce_reviewer", _("Commerce-bureau reviewer")
    COMMERCE_SUPERVISOR = "commerce_supervisor", _("Commerce-bureau supervisor")
    CUSTOMS_OFFICER = "customs_officer", _("Customs officer")
    INSPECTION_OFFICER = "inspection_officer", _("Inspection officer")
    FOREX_OFFICER = "forex_officer", _("Forex officer")
    TAX_OFFICER = "tax_officer", _("Tax officer")
    STATISTICS_OFFICIAL = "statistics_official", _("Statistics official")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


# Which roles a user of each kind of organisation may hold.
ROLES_OF_KIND = {
    OrganisationKind.ENTERPRISE: {Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR},
    OrganisationKind.COMMERCE: {Role.COMMERCE_REVIEWER, Role.COMMERCE_SUPERVISOR},
    OrganisationKind.CUSTOMS: {Role.CUSTOMS_OFFICER},
    OrganisationKind.CIQ: {Role.INSPECTION_OFFICER},
    OrganisationKind.SAFE: {Role.FOREX_OFFICER},
    OrganisationKind.TAX: {Role.TAX_OFFICER},
    OrganisationKind.STATISTICS: {Role.STATISTICS_OFFICIAL},
    OrganisationKind.OPERATOR: {Role.SYSTEM_ADMIN},
}

# The department officer role of each exchange department.
OFFICER_ROLE_OF_DEPARTMENT = {
    "commerce": Role.COMMERCE_REVIEWER,
    "customs": Role.CUSTOMS_OFFICER,
    "ciq": Role.INSPECTION_OFFICER,
    "safe": Role.FOREX_OFFICER,
    "tax": Role.TAX_OFFICER,
}


class AuditVerb(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    TRANSITION = "transition", _("Status changed")
    LOGIN = "login", _("Logged in")
    LOGOUT = "logout", _("Logged out")
    LOGIN_FAILED = "login_failed", _("Login failed")
    PASSWORD_CHANGE = "password_change", _("Password changed")
    PASSWORD_RESET = "password_reset", _("Password reset")
    INVITE = "invite", _("Invited")
    ROLE_CHANGE = "role_change", _("Roles changed")
    DEACTIVATE = "deactivate", _("Deactivated")
    REACTIVATE = "reactivate", _("Reactivated")
    TOKEN_CREATE = "token_create", _("API token created")
    TOKEN_REVOKE = "token_revoke", _("API token revoked")
    UPLOAD = "upload", _("File uploaded")
    DOWNLOAD = "download", _("File downloaded")
    MESSAGE = "message", _("Message to a department")
    RECEIPT = "receipt", _("Receipt from a department")
    REPLAY = "replay", _("Message replayed")
    ASSIGN = "assign", _("Assigned")
    COMMENT = "comment", _("Commented")
    EXPORT = "export", _("Exported")


class TokenRevokedBecause(models.TextChoices):
    """Why an API token stopped working: its user revoked it, or a new password ended every token."""

    MANUAL = "manual", _("Revoked by its user")
    PASSWORD_CHANGE = "password_change", _("Revoked because the password was changed")
    PASSWORD_RESET = "password_reset", _("Revoked because the password was reset")
