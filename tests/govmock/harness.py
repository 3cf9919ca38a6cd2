"""Running the real govmock in-process for tests, plus an HMAC-checking callback receiver."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests

from govmock.config import Settings
from govmock.server import GovmockServer
from tests.govmock import cebmsg as ceb
from tests.govmock.pki import Identity, callback_signature_ok, hmac_headers, new_guid

SECRET = "test-callback-secret"
FAST = {"*": {"service_time_ms": 0, "receipt_interval_ms": 0}}


def wait_for(check: Callable[[], Any], timeout: float = 10.0, interval: float = 0.02) -> Any:
    """Poll ``check`` until it returns something truthy; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s (last value {value!r})")
        time.sleep(interval)


class CallbackReceiver:
    """The portal's callback endpoint, reduced to: check the HMAC, record the batch, answer."""

    def __init__(self, secret: str = SECRET) -> None:
        self.secret = secret
        self.batches: list[dict[str, Any]] = []
        self.bad_signatures = 0
        self.answers: list[int] = []  # statuses to answer next (then 200)
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                ok = callback_signature_ok(
                    receiver.secret,
                    self.headers.get("X-Govmock-Timestamp", ""),
                    self.headers.get("X-Govmock-Signature", ""),
                    body,
                )
                with receiver.lock:
                    status = receiver.answers.pop(0) if receiver.answers else 200
                    if not ok:
                        receiver.bad_signatures += 1
                        status = 401
                    elif status == 200:
                        receiver.batches.append(json.loads(body))
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/exchange/receipts/"

    def items(self, department: str | None = None) -> list[dict[str, Any]]:
        with self.lock:
            return [
                item
                for batch in self.batches
                if department is None or batch["department"] == department
                for item in batch["receipts"]
            ]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Govmock:
    """A govmock server on a free port with its own database, CA file and callback receiver."""

    def __init__(self, tmp: Path, ca_file: Path, callback: CallbackReceiver, env: dict[str, str]) -> None:
        self.secret = SECRET
        self.callback = callback
        self.env = {
            "GOVMOCK_DB": str(tmp / "govmock.sqlite3"),
            "GOVMOCK_HOST": "127.0.0.1",
            "GOVMOCK_PORT": "0",
            "GOVMOCK_CALLBACK_URL": callback.url,
            "GOVMOCK_CALLBACK_SECRET": SECRET,
            "GOVMOCK_TRUSTED_CA_FILE": str(ca_file),
            "GOVMOCK_PORTAL_URL": "http://127.0.0.1:9",  # unused while the CA file exists
            "GOVMOCK_FAULTS": json.dumps(FAST),
            **env,
        }
        self.server: GovmockServer | None = None
        self.http = requests.Session()
        self.start()

    def start(self) -> None:
        self.server = GovmockServer(Settings.from_env(self.env)).start()
        self.url = self.server.url

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def restart(self) -> None:
        self.stop()
        self.start()

    # -- submitting -------------------------------------------------------------------------------
    def post(self, department: str, body: bytes, headers: dict[str, str]) -> requests.Response:
        return self.http.post(f"{self.url}/{department}/messages", data=body, headers=headers, timeout=30)

    def send_ceb(
        self, who: Identity, message_type: str, nodes: list[dict[str, Any]], *, mock_now: str | None = None
    ) -> requests.Response:
        guid, body = ceb.message(message_type, nodes)
        headers = who.headers(
            body,
            message_id=guid,
            message_type=message_type,
            content_type="application/xml; charset=utf-8",
            mock_now=mock_now,
        )
        return self.post("customs", body, headers)

    def send_json(
        self,
        who: Identity,
        department: str,
        message_type: str,
        nodes: list[dict[str, Any]],
        *,
        mock_now: str | None = None,
    ) -> requests.Response:
        message_id, body = json_message(who.sender_code, message_type, nodes)
        headers = who.headers(
            body,
            message_id=message_id,
            message_type=message_type,
            content_type="application/json",
            mock_now=mock_now,
        )
        return self.post(department, body, headers)

    # -- reading ----------------------------------------------------------------------------------
    def signed_get(self, target: str) -> requests.Response:
        return self.http.get(self.url + target, headers=hmac_headers(self.secret, "GET", target), timeout=30)

    def admin(self, method: str, target: str, payload: Any = None) -> requests.Response:
        body = b"" if payload is None else json.dumps(payload).encode()
        headers = hmac_headers(self.secret, method, target, body)
        return self.http.request(method, self.url + target, data=body, headers=headers, timeout=30)

    def receipts(self, department: str = "customs") -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        after = 0
        while True:
            page = self.signed_get(f"/{department}/receipts?after={after}&limit=500").json()
            found += page["receipts"]
            if not page["receipts"]:
                return found
            after = page["last_seq"]

    def node_receipts(self, node_guid: str, department: str = "customs") -> list[dict[str, Any]]:
        """Receipts answering one node, parsed (CEB → dict of fields, JSON → the document)."""
        return [_parsed(r) for r in self.receipts(department) if r["node_guid"] == node_guid]

    def statuses(self, node_guid: str, department: str = "customs") -> list[str]:
        key = "returnStatus" if department == "customs" else "status"
        return [r.get(key) or r.get("status") for r in self.node_receipts(node_guid, department)]

    def wait_statuses(
        self, node_guid: str, expected: list[str], department: str = "customs", timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """Wait until the node's receipts have exactly the ``expected`` statuses, in order."""

        def settled() -> bool:
            seen = self.statuses(node_guid, department)
            return len(seen) >= len(expected) or seen != expected[: len(seen)]  # done, or already wrong

        wait_for(settled, timeout)
        time.sleep(0.05)  # let any unexpected extra receipt show up before comparing
        found = self.node_receipts(node_guid, department)
        assert self.statuses(node_guid, department) == expected, found
        return found


def json_message(
    sender_code: str, message_type: str, nodes: list[dict[str, Any]], *, message_id: str | None = None
) -> tuple[str, bytes]:
    """A JSON envelope (protocol §1); nodes get a guid and business_key unless they bring their own."""
    message_id = message_id or new_guid()
    payload = {
        "message_id": message_id,
        "message_type": message_type,
        "sent_at": "2026-11-27T09:00:00+08:00",
        "sender": {"code": sender_code, "name": "测试企业"},
        "nodes": [{"guid": new_guid(), "business_key": f"TEST:{i}", **n} for i, n in enumerate(nodes)],
    }
    return message_id, json.dumps(payload, ensure_ascii=False).encode()


def _parsed(item: dict[str, Any]) -> dict[str, Any]:
    if item["content_type"] == "application/json":
        return json.loads(item["raw"])
    return ceb.parse_receipt(item["raw"])


def node_guid(spec: dict[str, Any]) -> str:
    return spec["head"]["guid"]
