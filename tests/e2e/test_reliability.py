"""Reliability against a misbehaving department, a killed worker, a lost broker and an outage.

Real processes throughout: govmock, a Celery worker and beat, the portal's live server, the test database
and broker of this run (PostgreSQL and Redis in CI). Business effects are counted by the test-only app
``tests.effects``, whose receipt handler runs in whichever process applies a receipt.
"""

import shutil
import signal
import subprocess
import time

import pytest
from django.db import transaction

from exchange import registry
from exchange.choices import MessageStatus
from exchange.models import Envelope, Message
from exchange.services import message_enqueue
from tests.e2e import workload
from tests.services import need
from tests.support.stack import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e-reliability")]

FAULTS = {
    "error_rate": 0.2,
    "duplicate_rate": 0.1,
    "reorder_rate": 0.1,
    "drop_rate": 0.05,
    "service_time_ms": 30,
    "receipt_interval_ms": 30,
}
FAULTY = {"*": FAULTS}
FAST_RECOVERY = {
    "EXCHANGE_STALE_MARGIN_SECONDS": "2",
    "EXCHANGE_REQUEUE_GRACE_SECONDS": "3",
    "EXCHANGE_READ_TIMEOUT": "5",
    "EXCHANGE_CONNECT_TIMEOUT": "2",
    "EXCHANGE_BATCH_WINDOW_SECONDS": "0.3",
    # Two departments share the 8-thread worker here; the default (a third of the pool each) is for five.
    "EXCHANGE_DEPARTMENT_SLOTS": "4",
}


@pytest.fixture
def fast_recovery(settings):
    settings.EXCHANGE_REQUEUE_GRACE_SECONDS = 3
    settings.EXCHANGE_STALE_MARGIN_SECONDS = 2
    return FAST_RECOVERY


def _render_timeline(obj, user) -> str:
    """The timeline component every filing page includes, rendered for ``obj`` as ``user`` sees it."""
    from django.template import Context, Template
    from django.test import RequestFactory
    from django.utils import translation

    request = RequestFactory().get("/")
    request.user = user
    with translation.override("en"):
        return Template("{% load portal_tags %}{% timeline obj %}").render(
            Context({"obj": obj, "request": request})
        )


def test_1000_messages_through_a_faulty_department_each_complete_exactly_once(stack_factory, fast_recovery):
    senders = workload.make_senders(100)
    stack = stack_factory(faults=FAULTY, seed=7, beat=True, env=fast_recovery)
    ids = workload.enqueue_workload(senders, per_sender=10)
    assert len(ids) == 1000
    stack.wait_for(lambda: workload.all_final(ids), timeout=240, message="all 1000 messages to be final")
    evidence = workload.assert_exactly_once(ids)
    stats = stack.govmock_admin("GET", "/admin/stats")["departments"]
    assert stats["customs"]["nodes"] + stats["commerce"]["nodes"] == 1000, stats
    assert evidence["retried_envelopes"] > 0, "the 503s should have forced retries"
    assert stats["customs"]["pushes_duplicated"] + stats["commerce"]["pushes_duplicated"] > 0
    assert stats["customs"]["pushes_dropped"] + stats["commerce"]["pushes_dropped"] > 0
    assert evidence["via_poll"] > 0, "dropped callbacks must have been caught up by polling"


def test_killing_the_worker_mid_run_loses_nothing_and_doubles_nothing(stack_factory, fast_recovery):
    senders = workload.make_senders(100)
    # Each submit takes 200-400 ms, so several envelopes are on the wire when the kill lands.
    stack = stack_factory(
        faults={"*": {**FAULTS, "latency_ms": [200, 400]}}, seed=11, beat=True, env=fast_recovery
    )
    ids = workload.enqueue_workload(senders, per_sender=10)
    stack.wait_for(
        lambda: workload.progress(ids)[MessageStatus.COMPLETED] >= 150,
        timeout=120,
        message="a first part of the run to complete",
    )
    stack.wait_for(
        lambda: Envelope.objects.filter(status="sending").count() >= 2,
        timeout=30,
        message="envelopes on the wire",
    )
    stack.worker.kill(signal.SIGKILL)
    in_the_air = Envelope.objects.filter(status="sending").count()
    assert in_the_air > 0, "the kill must land while envelopes are being sent"
    stack.start_worker()
    stack.wait_for(
        lambda: workload.all_final(ids), timeout=240, message="all messages final after the restart"
    )
    workload.assert_exactly_once(ids)
    stats = stack.govmock_admin("GET", "/admin/stats")["departments"]
    assert stats["customs"]["nodes"] + stats["commerce"]["nodes"] == 1000, (stats, in_the_air)


def _redis_server(port: int) -> subprocess.Popen:
    import redis

    args = [
        shutil.which("redis-server"),
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
    ]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
    # The same database number the child processes' test settings pick for this session's worker.
    url = f"redis://127.0.0.1:{port}/{settings.TEST_REDIS_DB}"
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
            waiting = Message.objects.filter(pk__in=ids, status=MessageStatus.PENDING, envelope__isnull=True)
            assert waiting.count() == len(ids), "the business change commits; the messages wait in the outbox"
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
    stack_factory, fast_recovery, client, system_admin, enterprise, enterprise_admin, monkeypatch
):
    # The workload's messages are about the organisation: declared as a subject, as an app declares its own
    # (the exchange's timeline source is asked only for subject models).
    monkeypatch.setattr(registry, "_subjects", {type(enterprise)})
    stack = stack_factory(
        beat=True, env=fast_recovery, faults={"customs": {"service_time_ms": 30, "receipt_interval_ms": 30}}
    )
    # The outage lasts until the test has seen its effects and ends it: a timed outage could be over before a
    # loaded machine got to the customs messages (seen on a 2-core machine running other work).
    stack.govmock_admin("PUT", "/admin/faults/customs", {"outage_seconds": 600})
    with transaction.atomic():
        ids = workload.enqueue_workload([enterprise], per_sender=10, subject=enterprise)
    customs_ids = list(Message.objects.filter(pk__in=ids, department="customs").values_list("pk", flat=True))
    commerce_ids = [i for i in ids if i not in customs_ids]
    stack.wait_for(lambda: workload.all_final(commerce_ids), timeout=60, message="commerce to flow on")
    stack.wait_for(
        lambda: all(Message.objects.get(pk=i).is_queued_for_unreachable for i in customs_ids),
        timeout=60,
        message="customs messages to show as queued",
    )
    client.force_login(enterprise_admin)
    assert client.get(f"/api/v1/exchange/messages/{customs_ids[0]}/").json()["queued_for_unreachable"] is True
    assert (
        'data-testid="queued-notice"' in client.get(f"/exchange/messages/{customs_ids[0]}/").content.decode()
    )
    assert "Queued: will be sent when Customs is reachable" in _render_timeline(enterprise, enterprise_admin)
    client.force_login(system_admin)
    stack.wait_for(
        lambda: 'data-testid="unreachable-customs"' in client.get("/exchange/health/").content.decode(),
        timeout=60,
        message="the health page to show customs unreachable",
    )
    stack.govmock_admin("PUT", "/admin/faults/customs", {"outage_seconds": 0})
    stack.wait_for(lambda: workload.all_final(ids), timeout=120, message="delivery after the outage")
    workload.assert_exactly_once(ids)
    assert 'data-testid="reachable-customs"' in client.get("/exchange/health/").content.decode()


def test_parcels_cleared_through_a_faulty_customs_reach_their_final_status_once(
    stack_factory, fast_recovery, enterprise
):
    """Orders, waybills and inventory lists (CEB303/505/603), then arrival and departure (CEB507/509):
    every list climbs 2 → 120 → 399 → 800 → 899 through 503s and duplicated, reordered and dropped
    receipts, and each status's effect happens once."""
    from tests.e2e import ceb
    from tests.govmock import cebmsg

    stack = stack_factory(faults={"customs": FAULTS}, seed=23, beat=True, env=fast_recovery)
    parcels = [cebmsg.Parcel() for _ in range(20)]

    def enqueue(kind, key, body):
        return message_enqueue(
            message_type=kind, sender=enterprise, business_key=key, payload=body, sender_dxp_id=ceb.DXP
        ).pk

    def list_statuses():
        return set(Message.objects.filter(pk__in=lists).values_list("receipt_status", flat=True))

    with transaction.atomic():
        docs = [enqueue(*doc) for parcel in parcels for doc in ceb.documents(parcel)]
    lists = list(
        Message.objects.filter(pk__in=docs, message_type="CEB603Message").values_list("pk", flat=True)
    )
    stack.wait_for(lambda: list_statuses() == {"399"}, timeout=180, message="every list matched (399)")
    with transaction.atomic():
        arrival = enqueue("CEB507Message", "ARRIVAL-1", ceb.arrival(parcels))
    stack.wait_for(lambda: list_statuses() == {"800"}, timeout=180, message="every list released (800)")
    with transaction.atomic():
        departure = enqueue("CEB509Message", "DEPARTURE-1", ceb.departure(parcels))
    everything = [*docs, arrival, departure]
    stack.wait_for(lambda: workload.all_final(everything), timeout=180, message="every document final")
    assert list_statuses() == {"899"}
    workload.assert_exactly_once(everything)
