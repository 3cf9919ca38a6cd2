"""The data migration that makes existing accounts fit ADR 0022 before its unique indexes come in."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from portal.accounts import username_skeleton

BEFORE = ("portal", "0006_username_key_and_email_shared")
AFTER = ("portal", "0008_username_key_and_email_unique")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def _migrate_to_latest() -> list:
    """Every app's latest migration, as the rest of the suite expects the schema (a later portal migration,
    such as 0009, must come back too); returns what is still unapplied afterwards (nothing)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(latest)
    executor.loader.build_graph()
    return executor.migration_plan(latest)


@pytest.mark.django_db(transaction=True)
def test_existing_usernames_and_shared_addresses_are_made_to_fit():
    old_apps = _migrate(BEFORE)
    try:
        User = old_apps.get_model("portal", "User")

        def make(username, email, active=True):
            return User.objects.create(username=username, email=email, is_active=active, password="!").pk

        latin = make("seller_admin", "li@example.com")
        cyrillic = make("\u0455eller_admin", "LI@example.com")  # look-alike and same address, younger
        full_width = make("ｆｕｌｌ＿ｗｉｄｔｈ", "full@example.com")  # normalised form is free
        blocked = make("ｓｅｌｌｅｒ＿ａｄｍｉｎ", "blocked@example.com")  # normalised form is taken
        retired = make("retired", "li@example.com", active=False)

        new_apps = _migrate(AFTER)
        User = new_apps.get_model("portal", "User")
        rows = {u.pk: u for u in User.objects.all()}

        assert rows[full_width].username == "full_width"
        assert rows[blocked].username == "ｓｅｌｌｅｒ＿ａｄｍｉｎ"  # left for an administrator to rename
        skeleton = username_skeleton("seller_admin")
        assert rows[latin].username_key == skeleton  # the oldest keeps the plain skeleton
        assert rows[cyrillic].username_key == f"{skeleton}#{cyrillic}"
        assert rows[blocked].username_key == f"{skeleton}#{blocked}"
        assert rows[full_width].username_key == username_skeleton("full_width")
        assert not rows[latin].email_shared  # the oldest active holder keeps the address
        assert rows[cyrillic].email_shared  # kept, marked, outside the unique index
        assert not rows[retired].email_shared  # inactive accounts are outside the rule anyway
        assert (rows[cyrillic].email, rows[retired].email) == ("LI@example.com", "li@example.com")
    finally:
        # Rolled back to 0006 above: leave the database as every later test in this worker expects it.
        assert _migrate_to_latest() == []
