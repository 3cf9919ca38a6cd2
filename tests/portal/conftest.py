"""Fixtures of the shell's tests."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The throttles count in the cache; each test starts with none of another test's requests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def celery_eager():
    """Run Celery tasks in-process when they are published (the app reads this flag at publish time)."""
    from portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous
