from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxRefundConfig(AppConfig):
    name = "tax_refund"
    verbose_name = _("Tax refund")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from exchange.registry import register_message_type
        from tax_refund.messages import MESSAGE_TYPES

        for spec in MESSAGE_TYPES:
            register_message_type(spec)
        from portal.choices import Role
        from portal.ui import register_nav

        register_nav(_("Tax desk"), "tax_refund:officer", [Role.TAX_OFFICER], order=20)
