"""Fixtures of the registration tests: the bureau's people, private media in a temp dir, fresh caches."""

import pytest

from tests import factories
from tests.support.registration_fixtures import _clear_cache, _private_media, _reference_data  # noqa: F401


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
