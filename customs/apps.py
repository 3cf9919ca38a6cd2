from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomsConfig(AppConfig):
    name = "customs"
    verbose_name = _("Customs")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from customs.messages import MESSAGE_TYPES
        from exchange.registry import register_message_type

        for spec in MESSAGE_TYPES:
            register_message_type(spec)
        from portal.choices import Role
        from portal.roles import grant
        from portal.ui import register_nav

        grant(Role.CUSTOMS_OFFICER, "customs.view_all_documents", "customs.view_all_sellerauthorisation")

        register_nav(_("Customs desk"), "customs:officer", [Role.CUSTOMS_OFFICER], order=20)
        register_nav(
            _("Customs code lists"),
            "customs:reference",
            [Role.CUSTOMS_OFFICER, Role.SYSTEM_ADMIN, Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR],
            order=25,
        )
