"""Progress of a running job, readable while the job's rows are being saved.

The persist step runs in one long transaction, so nothing it writes to the job row is visible until the
end. Progress therefore goes to the cache (always) and, outside that transaction, to the row in short
statements of its own; the polling endpoints read the cache first. The cache entry doubles as the job's
heartbeat for the sweeper.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from portal.intake.choices import TERMINAL, ImportPhase, ImportStatus

# Where each phase sits on the bar (percent from, percent to).
SPAN = {ImportPhase.READING: (0, 30), ImportPhase.VALIDATING: (30, 60), ImportPhase.SAVING: (60, 100)}


def _key(job) -> str:
    return f"portal.intake.progress:{job.public_id}"


def report(job, *, done: int, total: int | None = None, phase: str | None = None) -> None:
    value = {
        "phase": phase or job.phase or ImportPhase.READING,
        "done": int(done),
        "total": total if total is not None else job.rows_total,
        "at": time.time(),
    }
    cache.set(_key(job), value, timeout=settings.INTAKE_STALE_SECONDS * 2)


def last_seen(job) -> float | None:
    """When the job last reported progress to the cache (epoch seconds), or None."""
    value = cache.get(_key(job))
    return value["at"] if value else None


def forget(job) -> None:
    cache.delete(_key(job))


def snapshot(job) -> dict:
    """``{status, phase, done, total, percent, finished}``: the row, overlaid by the cache while running."""
    phase, done, total = job.phase, job.rows_done, job.rows_total
    if job.status == ImportStatus.RUNNING:
        cached = cache.get(_key(job))
        if cached:
            phase, done, total = cached["phase"], cached["done"], cached["total"]
    finished = job.status in TERMINAL
    if finished:
        percent = 100
    elif job.status == ImportStatus.QUEUED or phase not in SPAN:
        percent = 0
    else:
        low, high = SPAN[phase]
        fraction = min(done / total, 1) if total else 0
        percent = int(low + (high - low) * fraction)
    return {
        "status": job.status,
        "phase": phase or "",
        "done": done or 0,
        "total": total,
        "percent": percent,
        "finished": finished,
    }


# What an importer's counts (``persist``'s return value) mean, for the job page; an unknown name shows as is.
COUNT_LABELS = {
    "created": pgettext_lazy("import count", "Saved as new"),
    "unchanged": pgettext_lazy("import count", "Already there, unchanged"),
}


def count_lines(counts: dict | None) -> list[tuple[str, int]]:
    """``{"created": 2}`` → ``[("Saved as new", 2)]`` in the reader's language."""
    return [(str(COUNT_LABELS.get(name, name)), value) for name, value in (counts or {}).items()]


def describe(job, snap: dict) -> str:
    """One sentence for the live region, in the reader's language."""
    status = job.status
    if status == ImportStatus.QUEUED:
        return _("Waiting for a worker to start the import.")
    if status == ImportStatus.RUNNING:
        label = ImportPhase(snap["phase"]).label if snap["phase"] in ImportPhase.values else _("Working")
        if snap["total"]:
            return _("%(phase)s: %(done)s of %(total)s rows.") % {
                "phase": label,
                "done": f"{snap['done']:,}",
                "total": f"{snap['total']:,}",
            }
        return _("%(phase)s…") % {"phase": label}
    if status == ImportStatus.SUCCEEDED:
        rows = job.rows_total or 0
        return ngettext("Imported %(rows)s row.", "Imported %(rows)s rows.", rows) % {"rows": f"{rows:,}"}
    if status == ImportStatus.REJECTED:
        if job.message:
            return _("The file was refused: %(reason)s Nothing was saved.") % {"reason": job.message_text}
        return ngettext(
            "%(count)s problem was found; nothing was saved. Download the error workbook, correct the "
            "marked cell and upload it again.",
            "%(count)s problems were found; nothing was saved. Download the error workbook, correct the "
            "marked cells and upload it again.",
            job.problem_count,
        ) % {"count": f"{job.problem_count:,}"}
    if status == ImportStatus.FAILED:
        return job.message_text or _("The import failed; nothing was saved.")
    return _("The import was cancelled; nothing was saved.")
