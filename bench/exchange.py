#!/usr/bin/env python
"""Exchange throughput: filings pushed to govmock through the outbox, Celery and Redis, against a plain
thread pool making the same HTTP calls, side by side in one run.

Setup (all real processes): PostgreSQL (a database of its own, created and migrated here), Redis, govmock
answering each submit after ``--latency-ms`` and sending the receipt ``--receipt-after-ms`` later, the portal
under gunicorn receiving the receipt callbacks, and a Celery worker with ``--concurrency`` threads.

Outbox path: ``--producers`` threads each commit filings one transaction at a time (``message_enqueue``), as
web requests would; batching is off (one node per envelope) so both paths make one HTTP call per filing.
Baseline: a ``ThreadPoolExecutor`` of the same concurrency signs and posts the same kind of message.

Prints filings per second for both, the ratio (target ≤ 1.5), and receipt latency p50/p95 (target p95 ≤ 5 s).

    python bench/exchange.py [--filings 5000] [--concurrency 16]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_portal BENCH_REDIS_URL=redis://127.0.0.1:6379/5
"""

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - local
                return
        except Exception:
            time.sleep(0.2)
    raise TimeoutError(url)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ensure_database(url: str) -> None:
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = urlunparse(parsed._replace(path="/postgres"))
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


class Processes:
    def __init__(self, env: dict, tmp: Path):
        self.env, self.tmp, self.procs = env, tmp, []

    def start(self, name: str, args: list[str], extra: dict | None = None):
        log = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115
        proc = subprocess.Popen(
            args,
            cwd=ROOT,
            env={**self.env, **(extra or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def stop(self):
        for proc in reversed(self.procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def configure(args, ports) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "true",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        "PORTAL_VAR_DIR": str(ROOT / "var" / "bench"),
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "GOVMOCK_URL": f"http://127.0.0.1:{ports['govmock']}",
        "EXCHANGE_BATCH_WINDOW_SECONDS": "0",
        "EXCHANGE_MAX_NODES": "1",
        "EXCHANGE_DEPARTMENT_SLOTS": str(args.concurrency),
        "EXCHANGE_POLL_SECONDS": "600",
        "GOVMOCK_LOG_LEVEL": "WARNING",
    }
    os.environ.update({k: v for k, v in env.items() if k not in ("PYTHONUNBUFFERED",)})
    return env


def start_stack(args, env, ports, tmp: Path) -> Processes:
    procs = Processes(env, tmp)
    py = sys.executable
    faults = {
        "commerce": {
            "latency_ms": [args.latency_ms, args.latency_ms],
            "service_time_ms": args.receipt_after_ms,
            "receipt_interval_ms": 0,
        }
    }
    procs.start(
        "govmock",
        [py, "-m", "govmock", "serve", "--port", str(ports["govmock"])],
        {
            "GOVMOCK_DB": str(tmp / "govmock.sqlite3"),
            "GOVMOCK_CALLBACK_URL": f"http://127.0.0.1:{ports['web']}/exchange/receipts/",
            "GOVMOCK_PORTAL_URL": f"http://127.0.0.1:{ports['web']}",
            "GOVMOCK_TRUSTED_CA_FILE": str(ROOT / "var" / "bench" / "exchange" / "ca.pem"),
            "GOVMOCK_FAULTS": json.dumps(faults),
        },
    )
    procs.start(
        "web",
        [
            py,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{ports['web']}",
            "--workers",
            "2",
            "--worker-class",
            "gthread",
            "--threads",
            "8",
            "--log-level",
            "warning",
        ],
    )
    procs.start(
        "worker",
        [
            py,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "-Q",
            "default,exchange.customs,exchange.ciq,exchange.safe,exchange.tax,exchange.commerce",
            "--pool",
            "threads",
            "--concurrency",
            str(args.concurrency),
            "--loglevel",
            os.environ.get("BENCH_WORKER_LOGLEVEL", "WARNING"),
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
    )
    procs.start(
        "beat",
        [
            py,
            "-m",
            "celery",
            "-A",
            "portal",
            "beat",
            "--loglevel",
            "WARNING",
            "--schedule",
            str(tmp / "beat-schedule"),
        ],
    )
    wait_http(f"http://127.0.0.1:{ports['govmock']}/healthz")
    wait_http(f"http://127.0.0.1:{ports['web']}/healthz")
    return procs


def reset_data():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE exchange_receipt, exchange_message, exchange_envelope, exchange_callbacknonce, "
            "exchange_receiptcursor, exchange_departmentstate, portal_auditevent, portal_notification "
            "RESTART IDENTITY CASCADE"
        )


def make_senders(n: int):
    from exchange.signing import signing_key_for
    from portal.identifiers import make_uscc
    from portal.models import Organisation

    senders = []
    for i in range(n):
        org, _ = Organisation.objects.get_or_create(
            code=make_uscc("91", "330100", f"BE{i:06d}"),
            defaults={"kind": "ENTERPRISE", "name_cn": f"基准测试企业{i}", "division_code": "330100"},
        )
        signing_key_for(org)
        senders.append(org)
    return senders


def payload(sender, i: int) -> dict:
    return {"filing_no": f"ZJKJ20261127{i:08d}", "uscc": sender.code, "status": "ACTIVE", "reason": ""}


def run_outbox(args, senders) -> dict:
    from django.db import close_old_connections, connection, transaction

    from exchange.models import Message
    from exchange.services import message_enqueue

    def produce(worker: int):
        for i in range(worker, args.filings, args.producers):
            sender = senders[i % len(senders)]
            with transaction.atomic():
                message_enqueue(
                    message_type="commerce.filing_status",
                    sender=sender,
                    business_key=f"BENCH-{i}",
                    payload=payload(sender, i),
                )
        connection.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(args.producers) as pool:
        list(pool.map(produce, range(args.producers)))
    enqueued = time.perf_counter() - started
    close_old_connections()
    pushed = None
    while True:
        counts = Message.objects.filter(message_type="commerce.filing_status")
        sent = counts.filter(sent_at__isnull=False).count()
        done = counts.filter(finished_at__isnull=False).count()
        if pushed is None and sent >= args.filings:
            pushed = time.perf_counter() - started
        if done >= args.filings:
            break
        if time.perf_counter() - started > args.timeout:
            raise SystemExit(f"timed out: {sent} sent, {done} finished of {args.filings}")
        time.sleep(0.25)
    finished = time.perf_counter() - started
    rows = list(
        Message.objects.filter(message_type="commerce.filing_status").values_list(
            "created_at", "sent_at", "finished_at"
        )
    )
    after_send = [(f - s).total_seconds() for _, s, f in rows]
    end_to_end = [(f - c).total_seconds() for c, _, f in rows]
    return {
        "enqueue_s": enqueued,
        "push_s": pushed,
        "complete_s": finished,
        "receipt_after_send": after_send,
        "receipt_end_to_end": end_to_end,
    }


def run_baseline(args, senders, govmock_port: int) -> float:
    import requests

    from exchange import signing

    keys = {s.pk: signing.signing_key_for(s) for s in senders}
    session = requests.Session()
    session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=args.concurrency * 2))
    url = f"http://127.0.0.1:{govmock_port}/commerce/messages"

    def call(i: int) -> int:
        sender = senders[i % len(senders)]
        envelope_id = str(uuid.uuid4()).upper()
        body = json.dumps(
            {
                "message_id": envelope_id,
                "message_type": "commerce.filing_status",
                "sent_at": "2026-11-27T10:00:00+08:00",
                "sender": {"code": sender.code, "name": sender.name_cn},
                "nodes": [
                    {"guid": str(uuid.uuid4()).upper(), "business_key": f"BASE-{i}", **payload(sender, i)}
                ],
            },
            ensure_ascii=False,
        ).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Message-Id": envelope_id,
            "X-Message-Type": "commerce.filing_status",
            "X-Sender-Code": sender.code,
            **signing.sign(keys[sender.pk], body),
        }
        return session.post(url, data=body, headers=headers, timeout=(3, 15)).status_code

    started = time.perf_counter()
    with ThreadPoolExecutor(args.concurrency) as pool:
        statuses = list(pool.map(call, range(args.filings)))
    elapsed = time.perf_counter() - started
    bad = [s for s in statuses if s not in (200, 202)]
    if bad:
        raise SystemExit(f"baseline got {len(bad)} non-2xx answers")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filings", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--producers", type=int, default=8)
    parser.add_argument("--senders", type=int, default=50)
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--receipt-after-ms", type=int, default=1000)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_portal"),
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"))
    args = parser.parse_args()

    ports = {"govmock": free_port(), "web": free_port()}
    env = configure(args, ports)
    ensure_database(args.database_url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [sys.executable, "manage.py", "exchange_init_ca"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    import django

    django.setup()
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    reset_data()
    senders = make_senders(args.senders)
    tmp = ROOT / "var" / "bench" / "run"
    tmp.mkdir(parents=True, exist_ok=True)
    procs = start_stack(args, env, ports, tmp)
    try:
        baseline = run_baseline(args, senders, ports["govmock"])
        outbox = run_outbox(args, senders)
    finally:
        procs.stop()

    n = args.filings
    print(
        f"{n} filings, concurrency {args.concurrency}, govmock answers after {args.latency_ms} ms, "
        f"receipt after {args.receipt_after_ms} ms"
    )
    print(f"baseline thread pool:   {baseline:7.2f} s   {n / baseline:8.1f} calls/s")
    print(
        f"outbox+Celery+Redis:    {outbox['push_s']:7.2f} s   {n / outbox['push_s']:8.1f} filings/s pushed "
        f"(enqueue of all filings took {outbox['enqueue_s']:.2f} s; all receipts in after "
        f"{outbox['complete_s']:.2f} s)"
    )
    print(f"ratio outbox/baseline:  {outbox['push_s'] / baseline:7.2f}   (target <= 1.5)")
    for label, values in (
        ("receipt latency after send", outbox["receipt_after_send"]),
        ("receipt latency from commit", outbox["receipt_end_to_end"]),
    ):
        print(
            f"{label}: p50 {statistics.median(values):.2f} s   p95 {percentile(values, 0.95):.2f} s"
            f"   (target p95 <= 5 s)"
        )


if __name__ == "__main__":
    main()
