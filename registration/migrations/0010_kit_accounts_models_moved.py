"""The account models moved to ``accounts`` (ADR 0026): registration forgets them in its migration state only,
and a filing's claim points at ``accounts.OrganisationClaim`` (the same table, so the database is untouched)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('registration', '0009_reasons_kept_for_each_language'),
    ]

    operations = [
        # State only: the tables keep their names and rows (ADR 0026).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='entityfiling',
                    name='claim',
                    field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='filings', to='accounts.organisationclaim', verbose_name='made under the claim'),
                ),
                migrations.RemoveField(
                    model_name='organisationverification',
                    name='organisation',
                ),
                migrations.RemoveField(
                    model_name='organisationverification',
                    name='verified_by',
                ),
                migrations.RemoveField(
                    model_name='organisationverification',
                    name='verified_filing',
                ),
                migrations.DeleteModel(
                    name='OrganisationClaim',
                ),
                migrations.DeleteModel(
                    name='OrganisationVerification',
                ),
            ],
            database_operations=[],
        ),
    ]
