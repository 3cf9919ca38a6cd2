"""Point this test process's Celery app at another (Redis) broker for the length of a block."""

from contextlib import contextmanager

from django.conf import settings

from portal.celery import app


def _reset_pools() -> None:
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def use_broker(url: str):
    """Publish to ``url`` with the production Redis transport options (and this session's key prefix)."""
    previous = (
        app.conf.broker_url,
        dict(app.conf.broker_transport_options or {}),
        settings.REDIS_URL,
        settings.CELERY_BROKER_URL,
    )
    _reset_pools()
    app.conf.broker_url = url
    app.conf.broker_transport_options = {
        **settings.REDIS_TRANSPORT_OPTIONS,
        "global_keyprefix": f"test-{settings.TEST_TAG}:",
    }
    settings.REDIS_URL = url
    settings.CELERY_BROKER_URL = url
    try:
        yield
    finally:
        _reset_pools()
        (
            app.conf.broker_url,
            app.conf.broker_transport_options,
            settings.REDIS_URL,
            settings.CELERY_BROKER_URL,
        ) = previous
