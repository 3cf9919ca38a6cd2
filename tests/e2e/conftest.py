"""``portal_stack``: the live portal plus govmock, a Celery worker and optionally beat, as real processes."""

import pytest

from tests.browser.conftest import chromium  # noqa: F401 - Chromium for the story tests here
from tests.support.stack import Stack, free_port, reset_broker


@pytest.fixture
def stack_factory(live_server, tmp_path, settings):
    """Build a stack with custom faults/seed/env; started processes are stopped at the end of the test."""
    stacks = []

    def make(
        *,
        faults: dict | None = None,
        seed: int = 1,
        worker: bool = True,
        beat: bool = False,
        concurrency: int = 8,
        env: dict | None = None,
    ) -> Stack:
        reset_broker()
        stack = Stack(
            url=live_server.url,
            tmp=tmp_path,
            govmock_port=free_port(),
            faults=faults or {},
            seed=seed,
            worker_concurrency=concurrency,
            extra_env=env or {},
        )
        settings.GOVMOCK_URL = stack.govmock_url
        stacks.append(stack)
        stack.start_govmock()
        if worker:
            stack.start_worker()
        if beat:
            stack.start_beat()
        return stack

    yield make
    for stack in stacks:
        stack.stop()


@pytest.fixture
def portal_stack(stack_factory):
    """Portal (live server) + govmock + worker + beat, no faults."""
    return stack_factory(beat=True)
