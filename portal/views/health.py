"""``/healthz``: is the database reachable, is the broker reachable. For compose and load balancers."""

import time

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, connection.vendor
    except Exception as exc:
        return False, type(exc).__name__


def _check_broker() -> tuple[bool, str]:
    from portal.celery import app

    try:
        with app.connection_for_write() as conn:
            # One attempt: a probe answers at once and the prober (compose, load balancer) retries.
            conn.ensure_connection(max_retries=0, timeout=2)
            return True, conn.transport_cls if isinstance(
                conn.transport_cls, str
            ) else conn.transport.driver_name
    except Exception as exc:
        return False, type(exc).__name__


@never_cache
def healthz(request):
    started = time.monotonic()
    db_ok, db_detail = _check_database()
    broker_ok, broker_detail = _check_broker()
    ok = db_ok and broker_ok
    return JsonResponse(
        {
            "status": "ok" if ok else "unavailable",
            "database": {"ok": db_ok, "detail": db_detail},
            "broker": {"ok": broker_ok, "detail": broker_detail},
            "elapsed_ms": round((time.monotonic() - started) * 1000, 1),
        },
        status=200 if ok else 503,
    )
