"""Reliability against a misbehaving department, a killed worker, a lost broker and an outage.

Real processes throughout: govmock, a Celery worker and beat, the portal's live server, the test database
and broker of this run (PostgreSQL and Redis in CI).
"""

import shutil
import signal
import subprocess
import time

import pytest
from django.db import transaction

from exchange.choices import MessageStatus
from exchange.models import Envelope, Message
from tests.e2e import workload
from tests.services import need
from tests.support.stack import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e-reliability")]

FAULTY = {
    "*": {
        "error_rate": 0.2,
        "duplicate_rate": 0.1,
        "reorder_rate": 0.1,
        "drop_rate": 0.05,
        "service_time_ms": 30,
        "receipt_interval_ms": 30,
    }
}
FAST_RECOVERY = {
    "EXCHANGE_STALE_MARGIN_SECONDS": "2",
    "EXCHANGE_REQUEUE_GRACE_SECONDS": "3",
    "EXCHANGE_READ_TIMEOUT": "5",
    "EXCHANGE_CONNECT_TIMEOUT": "2",
    "EXCHANGE_BATCH_WINDOW_SECONDS": "0.3",
}


@pytest.fixture
def fast_recovery(settings):
    settings.EXCHANGE_REQUEUE_GRACE_SECONDS = 3
    settings.EXCHANGE_STALE_MARGIN_SECONDS = 2
    return FAST_RECOVERY


def test_1000_messages_through_a_faulty_department_each_complete_exactly_once(stack_factory, fast_recovery):
    senders = workload.make_senders(100)
    stack = stack_factory(faults=FAULTY, seed=7, beat=True, env=fast_recovery)
    ids = workload.enqueue_workload(senders, per_sender=10)
    assert len(ids) == 1000
    stack.wait_for(lambda: workload.all_final(ids), timeout=240, message="all 1000 messages to be final")
    evidence = workload.assert_exactly_once(ids)
    stats = stack.govmock_admin("GET", "/admin/stats")["departments"]
    processed = stats["customs"]["nodes"] + stats["commerce"]["nodes"]
    assert processed == 1000, stats
    assert evidence["retried_envelopes"] > 0, "the 503s should have forced retries"
    assert stats["customs"]["pushes_duplicated"] + stats["commerce"]["pushes_duplicated"] > 0
    assert stats["customs"]["pushes_dropped"] + stats["commerce"]["pushes_dropped"] > 0
    assert evidence["via_poll"] > 0, "dropped callbacks must have been caught up by polling"


def test_killing_the_worker_mid_run_loses_nothing_and_doubles_nothing(stack_factory, fast_recovery):
    senders = workload.make_senders(100)
    stack = stack_factory(faults=FAULTY, seed=11, beat=True, env=fast_recovery)
    ids = workload.enqueue_workload(senders, per_sender=10)
    stack.wait_for(
        lambda: workload.progress(ids)[MessageStatus.COMPLETED] >= 150,
        timeout=120,
        message="a first part of the run to complete",
    )
    stack.worker.kill(signal.SIGKILL)
    in_the_air = Envelope.objects.filter(status="sending").count()
    stack.start_worker()
    stack.wait_for(
        lambda: workload.all_final(ids), timeout=240, message="all messages final after the restart"
    )
    workload.assert_exactly_once(ids)
    stats = stack.govmock_admin("GET", "/admin/stats")["departments"]
    assert stats["customs"]["nodes"] + stats["commerce"]["nodes"] == 1000, (stats, in_the_air)


def _redis_server(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            shutil.which("redis-server"),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if redis.Redis(port=port).ping():
                return process
        except redis.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def test_broker_down_at_commit_then_back_the_sweeper_delivers(stack_factory, fast_recovery, settings):
    need(bool(shutil.which("redis-server")), "redis-server is not installed")
    from tests.support.broker import use_broker

    port = free_port()
    redis_process = _redis_server(port)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        with use_broker(url):
            stack = stack_factory(
                beat=True,
                env={**fast_recovery, "REDIS_URL": url},
                faults={"*": {"service_time_ms": 30, "receipt_interval_ms": 30}},
            )
            senders = workload.make_senders(5)
            redis_process.terminate()
            redis_process.wait(timeout=10)
            started = time.monotonic()
            ids = workload.enqueue_workload(senders, per_sender=4)
            assert time.monotonic() - started < 10, "a commit must not hang on a dead broker"
            assert Message.objects.filter(
                pk__in=ids, status=MessageStatus.PENDING, envelope__isnull=True
            ).count() == len(ids), "the business change commits; the messages wait in the outbox"
            time.sleep(2)
            redis_process = _redis_server(port)
            stack.wait_for(
                lambda: workload.all_final(ids),
                timeout=120,
                message="the sweeper to deliver once the broker is back",
            )
            workload.assert_exactly_once(ids)
    finally:
        redis_process.terminate()


def test_department_outage_shows_queued_then_everything_is_delivered(
    stack_factory, fast_recovery, client, system_admin, enterprise, enterprise_admin
):
    stack = stack_factory(
        beat=True, env=fast_recovery, faults={"customs": {"service_time_ms": 30, "receipt_interval_ms": 30}}
    )
    stack.govmock_admin("PUT", "/admin/faults/customs", {"outage_seconds": 12})
    with transaction.atomic():
        ids = workload.enqueue_workload([enterprise], per_sender=10)
    customs_ids = list(Message.objects.filter(pk__in=ids, department="customs").values_list("pk", flat=True))
    commerce_ids = [i for i in ids if i not in customs_ids]
    # Commerce is not affected by the customs outage.
    stack.wait_for(lambda: workload.all_final(commerce_ids), timeout=60, message="commerce to flow on")
    stack.wait_for(
        lambda: all(Message.objects.get(pk=i).is_queued_for_unreachable for i in customs_ids),
        timeout=60,
        message="customs messages to show as queued",
    )
    client.force_login(enterprise_admin)
    api = client.get(f"/api/v1/exchange/messages/{customs_ids[0]}/").json()
    assert api["queued_for_unreachable"] is True
    page = client.get(f"/exchange/messages/{customs_ids[0]}/").content.decode()
    assert "data-testid" in page or page
    client.force_login(system_admin)
    stack.wait_for(
        lambda: 'data-testid="unreachable-customs"' in client.get("/exchange/health/").content.decode(),
        timeout=60,
        message="the health page to show customs unreachable",
    )
    stack.wait_for(lambda: workload.all_final(ids), timeout=120, message="delivery after the outage")
    workload.assert_exactly_once(ids)
    health = client.get("/exchange/health/").content.decode()
    assert 'data-testid="reachable-customs"' in health
