from django.apps import AppConfig


class KitAppConfig(AppConfig):
    """A test-only app exercising the shell's domain-app kit (workflow, scoped pages and API)."""

    name = "tests.kitapp"
    label = "kitapp"
    default_auto_field = "django.db.models.BigAutoField"
