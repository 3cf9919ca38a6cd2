"""A monthly summary's preview and submission as worker jobs (ADR 0024, "Jobs").

``summary_preview_start`` and ``summary_submit_start`` check what can be checked at once (the month, the
grouping flag, the acting organisation's authority, the summary's status, a job already running), record a
QUEUED ``SummaryJob`` and publish the task ``customs.summary_job`` by name once the transaction commits (the
task module imports these services, never the reverse). ``summary_job_run`` — what the task calls — claims the
job, runs ``summary_preview`` or ``summary_submit`` and finishes the job in that same transaction: a failure
rolls the summary back to what it was and records the reason, in the language of whoever started the job.

Every start goes through the worker, whatever the month's size: one code path. Progress — the step the
service has reached and, within the long steps, how many lists of how many — goes to the cache (the job's
row is inside the service's transaction until the end); ``customs.summary_job_progress.snapshot`` reads it
for the pages and the API.

A job unfinished past ``CUSTOMS_SUMMARY_JOB_STALE_SECONDS`` (queued that long, or running that long: the
task's time limit) lost its worker or its task. ``summary_jobs_sweep`` (beat, ``customs-summary-jobs-sweep``)
fails every such job, audited, and tells the consignor's people (and the agent's, when an agent started it)
in one digest per enterprise; a new start of the same month does the same for that month first.
"""

import logging
from datetime import date

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customs import summary_job_progress as progress
from customs.choices import DocumentType, SummaryFlag
from customs.models import ACTIVE_JOB, SummaryDeclaration, SummaryJob, SummaryJobStatus
from customs.selectors.summaries import eligible_lists
from customs.services import authority
from customs.services import summaries as work
from customs.services.common import field_error
from customs.workflows import SUMMARY
from portal.choices import AuditVerb
from portal.services.audit import audit
from portal.services.notifications import Digest, enterprise_staff, notify
from portal.statemachine import TransitionNotAllowed
from portal.workflow import lock

log = logging.getLogger(__name__)
TASK = "customs.summary_job"
SWEEP_BATCH = 200
LOST = gettext_lazy(
    "The job did not finish in time (its worker stopped or it ran past the time limit); nothing was changed. "
    "Start it again."
)
LOST_TITLE = gettext_lazy("The %(action)s of the %(month)s summary did not finish")
LOST_BODY = gettext_lazy(
    "Its worker stopped or it ran past the time limit; nothing was changed. Start it again from the "
    "summaries page."
)
LOST_DIGEST = gettext_lazy("%(count)d summary jobs did not finish")
LOST_LINE = gettext_lazy("The %(action)s of %(month)s")


class SummaryJobRunning(TransitionNotAllowed):
    """A job of the same consignor and month is queued or running (409 in the API, a message in pages)."""

    def __init__(self, job: SummaryJob):
        self.current, self.verb, self.label, self.job = job.status, job.action, "summary", job
        Exception.__init__(
            self,
            _("A summary of %(month)s is already being prepared or sent; wait for it to finish.")
            % {"month": f"{job.period:%Y-%m}"},
        )


# --- starting ---------------------------------------------------------------------------------------------
@transaction.atomic
def summary_preview_start(
    *,
    consignor,
    month,
    by,
    summary_flag: str = SummaryFlag.CONSIGNOR_OWNER,
    item_name_flag: bool = True,
    filer=None,
    today: date | None = None,
) -> SummaryJob:
    """Queue the month's preview (made or refreshed). ``ValidationError`` (field ``month``) when the month
    has not ended or has no list waiting; ``SummaryJobRunning`` when a job of that month is not finished."""
    period = work.first_of_month(month)
    work.check_month(period, today)
    if summary_flag not in SummaryFlag.values:
        raise field_error(
            "summary_flag", "choice", _("Choose 1 (by consignor) or 2 (consignor and producer).")
        )
    filer = authority.acting_organisation(by, filer)
    authority.parties_for(owner=consignor, filer=filer, document_type=DocumentType.SUMMARY)
    if not eligible_lists(consignor, period).filter(summary__isnull=True).exists():
        raise work.nothing_waiting(period)
    params = {"summary_flag": summary_flag, "item_name_flag": bool(item_name_flag)}
    return _create(consignor, filer, SummaryJob.PREVIEW, period, None, params, by)


@transaction.atomic
def summary_submit_start(*, summary: SummaryDeclaration, by, filer=None) -> SummaryJob:
    """Queue the preview's submission (CEB701). ``TransitionNotAllowed`` (409) when it is not a preview."""
    filer = authority.acting_organisation(by, filer)
    (summary,) = lock(summary)
    # Who before what: a caller who may not file for this consignor is refused (403) whatever its state.
    authority.parties_for(owner=summary.owner, filer=filer, document_type=DocumentType.SUMMARY)
    SUMMARY.target(summary.status, "submit")
    return _create(summary.owner, filer, SummaryJob.SUBMIT, summary.period, summary, {}, by)


def _create(owner, filer, action, period, summary, params, by) -> SummaryJob:
    _expire_stale(owner, period)
    running = SummaryJob.objects.filter(owner=owner, period=period, status__in=ACTIVE_JOB).first()
    if running is not None:
        raise SummaryJobRunning(running)
    job = SummaryJob(
        owner=owner,
        filer=filer,
        action=action,
        period=period,
        summary=summary,
        params=params,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        created_by=by,
        updated_by=by,
    )
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:  # a start racing this one won the partial unique constraint
        raise SummaryJobRunning(job) from None
    audit(verb=AuditVerb.CREATE, target=job, actor=by, to_state=job.status, payload={"action": action})
    transaction.on_commit(lambda: enqueue(job.pk))
    return job


def _expire_stale(owner, period) -> None:
    """Fail this month's lost job, if any, so the month can be started again (its work never committed)."""
    _sweep(SummaryJob.objects.filter(owner=owner, period=period), timezone.now())


def _stale(now) -> Q:
    """Queued past the stale limit (its task was lost), or running past it (the task's time limit)."""
    limit = now - timezone.timedelta(seconds=progress.stale_seconds())
    return Q(status=SummaryJobStatus.QUEUED, created_at__lt=limit) | Q(
        status=SummaryJobStatus.RUNNING, started_at__lt=limit
    )


def summary_jobs_sweep(*, now=None) -> int:
    """Fail every job unfinished past the stale limit (beat); returns how many. Idempotent: each job is
    failed once, under its row lock (``skip_locked``: one finishing right now is left to finish), and a late
    finish of a failed job is refused, so its work rolls back."""
    return len(_sweep(SummaryJob.objects.all(), now or timezone.now()))


def _sweep(jobs, now) -> list[SummaryJob]:
    ids = list(jobs.filter(_stale(now)).order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH])
    failed = [job for job in (_expire(pk, now) for pk in ids) if job is not None]
    if failed:
        _tell(failed)
    return failed


@transaction.atomic
def _expire(pk: int, now) -> SummaryJob | None:
    job = SummaryJob.objects.select_for_update(skip_locked=True).filter(_stale(now), pk=pk).first()
    if job is None:
        return None
    before = job.status
    with translation.override(job.language or settings.LANGUAGE_CODE):
        message = str(LOST)
    job.status, job.message, job.finished_at = SummaryJobStatus.FAILED, message, now
    job.save(update_fields=["status", "message", "finished_at", "updated_at"])
    with translation.override("en"):
        reason = str(LOST)
    audit(
        verb=AuditVerb.UPDATE,
        target=job,
        actor=None,
        from_state=before,
        to_state=SummaryJobStatus.FAILED,
        reason=reason,
        payload={"action": job.action, "period": f"{job.period:%Y-%m}", "stale": True},
    )
    progress.forget(job)
    return job


def _tell(jobs: list[SummaryJob]) -> None:
    """One notification per lost job to the consignor's people and, when another enterprise started it, to
    that enterprise's; several lost jobs of one enterprise merge into its digest (the portal's policy)."""
    url = reverse("customs:summaries")
    for job in jobs:
        params = {"month": f"{job.period:%Y-%m}", "action": dict(SummaryJob.ACTIONS)[job.action]}
        for org_id in dict.fromkeys((job.owner_id, job.filer_id)):
            notify(
                recipients=enterprise_staff(org_id),
                verb="customs.summary_job.lost",
                title=LOST_TITLE,
                body=LOST_BODY,
                params=params,
                target=job,
                url=url,
                digest=Digest(key=f"customs.summary_job.lost.{org_id}", title=LOST_DIGEST, line=LOST_LINE),
            )


def enqueue(job_id: int) -> None:
    """Publish the job's task by name; if the broker is down the job fails as stale and can be restarted."""
    try:
        current_app.tasks[TASK].apply_async(args=[job_id], queue=settings.CUSTOMS_SUMMARY_QUEUE)
    except Exception:
        log.warning("could not publish summary job %s", job_id, exc_info=True)


# --- running ----------------------------------------------------------------------------------------------
def summary_job_run(*, job_id: int) -> SummaryJob | None:
    """Run a queued job to its end (the Celery task calls this). None when it was not queued (taken by
    another delivery, or expired): running a task twice is harmless."""
    job = _claim(job_id)
    if job is None:
        return None
    with translation.override(job.language):
        try:
            with transaction.atomic():
                summary = _work(job)
                _finish(job, SummaryJobStatus.SUCCEEDED, summary=summary)
        except (ValidationError, TransitionNotAllowed, PermissionDenied) as exc:
            _fail(job, _reason(exc))
        except Exception:
            log.exception("summary job %s failed", job.pk)
            _fail(job, _("A system error stopped the job; nothing was changed. Try again later."))
    progress.forget(job)
    job.refresh_from_db()
    return job


@transaction.atomic
def _claim(job_id: int) -> SummaryJob | None:
    job = SummaryJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.status != SummaryJobStatus.QUEUED:
        return None
    job.status, job.started_at = SummaryJobStatus.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at", "updated_at"])
    progress.report(job, "")
    return job


def _work(job: SummaryJob) -> SummaryDeclaration:
    def step(phase, done=None, total=None):
        progress.report(job, phase, done, total)

    if job.action == SummaryJob.SUBMIT:
        return work.summary_submit(summary=job.summary, by=job.created_by, filer=job.filer, progress=step)
    return work.summary_preview(
        consignor=job.owner,
        month=job.period,
        by=job.created_by,
        filer=job.filer,
        summary_flag=job.params.get("summary_flag", SummaryFlag.CONSIGNOR_OWNER),
        item_name_flag=job.params.get("item_name_flag", True),
        progress=step,
    )


def _finish(job: SummaryJob, status: str, *, summary=None, message: str = "") -> None:
    """Only a RUNNING job is finished: one expired meanwhile stays failed (and its work is rolled back)."""
    updated = SummaryJob.objects.filter(pk=job.pk, status=SummaryJobStatus.RUNNING).update(
        status=status,
        summary=summary or job.summary,
        message=message[:500],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if not updated:
        raise ValidationError(str(LOST))


@transaction.atomic
def _fail(job: SummaryJob, message: str) -> None:
    updated = SummaryJob.objects.filter(pk=job.pk, status=SummaryJobStatus.RUNNING).update(
        status=SummaryJobStatus.FAILED, message=message[:500], finished_at=timezone.now()
    )
    if not updated:  # expired meanwhile: already failed, and said so
        return
    audit(
        verb=AuditVerb.UPDATE,
        target=job,
        actor=job.created_by,
        to_state=SummaryJobStatus.FAILED,
        reason=message[:500],
        payload={"action": job.action},
    )


def _reason(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("You may not do this.")
