"""The in-app inbox. Rows are written only by ``portal.services.notifications.notify``."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal import texts
from portal.models.base import ScopedQuerySet


class NotificationQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one user.

    ``title_source``/``body_source`` keep the message and its parameters (``portal.texts.keep``), so the
    inbox, the API and the email render it in the reader's current language (ADR 0025); ``title``/``body``
    keep the rendering in the recipient's language at the time, for rows written before and as a fallback.

    A digest (``digest_key``) gathers a burst of like events about one object into one row while it is
    unread and not yet emailed: ``digest_lines`` holds one kept line per event, ``digest_title`` the title
    shown once there is more than one (``%(count)d`` is the number of lines), and ``email_due_at`` holds
    the email back until the burst has been quiet for a while.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    verb = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    title_source = models.JSONField(_("title (source and parameters)"), default=dict, blank=True)
    body_source = models.JSONField(_("body (source and parameters)"), default=dict, blank=True)
    digest_key = models.CharField(_("digest"), max_length=120, blank=True, db_index=True)
    digest_title = models.JSONField(default=dict, blank=True)
    digest_lines = models.JSONField(default=list, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_wanted = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    email_due_at = models.DateTimeField(_("email due at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title

    @property
    def count(self) -> int:
        """How many events this row tells of (1 unless it is a digest of several)."""
        return max(1, len(self.digest_lines or []))

    @property
    def shown_title(self) -> str:
        """The title in the active language."""
        if self.count > 1 and self.digest_title:
            kept = {**self.digest_title}
            kept["params"] = {**kept.get("params", {}), "count": self.count}
            return texts.render(kept)
        return texts.render(self.title_source) if self.title_source else self.title

    @property
    def shown_body(self) -> str:
        """The body in the active language; a digest lists its events, one a line."""
        if self.count > 1:
            return "\n".join(texts.render(line) for line in self.digest_lines)
        return texts.render(self.body_source) if self.body_source else self.body
