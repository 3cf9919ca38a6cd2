"""The account models moved from registration to accounts without touching their data (ADR 0026): the tables
keep their names, and the content types follow the models, so audit history and permissions still resolve."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import OrganisationClaim, OrganisationVerification
from portal.models import AuditEvent

BEFORE = [("accounts", "0001_initial"), ("registration", "0010_kit_accounts_models_moved")]
AFTER = [("accounts", "0002_content_types_follow_the_models")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor.loader.project_state(targets).apps


def _migrate_to_latest() -> list:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(latest)
    executor.loader.build_graph()
    ContentType.objects.clear_cache()
    return executor.migration_plan(latest)


def test_the_tables_keep_their_names():
    assert OrganisationClaim._meta.db_table == "registration_organisationclaim"
    assert OrganisationVerification._meta.db_table == "registration_organisationverification"
    assert OrganisationClaim._meta.app_label == "accounts"


@pytest.mark.django_db(transaction=True)
def test_content_types_are_renamed_so_audit_history_and_permissions_resolve():
    old_apps = _migrate(BEFORE)
    try:
        content_type = old_apps.get_model("contenttypes", "ContentType")
        permission = old_apps.get_model("auth", "Permission")
        audit_event = old_apps.get_model("portal", "AuditEvent")
        old = content_type.objects
        claim_type = old.get_or_create(app_label="registration", model="organisationclaim")[0]
        verification_type = old.get_or_create(app_label="registration", model="organisationverification")[0]
        resolve = permission.objects.get_or_create(
            content_type=claim_type, codename="resolve_organisationclaim", defaults={"name": "resolve"}
        )[0]
        event = audit_event.objects.create(
            actor_label="system", verb="CREATE", target_type=claim_type, target_id="41", target_repr="claim"
        )
        # A partial migrate's post_migrate may have made an (unused) accounts row meanwhile.
        content_type.objects.create(app_label="accounts", model="organisationverification")

        _migrate(AFTER)

        assert ContentType.objects.get(pk=claim_type.pk).model_class() is OrganisationClaim
        assert ContentType.objects.get(pk=verification_type.pk).model_class() is OrganisationVerification
        left = ContentType.objects.filter(app_label="registration", model__startswith="organisation")
        assert not left.exists()
        assert AuditEvent.objects.get(pk=event.pk).target_type.model_class() is OrganisationClaim
        moved = Permission.objects.get(pk=resolve.pk)
        assert (moved.content_type.app_label, moved.codename) == ("accounts", "resolve_organisationclaim")
    finally:
        assert _migrate_to_latest() == []


@pytest.mark.django_db
def test_a_supervisor_holds_the_moved_permission(supervisor):
    assert supervisor.has_perm("accounts.resolve_organisationclaim")
    assert not supervisor.has_perm("registration.resolve_organisationclaim")
