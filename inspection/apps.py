from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    name = "inspection"
    verbose_name = _("Inspection")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from exchange.registry import register_message_type
        from inspection.messages import MESSAGE_TYPES

        for spec in MESSAGE_TYPES:
            register_message_type(spec)
        from portal.choices import Role
        from portal.ui import register_nav

        register_nav(_("Inspection desk"), "inspection:officer", [Role.INSPECTION_OFFICER], order=20)
