#!/usr/bin/env python
"""Login timing: does the answer's duration tell whether a username exists? (ADR 0005)

Runs the real login page in-process (Django test client, the production password hasher PBKDF2, django-axes)
on a throw-away SQLite database, and times each kind of attempt:

* right password, wrong password for an existing user, unknown username;
* once locked out (after ``LOGIN_FAILURE_LIMIT`` failures): existing user with the right password, and an
  unknown username.

    python bench/login_timing.py [--rounds 30]

Prints median and p90 milliseconds and the HTTP status of each kind.
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
sys.path.insert(0, str(ROOT))


def _django(tmp: str) -> None:
    os.environ.update({"DEBUG": "true", "PORTAL_VAR_DIR": tmp, "DJANGO_SETTINGS_MODULE": "portal.settings"})
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SQLITE_PATH"):
        os.environ.pop(name, None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _time(client, username: str, password: str, rounds: int) -> tuple[list[float], set[int]]:
    durations, statuses = [], set()
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.post("/login/", {"username": username, "password": password})
        durations.append((time.perf_counter() - started) * 1000)
        statuses.add(response.status_code)
        client.cookies.clear()
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
        from django.test import Client

        from portal.models import User

        user = User.objects.create_user("timing-user", password=RIGHT)
        client = Client()
        rows = []

        def measure(label, username, password):
            durations, statuses = _time(client, username, password, args.rounds)
            rows.append((label, durations, statuses))

        measure("right password", user.username, RIGHT)
        # Failures are measured below the lockout limit: reset the counter between attempts.
        for label, name in (("wrong password, user exists", user.username), ("unknown username", "nobody-x")):
            durations, statuses = [], set()
            for _ in range(args.rounds):
                reset(username=name)
                d, s = _time(client, name, "Wrong-passphrase-1", 1)
                durations += d
                statuses |= s
            rows.append((label, durations, statuses))
        for name in (user.username, "nobody-y"):
            reset(username=name)
            _time(client, name, "Wrong-passphrase-1", settings.AXES_FAILURE_LIMIT)
        measure("locked out, user exists, right password", user.username, RIGHT)
        measure("locked out, unknown username", "nobody-y", RIGHT)

        hasher = get_hasher()
        print(f"hasher {hasher.algorithm} ({hasher.iterations} iterations), {args.rounds} rounds each")
        print(f"{'attempt':<42}{'median ms':>10}{'p90 ms':>9}  status")
        for label, durations, statuses in rows:
            p90 = statistics.quantiles(durations, n=10)[-1]
            print(f"{label:<42}{statistics.median(durations):>10.1f}{p90:>9.1f}  {sorted(statuses)}")


if __name__ == "__main__":
    main()
