"""Bulk-intake jobs and the problems found in their rows (portal.intake; ADR 0021)."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.intake.choices import FileFormat, ImportPhase, ImportStatus
from portal.models.base import ScopedQuerySet, TimeStampedModel
from portal.storage import private_storage


class ImportJobQuerySet(ScopedQuerySet):
    """The uploader's organisation and the organisation it imported for (``on_behalf_of``); operators
    everything. Another organisation acting for the same one does not see the job."""

    owner_path = ""

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.has_perm(self.model.view_all_permission):
            return self
        org = user.organisation_id
        if org is None:
            return self.none()
        path = self.owner_path
        return self.filter(Q(**{f"{path}owner_id": org}) | Q(**{f"{path}on_behalf_of_id": org}))


class ImportProblemQuerySet(ImportJobQuerySet):
    owner_path = "job__"


class ImportJob(TimeStampedModel):
    """One uploaded file imported all-or-nothing by a worker.

    Statuses (``portal.intake.choices.TRANSITIONS``): QUEUED, stored and waiting for a worker; RUNNING, a
    worker reads, checks and saves it; SUCCEEDED, every row was saved (``counts``); REJECTED, the file or
    some rows had problems (``problem_count``; an error workbook marks them) and nothing was saved; FAILED,
    a system error stopped it and nothing was saved; CANCELLED, stopped by a user before it was saved.
    ``attempts`` counts worker runs; a run may only finish the attempt it started, so a worker that was
    presumed dead can never save a second time. The upload and the error workbook are private files.

    ``owner`` is the uploader's organisation. ``on_behalf_of``, when set, is the organisation the rows are
    imported for (a seller, for an agent it authorised): the importer checks that right at upload and again
    when the job runs, and both organisations see the job, its problems and its error workbook.
    """

    public_id = models.UUIDField(_("id"), default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        "portal.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=80, db_index=True)
    file_format = models.CharField(_("format"), max_length=8, choices=FileFormat.choices)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    upload = models.FileField(
        _("file"), storage=private_storage, upload_to="intake/uploads/%Y/%m/", max_length=200
    )
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED, db_index=True
    )
    phase = models.CharField(_("phase"), max_length=12, choices=ImportPhase.choices, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    counts = models.JSONField(_("result"), default=dict, blank=True)
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    error_workbook = models.FileField(
        _("error workbook"),
        storage=private_storage,
        upload_to="intake/errors/%Y/%m/",
        max_length=200,
        blank=True,
    )
    message = models.CharField(_("message"), max_length=300, blank=True)
    message_params = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    owner_field = "owner"
    view_all_permission = "portal.view_all_importjob"
    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "created_at"]),
            models.Index(fields=["status", "heartbeat_at"]),
        ]
        permissions = [("view_all_importjob", _("Can view every organisation's imports"))]

    def __str__(self):
        return f"{self.kind} · {self.original_name}"

    @property
    def message_text(self) -> str:
        from portal.intake.messages import render

        return render(self.message, self.message_params)

    def report_progress(self, done: int, total: int | None = None) -> None:
        """Show progress of the current phase; safe inside ``persist`` (written to the cache, not the row)."""
        from portal.intake.progress import report

        report(self, done=done, total=total)


class ImportProblem(models.Model):
    """One problem of one row (or of the whole file: ``row`` null), rendered in the reader's language."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="problems")
    row = models.PositiveIntegerField(_("row"), null=True, blank=True)
    column = models.CharField(_("column"), max_length=64, blank=True)
    code = models.CharField(_("code"), max_length=40)
    message = models.CharField(_("message"), max_length=300)
    params = models.JSONField(default=dict, blank=True)

    owner_field = "job__owner"
    view_all_permission = "portal.view_all_importjob"
    objects = ImportProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("import problem")
        verbose_name_plural = _("import problems")
        ordering = ["job", "row", "id"]
        indexes = [models.Index(fields=["job", "row"])]

    def __str__(self):
        return f"{self.row or '-'} {self.column} {self.code}"

    @property
    def message_text(self) -> str:
        from portal.intake.messages import render

        return render(self.message, self.params)
