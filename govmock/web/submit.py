"""``POST /{department}/messages`` — receiving one message (protocol §1).

Checks, in order (each failure answers at once and stores nothing): injected submit faults (hang,
error, latency) → content type (415) → Content-Length (413, before reading) → required headers
(400 missing_header) → message id and type (400) → signature and certificate (401; 503 while no CA)
→ envelope parsing (400 malformed / xml_forbidden) → id and type agreement (400 id_mismatch /
type_mismatch). Then, in one write transaction: a known message id answers its stored ack (200,
``duplicate: true``); otherwise the sender's certificate is pinned, the message and its new nodes are
stored, and processing is scheduled ``service_time_ms`` later (202).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from govmock import clock
from govmock.config import Settings
from govmock.departments import HANDLERS
from govmock.envelope import UUID_RE, Envelope, EnvelopeError
from govmock.envelope.cebxml import parse_ceb
from govmock.envelope.jsonenv import parse_json
from govmock.faults import FaultConfig, FaultRegistry
from govmock.security.certs import CaUnavailable, SenderIdentity, TrustError, TrustStore, register_sender
from govmock.storage import Store, jobs, kv
from govmock.web.httpio import HttpError, Request, Response, json_response

REQUIRED_HEADERS = (
    "X-Message-Id",
    "X-Message-Type",
    "X-Sender-Code",
    "X-Signature-Algorithm",
    "X-Signature",
    "X-Certificate",
)


class SubmitEndpoint:
    def __init__(
        self,
        *,
        settings: Settings,
        store: Store,
        faults: FaultRegistry,
        trust: TrustStore,
        wake_dispatcher: Callable[[], None],
        stopping: threading.Event,
    ) -> None:
        self._settings = settings
        self._store = store
        self._faults = faults
        self._trust = trust
        self._wake = wake_dispatcher
        self._stopping = stopping

    def __call__(self, request: Request, department: str) -> Response:
        config = self._faults.get(department)
        self._inject_faults(request, department, config)
        kind = _content_kind(request.header("Content-Type"))
        body = request.read_body(self._settings.max_body)
        headers = _required_headers(request)
        message_type = headers["X-Message-Type"]
        self._check_type(department, message_type, kind, headers["X-Message-Id"])
        mock_now = _mock_now(request)
        identity = self._authenticate(headers, body)
        envelope = _parse(kind, body, message_type, headers["X-Sender-Code"])
        if envelope.message_id != headers["X-Message-Id"]:
            raise HttpError(400, "id_mismatch", "the body's message id differs from X-Message-Id")
        return self._store_message(department, kind, envelope, identity, body, config, mock_now)

    def _inject_faults(self, request: Request, department: str, config: FaultConfig) -> None:
        message_id = request.header("X-Message-Id") or "-"
        attempt = self._attempt(department, message_id) if (config.error_rate or config.hang_rate) else 0
        key = f"{message_id}#{attempt}"
        if self._faults.decide(department, key, "hang", config.hang_rate):
            self._stopping.wait(config.hang_seconds)  # interruptible, so shutdown is not held up
            raise HttpError(503, "unavailable", "injected hang (fault injection)")
        if self._faults.decide(department, key, "error", config.error_rate):
            raise HttpError(config.error_status, "injected_error", "injected error (fault injection)")
        low, high = config.latency_ms
        if high:
            delay = low + (high - low) * self._faults.fraction(department, key, "latency")
            self._stopping.wait(delay / 1000)

    def _attempt(self, department: str, message_id: str) -> int:
        # Counting attempts makes a retried message draw fresh decisions, so a retry can succeed,
        # while the sequence of decisions stays a pure function of the seed.
        with self._store.write() as conn:
            row = conn.execute(
                "INSERT INTO submit_attempts (department, message_id, attempts) VALUES (?, ?, 1) "
                "ON CONFLICT (department, message_id) DO UPDATE SET attempts = attempts + 1 "
                "RETURNING attempts",
                (department, message_id),
            ).fetchone()
        return int(row[0])

    def _check_type(self, department: str, message_type: str, kind: str, message_id: str) -> None:
        if not UUID_RE.fullmatch(message_id):
            raise HttpError(400, "malformed", "X-Message-Id must be an upper-case UUID with hyphens")
        handler = HANDLERS[department].get(message_type)
        if handler is None:
            raise HttpError(400, "malformed", f"{department} does not accept message type {message_type!r}")
        if handler.content != kind:
            expected = "application/xml" if handler.content == "ceb" else "application/json"
            raise HttpError(415, "unsupported_type", f"{message_type} must be sent as {expected}")

    def _authenticate(self, headers: dict[str, str], body: bytes) -> SenderIdentity:
        try:
            return self._trust.verify(
                certificate_b64=headers["X-Certificate"],
                sender_code=headers["X-Sender-Code"],
                algorithm=headers["X-Signature-Algorithm"],
                signature_b64=headers["X-Signature"],
                body=body,
            )
        except TrustError as exc:
            raise HttpError(401, exc.code, exc.detail) from exc
        except CaUnavailable as exc:
            raise HttpError(503, "ca_unavailable", str(exc)) from exc

    def _store_message(
        self,
        department: str,
        kind: str,
        envelope: Envelope,
        identity: SenderIdentity,
        body: bytes,
        config: FaultConfig,
        mock_now: datetime | None,
    ) -> Response:
        real_now = time.time()
        received = mock_now or clock.from_epoch(real_now)
        ack = _ack(department, envelope, identity, received)
        with self._store.write() as conn:
            stored = _stored_ack(conn, department, envelope.message_id)
            if stored is not None:
                kv.bump(conn, department, "duplicates_answered")
                return json_response(200, {**stored, "duplicate": True})
            try:
                register_sender(conn, identity)
            except TrustError as exc:
                raise HttpError(401, exc.code, exc.detail) from exc
            # The business clock of this message: X-Mock-Now shifted by however long processing takes.
            offset_ms = round((clock.epoch(received) - real_now) * 1000)
            _insert_message(conn, kind, ack, body, real_now, offset_ms)
            new_nodes = _store_nodes(conn, department, envelope)
            kv.bump(conn, department, "messages")
            kv.bump(conn, department, "nodes", new_nodes)
            kv.bump(conn, department, "nodes_already_known", len(envelope.nodes) - new_nodes)
            if new_nodes:
                due_at = real_now + config.service_time_ms / 1000
                payload = {"message_id": envelope.message_id}
                jobs.schedule(
                    conn, lane=jobs.WORK, kind="process", department=department, due_at=due_at,
                    payload=payload, now=real_now,
                )  # fmt: skip
        self._wake()
        return json_response(202, ack)


def _ack(department: str, envelope: Envelope, identity: SenderIdentity, received: datetime) -> dict[str, Any]:
    return {
        "message_id": envelope.message_id,
        "department": department,
        "message_type": envelope.message_type,
        "sender_code": identity.sender_code,
        "status": "RECEIVED",
        "received_at": clock.iso(received),
        "node_count": len(envelope.nodes),
        "node_guids": envelope.node_guids,
        "duplicate": False,
    }


def _insert_message(
    conn: sqlite3.Connection, kind: str, ack: dict[str, Any], body: bytes, real_now: float, offset_ms: int
) -> None:
    conn.execute(
        "INSERT INTO messages (department, message_id, message_type, sender_code, content_type,"
        " received_at, received_epoch, clock_offset_ms, node_count, ack, body)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            ack["department"],
            ack["message_id"],
            ack["message_type"],
            ack["sender_code"],
            "application/xml" if kind == "ceb" else "application/json",
            ack["received_at"],
            real_now,
            offset_ms,
            ack["node_count"],
            json.dumps(ack, ensure_ascii=False),
            body,
        ),
    )


def _content_kind(content_type: str | None) -> str:
    media, *params = (content_type or "").lower().split(";")
    media = media.strip()
    charset = "utf-8"
    for param in params:
        name, _, value = param.partition("=")
        if name.strip() == "charset":
            charset = value.strip().strip('"')
    if charset not in ("utf-8", "utf8"):
        raise HttpError(415, "unsupported_type", "only UTF-8 bodies are accepted")
    if media == "application/xml":
        return "ceb"
    if media == "application/json":
        return "json"
    raise HttpError(415, "unsupported_type", "Content-Type must be application/xml or application/json")


def _required_headers(request: Request) -> dict[str, str]:
    values = {}
    for name in REQUIRED_HEADERS:
        value = (request.header(name) or "").strip()
        if not value:
            raise HttpError(400, "missing_header", f"{name} is required")
        values[name] = value
    return values


def _mock_now(request: Request) -> datetime | None:
    raw = request.header("X-Mock-Now")
    if not raw:
        return None
    try:
        return clock.parse_instant(raw)
    except ValueError as exc:
        raise HttpError(400, "malformed", "X-Mock-Now must be an ISO 8601 instant") from exc


def _parse(kind: str, body: bytes, message_type: str, sender_code: str) -> Envelope:
    try:
        if kind == "ceb":  # _check_type has made sure message_type is a CEB type customs accepts
            return parse_ceb(body, message_type)
        envelope, extras = parse_json(body)
    except EnvelopeError as exc:
        raise HttpError(400, exc.code, exc.detail) from exc
    if envelope.message_type != message_type:
        raise HttpError(
            400, "type_mismatch", f"message_type is {envelope.message_type}, X-Message-Type {message_type}"
        )
    if extras["sender"]["code"] != sender_code:
        raise HttpError(400, "malformed", "sender.code differs from X-Sender-Code")
    return envelope


def _stored_ack(conn: sqlite3.Connection, department: str, message_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT ack FROM messages WHERE department = ? AND message_id = ?", (department, message_id)
    ).fetchone()
    return json.loads(row[0]) if row else None


def _store_nodes(conn: sqlite3.Connection, department: str, envelope: Envelope) -> int:
    inserted = 0
    for position, node in enumerate(envelope.nodes, start=1):
        cursor = conn.execute(
            "INSERT OR IGNORE INTO nodes (department, node_guid, message_id, position, content)"
            " VALUES (?, ?, ?, ?, ?)",
            (department, node["guid"], envelope.message_id, position, json.dumps(node, ensure_ascii=False)),
        )
        inserted += cursor.rowcount
    return inserted
