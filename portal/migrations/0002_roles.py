"""Create one Django group per role (portal.choices.Role). Permissions are synced after migrate (portal.roles)."""

from django.db import migrations

ROLE_NAMES = [
    "enterprise_admin",
    "enterprise_operator",
    "commerce_reviewer",
    "commerce_supervisor",
    "customs_officer",
    "inspection_officer",
    "forex_officer",
    "tax_officer",
    "statistics_official",
    "system_admin",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.using(schema_editor.connection.alias).get_or_create(name=name)


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=ROLE_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, remove_groups)]
