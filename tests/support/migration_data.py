"""The rows the data migrations seed, put back after a transactional test's flush.

A transactional test (``transactional_db``: the browser and end-to-end tests, whose live server, worker and
govmock read committed rows) ends with Django's flush, which empties every table, the rows the data
migrations seeded included: the customs code lists and commodity codes, registration's return reasons and
holiday calendar. The next test of the same database would then start from empty code lists: an upload
checked by a real worker finds every country, currency and unit unknown (issue 11's story test reported a
problem on every cell that takes a code). ``restore`` puts back what ``migrate`` leaves, with the
migrations' own functions, and costs one ``exists()`` per list when nothing is missing.

Role groups and their permissions come back by themselves: the flush sends ``post_migrate``
(``portal.roles.sync_role_permissions``).
"""

import importlib

from django.apps import apps


def _migration(name: str):
    return importlib.import_module(name)


def restore() -> list[str]:
    """Seed again whatever a flush removed; returns the names of the migrations that ran (for tests)."""
    from customs.models import ReferenceListInfo
    from customs.selectors.reference import invalidate
    from registration.models import HolidayCalendar, ReturnReason

    ran = []
    if not ReturnReason.objects.exists():
        _migration("registration.migrations.0002_return_reasons").seed(apps, None)
        ran.append("registration.0002_return_reasons")
    if not HolidayCalendar.objects.exists():
        _migration("registration.migrations.0003_holiday_calendar").seed(apps, None)
        ran.append("registration.0003_holiday_calendar")
    if not ReferenceListInfo.objects.exists():
        _migration("customs.migrations.0002_load_reference_data").load(apps, None)
        ran.append("customs.0002_load_reference_data")
    if ran:
        invalidate()  # this process's cached code lists belong to the flushed rows
    return ran
