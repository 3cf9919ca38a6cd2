"""Fixtures of the shell's tests."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The throttles count in the cache; each test starts with none of another test's requests."""
    cache.clear()
    yield
    cache.clear()
