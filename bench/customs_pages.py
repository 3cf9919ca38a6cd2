#!/usr/bin/env python
"""The customs list pages with a large table: response times (p50/p95) and queries per page.

Creates (and migrates) a database of its own, one large seller, one small seller and an officer, and fills
``customs_inventorylist`` to ``--lists`` rows with one ``INSERT … SELECT generate_series`` copied from a list
made through the services (statuses cycled, one row in 50 the small seller's). Then it asks each page
``--repeat`` times through Django's test client (the whole view: middleware, scoping, template), and the
list API (``/api/v1/customs/inventory-lists/``: first page, ``after=``, filters, 500 rows, an officer):

    python bench/customs_pages.py [--lists 2000000] [--repeat 30]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_cu_pages

Each line: wall-clock p50/p95 of the page and of its SQL, CPU per request of this process and of its
PostgreSQL backend, queries, rows, load average (on a shared machine compare the CPU; ADR 0030).
``--only large,API`` measures the labels holding one of those words. The rows are kept between runs
(``--lists`` tops the table up); ``--fresh`` empties it first."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

STATUSES = (
    "DRAFT",
    "DECLARED",
    "ENTERED",
    "REVIEW",
    "CONCLUDED",
    "INSPECTION",
    "RELEASED",
    "CLOSED",
    "REJECTED",
    "CANCELLED",
)


def organisation(code: str, name: str, customs_code: str):
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from portal.identifiers import make_uscc
    from portal.models import Organisation, User
    from registration.models import EntityFiling

    org, _ = Organisation.objects.get_or_create(
        code=make_uscc("91", "330100", code),
        defaults={"kind": "ENTERPRISE", "name_cn": name, "division_code": "330100"},
    )
    if not EntityFiling.objects.filter(owner=org, status="ACTIVE").exists():
        EntityFiling.objects.create(
            owner=org, entity_type="APPLICATION", subtype="ENTERPRISE", status="ACTIVE",
            filing_no=f"ZJ{code}", name_cn=name, uscc=org.code, customs_code=customs_code,
            dxp_id=f"DXP{code}", activated_at=timezone.now(),
        )  # fmt: skip
    user, _ = User.objects.get_or_create(username=f"bench-{code}", defaults={"organisation": org})
    user.groups.add(*Group.objects.filter(name="enterprise_admin"))
    return org, user


def officer_user():
    from django.contrib.auth.models import Group

    from portal.models import Organisation, User

    org, _ = Organisation.objects.get_or_create(
        code="BENCH-CUSTOMS", defaults={"kind": "CUSTOMS", "name_cn": "基准海关", "division_code": "330100"}
    )
    user, _ = User.objects.get_or_create(username="bench-customs-officer", defaults={"organisation": org})
    user.groups.add(*Group.objects.filter(name="customs_officer"))
    return user


def fill(total: int, big, big_user, small) -> None:
    """Top the table up to ``total`` rows, copying one real list (statuses cycled)."""
    from django.db import connection

    from customs import services
    from customs.models import InventoryList
    from tests.customs.builders import item, list_head

    template = InventoryList.objects.filter(owner=big).first()
    if template is None:
        head = list_head(ebc_code="", agent_code="", owner_code="")
        template = services.list_create(owner=big, by=big_user, head=head, items=[item()])
    have = InventoryList.objects.count()
    if have >= total:
        return
    columns = [f.column for f in InventoryList._meta.concrete_fields if f.column != "id"]
    varying = {
        "cop_no": "'P' || g",
        "order_no": "'PO' || g",
        "logistics_no": "'PW' || g",
        "invt_no": "'2901' || lpad(g::text, 14, '0')",
        "status": f"(ARRAY{list(STATUSES)})[1 + g %% {len(STATUSES)}]",
        "owner_id": f"CASE WHEN g %% 50 = 0 THEN {small.pk} ELSE {big.pk} END",
        "filer_id": f"CASE WHEN g %% 50 = 0 THEN {small.pk} ELSE {big.pk} END",
    }
    select = ", ".join(varying.get(c, f't."{c}"') for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    began = time.perf_counter()
    with connection.cursor() as cursor:
        step = 500_000
        for start in range(have, total, step):
            stop = min(total, start + step)
            cursor.execute(
                f"INSERT INTO customs_inventorylist ({names}) SELECT {select} "  # noqa: S608 - our own columns
                f"FROM customs_inventorylist t, generate_series(%s, %s) g WHERE t.id = %s",
                [start + 1, stop, template.pk],
            )
        cursor.execute("VACUUM ANALYZE customs_inventorylist")  # the visibility map: index-only scans
    print(f"filled {have:,} → {total:,} lists (then VACUUM ANALYZE) in {time.perf_counter() - began:.0f} s")


def measure(client, label: str, url: str, repeat: int, backend: int) -> None:
    """``repeat`` requests of ``url``: wall-clock p50/p95 of the whole view, of its SQL, and the CPU
    per request of this process (Python: middleware, view, template or serializer) and of the PostgreSQL
    backend."""
    from customs_bulk import backend_cpu
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm
    times, sql = [], []
    cpu, db_cpu = time.process_time(), backend_cpu(backend)
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - began) * 1000)
        sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    cpu = (time.process_time() - cpu) * 1000 / repeat
    db_cpu = (backend_cpu(backend) - db_cpu) * 1000 / repeat
    if response["Content-Type"].startswith("application/json"):
        rows = len(response.json()["results"])
    else:
        rows = response.content.decode().count("<tr data-id=")
    print(
        f"{label:<40} page p50 {statistics.median(times):6.1f} p95 {p95_of(times):6.1f} ms · "
        f"SQL p50 {statistics.median(sql):6.1f} p95 {p95_of(sql):6.1f} ms · "
        f"CPU/request {cpu:5.1f} ms + PG {db_cpu:5.1f} ms · {len(queries)} queries, {rows} rows · "
        f"load {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def p95_of(values) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated parts of the labels to measure")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_cu_pages"),
    )
    args = parser.parse_args()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DATABASE_URL=args.database_url,
        DEBUG="true",
        LOG_LEVEL="WARNING",
    )
    from local_processes import ensure_database

    ensure_database(args.database_url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from customs.models import InventoryList

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    if args.fresh:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE customs_inventoryitem, customs_inventorylist, exchange_message CASCADE")
    big, big_user = organisation("PAGEBG01", "基准大卖家", "3301960011")
    small, small_user = organisation("PAGEML01", "基准小卖家", "3301960012")
    fill(args.lists, big, big_user, small)
    officer = officer_user()
    middle = (
        InventoryList.objects.filter(owner=big).order_by("-id").values_list("id", flat=True)[args.lists // 2]
    )
    print(
        f"{InventoryList.objects.count():,} lists; large seller ~98 %, small seller ~2 %; "
        f"{args.repeat} requests each; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    api = "/api/v1/customs/inventory-lists/"
    pages = (
        ("large seller: first page", big_user, "/customs/lists/"),
        ("large seller: page in the middle", big_user, f"/customs/lists/?after={middle}"),
        ("large seller: status REJECTED", big_user, "/customs/lists/?status=REJECTED"),
        ("large seller: order number", big_user, "/customs/lists/?number=PO1000001"),
        ("small seller: first page", small_user, "/customs/lists/"),
        ("small seller: status DRAFT", small_user, "/customs/lists/?status=DRAFT"),
        ("officer: all lists", officer, "/customs/officer/lists/"),
        ("officer: status INSPECTION", officer, "/customs/officer/lists/?status=INSPECTION"),
        ("API large seller: first page", big_user, api),
        ("API large seller: page in the middle", big_user, f"{api}?after={middle}"),
        ("API large seller: status REJECTED", big_user, f"{api}?status=REJECTED"),
        ("API large seller: order_no", big_user, f"{api}?order_no=PO1000001"),
        ("API small seller: first page", small_user, api),
        ("API small seller: status DRAFT, 500", small_user, f"{api}?status=DRAFT&page_size=500"),
        ("API officer: all lists", officer, api),
        ("API officer: status INSPECTION", officer, f"{api}?status=INSPECTION"),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    only = [o.strip() for o in args.only.split(",") if o.strip()]
    for label, user, url in pages:
        if only and not any(o in label for o in only):
            continue
        client = Client()
        client.force_login(user)
        measure(client, label, url, args.repeat, backend)


if __name__ == "__main__":
    main()
