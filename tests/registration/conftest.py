"""Fixtures of the registration tests: the bureau's people, private media in a temp dir, fresh caches."""

import pytest
from django.core.cache import cache

from tests import factories


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
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
    import importlib

    from django.apps import apps

    from registration.models import HolidayCalendar, ReturnReason

    if not ReturnReason.objects.exists():
        importlib.import_module("registration.migrations.0002_return_reasons").seed(apps, None)
    if not HolidayCalendar.objects.exists():
        importlib.import_module("registration.migrations.0003_holiday_calendar").seed(apps, None)


@pytest.fixture
def reviewer2(commerce_bureau):
    return factories.UserFactory(organisation=commerce_bureau, role="commerce_reviewer")


@pytest.fixture
def supervisor2(commerce_bureau):
    return factories.UserFactory(organisation=commerce_bureau, role="commerce_supervisor")


@pytest.fixture
def own_org_reviewer(enterprise):
    """A reviewer account that belongs to the applicant's own organisation (a conflict of interest)."""
    return factories.UserFactory(organisation=enterprise, role="commerce_reviewer")


# The end-to-end browser test uses the lead's process stack and the browser fixture of tests/browser.
from tests.browser.conftest import chromium  # noqa: E402, F401
from tests.e2e.conftest import portal_stack, stack_factory  # noqa: E402, F401
