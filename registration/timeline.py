"""Adds the messages and receipts of a filing's qualification tasks to the filing's own timeline.

The exchange shows the messages whose subject is the object itself; a filing's qualification messages have
the task as subject, so this source brings them onto the filing page (scoped by ``Message.visible_to``).
"""

from exchange.timeline import exchange_timeline
from registration.models import EntityFiling


def qualification_timeline(obj, user) -> list:
    if not isinstance(obj, EntityFiling):
        return []
    entries = []
    for task in obj.qualifications.all():
        entries.extend(exchange_timeline(task, user))
    return entries
