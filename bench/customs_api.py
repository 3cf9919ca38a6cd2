#!/usr/bin/env python
"""The batch API end to end: 10,000-list requests to ``POST /api/v1/customs/inventory-lists/batch/``.

Each request goes through the whole Django stack in-process (the test client: middleware, token
authentication, DRF parsing, the view, ``lists_create_bulk`` — checks, lists, lines, outbox messages, audit
events in one transaction with COPY — and the JSON answer). Side by side, the floor for the same work: the
same body through ``json.loads`` plus one COPY per table of exactly the rows the request wrote (captured from
the bulk path's own COPY streams) into empty tables with the same columns and indexes (``LIKE … INCLUDING
ALL``, in a transaction rolled back). The first request warms the caches and is reported apart.

    createdb -h 127.0.0.1 -U postgres bench_cu_api
    python bench/customs_api.py [--lists 10000] [--requests 3] [--lines 1]
        [--database-url postgres://postgres@127.0.0.1:5432/bench_cu_api]

Prints per request: wall seconds, lists/s (target >= 1,500/s), queries (Django + COPY), CPU seconds of this
process and of its PostgreSQL backend, and the ratio to json.loads + COPY. The host is shared: the load
average is printed with every line, and lists per CPU-second say more than the wall clock when it is high.
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


def setup(database_url: str):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="portal.settings", DATABASE_URL=database_url, DEBUG="true", LOG_LEVEL="WARNING"
    )
    from customs_bulk import ensure_database

    ensure_database(database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class CopyRecorder:
    """Wraps ``portal.bulk._copy``: counts the COPY statements and keeps each one's CSV text and columns."""

    def __init__(self):
        import portal.bulk

        self.module, self.original, self.streams = portal.bulk, portal.bulk._copy, []
        portal.bulk._copy = self

    def __call__(self, model, fields, values):
        self.original(model, fields, values)  # values now hold the JSON columns as text
        buffer = io.StringIO()
        import csv

        writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
        for row in values:
            writer.writerow([self.module.NULL if v is None else v for v in row])
        self.streams.append((model._meta.db_table, [f.column for f in fields], buffer.getvalue()))

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=3)
    parser.add_argument("--lines", type=int, default=1)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_cu_api"),
    )
    args = parser.parse_args()
    setup(args.database_url)
    from customs_bulk import backend_cpu, seller
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from portal.services.tokens import token_create

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE customs_inventoryitem, customs_inventorylist, exchange_message CASCADE")
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    _, user = seller()
    user.groups.add(Group.objects.get(name="enterprise_admin"))  # only enterprise users file
    _, raw = token_create(user=user, name="bench")
    client = APIClient(HTTP_AUTHORIZATION=f"Token {raw}", HTTP_HOST="localhost")
    recorder = CopyRecorder()
    print(f"{args.lists:,} lists × {args.lines} line(s) per request; load average {os.getloadavg()[0]:.1f}")
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


if __name__ == "__main__":
    main()
