from django.db import migrations, models

OPEN = ["APPROVED", "DRAFT", "REJECT_PENDING", "RETURNED", "SUBMITTED", "UNDER_REVIEW"]


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0004_submission_history"),
        ("portal", "0003_audit_append_only"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="entityfiling",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", OPEN), models.Q(("subtype", "NATURAL_PERSON"), _negated=True)),
                fields=("owner", "entity_type", "subtype"),
                name="registration_one_open_per_owner_role",
            ),
        ),
        migrations.AddConstraint(
            model_name="entityfiling",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", OPEN), models.Q(("identity_key", ""), _negated=True)),
                fields=("identity_key", "entity_type", "subtype"),
                name="registration_one_open_per_identity_role",
            ),
        ),
    ]
