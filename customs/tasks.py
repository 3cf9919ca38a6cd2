"""Worker tasks of customs. Thin: the logic is in services."""

from celery import shared_task


@shared_task(name="customs.summary_deadlines")
def summary_deadlines() -> dict:
    """Daily (beat): summary deadline reminders and overdue flags (``customs.services.reminders``)."""
    from customs.services.reminders import summary_reminders_send

    return summary_reminders_send()
