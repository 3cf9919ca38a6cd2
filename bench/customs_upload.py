#!/usr/bin/env python
"""An inventory-list upload end to end: POST the workbook → validated → persisted → job done.

``POST /api/v1/customs/imports/`` (multipart, through the whole Django stack in-process), then the import
job run as the worker runs it (``portal.intake.services.job_run``: safe open, calamine, header mapping, cell
conversion, the customs importer, ``lists_create_bulk`` with every check, COPY of lists, lines, outbox
messages and audit events, the job's status). Side by side, the floor: python-calamine reading the same
file, plus one COPY per table of exactly the rows the import wrote (captured from the bulk path's own COPY
streams) into empty tables with the same columns and indexes (in a transaction rolled back). The SQL
statements of the whole upload are counted at two sizes, printed side by side: they do not grow with the
rows. Besides wall-clock seconds, CPU seconds (this process + its PostgreSQL backend, from /proc) are
printed for the upload and for the floor: on a shared host the CPU ratio is the steadier one.

    createdb -h 127.0.0.1 -U postgres bench_cu_upload
    python bench/customs_upload.py [--rows 50000] [--small 1000]
        [--database-url postgres://postgres@127.0.0.1:5432/bench_cu_upload]

The workbook (one line per list) is generated once under var/bench/. Target: end to end / (calamine +
COPY) <= 4. The host is shared: the load average is printed.
"""

import argparse
import io
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def generate(path: Path, rows: int, start: int) -> None:
    from openpyxl import Workbook

    from tests.customs.imports_kit import HEADERS, list_rows

    book = Workbook(write_only=True)
    sheet = book.create_sheet("清单")
    sheet.append(HEADERS)
    for row in list_rows(rows, start=start):
        sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def workbook(rows: int, start: int) -> bytes:
    path = ROOT / "var" / "bench" / f"customs-upload-{rows}-{start}.xlsx"
    if not path.exists():
        print(f"generating {path.name} ...", flush=True)
        generate(path, rows, start)
    return path.read_bytes()


def calamine_seconds(content: bytes, rows: int) -> tuple[float, float]:
    """(wall, CPU) seconds of python-calamine reading the workbook into Python rows."""
    import python_calamine

    began, cpu = time.perf_counter(), time.process_time()
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    data = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    took, cpu = time.perf_counter() - began, time.process_time() - cpu
    assert len(data) == rows + 1, len(data)
    return took, cpu


def backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def upload(client, content: bytes, rows: int, recorder):
    """(seconds, SQL statements through Django, COPY streams, CPU seconds of this process and of its
    PostgreSQL backend) of one upload, end to end."""
    from customs_bulk import backend_cpu
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.intake.services import job_run
    from portal.models import ImportJob

    recorder.take()
    backend = backend_pid()
    with CaptureQueriesContext(connection) as queries:
        began, cpu, db_cpu = time.perf_counter(), time.process_time(), backend_cpu(backend)
        response = client.post(
            "/api/v1/customs/imports/",
            {"file": SimpleUploadedFile("lists.xlsx", content)},
            format="multipart",
        )
        assert response.status_code == 202, response.content[:1000]
        job = ImportJob.objects.get(public_id=response.json()["id"])
        job = job_run(job_id=job.pk)  # what the worker does with the queued job
        took, cpu = time.perf_counter() - began, time.process_time() - cpu
        db_cpu = backend_cpu(backend) - db_cpu
    assert job.status == "SUCCEEDED", list(job.problems.values_list("row", "column", "message")[:5])
    assert job.counts["created"] == rows, job.counts
    return took, queries.captured_queries, recorder.take(), (cpu, db_cpu)


def floor_cpu(streams: list) -> float:
    """CPU seconds (this process + its PostgreSQL backend) of the floor's COPY of ``streams``."""
    from customs_api import floor
    from customs_bulk import backend_cpu

    backend = backend_pid()
    cpu, db_cpu = time.process_time(), backend_cpu(backend)
    floor(b"{}", streams)
    return time.process_time() - cpu + backend_cpu(backend) - db_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_cu_upload"),
    )
    args = parser.parse_args()
    from customs_api import CopyRecorder, floor, setup

    setup(args.database_url)
    from customs_bulk import seller
    from django.contrib.auth.models import Group
    from django.db import connection
    from rest_framework.test import APIClient

    from portal.services.tokens import token_create

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE customs_inventoryitem, customs_inventorylist, exchange_message CASCADE")
    _, user = seller()
    user.groups.add(Group.objects.get(name="enterprise_admin"))
    _, raw = token_create(user=user, name="bench-upload")
    client = APIClient(HTTP_AUTHORIZATION=f"Token {raw}", HTTP_HOST="localhost")
    recorder = CopyRecorder()
    small = workbook(args.small, start=1)
    big = workbook(args.rows, start=10_000_000)
    print(f"load average {os.getloadavg()[0]:.1f}", flush=True)
    upload(client, small, args.small, recorder)  # warm-up: caches, code lists, content types
    small_again = workbook(args.small, start=5_000_000)
    took_small, statements_small, streams_small, _ = upload(client, small_again, args.small, recorder)
    print(f"{args.small:,} rows: {took_small:.2f} s end to end", flush=True)
    took, statements, streams, (cpu, db_cpu) = upload(client, big, args.rows, recorder)
    queries, queries_small = len(statements), len(statements_small)
    if queries != queries_small:  # which statements the larger upload adds (by their first 70 characters)
        extra = Counter(q["sql"][:70] for q in statements)
        extra.subtract(Counter(q["sql"][:70] for q in statements_small))
        print("  differing statements:", {sql: n for sql, n in extra.items() if n}, flush=True)
    cal, cal_cpu = calamine_seconds(big, args.rows)
    _, copy = floor(b"{}", streams)
    copy_cpu = floor_cpu(streams)
    print(
        f"SQL statements per upload: {args.small:,} rows {queries_small} + {len(streams_small)} COPY; "
        f"{args.rows:,} rows {queries} + {len(streams)} COPY"
        f" ({'the same' if queries == queries_small else 'NOT the same'})\n"
        f"{args.rows:,} rows ({len(big) / 2**20:.1f} MB): end to end {took:.2f} s "
        f"({args.rows / took:,.0f} rows/s)\n"
        f"    floor: calamine {cal:.2f} s + COPY {copy:.2f} s = {cal + copy:.2f} s; "
        f"end to end / floor {took / (cal + copy):.1f} (target <= 4)\n"
        f"    CPU: end to end {cpu:.2f} s portal + {db_cpu:.2f} s PostgreSQL = {cpu + db_cpu:.2f} s; floor "
        f"calamine {cal_cpu:.2f} s + COPY {copy_cpu:.2f} s = {cal_cpu + copy_cpu:.2f} s; "
        f"CPU ratio {(cpu + db_cpu) / (cal_cpu + copy_cpu):.1f}; load {os.getloadavg()[0]:.1f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
