"""Who is acting, and under which request id, for the current request or Celery task.

Set by ``portal.middleware`` for web requests and by ``portal.celery`` signal handlers for tasks; read by
the audit service, the log filter and the created/updated stamps. Context variables keep concurrent
requests in threaded servers apart.
"""

import contextvars
import uuid
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class ActingContext:
    user: object | None = None
    request_id: str = ""
    ip: str = ""
    via: str = ""  # "web", "api", "worker", "command"


_NOBODY = ActingContext()
_context: contextvars.ContextVar[ActingContext] = contextvars.ContextVar("portal_acting", default=_NOBODY)


def new_request_id() -> str:
    return uuid.uuid4().hex


def current() -> ActingContext:
    return _context.get()


def current_user():
    return _context.get().user


def current_request_id() -> str:
    return _context.get().request_id


def set_context(ctx: ActingContext) -> contextvars.Token:
    return _context.set(ctx)


def reset_context(token: contextvars.Token) -> None:
    _context.reset(token)


@contextmanager
def acting(user=None, *, request_id: str = "", ip: str = "", via: str = "command"):
    """Run a block as ``user`` (None = the system) with its own request id."""
    token = _context.set(ActingContext(user=user, request_id=request_id or new_request_id(), ip=ip, via=via))
    try:
        yield
    finally:
        _context.reset(token)
