"""Fixtures for govmock tests: a test CA, sender identities, a callback receiver and a running govmock.

These tests need no Django: they start the real govmock WSGI application (waitress in threads) on
a free port with a temporary SQLite database. Run them alone, without Django, with
``pytest -p no:django --confcutdir=tests/govmock tests/govmock``. Run them alone, without Django, with
``pytest -p no:django --confcutdir=tests/govmock tests/govmock``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.govmock.harness import CallbackReceiver, Govmock
from tests.govmock.pki import Identity, TestCA

SELLER = "91330782MA28F3K135"  # DOMAIN §2.1 worked example 2 (valid USCC, Yiwu)
AGENT_CODE = "3301980001"


@pytest.fixture(scope="session")
def ca() -> TestCA:
    return TestCA()


@pytest.fixture(scope="session")
def identities(ca: TestCA) -> dict[str, Identity]:
    """A few senders, created once (RSA key generation is the slow part)."""
    return {code: ca.issue(code) for code in (SELLER, AGENT_CODE, "3301960001")}


@pytest.fixture
def agent(identities: dict[str, Identity]) -> Identity:
    return identities[AGENT_CODE]


@pytest.fixture
def seller(identities: dict[str, Identity]) -> Identity:
    return identities[SELLER]


@pytest.fixture
def callback() -> Iterator[CallbackReceiver]:
    receiver = CallbackReceiver()
    yield receiver
    receiver.close()


@pytest.fixture
def make_govmock(tmp_path: Path, ca: TestCA, callback: CallbackReceiver) -> Iterator[Callable[..., Govmock]]:
    started: list[Govmock] = []
    ca_file = ca.write(tmp_path / "ca.pem")

    def make(**env: str) -> Govmock:
        instance = Govmock(tmp_path, ca_file, callback, env)
        started.append(instance)
        return instance

    yield make
    for instance in started:
        instance.stop()
        instance.http.close()


@pytest.fixture
def gm(make_govmock: Callable[..., Govmock]) -> Govmock:
    return make_govmock()
