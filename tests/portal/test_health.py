"""/healthz: 200 when the database and the broker answer, 503 (quickly) when the broker does not."""

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


def test_broker_unreachable_answers_503_after_one_attempt(client, broker_url, monkeypatch):
    """Fast because it tries once with a short timeout (a load balancer retries): the attempt is counted
    rather than timed, so a loaded machine cannot make the test lie either way."""
    from kombu import Connection

    attempts = []
    original = Connection.ensure_connection

    def counted(self, *args, **kwargs):
        attempts.append(kwargs)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Connection, "ensure_connection", counted)
    broker_url(UNREACHABLE_BROKER)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["broker"]["ok"] is False
    assert body["database"]["ok"] is True
    assert len(attempts) == 1 and attempts[0]["max_retries"] == 0 and attempts[0]["timeout"] <= 2, attempts


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
