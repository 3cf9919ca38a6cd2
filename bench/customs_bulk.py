#!/usr/bin/env python
"""Issue 11's persist target: 100,000 lists with lines and outbox rows, ratio to a COPY of the same rows.

Creates (and migrates) a database of its own, one seller in good standing, then persists ``--lists`` inventory
lists (``--lines`` goods lines each) in batches of ``--batch`` through ``lists_create_bulk`` with
``submit=True`` — field checks, V1–V14, the batch's duplicate and order checks, C1–C7, CEB603 payloads,
outbox messages, lists, lines, audit events, one transaction (and commit) per batch — into the real tables
with all their indexes, constraints and foreign keys. Every COPY stream the bulk path sends is kept, and after
each batch the same rows are COPYed, one statement per table, into two sets of tables, each one
transaction and commit per batch, ordinary logged tables growing as the real ones do, dropped at the end:
``floor_*``, made ``LIKE … INCLUDING ALL`` (columns, defaults, indexes, constraints; no foreign keys), and
``replica_*``, the same plus every foreign key of the real table as it is declared (what a COPY of the same
rows into the real tables costs). A warm-up batch (caches, code lists, content types) runs first, apart.

    createdb -h 127.0.0.1 -U postgres bench_cu_bulk
    python bench/customs_bulk.py [--lists 100000] [--batch 10000] [--lines 1]
        [--database-url postgres://postgres@127.0.0.1:5432/bench_cu_bulk]

Prints per batch the wall and CPU seconds (this process and its PostgreSQL backend, read from /proc: the
database must run on this host), then issue 11's ratios (target <= 1.5) against each floor: persist
including the checks / COPY, and persist excluding the checks / COPY, with the checks' share of persist.
The host is shared: the load average is printed, and the CPU ratio (portal + PostgreSQL CPU over the
COPY's) is steadier than the wall clock when it is high."""

import argparse
import io
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from local_processes import ensure_database  # noqa: E402


def seller(number: int = 0):
    """Bench seller ``number`` (0: the one every bench shares) in good standing, and its user."""
    from django.utils import timezone

    from portal.identifiers import make_uscc
    from portal.models import Organisation, User
    from registration.models import EntityFiling

    org, _ = Organisation.objects.get_or_create(
        code=make_uscc("91", "330100", f"BENCH{number + 1:03d}"),
        defaults={"kind": "ENTERPRISE", "name_cn": f"基准测试卖家{number or ''}", "division_code": "330100"},
    )
    customs_code = "3301960001" if number == 0 else f"3301961{number:03d}"
    if not EntityFiling.objects.filter(owner=org, status="ACTIVE").exists():
        EntityFiling.objects.create(
            owner=org, entity_type="APPLICATION", subtype="ENTERPRISE", status="ACTIVE",
            filing_no=f"ZJBENCH{number + 1:03d}", name_cn=org.name_cn, uscc=org.code,
            customs_code=customs_code, dxp_id=f"DXPENT{number + 1:010d}", activated_at=timezone.now(),
        )  # fmt: skip
    name = "bench-seller" if number == 0 else f"bench-seller-{number}"
    user, _ = User.objects.get_or_create(username=name, defaults={"organisation": org})
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


class Timed:
    """Wraps a function of ``customs.services.bulk`` and adds up its wall and CPU seconds."""

    def __init__(self, module, name: str):
        self.module, self.name, self.original = module, name, getattr(module, name)
        self.wall = self.cpu = 0.0
        setattr(module, name, self)

    def __call__(self, *args, **kwargs):
        began, cpu = time.perf_counter(), time.process_time()
        try:
            return self.original(*args, **kwargs)
        finally:
            self.wall += time.perf_counter() - began
            self.cpu += time.process_time() - cpu

    def take(self) -> tuple[float, float]:
        wall, cpu, self.wall, self.cpu = self.wall, self.cpu, 0.0, 0.0
        return wall, cpu


class Streams:
    """Keeps the CSV text of every COPY the bulk path sends (``portal.bulk.copy_csv``)."""

    def __init__(self):
        import portal.bulk

        self.original, self.kept = portal.bulk.copy_csv, []
        portal.bulk.copy_csv = self

    def __call__(self, table, columns, text):
        self.original(table, columns, text)
        self.kept.append((table, columns, text))

    def take(self) -> list:
        kept, self.kept = self.kept, []
        return kept


def by_table(streams: list) -> list:
    """The streams of each table as one (in the order the tables were first written): the floor is one
    COPY per table, whatever chunks the bulk path cut its rows into."""
    merged: dict = {}
    for table, columns, text in streams:
        if table in merged and merged[table][0] != columns:
            raise ValueError(f"two column lists for {table}")
        merged.setdefault(table, (columns, []))[1].append(text)
    return [(table, columns, "".join(texts)) for table, (columns, texts) in merged.items()]


def copy_floor(streams: list, backend: int, prefix: str) -> tuple[float, float]:
    """Wall and backend-CPU seconds of COPYing ``streams`` into the ``<prefix>*`` tables in one
    transaction, its commit included (as persist's)."""
    from django.db import connection, transaction

    began, db_cpu = time.perf_counter(), backend_cpu(backend)
    with transaction.atomic(), connection.cursor() as cursor:
        for table, columns, text in streams:
            names = ", ".join(f'"{c}"' for c in columns)
            cursor.cursor.copy_expert(
                f'COPY "{prefix}{table}" ({names}) FROM STDIN WITH (FORMAT csv)', io.StringIO(text)
            )
    return time.perf_counter() - began, backend_cpu(backend) - db_cpu


def make_floors() -> None:
    """``floor_*``: ``LIKE … INCLUDING ALL`` (columns, defaults, indexes, checks, no foreign keys);
    ``replica_*``: the same plus every foreign key of the real table, declared as it is (deferred, checked
    at commit), pointing at the replica where the real one points at one of these tables."""
    from django.db import connection

    with connection.cursor() as cursor:
        for prefix in ("floor_", "replica_"):
            for table in FLOOR_TABLES:
                cursor.execute(f'CREATE TABLE "{prefix}{table}" (LIKE "{table}" INCLUDING ALL)')
        for table in FLOOR_TABLES:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                [table],
            )
            for number, (_name, definition) in enumerate(cursor.fetchall()):
                for other in FLOOR_TABLES:
                    definition = definition.replace(f"REFERENCES {other}(", f"REFERENCES replica_{other}(")
                cursor.execute(
                    f'ALTER TABLE "replica_{table}" ADD CONSTRAINT "replica_{table}_fk{number}" {definition}'
                )


def drop_floors() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for prefix in ("floor_", "replica_"):
            for table in FLOOR_TABLES:
                cursor.execute(f'DROP TABLE IF EXISTS "{prefix}{table}" CASCADE')


CHECKS = ("clean_lists", "_batch_lookups", "_duplicates", "fetch_documents", "match_fetched")
FLOOR_TABLES = ("customs_inventorylist", "customs_inventoryitem", "exchange_message", "portal_auditevent")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=1)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_cu_bulk"),
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

    import customs.services.bulk as bulk

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(  # the bench's own database: every run starts from empty tables, as its floors do
            "TRUNCATE customs_inventoryitem, customs_inventorylist, exchange_message, portal_auditevent "
            "CASCADE"
        )
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    drop_floors()
    make_floors()
    org, user = seller()
    checks = [Timed(bulk, name) for name in CHECKS]
    streams = Streams()
    print(
        f"{args.lists:,} lists × {args.lines} line(s) in batches of {args.batch:,} through lists_create_bulk "
        f"(submit) vs COPY of the same rows; load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    names = ("wall", "cpu", "db", "checks", "checks_cpu", "floor", "floor_db", "replica", "replica_db")
    totals = dict.fromkeys(names, 0.0)
    created = 0
    for number, start in enumerate(range(-args.batch, args.lists, args.batch)):
        data = rows(min(args.batch, args.lists - max(start, 0)), args.lines, start + args.batch)
        began, cpu, db_cpu = time.perf_counter(), time.process_time(), backend_cpu(backend)
        result = bulk.lists_create_bulk(
            owner=org, filer=org, by=user, rows=data, submit=True, max_rows=bulk.MAX_IMPORT_ROWS
        )
        took, cpu, db_cpu = (
            time.perf_counter() - began,
            time.process_time() - cpu,
            backend_cpu(backend) - db_cpu,
        )
        assert result.created == len(data), result.created
        check_wall, check_cpu = (sum(x) for x in zip(*(c.take() for c in checks), strict=True))
        kept = by_table(streams.take())
        floor, floor_db = copy_floor(kept, backend, "floor_")
        replica, replica_db = copy_floor(kept, backend, "replica_")
        label = "warm-up" if number == 0 else f"batch {number}"
        print(
            f"{label}: {took:5.2f} s ({result.created / took:,.0f} lists/s), checks {check_wall:.2f} s; CPU "
            f"portal {cpu:.2f} s + PostgreSQL {db_cpu:.2f} s; COPY of its {len(kept)} tables {floor:.2f} s "
            f"(PostgreSQL {floor_db:.2f} s), with foreign keys {replica:.2f} s ({replica_db:.2f} s); "
            f"load {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        if number == 0:
            continue
        created += result.created
        for name, value in zip(
            totals,
            (took, cpu, db_cpu, check_wall, check_cpu, floor, floor_db, replica, replica_db),
            strict=True,
        ):
            totals[name] += value
    report(totals, created)
    drop_floors()


def report(totals: dict, created: int) -> None:
    wall, checks = totals["wall"], totals["checks"]
    work = totals["cpu"] + totals["db"]
    print(
        f"persist {created:,} lists: {wall:.2f} s = {created / wall:,.0f} lists/s\n"
        f"  checks (field checks, V1–V14, duplicates and orders, C1–C7): {checks:.2f} s "
        f"= {100 * checks / wall:.0f} % of persist\n"
        f"  CPU: persist {totals['cpu']:.2f} s portal + {totals['db']:.2f} s PostgreSQL "
        f"(checks {totals['checks_cpu']:.2f} s)"
    )
    for label, key in (
        ("COPY into the tables' replicas with their foreign keys", "replica"),
        ("COPY into LIKE … INCLUDING ALL tables (no foreign keys)", "floor"),
    ):
        floor, floor_work = totals[key], totals[f"{key}_db"]
        print(
            f"  {label}: {floor:.2f} s, PostgreSQL CPU {floor_work:.2f} s\n"
            f"    ratio persist / COPY (target <= 1.5): including the checks {wall / floor:.2f}, excluding "
            f"them {(wall - checks) / floor:.2f}; CPU ratio {work / floor_work:.2f} and "
            f"{(work - totals['checks_cpu']) / floor_work:.2f}"
        )
    print(f"  load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
