#!/usr/bin/env python
"""Quick measure of the customs bulk path (``lists_create_bulk``): lists per second and statements per batch.

Creates (and migrates) a database of its own, one seller in good standing, then sends ``--batches`` batches
of ``--lists`` inventory lists (``--lines`` goods lines each) through ``lists_create_bulk`` with
``submit=True``: checks, lists, lines, outbox messages and audit events in one transaction per batch. The
first batch warms the caches (code lists, content types) and is reported apart.

    python bench/customs_bulk.py [--lists 10000] [--batches 3] [--lines 1]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_customs

Prints, per batch: seconds, lists/s, queries through Django's cursor and COPY statements, and the CPU
seconds of this process and of its PostgreSQL backend (read from /proc: PostgreSQL must run on this host) —
on a shared, loaded host the CPU figures say more than the wall clock. The full benchmark of issue 11 (ratios
to COPY, the API end to end) is a separate script."""

import argparse
import os
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def ensure_database(url: str) -> None:
    import psycopg2

    parsed = urlparse(url)
    conn = psycopg2.connect(urlunparse(parsed._replace(path="/postgres")))
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [parsed.path.lstrip("/")])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{parsed.path.lstrip("/")}"')
    conn.close()


def seller():
    from django.utils import timezone

    from portal.identifiers import make_uscc
    from portal.models import Organisation, User
    from registration.models import EntityFiling

    org, _ = Organisation.objects.get_or_create(
        code=make_uscc("91", "330100", "BENCH001"),
        defaults={"kind": "ENTERPRISE", "name_cn": "基准测试卖家", "division_code": "330100"},
    )
    if not EntityFiling.objects.filter(owner=org, status="ACTIVE").exists():
        EntityFiling.objects.create(
            owner=org, entity_type="APPLICATION", subtype="ENTERPRISE", status="ACTIVE",
            filing_no="ZJBENCH001", name_cn=org.name_cn, uscc=org.code, customs_code="3301960001",
            dxp_id="DXPENT0000000001", activated_at=timezone.now(),
        )  # fmt: skip
    user, _ = User.objects.get_or_create(username="bench-seller", defaults={"organisation": org})
    return org, user


def backend_cpu(pid: int) -> float:
    """CPU seconds of the PostgreSQL backend serving us (same host: /proc), or NaN."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def rows(n: int, lines: int, start: int) -> list[dict]:
    from tests.customs.builders import item, list_row

    out = []
    for i in range(start, start + n):
        goods = [item(item_no=f"SKU-{k}") for k in range(lines)]
        out.append(
            list_row(items=goods, cop_no=f"B{i:09d}", order_no=f"BO{i:09d}", logistics_no=f"BW{i:09d}")
        )
    for row in out:  # Decimal arithmetic: 1.2 * 3 in floats is 3.5999999999999996, refused (5 places at most)
        row["gross_weight"] = str(Decimal("1.2") * lines)
        row["net_weight"] = str(Decimal("1.0") * lines)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=int, default=10_000)
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--lines", type=int, default=1)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_customs"),
    )
    args = parser.parse_args()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DATABASE_URL=args.database_url,
        DEBUG="true",
        LOG_LEVEL="WARNING",
    )
    ensure_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import portal.bulk
    from customs.services import lists_create_bulk

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE customs_inventoryitem, customs_inventorylist, exchange_message CASCADE")
    org, user = seller()
    copies = {"n": 0}
    original = portal.bulk._copy

    def counted(*a, **kw):
        copies["n"] += 1
        return original(*a, **kw)

    portal.bulk._copy = counted
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    start = 0
    for batch in range(args.batches + 1):
        data = rows(args.lists, args.lines, start)
        start += args.lists
        copies["n"] = 0
        with CaptureQueriesContext(connection) as queries:
            began, cpu, db_cpu = time.perf_counter(), time.process_time(), backend_cpu(backend)
            result = lists_create_bulk(
                owner=org, filer=org, by=user, rows=data, submit=True, max_rows=100_000
            )
            took, cpu = time.perf_counter() - began, time.process_time() - cpu
            db_cpu = backend_cpu(backend) - db_cpu
        label = "warm-up" if batch == 0 else f"batch {batch}"
        rate = result.created / took
        print(
            f"{label}: {result.created} lists × {args.lines} lines in {took:.2f} s = {rate:,.0f} lists/s; "
            f"{len(queries)} queries + {copies['n']} COPY statements; CPU: Python {cpu:.2f} s, PostgreSQL "
            f"{db_cpu:.2f} s → {result.created / (cpu + db_cpu):,.0f} lists per CPU-second; "
            f"load {os.getloadavg()[0]:.1f}"
        )


if __name__ == "__main__":
    main()
