#!/usr/bin/env python
"""SQLite with several writing processes: DEFERRED against IMMEDIATE transactions (ADR 0001).

The embedded default runs web, worker and beat as separate processes on one SQLite file in WAL mode. Each
process here runs read-then-write transactions the way a service does (read a row, then update it and
insert an audit row), with Django's busy timeout. Under DEFERRED (SQLite's default) a transaction starts as
a reader and upgrades to a writer at its first write; when another process has written in between, SQLite
cannot wait (the reader's snapshot is stale) and fails at once with "database is locked", whatever the busy
timeout. Under IMMEDIATE the write lock is taken at BEGIN, so writers queue on the busy timeout instead.

    python bench/sqlite_writers.py [--processes 4] [--transactions 300] [--timeout 30]

Prints, per mode: committed transactions, "database is locked" failures, wall time and commits per second.
"""

import argparse
import multiprocessing
import sqlite3
import tempfile
import time
from pathlib import Path


def _setup(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
    db.execute("CREATE TABLE audit (id INTEGER PRIMARY KEY, worker INTEGER, seen INTEGER, at REAL)")
    db.execute("INSERT INTO counter (id, value) VALUES (1, 0)")
    db.commit()
    db.close()


def _worker(path: str, mode: str, transactions: int, timeout: float, worker: int, out) -> None:
    # isolation_level=None: we issue BEGIN ourselves, as Django does with transaction_mode.
    db = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    committed = locked = 0
    for _ in range(transactions):
        try:
            db.execute(f"BEGIN {mode}")
            (value,) = db.execute("SELECT value FROM counter WHERE id = 1").fetchone()
            db.execute("UPDATE counter SET value = ? WHERE id = 1", (value + 1,))
            db.execute("INSERT INTO audit (worker, seen, at) VALUES (?, ?, ?)", (worker, value, time.time()))
            db.execute("COMMIT")
            committed += 1
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            locked += 1
            if db.in_transaction:
                db.execute("ROLLBACK")
    db.close()
    out.put((committed, locked))


def run(mode: str, processes: int, transactions: int, timeout: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        _setup(path)
        out = multiprocessing.Queue()
        workers = [
            multiprocessing.Process(target=_worker, args=(str(path), mode, transactions, timeout, n, out))
            for n in range(processes)
        ]
        started = time.perf_counter()
        for w in workers:
            w.start()
        results = [out.get() for _ in workers]
        for w in workers:
            w.join()
        elapsed = time.perf_counter() - started
        db = sqlite3.connect(path)
        (final,) = db.execute("SELECT value FROM counter").fetchone()
        db.close()
    committed = sum(c for c, _ in results)
    return {
        "mode": mode,
        "committed": committed,
        "locked": sum(lk for _, lk in results),
        "counter": final,
        "seconds": elapsed,
        "per_second": committed / elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--transactions", type=int, default=300, help="per process")
    parser.add_argument("--timeout", type=float, default=30.0, help="busy timeout in seconds (Django's)")
    args = parser.parse_args()
    attempted = args.processes * args.transactions
    print(
        f"{args.processes} processes x {args.transactions} read-then-write transactions, WAL, busy timeout "
        f"{args.timeout:g} s, SQLite {sqlite3.sqlite_version}"
    )
    print(f"{'mode':<10}{'committed':>10}{'locked':>8}{'counter ok':>12}{'seconds':>9}{'commits/s':>11}")
    for mode in ("DEFERRED", "IMMEDIATE"):
        r = run(mode, args.processes, args.transactions, args.timeout)
        ok = "yes" if r["counter"] == r["committed"] else "NO"
        print(
            f"{mode:<10}{r['committed']:>10}{r['locked']:>8}{ok:>12}{r['seconds']:>9.2f}"
            f"{r['per_second']:>11.0f}   ({attempted} attempted)"
        )


if __name__ == "__main__":
    main()
