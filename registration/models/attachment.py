"""Attachments of a filing: stored outside the web root, served only through a permission-checked view."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal.models import ScopedQuerySet, TimeStampedModel
from registration.choices import AttachmentKind


class PrivateStorage(FileSystemStorage):
    """Files under ``PRIVATE_MEDIA_ROOT``; ``url()`` refuses, so nothing can ever link to them directly."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def url(self, name):
        raise ValueError("private files are served only through a permission-checked view")


def private_storage() -> PrivateStorage:
    return PrivateStorage(file_permissions_mode=0o600, directory_permissions_mode=0o700)


class FilingAttachmentQuerySet(ScopedQuerySet):
    def current(self):
        return self.filter(removed_at__isnull=True)


class FilingAttachment(TimeStampedModel):
    """A scanned document, sniffed by content (PDF/JPEG/PNG), hashed, and kept read-only.

    A removed attachment keeps its row and file (``removed_at``); a change version re-uses the stored file
    of the version it copies. ``sha256`` is of the exact bytes stored.
    """

    filing = models.ForeignKey(
        "registration.EntityFiling",
        verbose_name=_("filing"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=AttachmentKind.choices)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to="registration/%Y/%m/", max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    owner_field = "filing__owner"
    view_all_permission = "registration.view_all_entityfiling"
    objects = FilingAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["kind", "created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"

    def get_download_url(self) -> str:
        return reverse("registration:attachment", args=[self.filing_id, self.pk])

    @staticmethod
    def scope_for_officer(qs, user):
        from registration.models.filing import officer_scope

        return qs.filter(officer_scope("filing__", user))
