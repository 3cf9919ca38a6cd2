"""The account models, moved from registration (ADR 0026): created in the migration state only; their tables
(``registration_organisationclaim``, ``registration_organisationverification``) already exist and keep their
rows."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('portal', '0009_notification_sources'),
        ('registration', '0009_reasons_kept_for_each_language'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # State only: the tables keep their names and rows (ADR 0026).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='OrganisationVerification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('UNVERIFIED', 'Not yet verified'), ('VERIFIED', 'Verified by the commerce bureau')], default='UNVERIFIED', max_length=12, verbose_name='verification')),
                        ('verified_at', models.DateTimeField(blank=True, null=True, verbose_name='verified at')),
                        ('verified_note', models.TextField(blank=True, verbose_name='how it was verified')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('organisation', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='account_verification', to='portal.organisation', verbose_name='organisation')),
                        ('verified_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('verified_filing', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registration.entityfiling')),
                    ],
                    options={
                        'verbose_name': 'organisation verification',
                        'verbose_name_plural': 'organisation verifications',
                        'db_table': 'registration_organisationverification',
                    },
                ),
                migrations.CreateModel(
                    name='OrganisationClaim',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(db_index=True, max_length=18, verbose_name='code signed up with')),
                        ('status', models.CharField(choices=[('HOLDER', 'Holds the account'), ('RETIRED', 'Retired'), ('PENDING', 'Waiting for the commerce bureau'), ('DISMISSED', 'Dismissed by the commerce bureau')], db_index=True, max_length=12, verbose_name='status')),
                        ('origin', models.CharField(choices=[('SIGNUP', 'First sign-up'), ('TAKEOVER', 'Sign-up that claimed an unverified account'), ('REFUSED', 'Sign-up refused: the code already had an account'), ('EXISTING', 'Held before sign-ups were recorded')], max_length=12, verbose_name='origin')),
                        ('name_cn', models.CharField(blank=True, max_length=100, verbose_name='name (Chinese)')),
                        ('name_en', models.CharField(blank=True, max_length=200, verbose_name='name (English)')),
                        ('division_code', models.CharField(blank=True, max_length=6, verbose_name='division code')),
                        ('full_name', models.CharField(blank=True, max_length=100, verbose_name='full name')),
                        ('username', models.CharField(blank=True, max_length=150, verbose_name='username')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='email')),
                        ('phone', models.CharField(blank=True, max_length=30, verbose_name='phone')),
                        ('language', models.CharField(blank=True, max_length=10, verbose_name='language')),
                        ('attempts', models.PositiveIntegerField(default=1, verbose_name='sign-up attempts')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='signed up at')),
                        ('last_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='last attempt at')),
                        ('holder_since', models.DateTimeField(blank=True, null=True, verbose_name='holder since')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                        ('decision_reason', models.TextField(blank=True, verbose_name='reason of the decision')),
                        ('retired_at', models.DateTimeField(blank=True, null=True, verbose_name='retired at')),
                        ('retired_reason', models.TextField(blank=True, verbose_name='why it was retired')),
                        ('retired_users', models.JSONField(blank=True, default=list, verbose_name='users deactivated')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('invitation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='portal.invitation', verbose_name='invitation')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='account_claims', to='portal.organisation', verbose_name='organisation')),
                        ('retired_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='first administrator')),
                    ],
                    options={
                        'verbose_name': 'organisation claim',
                        'verbose_name_plural': 'organisation claims',
                        'db_table': 'registration_organisationclaim',
                        'ordering': ['-created_at', '-id'],
                        'permissions': [('resolve_organisationclaim', 'Can resolve disputed sign-ups and reassign organisations')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'HOLDER')), fields=('organisation',), name='registration_one_holder_per_organisation')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
