from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Who holds an enterprise's account: sign-up, disputed sign-ups, verification, a legacy organisation's
    credit code (ADR 0017, ADR 0026)."""

    name = "accounts"
    verbose_name = _("Accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal.choices import Role
        from portal.roles import grant
        from portal.ui import register_nav

        grant(Role.COMMERCE_SUPERVISOR, "accounts.resolve_organisationclaim")
        # Disputed and duplicate sign-ups for one credit code; reassigning an account (ADR 0017).
        register_nav(_("Disputed sign-ups"), "accounts:claims", [Role.COMMERCE_SUPERVISOR], order=20)
