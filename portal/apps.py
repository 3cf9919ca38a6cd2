from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Register the system checks, connect the audit and login-limit signal handlers.
        from portal import checks, login_limits, roles, signals  # noqa: F401
        from portal.choices import Role
        from portal.intake import tasks  # noqa: F401  (registers the import tasks the services publish by name)
        from portal.ui import register_nav

        post_migrate.connect(roles.sync_role_permissions, dispatch_uid="portal.sync_role_permissions")
        register_nav(_("Team"), "portal:team", [Role.ENTERPRISE_ADMIN], order=90)
        register_nav(_("Audit trail"), "portal:audit-search", [Role.SYSTEM_ADMIN], order=90)
