"""``python -m tests.support.testdb drop``: drop the test databases that ``pytest --reuse-db`` kept for this
run (``PORTAL_TEST_RUN_ID``), one per xdist worker.

``make test-dates`` runs four pytest sessions (one per date) on the same test databases: the first creates
and migrates them, the others reuse them (the schema does not depend on the date), and this drops them at
the end, whether the dates passed or not.
"""

import glob
import os
import re
import sys


def _names(base: str, found: list[str]) -> list[str]:
    """The database itself and its xdist copies (``<base>_gw0``…), nothing else that shares the prefix."""
    pattern = re.compile(rf"{re.escape(base)}(_gw\d+)?")
    return [name for name in found if pattern.fullmatch(name)]


def drop() -> list[str]:
    if not os.environ.get("PORTAL_TEST_RUN_ID"):
        raise SystemExit("set PORTAL_TEST_RUN_ID to the run whose test databases should be dropped")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_test")
    import django

    django.setup()
    from django.db import connection

    base = str(connection.settings_dict["TEST"]["NAME"])
    if connection.vendor == "sqlite":
        dropped = _names(base, glob.glob(f"{glob.escape(base)}*"))
        for path in dropped:
            for suffix in ("", "-journal", "-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.remove(path + suffix)
        return dropped
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s)", [base])
        dropped = _names(base, [row[0] for row in cursor.fetchall()])
        for name in dropped:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
    return dropped


if __name__ == "__main__":
    if sys.argv[1:] != ["drop"]:
        raise SystemExit("usage: python -m tests.support.testdb drop")
    for name in drop():
        print(f"dropped test database {name}")
