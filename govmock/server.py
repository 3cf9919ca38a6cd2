"""Assembling and running govmock: storage, trust, faults, dispatcher, pusher and waitress.

:class:`GovmockServer` owns every thread it starts and stops them all in :meth:`stop`, closing the
database last; the same object serves ``python -m govmock serve`` (:meth:`serve_forever`) and tests
(:meth:`start` in background threads on a free port).
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from typing import Any

from waitress.server import create_server

from govmock.config import Settings
from govmock.departments import HANDLERS
from govmock.engine.dispatcher import Dispatcher
from govmock.engine.pusher import Pusher
from govmock.faults import FaultRegistry
from govmock.security.certs import TrustStore
from govmock.storage import Store
from govmock.web.app import GovmockApp, health_report

log = logging.getLogger(__name__)


class GovmockServer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = Store(settings.db_path)
        self.faults = FaultRegistry(settings.faults, settings.seed)
        self._stopping = threading.Event()
        self.pusher = Pusher(self.store, settings, self.faults)
        self.dispatcher = Dispatcher(self.store, settings, self.faults, HANDLERS, on_push=self.pusher.wake)
        self.app = GovmockApp(
            settings=settings,
            store=self.store,
            faults=self.faults,
            trust=TrustStore(settings.trusted_ca_file, settings.portal_url),
            wake_dispatcher=self.dispatcher.wake,
            health=lambda: health_report(self.store, lambda: self.dispatcher.alive),
            stopping=self._stopping,
        )
        # waitress refuses a declared body of max_request_body_size or more before reading it; +1 makes
        # exactly GOVMOCK_MAX_BODY bytes acceptable.
        self._http: Any = create_server(
            self.app,
            host=settings.host,
            port=settings.port,
            threads=settings.threads,
            max_request_body_size=settings.max_body + 1,
            ident="govmock",
            clear_untrusted_proxy_headers=True,
        )
        self._http_thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._http.effective_port)

    @property
    def url(self) -> str:
        return f"http://{self.settings.host}:{self.port}"

    def start(self) -> GovmockServer:
        """Run everything in background threads (returns at once)."""
        self.dispatcher.start()
        self.pusher.start()
        self._http_thread = threading.Thread(target=self._http.run, name="govmock-http", daemon=True)
        self._http_thread.start()
        return self

    def serve_forever(self) -> None:
        """Run in the foreground until SIGINT/SIGTERM."""
        done = threading.Event()

        def _signal(signum: int, _frame: Any) -> None:
            log.info("signal %s: stopping", signum)
            done.set()

        signal.signal(signal.SIGTERM, _signal)
        signal.signal(signal.SIGINT, _signal)
        self.start()
        log.info("govmock listening on %s (db %s)", self.url, self.settings.db_path)
        done.wait()
        self.stop()

    def stop(self) -> None:
        self._stopping.set()
        self._close_http()
        self.dispatcher.stop()
        self.pusher.stop()
        self.store.close()

    def _close_http(self) -> None:
        # waitress has no public "stop" for a server run in a thread. Closing every channel in its map
        # (listening socket and trigger included) ends run()'s loop; doing it through the trigger runs
        # it inside the loop thread, which wakes at once instead of after its select() timeout.
        server = self._http

        def close_all() -> None:
            for channel in list(server._map.values()):
                with contextlib.suppress(OSError):
                    # the listening server has no handle_close of its own (it would log a warning)
                    channel.close() if channel is server else channel.handle_close()

        if self._http_thread is not None and self._http_thread.is_alive():
            # If the loop is already awake (a worker just pulled the trigger) it may run close_all, and
            # so close the trigger's pipe, before our own wake-up byte is written: EBADF then only
            # means the work is done.
            with contextlib.suppress(OSError):
                server.trigger.pull_trigger(close_all)
            self._http_thread.join(timeout=10)
        if self._http_thread is None or self._http_thread.is_alive():
            close_all()
        server.task_dispatcher.shutdown()
