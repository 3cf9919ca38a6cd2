from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TradeStatisticsConfig(AppConfig):
    name = "trade_statistics"
    verbose_name = _("Statistics")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal.ui import register_nav
        from trade_statistics import panels
        from trade_statistics.policies import STATISTICS_ROLES

        register_nav(_("Statistics"), "trade_statistics:dashboard", STATISTICS_ROLES, order=70)
        panels.register()
