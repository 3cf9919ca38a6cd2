#!/usr/bin/env python
"""An inventory-list upload end to end: POST the workbook → validated → persisted → job done.

``POST /api/v1/customs/imports/`` (multipart, through the whole Django stack in-process), then the import
job run as the worker runs it (``portal.intake.services.job_run``: safe open, calamine, header mapping, cell
conversion, the customs importer, ``lists_create_bulk`` with every check, COPY of lists, lines, outbox
messages and audit events, the job's status). Side by side, the floor: python-calamine reading the same
file, plus one COPY per table of exactly the rows the import wrote (captured from the bulk path's own COPY
streams) into empty tables with the same columns and indexes (in a transaction rolled back). The SQL
statements of the whole upload are counted at two sizes to show they do not grow with the rows.

    createdb -h 127.0.0.1 -U postgres bench_cu_api
    python bench/customs_upload.py [--rows 50000] [--small 1000]
        [--database-url postgres://postgres@127.0.0.1:5432/bench_cu_api]

The workbook (one line per list) is generated once under var/bench/. Target: end to end / (calamine +
COPY) <= 4. The host is shared: the load average is printed.
"""

import argparse
import io
import os
import sys
import time
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


def calamine_seconds(content: bytes, rows: int) -> float:
    import python_calamine

    began = time.perf_counter()
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    data = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    took = time.perf_counter() - began
    assert len(data) == rows + 1, len(data)
    return took


def upload(client, content: bytes, rows: int, recorder):
    """(seconds, SQL statements through Django, COPY streams, job) of one upload, end to end."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.intake.services import job_run
    from portal.models import ImportJob

    recorder.take()
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        response = client.post(
            "/api/v1/customs/imports/",
            {"file": SimpleUploadedFile("lists.xlsx", content)},
            format="multipart",
        )
        assert response.status_code == 202, response.content[:1000]
        job = ImportJob.objects.get(public_id=response.json()["id"])
        job = job_run(job_id=job.pk)  # what the worker does with the queued job
        took = time.perf_counter() - began
    assert job.status == "SUCCEEDED", list(job.problems.values_list("row", "column", "message")[:5])
    assert job.counts["created"] == rows, job.counts
    return took, len(queries), recorder.take(), job


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_cu_api"),
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
    took_small, queries_small, _, _ = upload(client, small_again, args.small, recorder)
    print(f"{args.small:,} rows: {took_small:.2f} s end to end, {queries_small} SQL statements", flush=True)
    took, queries, streams, _ = upload(client, big, args.rows, recorder)
    cal = calamine_seconds(big, args.rows)
    _, copy = floor(b"{}", streams)
    print(
        f"{args.rows:,} rows ({len(big) / 2**20:.1f} MB): end to end {took:.2f} s "
        f"({args.rows / took:,.0f} rows/s), {queries} SQL statements + {len(streams)} COPY "
        f"(vs {queries_small} for {args.small:,} rows)\n"
        f"    floor: calamine {cal:.2f} s + COPY {copy:.2f} s = {cal + copy:.2f} s; "
        f"end to end / floor {took / (cal + copy):.1f} (target <= 4); load {os.getloadavg()[0]:.1f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
