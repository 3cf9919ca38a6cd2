#!/usr/bin/env python
"""Monthly summary over 1,000,000 closed lists (issue 11, "Speed"): the portal's grouping against the raw
``SELECT … GROUP BY`` of the same keys, on PostgreSQL, ratio printed.

Creates (and migrates) a database of its own, one seller in good standing, and COPYs ``--lists`` inventory
lists closed in February 2025 with statisticsFlag B (``--lines`` goods lines each; a few hundred HS codes,
ten destinations, two transport modes, three exit ports, five producers) through ``portal.bulk.insert_rows``
(COPY on PostgreSQL), then ANALYZEs. It measures, best of ``--repeat`` runs, alternating:

* ``summary_groups(preview)``: the two ``values().annotate()`` queries over the waiting lists (items by header
  and item keys, lists by header keys) and the fold into declarations split at 50 items, against the same
  two statements written by hand and run through the cursor (``fetchall``): the target ratio is ≤ 1.3;
* ``summary_preview`` end to end (parties, totals, the grouping, audit), first and again (idempotent);
* with ``--submit``, ``summary_submit``: the reservation ``UPDATE … WHERE summary_id IS NULL`` of every list
  and the CEB701 with one row per list;
* with ``--reserve``, the submission's reservation as one ``UPDATE`` against the ten id slices it runs as
  since the jobs report counts (``customs.services.summaries._reserve``), alternating, each in a transaction
  rolled back, on the same waiting lists;
* with ``--jobs``, the worker jobs (``customs.services.summary_jobs``): what the request pays to start a
  preview (and with ``--submit`` a submission), and the worker's run against the service called directly
  (the task is not published: the job is run here, as the worker would).

    python bench/customs_summary.py [--lists 1000000] [--lines 1] [--repeat 3]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_cu_summary
"""

import argparse
import os
import sys
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from customs_bulk import seller  # noqa: E402
from local_processes import ensure_database  # noqa: E402

SHANGHAI = ZoneInfo("Asia/Shanghai")
CHUNK = 100_000
HS = [f"{6100000000 + 137 * n:010d}" for n in range(300)]
COUNTRIES = ["502", "303", "304", "305", "116", "133", "132", "142", "601", "110"]

WAITING = """
WHERE l.owner_id = %s AND l.status = 'CLOSED' AND l.statistics_flag = 'B'
  AND l.closed_at >= %s AND l.closed_at < %s AND l.summary_id IS NULL
"""
ITEM_SQL = (
    """
SELECT l.ebc_code, l.traf_mode, l.country, l.port_code, l.owner_code,
       i.country, i.gcode, i.currency, i.unit1, i.unit2, i.item_name,
       SUM(i.qty1), SUM(i.qty2), SUM(i.total_price), COUNT(i.id), MAX(i.gname)
FROM customs_inventoryitem i JOIN customs_inventorylist l ON l.id = i.inventory_id"""
    + WAITING
    + "GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11"
)
HEADER_SQL = (
    """
SELECT l.ebc_code, l.traf_mode, l.country, l.port_code, l.owner_code,
       COUNT(l.id), SUM(l.gross_weight), SUM(l.net_weight), SUM(l.pack_no), SUM(l.total_value)
FROM customs_inventorylist l"""
    + WAITING
    + "GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5"
)


def list_rows(org, ids: list[int], start: int) -> list[dict]:
    from django.utils import timezone

    now = timezone.now()
    out = []
    for k, pk in enumerate(ids):
        n = start + k
        out.append(
            {
                "id": pk, "owner_id": org.pk, "filer_id": org.pk, "status": "CLOSED",
                "status_changed_at": now,
                "cop_no": f"S{n:09d}", "invt_no": f"29012025E{n:09d}", "order_no": f"SO{n:09d}",
                "ebp_code": "3301960002", "ebp_name": "平台", "ebc_code": "3301960001", "ebc_name": "卖家",
                "logistics_code": "3301980003", "logistics_name": "物流", "logistics_no": f"W{n:09d}",
                "agent_code": "3301960001", "agent_name": "卖家",
                "owner_code": f"330196000{n % 5 + 1}", "owner_name": "生产商",
                "customs_code": "2901", "port_code": ("2901", "2921", "3100")[n % 3],
                "ie_date": date(2025, 2, 1 + n % 28), "traf_mode": "5" if n % 4 else "4",
                "country": COUNTRIES[n % 10], "pod": "USLAX", "f_currency": "142", "i_currency": "142",
                "wrap_type": "2", "pack_no": 1, "gross_weight": Decimal("1.2"), "net_weight": Decimal("1.0"),
                "statistics_flag": "B", "total_value": Decimal("60.00"), "currency": "142", "line_count": 1,
                "closed_at": datetime(2025, 2, 1 + n % 28, 10, n % 60, tzinfo=SHANGHAI),
                "created_at": now, "updated_at": now,
            }
        )  # fmt: skip
    return out


def item_rows(ids: list[int], start: int, lines: int) -> list[dict]:
    out = []
    for k, pk in enumerate(ids):
        n = start + k
        for g in range(1, lines + 1):
            out.append(
                {
                    "inventory_id": pk, "gnum": g, "item_no": f"SKU{g}", "item_name": "商品",
                    "gcode": HS[(n * 7 + g) % len(HS)], "gname": "商品", "gmodel": "规格",
                    "country": COUNTRIES[(n + g) % 10], "currency": "142", "qty": Decimal("2"), "unit": "007",
                    "qty1": Decimal("2"), "unit1": "007", "qty2": None, "unit2": "", "price": Decimal("30"),
                    "total_price": Decimal("60.00"),
                }
            )  # fmt: skip
    return out


def load(org, count: int, lines: int) -> float:
    from django.db import connection, transaction

    from customs.models import InventoryItem, InventoryList
    from portal.bulk import insert_rows, reserve_ids

    began = time.perf_counter()
    for start in range(0, count, CHUNK):
        n = min(CHUNK, count - start)
        with transaction.atomic():
            ids = reserve_ids(InventoryList, n)
            insert_rows(InventoryList, list_rows(org, ids, start))
            insert_rows(InventoryItem, item_rows(ids, start, lines))
        print(f"  loaded {start + n:,} lists", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE customs_inventorylist")
        cursor.execute("ANALYZE customs_inventoryitem")
    return time.perf_counter() - began


def timed(fn) -> float:
    began = time.perf_counter()
    fn()
    return time.perf_counter() - began


def raw_groups(params: list) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(ITEM_SQL, params)
        cursor.fetchall()
        cursor.execute(HEADER_SQL, params)
        cursor.fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=int, default=1_000_000)
    parser.add_argument("--lines", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="reuse the lists already loaded")
    parser.add_argument(
        "--submit", action="store_true", help="also time the submission (reservation, CEB701)"
    )
    parser.add_argument("--jobs", action="store_true", help="also time the worker jobs (start and run)")
    parser.add_argument(
        "--reserve", action="store_true", help="time the reservation: one UPDATE vs the ten id slices"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_cu_summary"),
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
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.DEBUG = False  # DEBUG=true only to build the settings: no query log on either side
    from customs.models import InventoryList, SummaryDeclaration
    from customs.selectors.summaries import month_bounds, summary_groups
    from customs.services.summaries import summary_preview, summary_submit

    call_command("migrate", verbosity=0)
    org, user = seller()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE customs_inventorylist SET summary_id = NULL WHERE summary_id IS NOT NULL")
        cursor.execute("DELETE FROM customs_summaryjob")
        cursor.execute("DELETE FROM customs_summarydeclaration")
        cursor.execute("DELETE FROM exchange_message WHERE message_type = 'CEB701Message'")
        if not args.keep:
            cursor.execute("TRUNCATE customs_inventoryitem, customs_inventorylist CASCADE")
    if not args.keep:
        print(f"COPY {args.lists:,} lists × {args.lines} lines: {load(org, args.lists, args.lines):.1f} s")
    count = InventoryList.objects.filter(owner=org).count()
    feb = date(2025, 2, 1)
    today = date(2025, 3, 3)
    first = timed(lambda: summary_preview(consignor=org, month=feb, by=user, today=today))
    summary = SummaryDeclaration.objects.get(owner=org, status="PREVIEW")
    again = timed(lambda: summary_preview(consignor=org, month=feb, by=user, today=today))
    start, end = month_bounds(feb)
    orm, raw = [], []
    for run in range(args.repeat):  # alternating which goes first, so neither always finds the cache warm
        pair = [
            (orm, lambda: summary_groups(summary)),
            (raw, lambda: raw_groups([org.pk, start, end])),
        ]
        for times, fn in pair if run % 2 == 0 else reversed(pair):
            times.append(timed(fn))
    groups = summary_groups(summary)
    items = sum(len(g.items) for g in groups)
    print(
        f"{count:,} lists; summary: {summary.list_count:,} lists, {len(groups)} header groups, "
        f"{items:,} items, {summary.declaration_count} declarations (limit {summary.item_limit})"
    )
    print(
        f"summary_groups (ORM, 2 GROUP BY + fold): best {min(orm):.3f} s  runs {[round(t, 3) for t in orm]}"
    )
    print(
        f"raw SELECT … GROUP BY (same 2 statements): best {min(raw):.3f} s  runs {[round(t, 3) for t in raw]}"
    )
    print(f"ratio summary_groups / raw = {min(orm) / min(raw):.2f}  (target ≤ 1.3)")
    print(
        f"summary_preview end to end (parties, totals, grouping, audit): first {first:.2f} s, again "
        f"{again:.2f} s; ratio to raw = {first / min(raw):.2f} / {again / min(raw):.2f}"
    )
    if args.reserve:
        time_reserve(summary, args.repeat)
    if args.jobs:
        time_jobs(org, user, feb, submit=args.submit)
    elif args.submit:
        sent = timed(lambda: summary_submit(summary=summary, by=user))
        print(f"summary_submit (reserve every list with one UPDATE, CEB701 of {count:,} rows): {sent:.2f} s")


def time_reserve(summary, repeat: int) -> None:
    """One UPDATE of every waiting list against ``_reserve``'s slices; each run rolled back."""
    from django.db import transaction

    from customs.selectors.summaries import eligible_lists
    from customs.services.summaries import RESERVE_SLICES, _reserve

    def rolled_back(fn):
        def run():
            with transaction.atomic():
                count = fn()
                transaction.set_rollback(True)
            assert count == summary.list_count, (count, summary.list_count)

        return run

    def one():
        return (
            eligible_lists(summary.owner, summary.period).filter(summary__isnull=True).update(summary=summary)
        )

    single, sliced = [], []
    for run in range(repeat):
        pair = [(single, rolled_back(one)), (sliced, rolled_back(lambda: _reserve(summary, None)))]
        for times, fn in pair if run % 2 == 0 else reversed(pair):
            times.append(timed(fn))
    print(f"load average {os.getloadavg()}")
    print(f"reserve, one UPDATE: best {min(single):.2f} s  runs {[round(t, 2) for t in single]}")
    print(
        f"reserve, {RESERVE_SLICES} slices + MIN/MAX: best {min(sliced):.2f} s  runs "
        f"{[round(t, 2) for t in sliced]}; ratio {min(sliced) / min(single):.2f}"
    )


def time_jobs(org, user, month, *, submit: bool) -> None:
    """Start each job as the request does and run it as the worker does; the task is not published."""
    from customs.models import SummaryDeclaration
    from customs.services import summary_jobs

    summary_jobs.enqueue = lambda job_id: None  # the bench is the worker
    jobs = []
    start = timed(
        lambda: jobs.append(summary_jobs.summary_preview_start(consignor=org, month=month, by=user))
    )
    run = timed(lambda: summary_jobs.summary_job_run(job_id=jobs[-1].pk))
    print(f"preview job: start (the request) {start * 1000:.0f} ms, run (the worker) {run:.2f} s")
    if submit:
        summary = SummaryDeclaration.objects.get(owner=org, status="PREVIEW")
        start = timed(lambda: jobs.append(summary_jobs.summary_submit_start(summary=summary, by=user)))
        run = timed(lambda: summary_jobs.summary_job_run(job_id=jobs[-1].pk))
        print(f"submit job: start (the request) {start * 1000:.0f} ms, run (the worker) {run:.2f} s")
    for job in jobs:
        job.refresh_from_db()
    print("jobs:", [(job.action, job.status, job.message) for job in jobs])


if __name__ == "__main__":
    main()
