"""Make the database itself refuse to change audit events.

UPDATE is refused on every backend. DELETE is refused on PostgreSQL; on SQLite (development and laptop
tests only) Django's test flush empties tables with DELETE, so the model and queryset guards stand alone there.
TRUNCATE (how PostgreSQL test databases are reset) fires no row triggers.
"""

from django.db import migrations

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION portal_auditevent_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
"""
PG_TRIGGER = """
CREATE TRIGGER portal_auditevent_no_change BEFORE UPDATE OR DELETE ON portal_auditevent
FOR EACH ROW EXECUTE FUNCTION portal_auditevent_immutable();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS portal_auditevent_no_change ON portal_auditevent;
DROP FUNCTION IF EXISTS portal_auditevent_immutable();
"""
SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS portal_auditevent_no_update BEFORE UPDATE ON portal_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS portal_auditevent_no_update;"


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        schema_editor.execute(PG_TRIGGER)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_roles")]

    operations = [migrations.RunPython(install, uninstall)]
