"""States of an import job, its phases, and the one table of legal transitions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    QUEUED = "QUEUED", _("Queued")
    RUNNING = "RUNNING", _("Running")
    SUCCEEDED = "SUCCEEDED", _("Imported")
    REJECTED = "REJECTED", _("Rejected: nothing was saved")
    FAILED = "FAILED", _("Failed: nothing was saved")
    CANCELLED = "CANCELLED", _("Cancelled")


class ImportPhase(models.TextChoices):
    READING = "reading", _("Reading the file")
    VALIDATING = "validating", _("Checking the rows")
    SAVING = "saving", _("Saving")


class FileFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel workbook (.xlsx)")
    XML = "xml", _("XML file")


TERMINAL = frozenset(
    {ImportStatus.SUCCEEDED, ImportStatus.REJECTED, ImportStatus.FAILED, ImportStatus.CANCELLED}
)

# {(from, verb): to}. "requeue" is the sweeper's: a RUNNING job whose worker died goes back to the queue
# (its persist is one transaction, so nothing of the dead attempt was kept).
TRANSITIONS = {
    (ImportStatus.QUEUED, "start"): ImportStatus.RUNNING,
    (ImportStatus.QUEUED, "cancel"): ImportStatus.CANCELLED,
    (ImportStatus.QUEUED, "fail"): ImportStatus.FAILED,
    (ImportStatus.RUNNING, "succeed"): ImportStatus.SUCCEEDED,
    (ImportStatus.RUNNING, "reject"): ImportStatus.REJECTED,
    (ImportStatus.RUNNING, "fail"): ImportStatus.FAILED,
    (ImportStatus.RUNNING, "cancel"): ImportStatus.CANCELLED,
    (ImportStatus.RUNNING, "requeue"): ImportStatus.QUEUED,
}
