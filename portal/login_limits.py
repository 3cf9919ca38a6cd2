"""Limits on password guessing next to axes' lockout per (username, address) (ADR 0005).

* **Per client address** (``client_network``): after ``LOGIN_ADDRESS_FAILURE_LIMIT`` failed logins (page and
  token endpoint together) within ``LOGIN_ADDRESS_WINDOW_SECONDS`` the address gets 429 until the window
  ends, before any password is checked. Successful logins do not count, so an office behind one address
  keeps working.
* **Per username, across addresses**: after ``LOGIN_USERNAME_FAILURE_LIMIT`` failed password checks within
  ``LOGIN_LOCKOUT_MINUTES`` the username is locked for everyone until the window ends (the lockout answer).
  Refusals of a locked (username, address) pair are not password checks and do not count, so one address
  cannot reach the ceiling: bounding distributed guessing takes many addresses to turn into a lock.

Counters live in the cache (Redis in production, shared by every process) in fixed windows: the window's
number is part of the key, so a counter never outlives its window whatever the cache does with timeouts.
"""

import hashlib
import time

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from portal.addresses import client_network
from portal.auth import axes_username

# Set on the request by ``UsernameCeilingBackend`` when a password is about to be checked.
_CHECKED = "portal_password_checked"


def _window(seconds: int) -> tuple[int, int]:
    """The current fixed window's number and the seconds left in it."""
    now = int(time.time())
    return now // seconds, seconds - now % seconds


def _key(kind: str, ident: str, seconds: int) -> str:
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]  # any username is a valid cache key this way
    return f"login-limit:{kind}:{digest}:{_window(seconds)[0]}"


def _count(kind: str, ident: str, seconds: int) -> int:
    return cache.get(_key(kind, ident, seconds), 0)


def _increment(kind: str, ident: str, seconds: int) -> None:
    key = _key(kind, ident, seconds)
    cache.add(key, 0, seconds)
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, seconds)


def _address_window() -> int:
    return max(1, settings.LOGIN_ADDRESS_WINDOW_SECONDS)


def _username_window() -> int:
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds()))


def address_retry_after(request) -> int:
    """Seconds this client's address must wait before trying to log in again; 0 when it may try now."""
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    window = _address_window()
    if limit > 0 and _count("address", client_network(request), window) >= limit:
        return _window(window)[1]
    return 0


def username_over_ceiling(username: str) -> bool:
    limit = settings.LOGIN_USERNAME_FAILURE_LIMIT
    return limit > 0 and _count("username", username, _username_window()) >= limit


class UsernameCeilingBackend:
    """Sits after axes' backend: refuses a username over the ceiling, else marks that a password is checked.

    The refusal flags the request as axes does (``axes_locked_out``), so the answer is the lockout page or the
    API's ``locked_out`` error, the same as for a locked pair and for an unknown username. Like axes' backend
    it has no ``get_user``: it never logs anyone in, so sessions and ``force_login`` skip it.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        if username_over_ceiling(axes_username(request, {"username": username or ""})):
            request.axes_locked_out = True
            raise PermissionDenied
        setattr(request, _CHECKED, True)
        return None


@receiver(user_login_failed, dispatch_uid="portal.count_login_failure")
def _count_failure(sender, credentials, request=None, **_kwargs):
    if request is None:
        return
    _increment("address", client_network(request), _address_window())
    if getattr(request, _CHECKED, False):
        _increment("username", axes_username(request, credentials), _username_window())
