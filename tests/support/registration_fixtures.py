"""Autouse fixtures for any test package whose tests make registration filings (registration, statistics).

Import them into the package's ``conftest.py``; pytest then applies them to that package's tests.
"""

import importlib

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Filings carry scanned attachments; keep them out of the real private media folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from registration.models import FilingAttachment

    storage = FilingAttachment._meta.get_field("file").storage
    storage.__dict__.pop("base_location", None)
    storage.__dict__.pop("location", None)
    yield
    storage.__dict__.pop("base_location", None)
    storage.__dict__.pop("location", None)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Rows the data migrations seed (return reasons, holiday calendar).

    A transactional test elsewhere in the same run flushes the database afterwards, data migrations
    included; put them back so each test starts from what ``migrate`` leaves.
    """
    if request.node.get_closest_marker("django_db") is None:
        return
    from django.apps import apps

    from registration.models import HolidayCalendar, ReturnReason

    if not ReturnReason.objects.exists():
        importlib.import_module("registration.migrations.0002_return_reasons").seed(apps, None)
    if not HolidayCalendar.objects.exists():
        importlib.import_module("registration.migrations.0003_holiday_calendar").seed(apps, None)
