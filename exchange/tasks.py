"""Celery tasks of the exchange. Thin: each locks nothing itself and calls one service.

Delivery and flush tasks run on the department's own queue (``exchange.<department>``) so a slow
department cannot starve the others; the sweeper, poller and overdue checks run from beat on ``default``.
"""

from celery import shared_task

from exchange import services


@shared_task(name="exchange.flush", acks_late=True, ignore_result=True)
def flush(message_type: str, sender_id: int) -> int:
    return len(services.flush_pending(message_type=message_type, sender_id=sender_id))


@shared_task(name="exchange.deliver", acks_late=True, ignore_result=True)
def deliver(envelope_pk: int) -> str:
    return services.envelope_deliver(envelope_pk)


@shared_task(name="exchange.sweep", ignore_result=True)
def sweep() -> dict:
    return services.sweep()


@shared_task(name="exchange.poll", ignore_result=True)
def poll(department: str) -> dict:
    return services.poll_department(department)


@shared_task(name="exchange.poll_all", ignore_result=True)
def poll_all() -> None:
    from exchange.choices import Department

    for department in Department.values:
        poll.apply_async(args=[department], queue=f"exchange.{department}", expires=60)


@shared_task(name="exchange.requery_overdue", ignore_result=True)
def requery_overdue() -> dict:
    return services.requery_overdue()
