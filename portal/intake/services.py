"""Import jobs: start, run, cancel, sweep. Every status change goes through ``_transition`` and is audited.

Guarantees (ADR 0021):

* All or nothing: the importer's ``persist`` and the SUCCEEDED status commit in one transaction; a
  rejection stores its problems and the error workbook with the REJECTED status, and saves no row.
* One save per job: a run may only finish the attempt it claimed (``attempts`` is compared under the row
  lock), so a worker presumed dead and replaced by the sweeper can never save a second time, and re-running
  a job whose worker died mid-save saves it once: the dead attempt's transaction never committed.
* Progress is visible while rows are saved: it goes to the cache and, outside the persist transaction, to
  the row in short statements (``portal.intake.progress``).
"""

import hashlib
import io
import logging
import uuid
import zipfile
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from portal.choices import AuditVerb
from portal.intake import progress
from portal.intake.choices import TERMINAL, TRANSITIONS, FileFormat, ImportPhase, ImportStatus
from portal.intake.messages import render
from portal.intake.reader import read_xlsx, read_xml
from portal.intake.registry import NotAllowed, Problem, RowProblems, get_importer
from portal.intake.safe_open import (
    FORMAT_NOT_ACCEPTED,
    NOT_A_WORKBOOK,
    TOO_LARGE,
    IntakeRefused,
    Limits,
    check_zip,
    sniff,
)
from portal.intake.workbooks import error_workbook
from portal.models import ImportJob, ImportProblem
from portal.services.audit import audit
from portal.statemachine import check_transition

log = logging.getLogger(__name__)

PROBLEM_BATCH = 1000
SYSTEM_ERROR = gettext_noop(
    "An unexpected error stopped the import; nothing was saved. Upload the file again later, or tell the "
    "portal's operator if it happens again."
)
GAVE_UP = gettext_noop("The import stopped %(attempts)s times without finishing; nothing was saved.")
NO_IMPORTER = gettext_noop("This kind of import is no longer available.")


class Abandoned(Exception):
    """The job is no longer this run's to finish (cancelled, or handed to a new attempt)."""


# --- transitions -------------------------------------------------------------------------------------------


def _transition(job: ImportJob, verb: str, *, by=None, reason: str = "", **changes) -> ImportJob:
    """The one place a job's status changes: check the table, stamp, save, audit. Call it inside a
    transaction with the job locked (``select_for_update``)."""
    before = job.status
    job.status = check_transition(TRANSITIONS, current=job.status, verb=verb, label=_("import"))
    now = timezone.now()
    for field, value in changes.items():
        setattr(job, field, value)
    if verb == "start":
        job.started_at = job.heartbeat_at = now
    if job.status in TERMINAL:
        job.finished_at = now
    job.save()
    audit(
        verb=AuditVerb.TRANSITION,
        target=job,
        actor=by,
        from_state=before,
        to_state=job.status,
        reason=reason,
        payload={"job": str(job.public_id), "kind": job.kind, "attempt": job.attempts, "verb": verb},
    )
    return job


def _locked(job_id: int) -> ImportJob | None:
    return ImportJob.objects.select_for_update().filter(pk=job_id).first()


def _locked_attempt(job: ImportJob, attempt: int) -> ImportJob:
    locked = _locked(job.pk)
    if locked is None or locked.status != ImportStatus.RUNNING or locked.attempts != attempt:
        raise Abandoned
    return locked


# --- starting --------------------------------------------------------------------------------------------


def _refusal(exc: IntakeRefused) -> ValidationError:
    return ValidationError({"file": ValidationError(str(exc), code=exc.code)})


def _read_upload(upload) -> bytes:
    limit = settings.INTAKE_MAX_UPLOAD_BYTES
    too_large = IntakeRefused("too_large", TOO_LARGE, mb=limit // 2**20)
    if getattr(upload, "size", None) and upload.size > limit:
        raise too_large
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise too_large
    return content


def import_start(*, owner, by, kind: str, upload, name: str = "", on_behalf_of=None) -> ImportJob:
    """Store the upload, create the job and queue it after commit.

    Checks what can be checked at once (size, type by content, the name agreeing with it, the zip's
    central directory), so the most common mistakes are field errors on the upload form (``ValidationError``
    on ``file``); the rest is the worker's. ``by`` must belong to ``owner``. ``on_behalf_of``: another
    organisation the rows are for; the importer decides whether ``owner`` may import for it (a field error
    on ``on_behalf_of`` otherwise, and no job), and is asked again when the job runs.
    """
    importer = get_importer(kind)
    if not by.is_superuser and by.organisation_id != owner.pk:
        raise PermissionDenied
    if on_behalf_of is not None and on_behalf_of.pk == owner.pk:
        on_behalf_of = None
    if on_behalf_of is not None:
        _check_on_behalf(importer, organisation=on_behalf_of, filer=owner)
    name = (name or getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
    try:
        content = _read_upload(upload)
        file_format = sniff(content, name)
        if file_format not in importer.formats:
            raise IntakeRefused("format_not_accepted", FORMAT_NOT_ACCEPTED, format=file_format.upper())
        if file_format == FileFormat.XLSX:
            try:
                with zipfile.ZipFile(io.BytesIO(content)) as archive:
                    check_zip(archive, Limits.from_settings())
            except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
                raise IntakeRefused("not_a_workbook", NOT_A_WORKBOOK) from None
    except IntakeRefused as exc:
        raise _refusal(exc) from None
    return _create_job(owner=owner, by=by, kind=kind, content=content, name=name, file_format=file_format,
                       content_type=getattr(upload, "content_type", "") or "",
                       on_behalf_of=on_behalf_of)  # fmt: skip


def _check_on_behalf(importer, *, organisation, filer) -> None:
    refusal = importer.on_behalf_refusal(organisation=organisation, filer=filer)
    if refusal is not None:
        message = render(*refusal)
        raise ValidationError({"on_behalf_of": ValidationError(message, code="not_authorised")})


@transaction.atomic
def _create_job(*, owner, by, kind, content, name, file_format, content_type, on_behalf_of) -> ImportJob:
    job = ImportJob(
        owner=owner,
        on_behalf_of=on_behalf_of,
        kind=kind,
        file_format=file_format,
        original_name=name or f"upload.{file_format}",
        content_type=content_type[:100],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        language=getattr(by, "language", "") or settings.LANGUAGE_CODE,
        enqueued_at=timezone.now(),
        created_by=by,
        updated_by=by,
    )
    job.upload.save(f"{uuid.uuid4().hex}.{file_format}", ContentFile(content), save=False)
    job.save()
    audit(
        verb=AuditVerb.UPLOAD,
        target=job,
        actor=by,
        to_state=job.status,
        reason=f"{job.kind} · {job.original_name} · {job.size} B · SHA-256 {job.sha256}",
        payload={
            "job": str(job.public_id),
            "kind": kind,
            "sha256": job.sha256,
            "size": job.size,
            "on_behalf_of": on_behalf_of.pk if on_behalf_of is not None else None,
        },
    )
    transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(job_id: int) -> None:
    """Publish the job's task (by name: the task module imports these services, ``PortalConfig.ready``
    registers it); if the broker is down the sweeper publishes it later."""
    try:
        current_app.tasks["portal.intake.run"].apply_async(args=[job_id], queue=settings.INTAKE_QUEUE)
    except Exception:
        log.warning("could not publish import job %s; the sweeper will", job_id, exc_info=True)


@transaction.atomic
def import_cancel(*, job: ImportJob, by) -> ImportJob:
    """Cancel a job that has not been saved yet (a running one stops before it saves).

    Only the owner's people may: seeing every organisation's imports (``view_all_importjob``, the
    operator) is not acting on them, as ``import_start`` holds for uploads.
    """
    if not by.is_superuser and by.organisation_id != job.owner_id:
        raise PermissionDenied
    job = _locked(job.pk)
    _transition(job, "cancel", by=by)
    progress.forget(job)
    return job


# --- running ---------------------------------------------------------------------------------------------


def job_run(*, job_id: int) -> ImportJob | None:
    """Run a queued job to its end in this process (the Celery task calls this). Returns None when the job
    was not queued (already taken, finished or cancelled): running it twice is harmless."""
    claimed = _claim(job_id)
    if claimed is None:
        return None
    job, attempt = claimed
    try:
        _run(job, attempt)
    except Abandoned:
        log.info("import job %s attempt %s was taken over or cancelled; nothing saved", job.pk, attempt)
    except Exception:
        log.exception("import job %s failed", job.pk)
        _finish_failed(job, attempt, SYSTEM_ERROR)
    progress.forget(job)
    job.refresh_from_db()
    return job


@transaction.atomic
def _claim(job_id: int):
    job = _locked(job_id)
    if job is None or job.status != ImportStatus.QUEUED:
        return None
    _transition(job, "start", attempts=job.attempts + 1, phase=ImportPhase.READING, rows_done=0)
    return job, job.attempts


def _set_phase(job: ImportJob, attempt: int, phase: str, done: int, total: int | None) -> None:
    """Progress in a statement of its own (autocommit), never inside the persist transaction."""
    job.phase, job.rows_done, job.rows_total = phase, done, total
    progress.report(job, done=done, total=total, phase=phase)
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING, attempts=attempt).update(
        phase=phase, rows_done=done, rows_total=total, heartbeat_at=timezone.now()
    )
    if not updated:
        raise Abandoned


def _run(job: ImportJob, attempt: int) -> None:
    try:
        importer = get_importer(job.kind)
    except LookupError:
        _finish_failed(job, attempt, NO_IMPORTER)
        return
    if job.on_behalf_of_id is not None:
        refusal = importer.on_behalf_refusal(organisation=job.on_behalf_of, filer=job.owner)
        if refusal is not None:  # e.g. the authorisation was revoked between upload and run
            _finish_failed(job, attempt, refusal[0], **refusal[1])
            return
    try:
        with job.upload.open("rb") as handle:
            content = handle.read()
        if job.file_format == FileFormat.XML:
            result = read_xml(content, importer, job=job)
        else:
            result = read_xlsx(content, importer)
    except IntakeRefused as exc:
        _finish_refused(job, attempt, exc)
        return
    total = len(result.rows)
    _set_phase(job, attempt, ImportPhase.VALIDATING, 0, total)
    bad_rows = {p.row for p in result.problems} if result.problem_count else set()
    if result.problem_count and len(result.problems) < result.problem_count:
        bad_rows = None  # not every problem was kept: do not guess which rows are clean
    clean = [row for row in result.rows if row["_row"] not in bad_rows] if bad_rows is not None else []
    domain = [Problem(*p) for p in importer.validate(clean, job=job)] if clean else []
    problems = sorted(result.problems + domain, key=lambda p: (p.row is not None, p.row or 0))
    count = result.problem_count + len(domain)
    if count:
        _finish_rejected(job, attempt, importer, result, problems, count)
        return
    _set_phase(job, attempt, ImportPhase.SAVING, 0, total)
    try:
        _finish_succeeded(job, attempt, importer, result.rows)
    except RowProblems as exc:
        _finish_rejected(job, attempt, importer, result, exc.problems, len(exc.problems))
    except NotAllowed as exc:
        _finish_failed(job, attempt, exc.message_id, **exc.params)


def _finish_succeeded(job: ImportJob, attempt: int, importer, rows: list[dict]) -> None:
    with transaction.atomic():
        locked = _locked_attempt(job, attempt)
        counts = importer.persist(rows, job=locked) or {}
        counts = {str(k): int(v) for k, v in counts.items()}
        _transition(locked, "succeed", counts=counts, rows_done=len(rows), rows_total=len(rows), phase="")


def _finish_rejected(job, attempt, importer, result, problems, count) -> None:
    keep = settings.INTAKE_MAX_PROBLEMS_STORED
    problems = problems[:keep]
    with override(job.language or settings.LANGUAGE_CODE):
        content = error_workbook(importer, result, problems, language=job.language, problem_count=count)
    with transaction.atomic():
        locked = _locked_attempt(job, attempt)
        _store_problems(locked, problems)
        locked.error_workbook.save(f"{uuid.uuid4().hex}.xlsx", ContentFile(content), save=False)
        _transition(locked, "reject", problem_count=count, phase="", reason=f"{count} problems")


def _finish_refused(job: ImportJob, attempt: int, exc: IntakeRefused) -> None:
    with transaction.atomic():
        locked = _locked_attempt(job, attempt)
        _store_problems(locked, [Problem(None, "", exc.code, exc.message_id, exc.params)])
        with override("en"):
            reason = str(exc)
        _transition(locked, "reject", problem_count=1, phase="", message=exc.message_id,
                    message_params=_jsonable(exc.params), reason=reason)  # fmt: skip


def _finish_failed(job: ImportJob, attempt: int, message_id: str, **params) -> None:
    params = _jsonable(params)
    with override("en"):
        reason = render(message_id, params)
    try:
        with transaction.atomic():
            locked = _locked_attempt(job, attempt)
            _transition(locked, "fail", phase="", message=message_id, message_params=params, reason=reason)
    except Abandoned:
        pass


def _jsonable(params: dict) -> dict:
    return {
        k: v if isinstance(v, int | float | str | bool) or v is None else str(v) for k, v in params.items()
    }


def _store_problems(job: ImportJob, problems: list[Problem]) -> None:
    job.problems.all().delete()
    batch = []
    for problem in problems:
        batch.append(
            ImportProblem(
                job=job,
                row=problem.row,
                column=problem.column[:64],
                code=problem.code[:40],
                message=problem.message_id[:300],
                params=_jsonable(problem.params or {}),
            )
        )
        if len(batch) >= PROBLEM_BATCH:
            ImportProblem.objects.bulk_create(batch)
            batch = []
    if batch:
        ImportProblem.objects.bulk_create(batch)


# --- recovery --------------------------------------------------------------------------------------------


def jobs_sweep(*, now=None) -> dict[str, int]:
    """Requeue running jobs whose worker died (or fail them after ``INTAKE_MAX_ATTEMPTS``), and publish
    again queued jobs whose task never started. Idempotent; a job being saved right now is locked and
    skipped, and one that reported progress recently is left alone."""
    now = now or timezone.now()
    stale_before = now - timedelta(seconds=settings.INTAKE_STALE_SECONDS)
    done = {"requeued": 0, "failed": 0, "republished": 0}
    for job_id in ImportJob.objects.filter(
        status=ImportStatus.RUNNING, heartbeat_at__lt=stale_before
    ).values_list("pk", flat=True)[:100]:
        outcome = _recover(job_id, stale_before, now)
        if outcome:
            done[outcome] += 1
    republish_before = now - timedelta(seconds=settings.INTAKE_REQUEUE_SECONDS)
    for job_id in ImportJob.objects.filter(
        status=ImportStatus.QUEUED, enqueued_at__lt=republish_before
    ).values_list("pk", flat=True)[:100]:
        # Conditional: two sweepers never both publish the same job in the same window.
        if ImportJob.objects.filter(pk=job_id, enqueued_at__lt=republish_before).update(enqueued_at=now):
            enqueue(job_id)
            done["republished"] += 1
    return done


def _recover(job_id: int, stale_before, now) -> str | None:
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(skip_locked=True)
            .filter(pk=job_id, status=ImportStatus.RUNNING, heartbeat_at__lt=stale_before)
            .first()
        )
        if job is None:
            return None
        seen = progress.last_seen(job)
        if seen is not None and seen > stale_before.timestamp():
            return None
        if job.attempts >= settings.INTAKE_MAX_ATTEMPTS:
            _transition(job, "fail", phase="", message=GAVE_UP, message_params={"attempts": job.attempts})
            return "failed"
        _transition(job, "requeue", phase="", enqueued_at=now, reason="worker stopped responding")
        transaction.on_commit(lambda: enqueue(job_id))
        return "requeued"
