"""The constraints, once migration 0006 has made the existing rows fit them (ADR 0022)."""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0007_usernames_normalised_and_shared_emails_marked"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='user',
            constraint=models.UniqueConstraint(fields=('username_key',), name='portal_user_username_key_unique'),
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.UniqueConstraint(django.db.models.functions.text.Lower('email'), condition=models.Q(('email_shared', False), ('is_active', True), models.Q(('email', ''), _negated=True)), name='portal_user_active_email_ci_unique'),
        ),
    ]
