"""Progress of a summary job (``customs.services.summary_jobs``), readable while its transaction runs.

The service reports the step it has reached and, within the long steps, how many lists it has done of how
many (``report(job, phase, done, total)``) to the cache, as ``portal.intake.progress`` does: the job's row is
written in the same transaction as the work, so it says RUNNING until the end. ``Ticker`` keeps the reports
to one every ``EVERY_ROWS`` rows or every ``EVERY_SECONDS`` (never one per list), so the job's queries and
cache writes do not grow with the month. ``snapshot`` overlays the cache on the row for the page and the API.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customs.models import SummaryJob, SummaryJobStatus

EVERY_ROWS = 50_000
EVERY_SECONDS = 1.0

# Where each step sits on the bar (percent from, to) and what it says. A step with a count fills its span
# as ``done / total`` grows.
STEPS = {
    "": (5, 5, gettext_lazy("Starting")),
    "counting": (10, 40, gettext_lazy("Counting the month's lists")),
    "grouping": (40, 80, gettext_lazy("Totalling the month's lists")),
    "saving": (80, 95, gettext_lazy("Saving the preview")),
    "reserving": (5, 60, gettext_lazy("Reserving the month's lists")),
    "numbers": (60, 70, gettext_lazy("Reading the lists' customs numbers")),
    "message": (70, 95, gettext_lazy("Writing the message to customs")),
}


def _key(job) -> str:
    return f"customs.summary_job:{job.pk}"


def stale_seconds() -> int:
    """How long a job may stay unfinished before it counts as lost (also the task's time limit)."""
    return int(getattr(settings, "CUSTOMS_SUMMARY_JOB_STALE_SECONDS", 1800))


def report(job, phase: str, done: int | None = None, total: int | None = None) -> None:
    value = {"phase": phase, "done": done, "total": total, "at": time.time()}
    cache.set(_key(job), value, timeout=stale_seconds())


def forget(job) -> None:
    cache.delete(_key(job))


class Ticker:
    """``tick(done)`` for each row of a long step; reports ``done`` of ``total`` at most every ``every`` rows
    or ``seconds``, whichever comes first (the clock is read once per 1,024 rows), and once at the end."""

    def __init__(self, step, phase: str, total: int | None, *, every=None, seconds=None):
        self.step, self.phase, self.total = step, phase, total
        self.every = every or EVERY_ROWS
        self.seconds = EVERY_SECONDS if seconds is None else seconds
        self.next_done, self.next_at = self.every, time.monotonic() + self.seconds
        self.done = 0
        step(phase, 0, total)

    def __call__(self, done: int) -> None:
        self.done = done
        if done >= self.next_done or (not done % 1024 and time.monotonic() >= self.next_at):
            self._report()

    def _report(self) -> None:
        self.step(self.phase, self.done, self.total)
        self.next_done, self.next_at = self.done + self.every, time.monotonic() + self.seconds

    def counted(self, rows):
        """``rows`` unchanged, ticking as they are consumed."""
        n = 0
        for n, row in enumerate(rows, start=1):
            yield row
            self(n)
        self.done = n
        self._report()


def _percent(phase: str, done, total) -> int:
    low, high, _label = STEPS.get(phase, STEPS[""])
    if not total or done is None:
        return low
    return int(low + (high - low) * min(done / total, 1))


def snapshot(job: SummaryJob) -> dict:
    """``{status, phase, done, total, percent, finished, text}`` of the job for the reader, in the reader's
    language."""
    phase, done, total = job.phase, None, None
    if job.status == SummaryJobStatus.RUNNING:
        cached = cache.get(_key(job)) or {}
        phase, done, total = cached.get("phase", ""), cached.get("done"), cached.get("total")
    finished = job.finished
    if finished:
        percent = 100
    elif job.status == SummaryJobStatus.QUEUED:
        percent = 0
    else:
        percent = _percent(phase, done, total)
    return {
        "status": job.status,
        "phase": phase,
        "done": done,
        "total": total,
        "percent": percent,
        "finished": finished,
        "text": describe(job, phase, done, total),
    }


def describe(job: SummaryJob, phase: str, done=None, total=None) -> str:
    if job.status == SummaryJobStatus.QUEUED:
        return _("Waiting for a worker to start.")
    if job.status == SummaryJobStatus.RUNNING:
        step = STEPS.get(phase, STEPS[""])[2]
        if total and done is not None:
            return _("%(step)s: %(done)s of %(total)s lists…") % {
                "step": step,
                "done": f"{done:,}",
                "total": f"{total:,}",
            }
        if total:
            return _("%(step)s: %(total)s lists…") % {"step": step, "total": f"{total:,}"}
        return _("%(step)s…") % {"step": step}
    if job.status == SummaryJobStatus.FAILED:
        return job.message or _("The job failed; nothing was changed.")
    if job.action == SummaryJob.SUBMIT:
        return _("The summary was sent to customs.")
    return _("The preview is ready.")
