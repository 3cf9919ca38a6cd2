#!/usr/bin/env python
"""Audit at volume (ADR 0028): what one event per row costs against the multi-row path and a raw COPY.

Creates (or reuses) the PostgreSQL database ``bench_audit`` on the local server, migrates it, then writes
``--rows`` audit events of one kind (a receipt moving an inventory list) three ways, side by side:

* ``audit()`` once per event (one INSERT each), all in one transaction: what a per-row service would do;
* ``audit_many()`` with ``build_event`` in batches of 1,000: what ``bulk_transition`` and the receipt batches
  do;
* a raw ``COPY`` of the same rows into ``portal_auditevent``: the floor.

    python bench/audit_volume.py [--rows 50000] [--database-url postgres://postgres@127.0.0.1:5432/bench_audit]

Prints seconds, events per second and each path's ratio to COPY.
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
from local_processes import ensure_database  # noqa: E402


def _setup(url: str) -> None:
    os.environ.update(DEBUG="true", DATABASE_URL=url, DJANGO_SETTINGS_MODULE="portal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _timed(label, fn, rows, results):
    from portal.models import AuditEvent

    before = AuditEvent.objects.count()
    started = time.perf_counter()
    fn()
    seconds = time.perf_counter() - started
    written = AuditEvent.objects.count() - before
    assert written == rows, (label, written)
    results[label] = seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_audit")
    args = parser.parse_args()
    ensure_database(args.database_url)
    _setup(args.database_url)

    from django.db import connection, transaction

    from portal.models import Organisation
    from portal.services.audit import audit, audit_many, build_event

    org, _ = Organisation.objects.get_or_create(
        code="91330100BENCHAUDIT", defaults={"kind": "ENTERPRISE", "name_cn": "审计压测企业"}
    )
    rows = args.rows
    payload = {"action": "release", "receipt": "B" * 36}
    results: dict[str, float] = {}

    def one_by_one():
        with transaction.atomic():
            for _ in range(rows):
                audit(
                    verb="receipt", target=org, from_state="CONCLUDED", to_state="RELEASED", payload=payload
                )

    def multi_row():
        with transaction.atomic():
            for start in range(0, rows, 1000):
                audit_many(
                    [
                        build_event(
                            verb="receipt",
                            target=org,
                            from_state="CONCLUDED",
                            to_state="RELEASED",
                            payload=payload,
                        )
                        for _ in range(min(1000, rows - start))
                    ]
                )

    def copy():
        template = build_event(verb="receipt", target=org, from_state="CONCLUDED", to_state="RELEASED")
        line = "\t".join(
            [
                "2026-12-01 10:00:00+08",
                template.actor_label,
                template.verb,
                str(template.target_type_id),
                template.target_id,
                template.target_repr,
                str(template.owner_org_id),
                "CONCLUDED",
                "RELEASED",
                "",
                json.dumps(payload),
                template.request_id or "",
                template.via or "",
            ]
        )
        buffer = io.StringIO("\n".join([line] * rows) + "\n")
        with transaction.atomic(), connection.cursor() as cur:
            cur.cursor.copy_expert(
                "COPY portal_auditevent (at, actor_label, verb, target_type_id, target_id, target_repr, "
                "owner_org_id, from_state, to_state, reason, payload, request_id, via) FROM STDIN",
                buffer,
            )

    _timed("COPY (floor)", copy, rows, results)
    _timed("audit_many, 1,000 per INSERT", multi_row, rows, results)
    _timed("audit() per event", one_by_one, rows, results)
    floor = results["COPY (floor)"]
    print(f"{rows:,} audit events on PostgreSQL ({connection.pg_version // 10000})")
    for label, seconds in results.items():
        rate = rows / seconds
        ratio = seconds / floor
        print(f"  {label:<32} {seconds:7.2f} s  {rate:>10,.0f} events/s  ratio to COPY {ratio:5.2f}")


if __name__ == "__main__":
    main()
