#!/usr/bin/env python
"""Exchange throughput: filings pushed to govmock through the outbox, Celery and Redis, against a plain
thread pool making the same HTTP calls, side by side in one run.

Everything is real and local: PostgreSQL (a database of its own, created and migrated here), Redis, govmock
answering each submit after ``--latency-ms`` and sending the receipt ``--receipt-after-ms`` later, the portal
under gunicorn receiving the receipt callbacks, Celery worker processes and beat. Batching is off (one node
per envelope), so both paths make exactly one signed HTTP call per filing.

Runs, in this order, on the same stack:

1. baseline: a ``ThreadPoolExecutor`` of ``--concurrency`` threads signs and posts N messages;
2. outbox (drain): N filings are committed first (each its own business transaction writing its outbox
   row), then the workers (same total concurrency) start; time from worker start to the last department
   acknowledgement. This is the ratio the target (≤ 1.5) is about: what the outbox, Celery and Redis add
   over plain HTTP;
3. outbox (live): producers commit N more filings while the workers deliver, as web requests would;
   time from the first commit to the last acknowledgement (end to end, producers included).

Receipt latency is measured per filing from the department's acknowledgement to the receipt being applied
(target p95 ≤ 5 s). CPU milliseconds per filing are printed per process for each run.

    python bench/exchange.py [--filings 5000] [--concurrency 16]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_portal BENCH_REDIS_URL=redis://127.0.0.1:6379/5
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from local_processes import ensure_database, free_port, wait_http  # noqa: E402

QUEUES = "default," + ",".join(f"exchange.{d}" for d in ("customs", "ciq", "safe", "tax", "commerce"))
TYPE = "commerce.filing_status"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Processes:
    """Child processes in their own sessions, stopped together."""

    def __init__(self, env: dict, tmp: Path):
        self.env, self.tmp, self.procs = env, tmp, {}

    def start(self, name: str, args: list[str], extra: dict | None = None) -> None:
        log = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 - closed when the process ends
        self.procs[name] = subprocess.Popen(
            args,
            cwd=ROOT,
            env={**self.env, **(extra or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self, *names: str) -> None:
        chosen = [self.procs.pop(n) for n in (names or list(self.procs)) if n in self.procs]
        for proc in chosen:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in chosen:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def bench_secrets() -> dict:
    """Production-mode secrets for the bench's own database, kept under var/bench/ between runs (the signing
    keys in that database are encrypted with the field key)."""
    import secrets

    from cryptography.fernet import Fernet

    path = ROOT / "var" / "bench" / "secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    values = {
        "SECRET_KEY": secrets.token_urlsafe(64),
        "EXCHANGE_CALLBACK_SECRET": secrets.token_hex(32),
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(values))
    path.chmod(0o600)
    return values


def configure(args, ports) -> dict:
    # Production mode (DEBUG off), as deployed: DEBUG would wrap every cursor and keep every query.
    secrets = bench_secrets()
    env = {
        **os.environ,
        **secrets,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "https://127.0.0.1",  # required in production; the bench sends no links
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback, as behind the TLS-terminating proxy
        "GOVMOCK_CALLBACK_SECRET": secrets["EXCHANGE_CALLBACK_SECRET"],
        "LOG_LEVEL": "WARNING",
        "PORTAL_VAR_DIR": str(ROOT / "var" / "bench"),
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "GOVMOCK_URL": f"http://127.0.0.1:{ports['govmock']}",
        "EXCHANGE_BATCH_WINDOW_SECONDS": "0",
        "EXCHANGE_MAX_NODES": "1",
        "EXCHANGE_POLL_SECONDS": "600",
        "GOVMOCK_LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    return env


def start_stack(args, env, ports, tmp: Path) -> Processes:
    """govmock, the portal under gunicorn and beat; workers start per run."""
    procs = Processes(env, tmp)
    py = sys.executable
    latency = [args.latency_ms, args.latency_ms]
    faults = {
        TYPE.split(".")[0]: {
            "latency_ms": latency,
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


def start_workers(procs: Processes, args) -> list[str]:
    """Worker processes whose thread pools add up to the baseline's concurrency.

    Split over processes so one process's GIL does not cap the pool (production runs several worker
    containers the same way).
    """
    per_process = max(1, args.concurrency // args.worker_processes)
    names = []
    for index in range(args.worker_processes):
        name = f"worker{index}"
        procs.start(
            name,
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "-Q",
                QUEUES,
                "--pool",
                "threads",
                "--concurrency",
                str(per_process),
                "--loglevel",
                os.environ.get("BENCH_WORKER_LOGLEVEL", "WARNING"),
                "-n",
                f"bench{index}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            {"EXCHANGE_DEPARTMENT_SLOTS": str(per_process)},
        )
        names.append(name)
    return names


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its reaped children (Linux /proc), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, IndexError):
        return 0.0
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / os.sysconf("SC_CLK_TCK")


def _pids(pattern: str) -> list[int]:
    out = subprocess.run(["pgrep", "-f", "--", pattern], capture_output=True, text=True, check=False).stdout
    return [int(p) for p in out.split()]


PATTERNS = {
    "govmock": "-m govmock serve",
    "web": "gunicorn portal.wsgi",
    "workers": "celery -A portal worker",
    "beat": "celery -A portal beat",
    "postgres": "postgres",
    "redis": "redis-server",
}


def cpu_snapshot() -> dict[str, float]:
    snapshot = {name: sum(_cpu_seconds(p) for p in _pids(pattern)) for name, pattern in PATTERNS.items()}
    snapshot["bench"] = _cpu_seconds(os.getpid())
    return snapshot


def cpu_line(before: dict, after: dict, n: int) -> str:
    parts = [f"{k} {1000 * max(0.0, after[k] - before[k]) / n:.1f}" for k in after]
    total = sum(1000 * max(0.0, after[k] - before[k]) / n for k in after)
    return f"CPU ms/filing: {', '.join(parts)} (total {total:.1f})"


def reset_data():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE exchange_receipt, exchange_message, exchange_envelope, exchange_callbacknonce, "
            "exchange_signingkey, "
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


def produce(args, senders, offset: int) -> None:
    """``--producers`` threads commit filings, one business transaction each, as web requests would."""
    from django.db import connection, transaction

    from exchange.services import message_enqueue

    def work(worker: int):
        for i in range(worker, args.filings, args.producers):
            sender = senders[i % len(senders)]
            with transaction.atomic():
                message_enqueue(
                    message_type=TYPE,
                    sender=sender,
                    business_key=f"BENCH-{offset + i}",
                    payload=payload(sender, offset + i),
                )
        connection.close()

    with ThreadPoolExecutor(args.producers) as pool:
        list(pool.map(work, range(args.producers)))


def wait_until(args, ids_from: int, started: float) -> tuple[float, float]:
    """Seconds from ``started`` until every filing of this run was acknowledged, then answered."""
    from django.db import close_old_connections

    from exchange.models import Message

    close_old_connections()
    run = Message.objects.filter(message_type=TYPE, pk__gt=ids_from)
    pushed = None
    while True:
        sent = run.filter(sent_at__isnull=False).count()
        done = run.filter(finished_at__isnull=False).count()
        if pushed is None and sent >= args.filings:
            pushed = time.perf_counter() - started
        if done >= args.filings:
            return pushed, time.perf_counter() - started
        if time.perf_counter() - started > args.timeout:
            raise SystemExit(f"timed out: {sent} sent, {done} answered of {args.filings}")
        time.sleep(0.2)


def latencies(ids_from: int) -> list[float]:
    from exchange.models import Message

    rows = Message.objects.filter(message_type=TYPE, pk__gt=ids_from).values_list("sent_at", "finished_at")
    return [(done - sent).total_seconds() for sent, done in rows]


def last_id() -> int:
    from exchange.models import Message

    return Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def run_drain(args, senders, procs) -> dict:
    first = last_id()
    committed_at = time.perf_counter()
    produce(args, senders, offset=0)
    commit_s = time.perf_counter() - committed_at
    cpu0 = cpu_snapshot()
    started = time.perf_counter()
    names = start_workers(procs, args)
    push_s, answered_s = wait_until(args, first, started)
    cpu1 = cpu_snapshot()
    procs.stop(*names)
    return {
        "commit_s": commit_s,
        "push_s": push_s,
        "answered_s": answered_s,
        "latency": latencies(first),
        "cpu": cpu_line(cpu0, cpu1, args.filings),
    }


def run_live(args, senders, procs) -> dict:
    first = last_id()
    names = start_workers(procs, args)
    time.sleep(3)  # workers ready before the first commit
    cpu0 = cpu_snapshot()
    started = time.perf_counter()
    produce(args, senders, offset=args.filings)
    push_s, answered_s = wait_until(args, first, started)
    cpu1 = cpu_snapshot()
    procs.stop(*names)
    return {
        "push_s": push_s,
        "answered_s": answered_s,
        "latency": latencies(first),
        "cpu": cpu_line(cpu0, cpu1, args.filings),
    }


def run_baseline(args, senders, govmock_port: int) -> dict:
    import requests

    from exchange import signing

    keys = {s.pk: signing.signing_key_for(s) for s in senders}
    session = requests.Session()
    session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=args.concurrency * 2))
    url = f"http://127.0.0.1:{govmock_port}/{TYPE.split('.')[0]}/messages"

    def call(i: int) -> int:
        sender = senders[i % len(senders)]
        envelope_id = str(uuid.uuid4()).upper()
        body = json.dumps(
            {
                "message_id": envelope_id,
                "message_type": TYPE,
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
            "X-Message-Type": TYPE,
            "X-Sender-Code": sender.code,
            **signing.sign(keys[sender.pk], body),
        }
        return session.post(url, data=body, headers=headers, timeout=(3, 15)).status_code

    cpu0 = cpu_snapshot()
    started = time.perf_counter()
    with ThreadPoolExecutor(args.concurrency) as pool:
        statuses = list(pool.map(call, range(args.filings)))
    elapsed = time.perf_counter() - started
    cpu1 = cpu_snapshot()
    bad = [s for s in statuses if s not in (200, 202)]
    if bad:
        raise SystemExit(f"baseline got {len(bad)} non-2xx answers")
    return {"push_s": elapsed, "cpu": cpu_line(cpu0, cpu1, args.filings)}


def report(args, baseline: dict, drain: dict, live: dict) -> None:
    n = args.filings
    print(
        f"{n} filings per run, concurrency {args.concurrency} ({args.worker_processes} worker processes), "
        f"govmock answers after {args.latency_ms} ms, receipt {args.receipt_after_ms} ms later"
    )
    print(f"baseline thread pool      {baseline['push_s']:7.2f} s  {n / baseline['push_s']:7.1f} calls/s")
    print(
        f"outbox drain (Celery)     {drain['push_s']:7.2f} s  {n / drain['push_s']:7.1f} filings/s   "
        f"ratio {drain['push_s'] / baseline['push_s']:.2f} (target <= 1.5); "
        f"committing them took {drain['commit_s']:.2f} s"
    )
    print(
        f"outbox live (end to end)  {live['push_s']:7.2f} s  {n / live['push_s']:7.1f} filings/s   "
        f"ratio {live['push_s'] / baseline['push_s']:.2f} (producers committing at the same time)"
    )
    for label, run in (("drain", drain), ("live", live)):
        values = run["latency"]
        print(
            f"receipt latency ({label}): p50 {statistics.median(values):.2f} s  "
            f"p95 {percentile(values, 0.95):.2f} s (target p95 <= 5 s)"
        )
    for label, run in (("baseline", baseline), ("drain", drain), ("live", live)):
        print(f"{label:9} {run['cpu']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filings", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--worker-processes", type=int, default=1)
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
    # Static files first: production mode refuses to migrate or serve without them (portal/checks.py).
    for command in (
        ["collectstatic", "--noinput", "-v", "0"],
        ["migrate", "--no-input", "-v", "0"],
        ["exchange_init_ca"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command],
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
        time.sleep(args.receipt_after_ms / 1000 + 2)  # govmock finishes the baseline's receipts first
        drain = run_drain(args, senders, procs)
        live = run_live(args, senders, procs)
    finally:
        procs.stop()
    report(args, baseline, drain, live)


if __name__ == "__main__":
    main()
