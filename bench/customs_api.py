#!/usr/bin/env python
"""The batch API end to end: 10,000-list requests to ``POST /api/v1/customs/inventory-lists/batch/``.

Each request goes through the whole Django stack in-process (the test client: middleware, token
authentication, DRF parsing, the view, ``lists_create_bulk`` — checks, lists, lines, outbox messages, audit
events in one transaction with COPY — and the JSON answer). Side by side, the floor for the same work: the
same body through ``json.loads`` plus one COPY per table of exactly the rows the request wrote (captured from
the bulk path's own COPY streams) into empty tables with the same columns and indexes (``LIKE … INCLUDING
ALL``, in a transaction rolled back). The first request warms the caches and is reported apart.

    createdb -h 127.0.0.1 -U postgres bench_cu_api
    python bench/customs_api.py [--lists 10000] [--requests 3] [--lines 1] [--clients 2]
        [--database-url postgres://postgres@127.0.0.1:5432/bench_cu_api]

Prints per request: wall seconds, lists/s (target >= 1,500/s), queries (Django + COPY), CPU seconds of this
process and of its PostgreSQL backend, and the ratio to json.loads + COPY. The host is shared: the load
average is printed with every line, and lists per CPU-second say more than the wall clock when it is high.

Then, with ``--clients N`` (default 2, the cores of the target machine; 0 skips it), the sustained rate:
N processes, like N gunicorn workers, each its own seller with its own token and connection, each warmed up
by one request, then all sending ``--requests`` 10,000-list requests at once; printed: the lists/s of the
whole run (all lists created / first start to last end) next to the single-stream figure, the floor's rate
(lists / (json.loads + COPY) of the single stream) and their ratio, and each client's CPU.
"""

import argparse
import io
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

URL = "/api/v1/customs/inventory-lists/batch/"


def setup(database_url: str, *, migrate: bool = True):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="portal.settings", DATABASE_URL=database_url, DEBUG="true", LOG_LEVEL="WARNING"
    )
    from local_processes import ensure_database

    ensure_database(database_url)
    import django

    django.setup()
    from django.core.management import call_command

    if migrate:
        call_command("migrate", verbosity=0)


class CopyRecorder:
    """Wraps ``portal.bulk.copy_csv``: counts the COPY statements and keeps each one's table, columns and CSV
    text."""

    def __init__(self):
        import portal.bulk

        self.module, self.original, self.streams = portal.bulk, portal.bulk.copy_csv, []
        portal.bulk.copy_csv = self

    def __call__(self, table, columns, text):
        self.original(table, columns, text)
        self.streams.append((table, columns, text))

    def take(self) -> list:
        streams, self.streams = self.streams, []
        return streams


def floor(body: bytes, streams: list) -> tuple[float, float]:
    """Seconds of json.loads(body) and of COPY of ``streams`` into LIKE copies of their tables."""
    from django.db import connection, transaction

    began = time.perf_counter()
    json.loads(body)
    parse = time.perf_counter() - began
    with transaction.atomic():
        with connection.cursor() as cursor:
            for table in dict.fromkeys(table for table, _, _ in streams):  # a table may have several chunks
                cursor.execute(
                    f'CREATE TEMP TABLE "floor_{table}" (LIKE "{table}" INCLUDING ALL) ON COMMIT DROP'
                )
            began = time.perf_counter()
            for table, columns, text in streams:
                names = ", ".join(f'"{c}"' for c in columns)
                cursor.cursor.copy_expert(
                    f'COPY "floor_{table}" ({names}) FROM STDIN WITH (FORMAT csv)', io.StringIO(text)
                )
            copy = time.perf_counter() - began
        transaction.set_rollback(True)
    return parse, copy


def request_body(n: int, lines: int, start: int) -> bytes:
    from customs_bulk import rows

    data = rows(n, lines, start)
    for row in data:  # the seller's and filer's codes are the portal's to fill in, as an ERP leaves them
        for name in ("ebc_code", "ebc_name", "agent_code", "agent_name", "owner_code", "owner_name"):
            row.pop(name)
    return json.dumps({"lists": data}, ensure_ascii=False).encode()


def client_for(number: int):
    """An API client with a token of bench seller ``number``'s enterprise administrator."""
    from customs_bulk import seller
    from django.contrib.auth.models import Group
    from rest_framework.test import APIClient

    from portal.services.tokens import token_create

    _, user = seller(number)
    user.groups.add(Group.objects.get(name="enterprise_admin"))  # only enterprise users file
    _, raw = token_create(user=user, name="bench")
    return APIClient(HTTP_AUTHORIZATION=f"Token {raw}", HTTP_HOST="localhost")


def single_stream(args, client) -> tuple[float, float]:
    """The requests one after the other; returns (mean lists/s, mean floor lists/s) of the timed ones."""
    from customs_bulk import backend_cpu
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    recorder = CopyRecorder()
    took_all = floor_all = 0.0
    start = 0
    for number in range(args.requests + 1):
        body = request_body(args.lists, args.lines, start)
        start += args.lists
        with CaptureQueriesContext(connection) as queries:
            began, cpu, db_cpu = time.perf_counter(), time.process_time(), backend_cpu(backend)
            response = client.post(URL, body, content_type="application/json")
            took, cpu = time.perf_counter() - began, time.process_time() - cpu
            db_cpu = backend_cpu(backend) - db_cpu
        assert response.status_code == 201, response.content[:2000]
        created = response.json()["created"]
        assert created == args.lists, created
        streams = recorder.take()
        parse, copy = floor(body, streams)
        label = "warm-up" if number == 0 else f"request {number}"
        print(
            f"{label}: {took:6.2f} s = {created / took:6,.0f} lists/s (target >= 1,500); "
            f"{len(queries)} queries "
            f"+ {len(streams)} COPY; CPU portal {cpu:.2f} s + PostgreSQL {db_cpu:.2f} s = "
            f"{created / (cpu + db_cpu):,.0f} lists per CPU-second\n"
            f"    floor: json.loads {parse:.2f} s + COPY {copy:.2f} s = {parse + copy:.2f} s; API/floor "
            f"{took / (parse + copy):.1f}; body {len(body) / 2**20:.1f} MB; load {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        if number:
            took_all += took
            floor_all += parse + copy
    timed = args.requests * args.lists
    return timed / took_all, timed / floor_all


def concurrent_client(number: int, args, barrier, results) -> None:
    """One of the ``--clients`` processes: its own Django, connection and seller; a warm-up request, then
    ``--requests`` requests timed from the common start."""
    setup(args.database_url, migrate=False)
    from customs_bulk import backend_cpu
    from django.db import connection

    client = client_for(number + 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    first = 10_000_000 * (number + 1)
    bodies = [request_body(args.lists, args.lines, first + k * args.lists) for k in range(args.requests + 1)]
    response = client.post(URL, bodies[0], content_type="application/json")  # warm-up
    assert response.status_code == 201, response.content[:2000]
    barrier.wait()
    began, cpu, db_cpu = time.perf_counter(), time.process_time(), backend_cpu(backend)
    created = 0
    for body in bodies[1:]:
        response = client.post(URL, body, content_type="application/json")
        assert response.status_code == 201, response.content[:2000]
        created += response.json()["created"]
    ended, cpu, db_cpu = time.perf_counter(), time.process_time() - cpu, backend_cpu(backend) - db_cpu
    results.put((number, began, ended, created, cpu, db_cpu))


def concurrent(args, single: float, floor_rate: float) -> None:
    import multiprocessing

    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("spawn")  # a fresh interpreter each, as gunicorn's workers
    barrier, results = context.Barrier(args.clients), context.Queue()
    workers = [
        context.Process(target=concurrent_client, args=(number, args, barrier, results))
        for number in range(args.clients)
    ]
    for worker in workers:
        worker.start()
    done = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
        assert worker.exitcode == 0, worker.exitcode
    start, end = min(r[1] for r in done), max(r[2] for r in done)
    created = sum(r[3] for r in done)
    rate = created / (end - start)
    for number, began, ended, made, cpu, db_cpu in sorted(done):
        print(
            f"  client {number + 1}: {made:,} lists in {ended - began:.2f} s; CPU portal {cpu:.2f} s + "
            f"PostgreSQL {db_cpu:.2f} s"
        )
    cpu = sum(r[4] + r[5] for r in done)
    print(
        f"  CPU of the run: {cpu:.2f} s (portal + PostgreSQL) = {created / cpu:,.0f} lists per CPU-second; "
        f"a machine whose {os.cpu_count()} cores did nothing else could sustain at most "
        f"{created / cpu * os.cpu_count():,.0f} lists/s"
    )
    print(
        f"sustained, {args.clients} clients × {args.requests} requests of {args.lists:,} lists: {created:,} "
        f"lists in {end - start:.2f} s = {rate:,.0f} lists/s (target >= 1,500); single stream {single:,.0f} "
        f"lists/s; floor (json.loads + COPY, single stream) {floor_rate:,.0f} lists/s, API/floor "
        f"{floor_rate / rate:.1f}; load {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=3)
    parser.add_argument("--lines", type=int, default=1)
    parser.add_argument("--clients", type=int, default=2, help="processes sending at once (0: single stream)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_cu_api"),
    )
    args = parser.parse_args()
    setup(args.database_url)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE customs_inventoryitem, customs_inventorylist, exchange_message CASCADE")
    client = client_for(0)
    for number in range(1, args.clients + 1):
        client_for(number)  # the sellers exist before the clients start
    print(f"{args.lists:,} lists × {args.lines} line(s) per request; load average {os.getloadavg()[0]:.1f}")
    single, floor_rate = single_stream(args, client)
    print(
        f"single stream: {single:,.0f} lists/s; floor {floor_rate:,.0f} lists/s; API/floor "
        f"{floor_rate / single:.1f}",
        flush=True,
    )
    if args.clients > 0:
        concurrent(args, single, floor_rate)


if __name__ == "__main__":
    main()
