"""/healthz: 200 when the database and the broker answer, 503 (quickly) when the broker does not."""

import time

import pytest

pytestmark = pytest.mark.django_db

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_url():
    """Point the Celery app at another broker for one test (the app caches its configuration)."""
    from portal.celery import app

    previous = app.conf.broker_url

    def use(url):
        app.conf.broker_url = url

    yield use
    app.conf.broker_url = previous


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True
    assert body["database"]["detail"] in {"sqlite", "postgresql"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_broker_unreachable_answers_503_fast(client, broker_url):
    broker_url(UNREACHABLE_BROKER)
    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["broker"]["ok"] is False
    assert body["database"]["ok"] is True
    assert elapsed < 1.5, f"the probe took {elapsed:.2f}s; a load balancer would time out first"


def test_database_unreachable_answers_503(client, monkeypatch):
    from django.db import OperationalError

    from portal.views import health

    class Down:
        vendor = "postgresql"

        def cursor(self):
            raise OperationalError("could not connect to server")

    monkeypatch.setattr(health, "connection", Down())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "detail": "OperationalError"}


def test_healthz_needs_no_login_and_no_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/login/").status_code == 301
