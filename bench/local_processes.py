"""What the benches that start the portal's processes share: a free local port, and waiting for a URL."""

import socket
import time
import urllib.request


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
