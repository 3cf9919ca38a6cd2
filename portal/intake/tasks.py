"""Worker tasks of bulk intake. Thin: ``portal.intake.services`` does the work."""

from celery import shared_task
from django.conf import settings

from portal.intake.services import job_run, jobs_sweep


@shared_task(name="portal.intake.run", acks_late=True, time_limit=settings.INTAKE_TIME_LIMIT_SECONDS)
def run_import(job_id: int) -> str:
    """Run one queued import job; a second delivery of the same task finds it taken and does nothing."""
    job = job_run(job_id=job_id)
    return job.status if job is not None else "skipped"


@shared_task(name="portal.intake.sweep")
def sweep() -> dict:
    """Beat: recover jobs of dead workers and publish again jobs whose task was lost."""
    return jobs_sweep()
