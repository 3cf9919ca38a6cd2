"""A monthly summary's preview or submission run by a worker (``customs.services.summary_jobs``; ADR 0024)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models.base import ScopedQuerySet, TimeStampedModel


class SummaryJobStatus(models.TextChoices):
    QUEUED = "QUEUED", _("waiting for a worker")
    RUNNING = "RUNNING", _("running")
    SUCCEEDED = "SUCCEEDED", _("done")
    FAILED = "FAILED", _("failed")


ACTIVE_JOB = (SummaryJobStatus.QUEUED, SummaryJobStatus.RUNNING)


class SummaryJobQuerySet(ScopedQuerySet):
    """The consignor and the organisation that started the job (an authorised agent); officers everything."""

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.has_perm(self.model.view_all_permission):
            return self
        if user.organisation_id is None:
            return self.none()
        return self.filter(Q(owner_id=user.organisation_id) | Q(filer_id=user.organisation_id))


class SummaryJob(TimeStampedModel):
    """One preview (build or refresh) or submission of a consignor's month, queued for a worker.

    At most one job per consignor and month is QUEUED or RUNNING (a partial unique constraint): a second
    start is refused. The work runs in the service's own transaction and the job is finished in that same
    transaction, so a failed job leaves the summary as it was; ``message`` is the reason, in ``language``.
    """

    PREVIEW, SUBMIT = "preview", "submit"
    ACTIONS = ((PREVIEW, _("preview")), (SUBMIT, _("submit")))

    owner = models.ForeignKey(
        "portal.Organisation", verbose_name=_("consignor"), on_delete=models.PROTECT, related_name="+"
    )
    filer = models.ForeignKey(
        "portal.Organisation", verbose_name=_("filer"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=8, choices=ACTIONS)
    period = models.DateField(_("month"))
    summary = models.ForeignKey(
        "customs.SummaryDeclaration", on_delete=models.CASCADE, null=True, blank=True, related_name="jobs"
    )
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SummaryJobStatus.choices, default=SummaryJobStatus.QUEUED
    )
    phase = models.CharField(_("step"), max_length=20, blank=True)
    message = models.CharField(_("outcome"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=10)
    started_at = models.DateTimeField(_("job started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("job finished at"), null=True, blank=True)

    owner_field = "owner"
    view_all_permission = "customs.view_all_documents"
    objects = SummaryJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("summary job")
        verbose_name_plural = _("summary jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "period"],
                condition=Q(status__in=["QUEUED", "RUNNING"]),
                name="customs_summary_one_active_job",
            ),
        ]

    def __str__(self):
        return f"{self.action} {self.period:%Y-%m} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status not in ACTIVE_JOB
