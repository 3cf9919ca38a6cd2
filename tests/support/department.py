"""A scripted department for unit tests of the exchange's HTTP behaviour (status codes, timeouts).

It is not govmock: it answers what each test tells it to, so retry, refusal and timeout paths can be
driven exactly. End-to-end behaviour is tested against the real govmock process (tests/e2e).
"""

import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ScriptedDepartment:
    def __init__(self):
        self.requests: list[dict] = []
        self.responses: deque = deque()
        self.default = (202, None, 0.0)
        self.query_answers: dict[str, tuple[int, dict]] = {}
        self.feed: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, status: int, body: dict | None):
                data = json.dumps(body or {}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                outer.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                status, payload, delay = outer.responses.popleft() if outer.responses else outer.default
                if delay:
                    time.sleep(delay)
                message_id = self.headers.get("X-Message-Id", "")
                self._reply(
                    status,
                    payload if payload is not None else {"message_id": message_id, "status": "RECEIVED"},
                )

            def do_GET(self):
                outer.requests.append({"path": self.path, "headers": dict(self.headers), "body": b""})
                if "/messages/" in self.path:
                    envelope_id = self.path.rsplit("/", 1)[-1]
                    status, body = outer.query_answers.get(envelope_id, (404, {"error": "unknown_message"}))
                    self._reply(status, body)
                elif "/receipts" in self.path:
                    from urllib.parse import parse_qs, urlparse

                    after = int(parse_qs(urlparse(self.path).query).get("after", ["0"])[0])
                    items = [r for r in outer.feed if r["seq"] > after]
                    self._reply(
                        200, {"receipts": items, "last_seq": max([after] + [r["seq"] for r in items])}
                    )
                else:
                    self._reply(404, {})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def answer(self, *responses):
        """Queue responses: each (status, body or None, delay seconds)."""
        self.responses.extend(responses)
