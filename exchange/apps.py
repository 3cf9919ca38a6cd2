from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "exchange"
    verbose_name = _("Exchange")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from exchange import tasks  # noqa: F401  (registers the Celery tasks the services publish by name)
        from exchange.timeline import exchange_timeline
        from portal.choices import Role
        from portal.roles import grant
        from portal.ui import register_nav, register_timeline_source

        grant(Role.SYSTEM_ADMIN, "exchange.view_all_message", "exchange.replay_message")
        for role in (
            Role.COMMERCE_REVIEWER,
            Role.COMMERCE_SUPERVISOR,
            Role.CUSTOMS_OFFICER,
            Role.INSPECTION_OFFICER,
            Role.FOREX_OFFICER,
            Role.TAX_OFFICER,
        ):
            grant(role, "exchange.view_department_message")
        from exchange.registry import subject_models

        register_timeline_source(subject_models, exchange_timeline)
        from exchange import panels

        panels.register()
        register_nav(_("Outbox health"), "exchange:health", [Role.SYSTEM_ADMIN], order=80)
        register_nav(_("Undeliverable messages"), "exchange:dead-letters", [Role.SYSTEM_ADMIN], order=81)
        register_nav(
            _("Commerce desk"),
            "exchange:commerce-desk",
            [Role.COMMERCE_REVIEWER, Role.COMMERCE_SUPERVISOR],
            order=30,
        )
