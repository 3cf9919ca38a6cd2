"""Adding, removing and opening attachments. Every upload and download is audited with the file's hash."""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.choices import AuditVerb
from portal.services.audit import audit
from registration import files
from registration.choices import EDITABLE, AttachmentKind
from registration.models import FilingAttachment
from registration.policies import ensure_applicant, ensure_may_download
from registration.services._common import lock, require_status

MAX_ATTACHMENTS = 30


def _describe(attachment: FilingAttachment) -> str:
    return (
        f"{attachment.get_kind_display()} · {attachment.original_name} · {attachment.size} B · "
        f"SHA-256 {attachment.sha256}"
    )


@transaction.atomic
def attachment_add(*, filing, by, kind: str, upload, name: str = "") -> FilingAttachment:
    """Check the upload by its content (``registration.files``), store it privately, list it with its hash."""
    filing = lock(filing)
    ensure_applicant(filing, by)
    require_status(filing, "upload", EDITABLE)
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("Choose the kind of document.")})
    if filing.attachments.current().count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            {"file": _("A filing can have at most %(n)d attachments.") % {"n": MAX_ATTACHMENTS}}
        )
    name = (name or getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
    try:
        checked = files.check(upload, name)
    except files.FileRejected as exc:
        raise ValidationError({"file": ValidationError(str(exc), code=exc.code)}) from None
    attachment = FilingAttachment(
        filing=filing,
        kind=kind,
        original_name=name or f"upload{checked.extension}",
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        created_by=by,
    )
    attachment.file.save(f"{uuid.uuid4().hex}{checked.extension}", ContentFile(checked.content), save=False)
    attachment.save()
    audit(
        verb=AuditVerb.UPLOAD,
        target=filing,
        actor=by,
        reason=_describe(attachment),
        payload={
            "attachment": attachment.pk,
            "kind": kind,
            "name": attachment.original_name,
            "sha256": attachment.sha256,
            "size": attachment.size,
        },
    )
    return attachment


@transaction.atomic
def attachment_remove(*, attachment, by) -> FilingAttachment:
    """Take an attachment off a draft; its row and stored file remain for the record."""
    filing = lock(attachment.filing)
    ensure_applicant(filing, by)
    require_status(filing, "upload", EDITABLE)
    attachment = FilingAttachment.objects.select_for_update().get(pk=attachment.pk)
    if attachment.removed_at is None:
        attachment.removed_at = timezone.now()
        attachment.save(update_fields=["removed_at"])
        audit(
            verb=AuditVerb.DELETE,
            target=filing,
            actor=by,
            reason=_describe(attachment),
            payload={"attachment": attachment.pk, "sha256": attachment.sha256},
        )
    return attachment


def attachment_open(*, attachment, by):
    """Open the stored file for the owner's staff or a commerce-bureau reviewer, and audit the download.

    The caller has already found the filing through ``visible_to``; seeing it is not enough to download
    (``policies.may_download``): a refusal is ``PermissionDenied``.
    """
    ensure_may_download(attachment.filing, by)
    audit(
        verb=AuditVerb.DOWNLOAD,
        target=attachment.filing,
        actor=by,
        reason=_describe(attachment),
        payload={"attachment": attachment.pk, "sha256": attachment.sha256},
    )
    return attachment.file.open("rb")
