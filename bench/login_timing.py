#!/usr/bin/env python
"""Login timing and limits: does the answer's duration tell whether a username exists, and what does each
limit cost an attacker and a legitimate user? (ADR 0005)

Runs the real login page in-process (Django test client, the production password hasher PBKDF2, django-axes,
portal.login_limits) on a throw-away SQLite database and file cache, and times each kind of attempt:

* right password, wrong password for an existing user, unknown username;
* once the (username, address) pair is locked out (after ``LOGIN_FAILURE_LIMIT`` failures): existing user with
  the right password, an unknown username, and the owner with the right password from another address;
* the username over its ceiling across addresses (``LOGIN_USERNAME_FAILURE_LIMIT``), from a fresh address;
* an address over its failed-login limit (``LOGIN_ADDRESS_FAILURE_LIMIT``), any username.

    python bench/login_timing.py [--rounds 30]

Prints median and p90 milliseconds and the HTTP status of each kind. Unless a row measures the address
limit, the address's failed-login count is cleared before each attempt, so that limit does not mask the others
(the address window is an hour here, so filling it never crosses into the next window).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RIGHT = "Right-passphrase-2026"  # a throw-away user in a throw-away database
WRONG = "Wrong-passphrase-1"
HOME, ELSEWHERE = "127.0.0.1", "198.51.100.20"
sys.path.insert(0, str(ROOT))


def _django(tmp: str) -> None:
    os.environ.update({"DEBUG": "true", "PORTAL_VAR_DIR": tmp, "DJANGO_SETTINGS_MODULE": "portal.settings"})
    # A long address window, so a slow machine does not cross into the next one while filling it.
    os.environ["LOGIN_ADDRESS_WINDOW_SECONDS"] = "3600"
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SQLITE_PATH"):
        os.environ.pop(name, None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _forget_address(address: str) -> None:
    from django.conf import settings
    from django.core.cache import cache

    from portal import login_limits

    cache.delete(login_limits._key("address", address, settings.LOGIN_ADDRESS_WINDOW_SECONDS))


def _time(username: str, password: str, rounds: int, *, address=HOME, fresh_address=True):
    from django.test import Client

    durations, statuses = [], set()
    for _ in range(rounds):
        if fresh_address:
            _forget_address(address)
        client = Client(REMOTE_ADDR=address)
        started = time.perf_counter()
        response = client.post("/login/", {"username": username, "password": password})
        durations.append((time.perf_counter() - started) * 1000)
        statuses.add(response.status_code)
    return durations, statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _django(tmp)
        from axes.utils import reset
        from django.conf import settings
        from django.contrib.auth.hashers import get_hasher
        from django.core.cache import cache

        from portal.models import User

        user = User.objects.create_user("timing-user", password=RIGHT)
        rows = []

        def measure(label, username, password, **kwargs):
            rows.append((label, *_time(username, password, args.rounds, **kwargs)))

        measure("right password", user.username, RIGHT)
        # Failures are measured below the limits: reset the counters between attempts.
        for label, name in (("wrong password, user exists", user.username), ("unknown username", "nobody-x")):
            durations, statuses = [], set()
            for _ in range(args.rounds):
                reset(username=name)
                cache.clear()
                d, s = _time(name, WRONG, 1)
                durations += d
                statuses |= s
            rows.append((label, durations, statuses))
        cache.clear()
        for name in (user.username, "nobody-y"):
            reset(username=name)
            _time(name, WRONG, settings.AXES_FAILURE_LIMIT)
        measure("pair locked, user exists, right password", user.username, RIGHT)
        measure("pair locked, unknown username", "nobody-y", RIGHT)
        measure("pair locked, owner from another address", user.username, RIGHT, address=ELSEWHERE)

        reset()
        cache.clear()
        per_address = settings.AXES_FAILURE_LIMIT  # each address checks this many, then its pair is locked
        addresses = -(-settings.LOGIN_USERNAME_FAILURE_LIMIT // per_address)
        for n in range(addresses):
            _time(user.username, WRONG, per_address, address=f"203.0.113.{n + 1}", fresh_address=False)
        measure("over the username ceiling, fresh address", user.username, RIGHT, address="192.0.2.99")

        reset()
        cache.clear()
        for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
            _time(f"sprayed-{n}", WRONG, 1, fresh_address=False)
        measure("address over its limit, right password", user.username, RIGHT, fresh_address=False)

        hasher = get_hasher()
        print(f"hasher {hasher.algorithm} ({hasher.iterations} iterations), {args.rounds} rounds each")
        print(
            f"limits: {settings.AXES_FAILURE_LIMIT} per (username, address), "
            f"{settings.LOGIN_USERNAME_FAILURE_LIMIT} per username ({addresses} addresses to reach it), "
            f"{settings.LOGIN_ADDRESS_FAILURE_LIMIT} per address per "
            f"{settings.LOGIN_ADDRESS_WINDOW_SECONDS} s"
        )
        print(f"{'attempt':<44}{'median ms':>10}{'p90 ms':>9}  status")
        for label, durations, statuses in rows:
            p90 = statistics.quantiles(durations, n=10)[-1]
            print(f"{label:<44}{statistics.median(durations):>10.1f}{p90:>9.1f}  {sorted(statuses)}")


if __name__ == "__main__":
    main()
