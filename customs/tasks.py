"""Worker tasks of customs. Thin: the logic is in services."""

from celery import shared_task
from django.conf import settings

from customs.services.summary_jobs import summary_job_run, summary_jobs_sweep


@shared_task(name="customs.summary_deadlines")
def summary_deadlines() -> dict:
    """Daily (beat): summary deadline reminders and overdue flags (``customs.services.reminders``)."""
    from customs.services.reminders import summary_reminders_send

    return summary_reminders_send()


@shared_task(
    name="customs.summary_job", acks_late=True, time_limit=settings.CUSTOMS_SUMMARY_JOB_STALE_SECONDS
)
def summary_job(job_id: int) -> str:
    """Run one queued summary job (preview or submit); a second delivery finds it taken and does nothing."""
    job = summary_job_run(job_id=job_id)
    return job.status if job is not None else "skipped"


@shared_task(name="customs.summary_jobs_sweep")
def sweep_summary_jobs() -> int:
    """Beat: fail the summary jobs unfinished past the stale limit and tell their enterprises."""
    return summary_jobs_sweep()
