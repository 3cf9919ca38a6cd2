"""The govmock WSGI application: routing and the cross-cutting rules.

Routes (protocol §1, §2, §5):
* ``POST /{department}/messages``; ``GET /{department}/receipts``; ``GET /{department}/messages/{id}``
  — answer 503 for the whole department during an outage;
* ``PUT /admin/faults/{department}``, ``GET /admin/faults``, ``POST /admin/reset``, ``GET /admin/stats``,
  ``POST /admin/customs/inspections/release`` (HMAC);
* open: ``GET /healthz``, ``GET /``, ``GET /view/message/{department}/{id}``,
  ``GET /view/receipt/{department}/{seq}``.
An unexpected exception answers 500 ``{"error": "internal"}`` (logged), never a traceback.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from govmock import __version__, clock
from govmock.config import Settings
from govmock.faults import DEPARTMENTS, FaultRegistry
from govmock.security.certs import TrustStore
from govmock.storage import Store, jobs
from govmock.web import admin, pages, poll
from govmock.web.httpio import HttpError, Request, Response, json_response
from govmock.web.submit import SubmitEndpoint

log = logging.getLogger(__name__)

ADMIN_MAX_BODY = 1024 * 1024
_COMMON_HEADERS = [("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")]


class GovmockApp:
    def __init__(
        self,
        *,
        settings: Settings,
        store: Store,
        faults: FaultRegistry,
        trust: TrustStore,
        wake_dispatcher: Callable[[], None],
        health: Callable[[], dict[str, Any]],
        stopping: threading.Event,
    ) -> None:
        self.settings = settings
        self.store = store
        self.faults = faults
        self._health = health
        self._wake = wake_dispatcher
        self._submit = SubmitEndpoint(
            settings=settings,
            store=store,
            faults=faults,
            trust=trust,
            wake_dispatcher=wake_dispatcher,
            stopping=stopping,
        )

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        try:
            status, headers, body = self.route(request)
        except HttpError as exc:
            status, headers, body = exc.response()
        except Exception:
            log.exception("%s %s failed", request.method, request.path)
            status, headers, body = json_response(500, {"error": "internal"})
        start_response(status, [*headers, *_COMMON_HEADERS, ("Content-Length", str(len(body)))])
        return [body]

    def route(self, request: Request) -> Response:
        parts = [p for p in request.path.split("/") if p]
        if not parts:
            _allow(request, "GET")
            return pages.index(self.store, self.faults)
        if parts == ["healthz"]:
            _allow(request, "GET")
            return json_response(200, self._health())
        if parts[0] == "admin":
            return self._admin(request, parts[1:])
        if (
            parts[0] == "view"
            and len(parts) == 4
            and parts[1] in ("message", "receipt")
            and parts[2] in DEPARTMENTS
        ):
            _allow(request, "GET")
            view = pages.view_message if parts[1] == "message" else pages.view_receipt
            return view(self.store, parts[2], parts[3])
        if parts[0] in DEPARTMENTS:
            return self._department(request, parts[0], parts[1:])
        raise HttpError(404, "not_found")

    def _department(self, request: Request, department: str, rest: list[str]) -> Response:
        outage_until = self.faults.get(department).outage_until
        if outage_until is not None and clock.utc_now() < outage_until:
            raise HttpError(503, "outage", f"{department} is down until {clock.iso(outage_until)}")
        if rest == ["messages"]:
            _allow(request, "POST")
            return self._submit(request, department)
        if rest == ["receipts"]:
            _allow(request, "GET")
            poll.require_hmac(request, self.settings.callback_secret)
            return poll.list_receipts(request, self.store, department)
        if len(rest) == 2 and rest[0] == "messages":
            _allow(request, "GET")
            poll.require_hmac(request, self.settings.callback_secret)
            return poll.message_status(self.store, department, rest[1])
        raise HttpError(404, "not_found")

    def _admin(self, request: Request, rest: list[str]) -> Response:
        body = request.read_body(ADMIN_MAX_BODY)
        poll.require_hmac(request, self.settings.callback_secret, body)
        if rest == ["faults"]:
            _allow(request, "GET")
            return admin.get_faults(self.faults)
        if len(rest) == 2 and rest[0] == "faults" and rest[1] in DEPARTMENTS:
            _allow(request, "PUT")
            return admin.put_faults(body, self.faults, rest[1])
        if rest == ["reset"]:
            _allow(request, "POST")
            return admin.reset(self.store, self.faults)
        if rest == ["stats"]:
            _allow(request, "GET")
            return admin.stats(self.store)
        if rest == ["customs", "inspections", "release"]:
            _allow(request, "POST")
            return admin.release_inspections(body, self.store, self.settings, self.faults, self._wake)
        raise HttpError(404, "not_found")


def _allow(request: Request, method: str) -> None:
    if request.method != method and not (method == "GET" and request.method == "HEAD"):
        raise HttpError(405, "method_not_allowed", f"use {method}")


def health_report(store: Store, dispatcher_alive: Callable[[], bool]) -> dict[str, Any]:
    with store.read() as conn:
        pending = jobs.pending_counts(conn)
    return {
        "status": "ok" if dispatcher_alive() else "degraded",
        "version": __version__,
        "time": clock.iso(clock.utc_now()),
        "dispatcher": "running" if dispatcher_alive() else "stopped",
        "pending_jobs": pending,
    }
