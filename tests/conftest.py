"""Shared fixtures: organisations and users per role, API clients, the service rules of tests/services.py."""

import os

import pytest
import time_machine
from rest_framework.test import APIClient

from tests import clock as clock_module
from tests import factories
from tests.services import IN_CI, chromium_path, need, playwright_available, postgres_in_use, redis_available
from tests.support import migration_data

# The API test kit's assertions explain themselves as a test module's do; its plugin leaves out the generated
# tests an endpoint has nothing for (tests/kit/plugin.py).
pytest.register_assert_rewrite("tests.kit")
pytest_plugins = ["tests.kit.plugin"]


def pytest_addoption(parser):
    parser.addoption(
        "--today",
        default=os.environ.get("PORTAL_TEST_TODAY", ""),
        help="run the suite as if the clock read this Asia/Shanghai date or date-time (YYYY-MM-DD[THH:MM]); "
        "tests that start other processes (browser, e2e) keep the real clock and are deselected, and so are "
        "tests whose module never mentions a date or time (tests/clock.py touches_dates) unless --all-dates",
    )
    parser.addoption(
        "--all-dates", action="store_true", help="with --today, run every test, not only dated ones"
    )


def pytest_configure(config):
    """With ``--today``, the whole process travels to that moment and the clock keeps ticking from there."""
    when = clock_module.parse_today(config.getoption("--today"))
    if when is not None:
        config._portal_travel = clock_module.start_travel(when)


def pytest_unconfigure(config):
    travel = getattr(config, "_portal_travel", None)
    if travel is not None:
        travel.stop()


def pytest_collection_modifyitems(config, items):
    shifted = config.getoption("--today")
    everything = config.getoption("--all-dates")
    kept, dropped = [], []
    for item in items:
        real_processes = "browser" in item.keywords or "e2e" in item.keywords
        if real_processes:
            item.add_marker(pytest.mark.django_db(transaction=True))
        real_processes = real_processes or "processes" in item.keywords
        off_clock = shifted and not everything and not clock_module.touches_dates(item)
        (dropped if shifted and (real_processes or off_clock) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def _service_requirements(request):
    if request.node.get_closest_marker("postgres"):
        need(postgres_in_use(), "PostgreSQL is not configured (set DATABASE_URL=postgres://...)")
    if request.node.get_closest_marker("redis"):
        need(redis_available(), "Redis is not reachable (set REDIS_URL=redis://...)")
    if request.node.get_closest_marker("e2e") and IN_CI:
        # CI runs the end-to-end tests against the real services, never the embedded fallbacks.
        need(postgres_in_use(), "the end-to-end tests need PostgreSQL in CI (DATABASE_URL)")
        need(redis_available(), "the end-to-end tests need Redis in CI (REDIS_URL)")
    if request.node.get_closest_marker("browser"):
        need(playwright_available(), "the playwright package is not installed")
        need(bool(chromium_path()), "Chromium is not installed (apt-get install -y chromium)")


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """A reused test database (``--reuse-db`` without ``--create-db``: ``make test-dates`` migrates once for
    its four dates) starts the session as a fresh one would: emptied of whatever the last session left
    (rows of a session that was stopped mid-way), then given the data migrations' rows again."""
    reused = request.config.getoption("reuse_db") and not request.config.getoption("create_db")
    with django_db_blocker.unblock():
        if reused:
            from django.core.management import call_command
            from django.db import connections

            for alias in connections:
                call_command("flush", database=alias, interactive=False, verbosity=0)
        migration_data.restore()
    yield
    with django_db_blocker.unblock():
        _end_other_sessions()


def _end_other_sessions() -> None:
    """Sessions a test left on this worker's test database (a thread's or a stopped subprocess's connection
    PostgreSQL has not seen go yet) would stop pytest-django from dropping it at the end ("being accessed by
    other users"): end them first. Each xdist worker has a database of its own, so only this worker's."""
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _migration_data(request):
    """A transactional test starts from what ``migrate`` leaves, as every other test does: the flush that
    ended the previous transactional test of this database took the data migrations' rows (code lists,
    commodity codes, holiday calendar) with it (tests/support/migration_data.py)."""
    if _transactional(request):
        request.getfixturevalue("transactional_db")
        migration_data.restore()


@pytest.fixture
def clock():
    """``clock("2026-03-02 10:00")`` (Asia/Shanghai) or ``clock(aware_datetime)`` stops the process's clock
    at that moment: ``timezone.now()``, ``date.today()``, ``time.time()`` and ``auto_now`` fields all read it
    until the next call; ``clock(None)`` lets the clock run again. Undone at the end of the test."""
    travels = []

    def set_to(moment):
        while travels:
            travels.pop().stop()
        if moment is None:
            return
        if isinstance(moment, str):
            moment = clock_module.parse_today(moment.replace(" ", "T"))
        travel = time_machine.travel(moment, tick=False)
        travel.start()
        travels.append(travel)

    yield set_to
    set_to(None)


@pytest.fixture
def enterprise(db):
    return factories.EnterpriseFactory()


@pytest.fixture
def other_enterprise(db):
    return factories.EnterpriseFactory()


@pytest.fixture
def enterprise_admin(enterprise):
    return factories.UserFactory(organisation=enterprise, role="enterprise_admin")


@pytest.fixture
def enterprise_operator(enterprise):
    return factories.UserFactory(organisation=enterprise, role="enterprise_operator")


@pytest.fixture
def other_admin(other_enterprise):
    return factories.UserFactory(organisation=other_enterprise, role="enterprise_admin")


@pytest.fixture
def commerce_bureau(db):
    return factories.GovernmentFactory(kind="COMMERCE", code="ZJ-COMMERCE", name_cn="浙江省商务厅")


@pytest.fixture
def reviewer(commerce_bureau):
    return factories.UserFactory(organisation=commerce_bureau, role="commerce_reviewer")


@pytest.fixture
def supervisor(commerce_bureau):
    return factories.UserFactory(organisation=commerce_bureau, role="commerce_supervisor")


@pytest.fixture
def customs_officer(db):
    org = factories.GovernmentFactory(kind="CUSTOMS", code="CUSTOMS-2900", name_cn="杭州海关")
    return factories.UserFactory(organisation=org, role="customs_officer")


@pytest.fixture
def tax_officer(db):
    org = factories.GovernmentFactory(kind="TAX", code="ZJ-TAX", name_cn="浙江省国家税务局")
    return factories.UserFactory(organisation=org, role="tax_officer")


@pytest.fixture
def system_admin(db):
    org = factories.GovernmentFactory(kind="OPERATOR", code="ZJ-OPERATOR", name_cn="浙江电子口岸")
    return factories.UserFactory(organisation=org, role="system_admin")


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as():
    """``api_as(user)`` returns an APIClient authenticated as that user (session-less, forced auth)."""

    def make(user):
        client = APIClient()
        client.force_authenticate(user=user)
        return client

    return make


def pytest_sessionfinish(session, exitstatus):
    """Remove this session's broker file and upload folder (their names carry the session id)."""
    import shutil

    from django.conf import settings

    broker = getattr(settings, "CELERY_BROKER_FILE", None)
    if broker is not None and getattr(settings, "TEST_TAG", "") and settings.TEST_TAG in str(broker):
        for suffix in ("", "-journal", "-wal", "-shm"):
            path = f"{broker}{suffix}"
            if os.path.exists(path):
                os.remove(path)
    private = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
    if private is not None and getattr(settings, "TEST_TAG", "") and settings.TEST_TAG in str(private):
        shutil.rmtree(private, ignore_errors=True)
