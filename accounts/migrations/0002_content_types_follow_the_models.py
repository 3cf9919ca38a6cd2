"""The content types of the moved models follow them to ``accounts`` (ADR 0026), so audit history
(``AuditEvent.target_type``) and permissions (``accounts.resolve_organisationclaim``) still resolve.

The rows are renamed, not recreated: their ids, which audit events (append-only: never updated) and
permissions point at, stay the same. If ``accounts`` rows were already created (``post_migrate`` after a
partial migrate stopped between the move and this migration), they are new and unused, so they go first,
with their permissions; the renamed rows keep theirs and the groups holding them.
"""

from django.db import migrations

MODELS = ("organisationclaim", "organisationverification")


def _move(apps, old_label: str, new_label: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    permission = apps.get_model("auth", "Permission")
    for model in MODELS:
        old = content_type.objects.filter(app_label=old_label, model=model).first()
        if old is None:
            continue
        unused = content_type.objects.filter(app_label=new_label, model=model).first()
        if unused is not None:
            permission.objects.filter(content_type=unused).delete()
            unused.delete()  # an audit event pointing at it (there cannot be one) would stop this: PROTECT
        old.app_label = new_label
        old.save(update_fields=["app_label"])


def forwards(apps, schema_editor):
    _move(apps, "registration", "accounts")


def backwards(apps, schema_editor):
    _move(apps, "accounts", "registration")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("registration", "0010_kit_accounts_models_moved"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("portal", "0009_notification_sources"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
