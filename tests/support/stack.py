"""Real processes for end-to-end tests: govmock, a Celery worker and (optionally) beat.

They run against the same test database (PostgreSQL in CI; the SQLite test file on a laptop) and the same
broker (Redis in CI; the SQLite broker file otherwise) as the test process, which serves the portal with
pytest-django's ``live_server``. Nothing is mocked: messages go over HTTP to govmock, receipts come back
to the live server's callback endpoint.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _queues() -> str:
    """Every queue the settings declare (the shell's and each app's), as a worker started by make run
    takes."""
    from django.conf import settings

    return ",".join(q.name for q in settings.CELERY_TASK_QUEUES)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_env() -> dict[str, str]:
    """Environment that points a child process at the test database this process is using."""
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        return {"SQLITE_PATH": name, "DATABASE_URL": ""}
    parsed = urlparse(os.environ["DATABASE_URL"])
    return {"DATABASE_URL": urlunparse(parsed._replace(path=f"/{name}"))}


def broker_env() -> dict[str, str]:
    return {"REDIS_URL": settings.REDIS_URL} if settings.REDIS_URL else {}


def reset_broker() -> None:
    """Empty the broker this test process and its workers share (stale tasks of earlier tests)."""
    url = settings.CELERY_BROKER_URL
    if url.startswith("redis://"):
        import redis

        client = redis.Redis.from_url(url)
        prefix = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("global_keyprefix", "")
        keys = list(client.scan_iter(f"{prefix}*")) if prefix else []
        if keys:
            client.delete(*keys)
    elif url.startswith("sqla+sqlite:"):
        import sqlite3

        with sqlite3.connect(settings.CELERY_BROKER_FILE) as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "kombu_message" in tables:
                db.execute("DELETE FROM kombu_message")


def wait_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except Exception as exc:
            last = exc
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout}s: {last}")


@dataclass
class Process:
    name: str
    args: list[str]
    env: dict[str, str]
    log_path: Path
    popen: subprocess.Popen | None = None

    def start(self) -> "Process":
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.popen = subprocess.Popen(
            self.args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self

    @property
    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.alive:
            os.killpg(self.popen.pid, sig)
            self.popen.wait(timeout=30)

    def terminate(self) -> None:
        """Ask the process to stop (SIGTERM to its group); ``wait`` for it."""
        if self.alive:
            os.killpg(self.popen.pid, signal.SIGTERM)

    def wait(self, timeout: float = 15) -> None:
        """Wait for a terminated process; kill it if it is still there after ``timeout`` seconds."""
        if self.popen is None:
            return
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def stop(self) -> None:
        self.terminate()
        self.wait()

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return ""


@dataclass
class Stack:
    url: str
    tmp: Path
    govmock_port: int
    faults: dict = field(default_factory=dict)
    seed: int = 1
    worker_concurrency: int = 8
    extra_env: dict = field(default_factory=dict)
    govmock: Process | None = None
    worker: Process | None = None
    beat: Process | None = None

    @property
    def govmock_url(self) -> str:
        return f"http://127.0.0.1:{self.govmock_port}"

    def base_env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings_test",
            "DEBUG": "true",
            "PYTHONUNBUFFERED": "1",
            "GOVMOCK_URL": self.govmock_url,
            "EXCHANGE_KEY_DIR": str(settings.EXCHANGE_KEY_DIR),
            "EXCHANGE_CALLBACK_SECRET": settings.EXCHANGE_CALLBACK_SECRET,
            **database_env(),
            **broker_env(),
            **self.extra_env,
        }
        return {k: v for k, v in env.items() if v is not None}

    def start_govmock(self) -> None:
        from exchange.signing import certificate_authority

        certificate_authority()
        env = {
            **self.base_env(),
            "GOVMOCK_DB": str(self.tmp / "govmock.sqlite3"),
            "GOVMOCK_CALLBACK_URL": f"{self.url}/exchange/receipts/",
            "GOVMOCK_CALLBACK_SECRET": settings.EXCHANGE_CALLBACK_SECRET,
            "GOVMOCK_TRUSTED_CA_FILE": str(Path(settings.EXCHANGE_KEY_DIR) / "ca.pem"),
            "GOVMOCK_PORTAL_URL": self.url,
            "GOVMOCK_SEED": str(self.seed),
            "GOVMOCK_FAULTS": json.dumps(self.faults),
        }
        args = [
            sys.executable,
            "-m",
            "govmock",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.govmock_port),
        ]
        self.govmock = Process("govmock", args, env, self.tmp / "govmock.log").start()
        wait_http(f"{self.govmock_url}/healthz")

    def start_worker(self) -> None:
        args = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "-Q",
            _queues(),
            "--pool",
            "threads",
            "--concurrency",
            str(self.worker_concurrency),
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"e2e-{os.getpid()}@%h",
        ]
        self.worker = Process("worker", args, self.base_env(), self.tmp / "worker.log").start()

    def start_beat(self, *, sweep: float = 2, poll: float = 3, overdue: float = 5) -> None:
        env = {
            **self.base_env(),
            "EXCHANGE_SWEEP_SECONDS": str(sweep),
            "EXCHANGE_POLL_SECONDS": str(poll),
            "EXCHANGE_OVERDUE_CHECK_SECONDS": str(overdue),
        }
        args = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(self.tmp / "beat-schedule"),
        ]
        self.beat = Process("beat", args, env, self.tmp / "beat.log").start()

    def stop(self) -> None:
        """Stop every process at once and wait for them together (one after the other, each one's shutdown
        added to the test's teardown)."""
        processes = [p for p in (self.beat, self.worker, self.govmock) if p is not None]
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait()

    def logs(self) -> str:
        return "\n".join(f"--- {p.name} ---\n{p.tail()}" for p in (self.govmock, self.worker, self.beat) if p)

    def wait_for(self, predicate, timeout: float = 60, interval: float = 0.25, message: str = ""):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            for process in (self.worker, self.govmock):
                if process is not None and process.popen is not None and not process.alive:
                    raise AssertionError(f"{process.name} exited early:\n{self.logs()}")
            time.sleep(interval)
        raise AssertionError(f"timed out after {timeout}s waiting for {message or predicate}\n{self.logs()}")

    def govmock_admin(self, method: str, path: str, body: dict | None = None) -> dict:
        """Call a govmock admin endpoint with the HMAC scheme of the protocol."""
        from exchange.signing import hmac_signature

        data = json.dumps(body).encode() if body is not None else b""
        ts = str(int(time.time()))
        canonical = f"{ts}.{method} {path}".encode() + (b"\n" + data if data else b"")
        request = urllib.request.Request(
            f"{self.govmock_url}{path}",
            data=data if method != "GET" else None,
            method=method,
            headers={
                "Content-Type": "application/json",
                "X-Govmock-Timestamp": ts,
                "X-Govmock-Signature": hmac_signature(settings.EXCHANGE_CALLBACK_SECRET, canonical),
            },
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"{}")
