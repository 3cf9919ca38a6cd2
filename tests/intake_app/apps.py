"""A test-only app with an importer, installed by ``portal.settings_test`` (like ``tests.effects``): it is
registered in every process of a test stack, the Celery worker included, exactly as a domain app's is."""

from django.apps import AppConfig


class IntakeTestConfig(AppConfig):
    name = "tests.intake_app"
    label = "test_intake"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal.intake import register_importer
        from tests.intake_app.importer import ParcelImporter

        register_importer("tests.parcels", ParcelImporter())
