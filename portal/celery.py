"""The Celery application shared by the worker and beat.

Tasks carry the request id of the web request that caused them (a header added at publish time), so an
audit event written by the worker can be traced back to the click that started it.
"""

import os

from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Celery's Django fixup closes every database connection before and after each task unless this is set:
# one new PostgreSQL connection (a backend fork) per task. Measured with bench/exchange.py: 300 deliveries
# opened 300 connections, and PostgreSQL spent more CPU per filing than the worker did. Connections are
# instead recycled by Django's own rule (CONN_MAX_AGE, health checks) in _enter_task_context below.
app.conf.CELERY_DB_REUSE_MAX = 10_000
app.autodiscover_tasks()

_REQUEST_ID_HEADER = "portal_request_id"
_tokens: dict[str, object] = {}


@before_task_publish.connect
def _add_request_id(headers=None, **_kwargs):
    from portal.context import current_request_id

    if headers is not None and _REQUEST_ID_HEADER not in headers:
        headers[_REQUEST_ID_HEADER] = current_request_id()


@task_prerun.connect
def _enter_task_context(task_id=None, task=None, **_kwargs):
    from django.db import close_old_connections

    from portal.context import ActingContext, new_request_id, set_context

    if not getattr(task.request, "is_eager", False):
        close_old_connections()  # drop a connection past CONN_MAX_AGE or broken, as Django does per request

    request_id = getattr(task.request, _REQUEST_ID_HEADER, None) or new_request_id()
    _tokens[task_id] = set_context(ActingContext(user=None, request_id=request_id, via="worker"))


@task_postrun.connect
def _leave_task_context(task_id=None, **_kwargs):
    from portal.context import reset_context

    token = _tokens.pop(task_id, None)
    if token is not None:
        reset_context(token)
