"""A test-only app, installed by ``portal.settings_test``: records each effect a receipt handler causes.

Because it is an installed app, its handlers are registered in every process of a test stack (the live
server, the Celery worker) exactly as a domain app's are, so "no business effect happens twice" is counted
in rows, not inferred.
"""

from django.apps import AppConfig

OBSERVED_TYPES = (
    "customs.registration",
    "commerce.filing_status",
    "CEB303Message",
    "CEB505Message",
    "CEB603Message",
    "CEB507Message",
    "CEB509Message",
)


def record_effect(message, receipt) -> None:
    from tests.effects.models import Effect

    Effect.objects.create(message_id=message.pk, status=receipt.status_code, receipt_id=receipt.receipt_id)


class EffectsConfig(AppConfig):
    name = "tests.effects"
    label = "test_effects"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from exchange.registry import register_handlers

        for message_type in OBSERVED_TYPES:
            register_handlers(message_type, on_receipt=record_effect)
