"""Minimal request/response helpers over a WSGI environ.

Responses are ``(status line, headers, body bytes)``; every response carries ``Cache-Control:
no-store`` and ``X-Content-Type-Options: nosniff`` (added by the application).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

Response = tuple[str, list[tuple[str, str]], bytes]


class HttpError(Exception):
    """Abort the request with a JSON error body ``{"error": code, "detail": detail}``."""

    def __init__(self, status: int, code: str, detail: str = "") -> None:
        super().__init__(detail or code)
        self.status = status
        self.code = code
        self.detail = detail

    def response(self) -> Response:
        body: dict[str, Any] = {"error": self.code}
        if self.detail:
            body["detail"] = self.detail
        return json_response(self.status, body)


@dataclass(frozen=True)
class Request:
    environ: dict[str, Any]

    @property
    def method(self) -> str:
        return str(self.environ.get("REQUEST_METHOD", "GET")).upper()

    @property
    def path(self) -> str:
        return str(self.environ.get("PATH_INFO", "")) or "/"

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(str(self.environ.get("QUERY_STRING", "")), keep_blank_values=True)

    @property
    def target(self) -> str:
        """Path and query exactly as sent (what HMAC signatures cover)."""
        raw = self.environ.get("REQUEST_URI")
        if raw:
            return str(raw)
        path = str(self.environ.get("SCRIPT_NAME", "")) + self.path
        query = str(self.environ.get("QUERY_STRING", ""))
        return f"{path}?{query}" if query else path

    def header(self, name: str) -> str | None:
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            value = self.environ.get(key)
        else:
            value = self.environ.get(f"HTTP_{key}")
        return None if value is None else str(value)

    @property
    def content_length(self) -> int | None:
        raw = self.header("Content-Length")
        if raw in (None, ""):
            return None
        try:
            value = int(raw)
        except ValueError:
            raise HttpError(400, "malformed", "Content-Length is not a number") from None
        if value < 0:
            raise HttpError(400, "malformed", "Content-Length is negative")
        return value

    def read_body(self, limit: int) -> bytes:
        """Read the body, refusing by Content-Length alone (413) before reading a byte of it."""
        length = self.content_length
        if length is not None and length > limit:
            raise HttpError(413, "too_large", f"body over {limit} bytes")
        stream = self.environ["wsgi.input"]
        if length is None:
            data = stream.read(limit + 1)
            if len(data) > limit:
                raise HttpError(413, "too_large", f"body over {limit} bytes")
            return bytes(data)
        return bytes(stream.read(length)) if length else b""


def json_response(status: int, data: Any) -> Response:
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return status_line(status), [("Content-Type", "application/json; charset=utf-8")], body


def html_response(status: int, html: str) -> Response:
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        # No scripts, no external assets; only the page's own inline <style>.
        (
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
        ),
    ]
    return status_line(status), headers, html.encode("utf-8")


def text_response(status: int, text: str, content_type: str) -> Response:
    return status_line(status), [("Content-Type", content_type)], text.encode("utf-8")


def status_line(status: int) -> str:
    return f"{status} {HTTPStatus(status).phrase}"
