"""What the benches share: a database of their own, a free local port, and waiting for a URL."""

import socket
import time
import urllib.request
from urllib.parse import urlparse, urlunparse


def ensure_database(url: str) -> None:
    """Create the database ``url`` names if it is not there (a bench runs on a database of its own)."""
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    conn = psycopg2.connect(urlunparse(parsed._replace(path="/postgres", query="")))
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout: float = 60) -> None:
    """Return once ``url`` answers (any status below 400), or raise ``TimeoutError`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - local
                return
        except Exception:
            time.sleep(0.2)
    raise TimeoutError(url)
