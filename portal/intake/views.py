"""Pages' side of bulk intake: live progress (JSON for ``data-progress-url``), the error workbook and the
template downloads. Jobs are looked up only through ``visible_to``: another organisation's job is 404."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.choices import AuditVerb
from portal.intake import progress
from portal.intake.choices import ImportStatus
from portal.intake.registry import get_importer
from portal.intake.workbooks import build_template
from portal.models import ImportJob
from portal.services.audit import audit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def column_header(kind: str, key: str) -> str:
    """A column's header in the reader's language (the key itself if the importer is gone)."""
    try:
        columns = {c.key: c for c in get_importer(kind).columns}
    except LookupError:
        return key
    column = columns.get(key)
    if column is None:
        return key
    return column.header_zh if (get_language() or "").startswith("zh") else column.header_en


def open_error_workbook(job: ImportJob, user) -> FileResponse:
    audit(
        verb=AuditVerb.DOWNLOAD,
        target=job,
        actor=user,
        reason=f"error workbook of {job.original_name}",
        payload={"job": str(job.public_id)},
    )
    stem = job.original_name.rsplit(".", 1)[0][:80] or "import"
    response = FileResponse(
        job.error_workbook.open("rb"), as_attachment=True, filename=f"{stem}-errors.xlsx", content_type=XLSX
    )
    response["Cache-Control"] = "no-store"
    return response


def progress_payload(job: ImportJob) -> dict:
    snap = progress.snapshot(job)
    result_url = None
    if job.status == ImportStatus.SUCCEEDED:
        try:
            result_url = get_importer(job.kind).result_url(job)
        except LookupError:
            result_url = None
    return {
        "percent": snap["percent"],
        "state": job.status,
        "phase": snap["phase"],
        "rows_done": snap["done"],
        "rows_total": snap["total"],
        "message": progress.describe(job, snap),
        "done": snap["finished"],
        "result_url": result_url,
        "problem_count": job.problem_count,
        "error_workbook_url": reverse("portal:import-error-workbook", args=[job.public_id])
        if job.error_workbook
        else None,
    }


@never_cache
@require_GET
@login_required
def import_progress(request, public_id):
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), public_id=public_id)
    return JsonResponse(progress_payload(job))


@require_GET
@login_required
def import_error_workbook(request, public_id):
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), public_id=public_id)
    if not job.error_workbook:
        raise Http404
    return open_error_workbook(job, request.user)


@require_GET
@login_required
def import_template(request, kind):
    try:
        importer = get_importer(kind)
    except LookupError:
        raise Http404 from None
    response = HttpResponse(build_template(importer), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    return response
