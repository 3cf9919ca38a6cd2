"""Celery tasks of the exchange. Thin: each calls one service.

Delivery and flush tasks run on the department's own queue (``exchange.<department>``) so a slow
department cannot starve the others; so do the per-department poll and re-query, fanned out by beat tasks on
``default``.
"""

from celery import shared_task
from celery.signals import worker_init

from exchange import services
from exchange.choices import Department
from exchange.services.common import queue_for


@worker_init.connect
def _size_department_slots(sender=None, **_kwargs):
    from exchange.services.delivery import size_slots_for_pool

    size_slots_for_pool(getattr(sender, "concurrency", None) or 6)


@shared_task(name="exchange.flush", acks_late=True, ignore_result=True)
def flush(message_type: str, sender_id: int) -> int:
    return len(services.messages_flush(message_type=message_type, sender_id=sender_id))


@shared_task(name="exchange.deliver", acks_late=True, ignore_result=True)
def deliver(envelope_pk: int, department: str | None = None, token: str | None = None) -> str:
    return services.envelope_deliver(envelope_pk, department, token)


@shared_task(name="exchange.sweep", ignore_result=True)
def sweep() -> dict:
    return services.outbox_sweep()


@shared_task(name="exchange.poll", ignore_result=True)
def poll(department: str) -> dict:
    return services.receipts_poll(department=department)


@shared_task(name="exchange.poll_all", ignore_result=True)
def poll_all() -> None:
    for department in Department.values:
        poll.apply_async(args=[department], queue=queue_for(department), expires=60)


@shared_task(name="exchange.requery", ignore_result=True)
def requery(department: str) -> dict:
    return services.messages_requery_overdue(department=department)


@shared_task(name="exchange.requery_overdue", ignore_result=True)
def requery_overdue() -> None:
    for department in Department.values:
        requery.apply_async(args=[department], queue=queue_for(department), expires=60)
