"""Connection management for govmock's SQLite file.

Guarantees:
* one connection per thread (sqlite3 connections are not shared between threads while in use);
* WAL journal, a busy timeout, and ``synchronous=NORMAL`` (durable across a process crash);
* writes are serialised by one process-wide lock and run in ``BEGIN IMMEDIATE`` transactions, so a
  writer never meets SQLITE_BUSY from another govmock thread and values assigned inside a write
  (receipt ``seq``) become visible in the order they were assigned;
* reads run in a deferred transaction, i.e. see one consistent snapshot.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from govmock.storage.schema import SCHEMA, TABLES

BUSY_TIMEOUT_MS = 30_000


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        self._closed = False
        self._connection().executescript(SCHEMA)

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise RuntimeError("store is closed")
            # check_same_thread=False only so close() may close every thread's connection at shutdown;
            # in normal use each connection stays with its own thread.
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
            with self._all_lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A serialised write transaction: committed on normal exit, rolled back on exception."""
        conn = self._connection()
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A read-only snapshot."""
        conn = self._connection()
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    def reset(self) -> None:
        """Forget everything (``POST /admin/reset``)."""
        with self.write() as conn:
            for table in TABLES:
                conn.execute(f"DELETE FROM {table}")  # noqa: S608 - table names are constants
            conn.execute("DELETE FROM sqlite_sequence")

    def close(self) -> None:
        self._closed = True
        with self._all_lock:
            conns, self._all = self._all, []
        for conn in conns:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
