#!/usr/bin/env python
"""Customs end to end: inventory lists from their submission to 899 through the exchange and govmock.

Everything real and local, production-like (README "Production-like"): PostgreSQL (a database of its own,
created and migrated here), Redis (a db number of its own), the portal in production mode under gunicorn
(receives govmock's receipt callbacks), one Celery worker on every queue the settings declare (threads pool,
8 threads, as docker-compose), beat, and govmock's customs with zero service time and no faults.

1. Parties: a seller, its platform, its payment enterprise and its logistics enterprise, ACTIVE with customs
   codes and DXP ids. Each list's order (seller), payment receipt (payment enterprise) and waybill (logistics
   enterprise) are filed and sent through the documents' bulk path (``documents_create_bulk``, 10,000 per
   batch), before the clock starts; the bench waits until customs declared them all (2).
2. Submit (t0): the lists through the bulk path (``lists_create_bulk``, ``submit=True``, 10,000 per batch).
   Leg 1 ends when every list is CONCLUDED (399: declared, three documents matched, entered, concluded).
3. Arrival: the logistics enterprise files CEB507 arrival reports (``parcel_report_create``, up to
   ``--parcels-per-report`` parcels each); leg 2 ends when every list is RELEASED (800).
4. Departure: CEB509 departure reports; leg 3 ends when every list is CLOSED (899).
   Progress is read with one ``COUNT`` per second.

Where the CPU goes: CPU seconds per process over the timed legs (worker, web, beat, govmock, the PostgreSQL
backends of each, by ``application_name``; Redis — a shared server, so its figure includes other users —
and this process), and the portal worker's and web's hot functions sampled with py-spy (``pip install -e
.[bench]``; ``--profile none`` to skip), top 15 by cumulative time.

Baselines, side by side on the same database once the stack has stopped: the same customs receipts (those
received after t0, in the order received, 100 per transaction) applied again in this process, the documents
and messages reset to their state at t0 first:

* ``handler floor``: customs' receipt bindings only (``exchange.registry.dispatch_receipts`` — the subjects
  locked and ``customs.receipts`` applying the batch), nothing parsed or stored by the exchange;
* ``exchange in-process``: ``exchange.services.receipts_ingest`` on the raw items (parse, store, match, move
  the messages, audit, the same bindings), i.e. a callback without HTTP, HMAC and gunicorn.

    python bench/customs_flow.py [--lists 10000] [--parcels-per-report 500] [--profile py-spy|none]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_cu_flow BENCH_REDIS_URL=redis://127.0.0.1:6379/7

Wall-clock figures on a shared host are noisy; the CPU seconds and the ratios of one run say more.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode, urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from local_processes import ensure_database, free_port, wait_http  # noqa: E402

VAR = ROOT / "var" / "bench-flow"
TICK = os.sysconf("SC_CLK_TCK")
LIST_STATES = ("CONCLUDED", "RELEASED", "CLOSED")  # leg ends: 399, 800, 899
SNAPSHOT_TABLE = "bench_flow_messages_t0"


# --- processes and CPU ------------------------------------------------------------------------------------


def proc_cpu(pid: int) -> float:
    """User + system CPU seconds of a process and its reaped children (/proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / TICK


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (gunicorn's workers under its master)."""
    parents = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents[ppid].append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += parents.get(current, [])
    return found


class CpuMeter:
    """CPU seconds per role: our child processes (with their descendants), our PostgreSQL backends grouped by
    ``application_name``, Redis and this process. A pid's highest reading is kept, so a worker process or
    backend that exits keeps what it had used when last read (read every second while waiting)."""

    def __init__(self, database: str):
        self.database = database
        self.roots: dict[str, int] = {}
        self.seen: dict[tuple[str, int], float] = {}

    def read(self) -> dict[str, float]:
        from django.db import connection

        for role, root in self.roots.items():
            for pid in descendants(root):
                self._keep(role, pid)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, application_name FROM pg_stat_activity WHERE datname = %s AND pid <> "
                "pg_backend_pid()",
                [self.database],
            )
            for pid, name in cursor.fetchall():
                self._keep(f"postgres:{name or 'other'}", pid)
            cursor.execute("SELECT pg_backend_pid()")
            self._keep("postgres:bench", cursor.fetchone()[0])
        for pid in _pgrep("redis-server"):
            self._keep("redis (shared server)", pid)
        self.seen[("bench", os.getpid())] = time.process_time()
        totals: dict[str, float] = defaultdict(float)
        for (role, _pid), value in self.seen.items():
            totals[role] += value
        return dict(totals)

    def _keep(self, role: str, pid: int) -> None:
        value = proc_cpu(pid)
        if value:
            self.seen[(role, pid)] = max(value, self.seen.get((role, pid), 0.0))


def _pgrep(name: str) -> list[int]:
    out = subprocess.run(["pgrep", "-x", name], capture_output=True, text=True, check=False).stdout
    return [int(p) for p in out.split()]


class Stack:
    """Our child processes, each in its own session, stopped by their own pids."""

    def __init__(self, env: dict):
        self.env, self.procs, self.logs = env, {}, {}

    def start(self, name: str, args: list[str], extra: dict | None = None) -> int:
        log = open(VAR / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        self.logs[name] = log
        proc = subprocess.Popen(
            args,
            cwd=ROOT,
            env={**self.env, **(extra or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs[name] = proc
        return proc.pid

    def exited(self) -> list[str]:
        return [n for n, p in self.procs.items() if p.poll() is not None and not n.startswith("py-spy")]

    def stop(self, *names: str, sig: int = signal.SIGTERM) -> None:
        chosen = [(n, self.procs.pop(n)) for n in (names or list(self.procs)) if n in self.procs]
        for _name, proc in chosen:
            if proc.poll() is None:
                os.killpg(proc.pid, sig)
        for _name, proc in chosen:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


# --- configuration ----------------------------------------------------------------------------------------


def bench_secrets() -> dict:
    """Production-mode secrets of the bench's database, kept under var/bench-flow/ between runs (the signing
    keys in the database are encrypted with the field key)."""
    import secrets

    from cryptography.fernet import Fernet

    path = VAR / "secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    values = {
        "SECRET_KEY": secrets.token_urlsafe(64),
        "EXCHANGE_CALLBACK_SECRET": secrets.token_hex(32),
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    }
    path.write_text(json.dumps(values))
    path.chmod(0o600)
    return values


def with_app_name(url: str, name: str) -> str:
    return urlunparse(urlparse(url)._replace(query=urlencode({"application_name": name})))


def configure(args, ports) -> dict:
    VAR.mkdir(parents=True, exist_ok=True)
    secrets = bench_secrets()
    env = {
        **os.environ,
        **secrets,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "https://127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "GOVMOCK_CALLBACK_SECRET": secrets["EXCHANGE_CALLBACK_SECRET"],
        "LOG_LEVEL": "WARNING",
        "PORTAL_VAR_DIR": str(VAR),
        "DATABASE_URL": with_app_name(args.database_url, "bench"),
        "REDIS_URL": args.redis_url,
        "GOVMOCK_URL": f"http://127.0.0.1:{ports['govmock']}",
        "GOVMOCK_LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(env)
    return env


def prepare(env: dict) -> None:
    """Static files first (production mode refuses to migrate without them), then the schema and the CA."""
    for command in (
        ["collectstatic", "--noinput", "-v", "0"],
        ["migrate", "--no-input", "-v", "0"],
        ["exchange_init_ca"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )


def reset_data() -> None:
    """Empty what a run writes. The signing keys too: they are encrypted with this checkout's field key
    (var/bench-flow/secrets.json), and a key left by another checkout's run would not decrypt."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SNAPSHOT_TABLE}")
        cursor.execute(
            "TRUNCATE customs_inventoryitem, customs_inventorylist, customs_orderitem, customs_order, "
            "customs_payment, customs_waybill, customs_parcelreportline, customs_parcelreport, "
            "exchange_receipt, exchange_message, exchange_envelope, exchange_callbacknonce, "
            "exchange_receiptcursor, exchange_departmentstate, exchange_signingkey, portal_auditevent, "
            "portal_notification "
            "RESTART IDENTITY CASCADE"
        )


def start_stack(args, env, ports) -> tuple[Stack, CpuMeter]:
    from django.conf import settings

    py = sys.executable
    stack = Stack(env)
    meter = CpuMeter(urlparse(args.database_url).path.lstrip("/"))
    queues = ",".join(q.name for q in settings.CELERY_TASK_QUEUES)
    faults = {"*": {"service_time_ms": 0, "receipt_interval_ms": 0}}
    meter.roots["govmock"] = stack.start(
        "govmock",
        [py, "-m", "govmock", "serve", "--port", str(ports["govmock"])],
        {
            "GOVMOCK_DB": str(VAR / "govmock.sqlite3"),
            "GOVMOCK_CALLBACK_URL": f"http://127.0.0.1:{ports['web']}/exchange/receipts/",
            "GOVMOCK_PORTAL_URL": f"http://127.0.0.1:{ports['web']}",
            "GOVMOCK_TRUSTED_CA_FILE": str(VAR / "exchange" / "ca.pem"),
            "GOVMOCK_FAULTS": json.dumps(faults),
        },
    )
    meter.roots["web"] = stack.start(
        "web",
        [
            py, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{ports['web']}",
            "--workers", str(args.web_workers), "--threads", "4", "--log-level", "warning",
        ],
        {"DATABASE_URL": with_app_name(args.database_url, "web")},
    )  # fmt: skip
    meter.roots["worker"] = stack.start(
        "worker",
        [
            py, "-m", "celery", "-A", "portal", "worker", "-Q", queues, "--pool", "threads",
            "--concurrency", str(args.concurrency), "--loglevel", "WARNING", "-n", f"flow{os.getpid()}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ],
        {"DATABASE_URL": with_app_name(args.database_url, "worker")},
    )  # fmt: skip
    meter.roots["beat"] = stack.start(
        "beat",
        [py, "-m", "celery", "-A", "portal", "beat", "--loglevel", "WARNING", "--schedule",
         str(VAR / "beat-schedule")],
        {"DATABASE_URL": with_app_name(args.database_url, "beat")},
    )  # fmt: skip
    wait_http(f"http://127.0.0.1:{ports['govmock']}/healthz", timeout=90)
    wait_http(f"http://127.0.0.1:{ports['web']}/healthz", timeout=90)
    return stack, meter


# --- the parties and the documents ------------------------------------------------------------------------


def parties() -> dict:
    from django.utils import timezone

    from exchange.signing import signing_key_for
    from portal.identifiers import make_uscc
    from portal.models import Organisation, User
    from registration.models import EntityFiling
    from tests.customs import builders as b

    specs = {
        "seller": (b.SELLER_CODE, "APPLICATION", "ENTERPRISE", "基准卖家"),
        "platform": (b.PLATFORM_CODE, "SERVICE", "PLATFORM", "基准平台"),
        "logistics": (b.LOGISTICS_CODE, "SERVICE", "LOGISTICS", "基准物流"),
        "payer": (b.PAYMENT_CODE, "SERVICE", "PAYMENT", "基准支付"),
    }
    found = {}
    for n, (role, (customs_code, entity_type, subtype, name)) in enumerate(specs.items(), start=1):
        org, _ = Organisation.objects.get_or_create(
            code=make_uscc("91", "330100", f"FLWB{n:04d}"),
            defaults={"kind": "ENTERPRISE", "name_cn": name, "division_code": "330100"},
        )
        if not EntityFiling.objects.filter(owner=org, status="ACTIVE").exists():
            EntityFiling.objects.create(
                owner=org, entity_type=entity_type, subtype=subtype, status="ACTIVE",
                filing_no=f"ZJFLOW{n:04d}", name_cn=name, uscc=org.code, customs_code=customs_code,
                dxp_id=f"DXPENT{n:010d}", activated_at=timezone.now(),
            )  # fmt: skip
        user, _ = User.objects.get_or_create(username=f"bench-flow-{role}", defaults={"organisation": org})
        signing_key_for(org)  # key generation is not what this bench measures
        found[role], found[f"{role}_user"] = org, user
    return found


def file_documents(p: dict, n: int, chunk: int = 10_000) -> None:
    """Order, payment receipt and waybill of each list, sent (CEB303/403/505) through the documents' bulk
    path (``documents_create_bulk``, what ``…/batch/`` calls), ``chunk`` per batch: one thread per kind, each
    its own connection, as the seller's, the payment enterprise's and the carrier's systems would."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from customs.services import documents_create_bulk
    from customs.services.documents import ORDERS, PAYMENTS, WAYBILLS
    from tests.customs.builders import order_head, order_item, payment_data, waybill_data

    def order(i):
        return {**order_head(order_no=f"FO{i:09d}"), "items": [order_item()]}

    def payment(i):
        return payment_data(order_no=f"FO{i:09d}", pay_no=f"FP{i:09d}")

    def waybill(i):
        return waybill_data(logistics_no=f"FW{i:09d}")

    filed_by = (
        (ORDERS, p["seller"], p["seller_user"], order),
        (PAYMENTS, p["seller"], p["payer_user"], payment),
        (WAYBILLS, p["logistics"], p["logistics_user"], waybill),
    )

    def file(kind, owner, user, row):
        try:
            for start in range(0, n, chunk):
                rows = [row(i) for i in range(start, min(n, start + chunk))]
                documents_create_bulk(kind, owner=owner, filer=None, by=user, rows=rows)
        finally:
            connection.close()

    with ThreadPoolExecutor(3) as pool:
        for done in [pool.submit(file, *how) for how in filed_by]:
            done.result()


def list_rows(n: int) -> list[dict]:
    from tests.customs.builders import list_row

    return [list_row(cop_no=f"FC{i:09d}", order_no=f"FO{i:09d}", logistics_no=f"FW{i:09d}") for i in range(n)]


def submit_lists(p: dict, n: int) -> None:
    from customs.services import lists_create_bulk

    rows = list_rows(n)
    for start in range(0, n, 10_000):
        lists_create_bulk(
            owner=p["seller"], filer=p["seller"], by=p["seller_user"], rows=rows[start : start + 10_000]
        )


def file_reports(p: dict, kind: str, n: int, per_report: int) -> None:
    from django.utils import timezone

    from customs import services

    leave = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
    for number, start in enumerate(range(0, n, per_report), start=1):
        head = {
            "cop_no": f"{kind[:3]}-{number:06d}",
            "customs_code": "2901",
            "traf_mode": "5",
            "domestic_traf_no": "浙A12345",
            "leave_time": leave,
        }
        services.parcel_report_create(
            owner=p["logistics"],
            by=p["logistics_user"],
            kind=kind,
            head=head,
            lines=[{"logistics_no": f"FW{i:09d}"} for i in range(start, min(n, start + per_report))],
            submit=True,
        )


# --- waiting ----------------------------------------------------------------------------------------------


def count_sql(table: str, statuses: tuple[str, ...]) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE status = ANY(%s)", [list(statuses)])  # noqa: S608
        return cursor.fetchone()[0]


def wait_for(label: str, table: str, statuses: tuple[str, ...], n: int, args, stack: Stack, meter: CpuMeter):
    """Poll one COUNT a second until ``n`` rows of ``table`` are in ``statuses``; read the CPU meter meanwhile
    (so exiting backends are counted). Returns the seconds waited."""
    started = time.perf_counter()
    last, last_change = -1, started
    while True:
        done = count_sql(table, statuses)
        meter.read()
        now = time.perf_counter()
        if done >= n:
            return now - started
        if done != last:
            last, last_change = done, now
        dead = stack.exited()
        if dead:
            raise SystemExit(f"{label}: {', '.join(dead)} exited (logs in {VAR})")
        if now - last_change > args.stall_seconds:
            raise SystemExit(
                f"{label}: stuck at {done} of {n} for {args.stall_seconds:.0f} s (logs in {VAR})"
            )
        time.sleep(1)


# --- profile ----------------------------------------------------------------------------------------------


def start_profiles(args, stack: Stack, meter: CpuMeter) -> dict[str, Path]:
    if args.profile != "py-spy":
        return {}
    spy = Path(sys.executable).with_name("py-spy")
    if not spy.exists():
        print("py-spy is not installed (pip install -e '.[bench]'): no profile")
        return {}
    outputs = {}
    for role in ("worker", "web"):
        out = VAR / f"profile-{role}.txt"
        out.unlink(missing_ok=True)
        command = [str(spy), "record", "--pid", str(meter.roots[role]), "--format", "raw", "--function"]
        command += ["--rate", str(args.profile_rate), "--nonblocking", "--output", str(out)]
        if role == "web":
            command.append("--subprocesses")
        meter.roots[f"py-spy (profiler of the {role})"] = stack.start(f"py-spy-{role}", command)
        outputs[role] = out
    return outputs


# Frames that only carry a request or a task to the code (threads, Celery's tracer, gunicorn, middleware):
# left out of the top list, where they would fill the first places at ~100 %.
PLUMBING = (
    "threading.py", "concurrent/futures/", "celery/", "kombu/", "gunicorn/", "django/core/handlers/",
    "django/utils/deprecation.py", "django/middleware/", "portal/middleware.py", "whitenoise/", "csp/",
    "axes/", "django/contrib/sessions/middleware", "django/contrib/auth/middleware",
    "django/contrib/messages/middleware", "django/views/decorators/", "contextlib.py",
)  # fmt: skip


def top_functions(path: Path, limit: int = 15) -> list[tuple[float, float, str]]:
    """``(cumulative %, self %, function)`` from py-spy's collapsed stacks, by cumulative time; plumbing
    frames (``PLUMBING``) left out."""
    total, cumulative, own = 0, Counter(), Counter()
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = [f for f in stack.split(";") if not f.startswith(("process ", "thread "))]
        if not frames:
            continue
        n = int(count)
        total += n
        for frame in set(frames):
            cumulative[frame] += n
        own[frames[-1]] += n
    if not total:
        return []
    ranked = [(f, c) for f, c in cumulative.most_common() if not any(p in f for p in PLUMBING)]
    return [(100 * c / total, 100 * own[f] / total, f) for f, c in ranked[:limit]]


def short(frame: str) -> str:
    """``function (path:line)`` with the path from the repository or site-packages on."""
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in frame:
            head, _, tail = frame.partition("(")
            return f"{head}({tail.split(marker, 1)[1]}"
    return frame


# --- baselines ------------------------------------------------------------------------------------------


def snapshot_messages() -> None:
    """The messages' receipt state at t0 (orders, payment receipts and waybills are declared by then)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {SNAPSHOT_TABLE} AS SELECT id, status, receipt_status, receipt_rank, "  # noqa: S608
            "receipt_info, "
            "outcome, acknowledged_at, finished_at, expected_by FROM exchange_message"
        )


def reset_to_t0(t0_max_id: int) -> None:
    """Documents and messages back to their state at t0: lists and reports SUBMITTED, orders, receipts and
    waybills DECLARED; messages as snapshotted (those written after t0: sent, no receipt)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table, status in (
            ("customs_inventorylist", "SUBMITTED"),
            ("customs_parcelreport", "SUBMITTED"),
            ("customs_order", "DECLARED"),
            ("customs_payment", "DECLARED"),
            ("customs_waybill", "DECLARED"),
        ):
            cursor.execute(f"UPDATE {table} SET status = %s", [status])  # noqa: S608
        cursor.execute(
            f"UPDATE exchange_message m SET status = s.status, receipt_status = s.receipt_status, "  # noqa: S608
            "receipt_rank = s.receipt_rank, receipt_info = s.receipt_info, outcome = s.outcome, "
            "acknowledged_at = s.acknowledged_at, finished_at = s.finished_at, expected_by = s.expected_by "
            f"FROM {SNAPSHOT_TABLE} s WHERE s.id = m.id"
        )
        cursor.execute(
            "UPDATE exchange_message SET status = 'sent', receipt_status = '', receipt_rank = 0, "
            "receipt_info = '', outcome = '', acknowledged_at = NULL, finished_at = NULL WHERE id > %s",
            [t0_max_id],
        )


def window_receipts(t0_receipt_id: int) -> list:
    from exchange.models import Receipt

    return list(
        Receipt.objects.filter(pk__gt=t0_receipt_id, department="customs", disposition="applied")
        .select_related("message")
        .order_by("pk")
    )


def backend_cpu() -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return proc_cpu(cursor.fetchone()[0])


def timed(fn) -> dict:
    wall, cpu, db = time.perf_counter(), time.process_time(), backend_cpu()
    fn()
    return {
        "wall": time.perf_counter() - wall,
        "python": time.process_time() - cpu,
        "postgres": backend_cpu() - db,
    }


def run_baselines(receipts: list, t0_max_id: int, t0_receipt_id: int) -> dict:
    from django.db import transaction

    from exchange.models import Receipt
    from exchange.registry import dispatch_receipts
    from exchange.services import receipts_ingest

    batches = [receipts[i : i + 100] for i in range(0, len(receipts), 100)]

    def handler_floor():
        for batch in batches:
            by_type = defaultdict(list)
            for receipt in batch:
                by_type[receipt.message.message_type].append((receipt.message, receipt))
            with transaction.atomic():
                for message_type, items in by_type.items():
                    dispatch_receipts(message_type, items)

    items = [
        [
            {
                "receipt_id": r.receipt_id,
                "department": r.department,
                "seq": r.seq,
                "receipt_type": r.receipt_type,
                "content_type": r.content_type,
                "raw": r.raw,
            }
            for r in batch
        ]
        for batch in batches
    ]

    def ingest():
        for batch in items:
            receipts_ingest(batch, via="callback", department="customs")

    reset_to_t0(t0_max_id)
    floor = timed(handler_floor)
    reset_to_t0(t0_max_id)
    Receipt.objects.filter(pk__gt=t0_receipt_id).delete()
    in_process = timed(ingest)
    return {"floor": floor, "ingest": in_process}


# --- the run ----------------------------------------------------------------------------------------------


def run(args) -> None:
    from django.db import connection

    from exchange.models import Message, Receipt

    p = parties()
    ports = {"govmock": args.ports["govmock"], "web": args.ports["web"]}
    stack, meter = start_stack(args, args.env, ports)
    try:
        began = time.perf_counter()
        file_documents(p, args.lists)
        filed = time.perf_counter() - began
        for table in ("customs_order", "customs_payment", "customs_waybill"):
            wait_for(f"{table} declared", table, ("DECLARED",), args.lists, args, stack, meter)
        documents_s = time.perf_counter() - began
        print(
            f"setup: {3 * args.lists:,} orders, payment receipts and waybills filed in {filed:.1f} s, "
            f"declared by customs after {documents_s:.1f} s ({3 * args.lists / documents_s:,.0f} documents/s)"
        )
        time.sleep(2)  # let the last callbacks settle before t0
        snapshot_messages()
        t0_max_id = Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        t0_receipt_id = Receipt.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        profiles = start_profiles(args, stack, meter)
        time.sleep(1)
        cpu = [meter.read()]
        legs = []
        t0 = time.perf_counter()
        submit_lists(p, args.lists)
        submit_s = time.perf_counter() - t0
        wait_for("399", "customs_inventorylist", LIST_STATES, args.lists, args, stack, meter)
        legs.append(time.perf_counter() - t0)
        cpu.append(meter.read())
        for kind, states in (("ARRIVAL", LIST_STATES[1:]), ("DEPARTURE", LIST_STATES[2:])):
            began = time.perf_counter()
            file_reports(p, kind, args.lists, args.parcels_per_report)
            wait_for(states[0], "customs_inventorylist", states, args.lists, args, stack, meter)
            legs.append(time.perf_counter() - began)  # filing the reports included
            cpu.append(meter.read())
        total = time.perf_counter() - t0
        load = os.getloadavg()
    finally:
        for name in [n for n in list(stack.procs) if n.startswith("py-spy")]:
            stack.stop(name, sig=signal.SIGINT)
        stack.stop()
    (VAR / "last-run.json").write_text(json.dumps({"t0_max_id": t0_max_id, "t0_receipt_id": t0_receipt_id}))
    receipts = window_receipts(t0_receipt_id)
    connection.close()
    baselines = run_baselines(receipts, t0_max_id, t0_receipt_id)
    report(args, legs, total, submit_s, cpu, load, profiles, len(receipts), baselines)


def replay(args) -> None:
    """``--replay N``: the baselines only, N times, on the data of the last full run (to compare two
    versions of the receipt path side by side without running the stack again)."""
    last = json.loads((VAR / "last-run.json").read_text())
    for attempt in range(1, args.replay + 1):
        receipts = window_receipts(last["t0_receipt_id"])
        baselines = run_baselines(receipts, last["t0_max_id"], last["t0_receipt_id"])
        load = os.getloadavg()[0]
        print(f"replay {attempt}: {len(receipts):,} receipts, load {load:.1f}")
        print_baselines(baselines, len(receipts))


def report(args, legs, total, submit_s, cpu, load, profiles, receipts: int, baselines) -> None:
    n = args.lists
    print(f"\n{n:,} lists, {receipts:,} customs receipts applied after t0; load average {load[0]:.2f} "
          f"{load[1]:.2f} {load[2]:.2f} (2 cores)")  # fmt: skip
    names = ("submit → 399 (concluded)", "399 → 800 (arrival → released)", "800 → 899 (departure → closed)")
    print(f"  (lists_create_bulk itself: {submit_s:.1f} s)")
    for name, seconds in zip(names, legs, strict=True):
        print(f"  {name:34} {seconds:7.1f} s  {n / seconds:8,.0f} lists/s")
    print(f"  {'overall submit → 899':34} {total:7.1f} s  {n / total:8,.0f} lists/s")

    spent = {k: cpu[-1].get(k, 0.0) - cpu[0].get(k, 0.0) for k in cpu[-1]}
    portal = sum(v for k, v in spent.items() if not k.startswith(("redis", "py-spy", "govmock")))
    print("\nCPU seconds, t0 → 899 (per role; postgres:<name> are the backends of that process)")
    for role, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
        per_list = 1000 * seconds / n
        print(f"  {role:28} {seconds:8.1f} s  {per_list:6.2f} ms/list")
    print(f"  {'portal side (all but govmock, redis)':28} {portal:8.1f} s  {1000 * portal / n:6.2f} ms/list")
    for leg, name in enumerate(("leg 1", "leg 2", "leg 3")):
        parts = {k: cpu[leg + 1].get(k, 0) - cpu[leg].get(k, 0) for k in cpu[leg + 1]}
        print(
            f"  {name}: " + ", ".join(f"{k} {v:.1f}" for k, v in sorted(parts.items(), key=lambda kv: -kv[1]))
        )

    e2e_receipt_side = spent.get("web", 0) + spent.get("postgres:web", 0)
    print(f"\nApplying the same {receipts:,} customs receipts again (this process, 100 per transaction):")
    floor_cpu = print_baselines(baselines, receipts)
    print(
        f"  {'end to end: web + its backends':38} {'':8} {spent.get('web', 0):6.1f} s "
        f"{spent.get('postgres:web', 0):7.1f} s {1000 * e2e_receipt_side / max(receipts, 1):13.2f} "
        f"{e2e_receipt_side / floor_cpu:6.2f}"
    )
    for role, path in profiles.items():
        if not path.exists():
            print(f"\nno profile of the {role} ({path} missing)")
            continue
        print(
            f"\nportal {role}: top 15 functions by cumulative time (py-spy, {args.profile_rate} Hz; samples "
            "of busy threads,\n  waiting on PostgreSQL included; plumbing frames left out)"
        )
        print(f"  {'cum %':>6} {'self %':>6}  function")
        for cum, own, frame in top_functions(path):
            print(f"  {cum:6.1f} {own:6.1f}  {short(frame)}")


def print_baselines(baselines: dict, receipts: int) -> float:
    """The two in-process baselines as table rows; returns the floor's CPU seconds (the ratios' unit)."""
    print(f"  {'':38} {'wall':>8} {'python':>8} {'postgres':>9} {'CPU ms/receipt':>15} {'ratio':>6}")
    floor_cpu = baselines["floor"]["python"] + baselines["floor"]["postgres"]
    rows = [
        ("handler floor (dispatch_receipts)", baselines["floor"]),
        ("exchange in-process (receipts_ingest)", baselines["ingest"]),
    ]
    for name, b in rows:
        total_cpu = b["python"] + b["postgres"]
        print(
            f"  {name:38} {b['wall']:6.1f} s {b['python']:6.1f} s {b['postgres']:7.1f} s "
            f"{1000 * total_cpu / max(receipts, 1):13.2f} {total_cpu / floor_cpu:6.2f}"
        )
    return floor_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=int, default=10_000)
    parser.add_argument("--parcels-per-report", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=8, help="worker threads (docker-compose: 8)")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--profile", choices=("py-spy", "none"), default="py-spy")
    parser.add_argument("--profile-rate", type=int, default=50)
    parser.add_argument("--stall-seconds", type=float, default=180)
    parser.add_argument("--replay", type=int, default=0, help="only the baselines, N times, on the last run")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_cu_flow"),
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"))
    args = parser.parse_args()
    args.ports = {"govmock": free_port(), "web": free_port()}
    args.env = configure(args, args.ports)
    ensure_database(args.database_url)
    prepare(args.env)
    import django

    django.setup()
    if args.replay:
        replay(args)
        return
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    for suffix in ("", "-wal", "-shm"):
        (VAR / f"govmock.sqlite3{suffix}").unlink(missing_ok=True)
    reset_data()
    run(args)


if __name__ == "__main__":
    main()
