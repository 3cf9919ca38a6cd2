"""Progress of a summary job (``customs.services.summary_jobs``), readable while its transaction runs.

The service reports the step it has reached (``grouping``, ``saving``; ``reserving``, ``message``) to the
cache, as ``portal.intake.progress`` does: the job's row is written in the same transaction as the work, so
it says RUNNING until the end. ``snapshot`` overlays the cache on the row for the page and the API.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customs.models import SummaryJob, SummaryJobStatus

# Where each step sits on the bar (percent) and what it says.
STEPS = {
    "": (5, gettext_lazy("Starting")),
    "grouping": (20, gettext_lazy("Totalling the month's lists")),
    "saving": (80, gettext_lazy("Saving the preview")),
    "reserving": (20, gettext_lazy("Reserving the month's lists")),
    "message": (70, gettext_lazy("Writing the message to customs")),
}


def _key(job) -> str:
    return f"customs.summary_job:{job.pk}"


def stale_seconds() -> int:
    """How long a job may stay unfinished before it counts as lost (also the task's time limit)."""
    return int(getattr(settings, "CUSTOMS_SUMMARY_JOB_STALE_SECONDS", 1800))


def report(job, phase: str) -> None:
    cache.set(_key(job), {"phase": phase, "at": time.time()}, timeout=stale_seconds())


def forget(job) -> None:
    cache.delete(_key(job))


def snapshot(job: SummaryJob) -> dict:
    """``{status, phase, percent, finished, text}`` of the job for the reader, in the reader's language."""
    phase = job.phase
    if job.status == SummaryJobStatus.RUNNING:
        cached = cache.get(_key(job))
        phase = cached["phase"] if cached else ""
    finished = job.finished
    if finished:
        percent = 100
    elif job.status == SummaryJobStatus.QUEUED:
        percent = 0
    else:
        percent = STEPS.get(phase, STEPS[""])[0]
    return {
        "status": job.status,
        "phase": phase,
        "percent": percent,
        "finished": finished,
        "text": describe(job, phase),
    }


def describe(job: SummaryJob, phase: str) -> str:
    if job.status == SummaryJobStatus.QUEUED:
        return _("Waiting for a worker to start.")
    if job.status == SummaryJobStatus.RUNNING:
        return _("%(step)s…") % {"step": STEPS.get(phase, STEPS[""])[1]}
    if job.status == SummaryJobStatus.FAILED:
        return job.message or _("The job failed; nothing was changed.")
    if job.action == SummaryJob.SUBMIT:
        return _("The summary was sent to customs.")
    return _("The preview is ready.")
