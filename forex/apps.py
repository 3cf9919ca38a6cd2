from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForexConfig(AppConfig):
    name = "forex"
    verbose_name = _("Forex")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from exchange.registry import register_message_type
        from forex.messages import MESSAGE_TYPES

        for spec in MESSAGE_TYPES:
            register_message_type(spec)
        from portal.choices import Role
        from portal.ui import register_nav

        register_nav(_("Forex desk"), "forex:officer", [Role.FOREX_OFFICER], order=20)
