"""What the applicant submitted in each review round, kept for ever (the filing row itself is corrected in
place between rounds; ADR 0016)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import ScopedQuerySet


class FilingSubmission(models.Model):
    """One submission (or resubmission) of one filing version: the values as the bureau received them.

    Guarantees: one row per (filing, review round), written in the submitting transaction and never changed
    (``save`` refuses an update, ``delete`` is refused); ``values`` holds every non-secret field, the ID
    document number only masked (``****1234``) — ``id_fingerprint`` is a keyed hash that tells whether the
    number changed between rounds without keeping it; ``attachments`` lists the current files with their
    SHA-256. ``backfilled`` marks a row reconstructed by migration for a filing submitted before history
    was kept (it holds the values as they were at migration time).
    """

    filing = models.ForeignKey(
        "registration.EntityFiling",
        verbose_name=_("filing"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    review_round = models.PositiveIntegerField(_("review round"))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    values = models.JSONField(_("values"), default=dict)
    id_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    attachments = models.JSONField(_("attachments"), default=list)
    backfilled = models.BooleanField(_("reconstructed"), default=False)

    owner_field = "filing__owner"
    view_all_permission = "registration.view_all_entityfiling"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["filing_id", "review_round"]
        constraints = [
            models.UniqueConstraint(
                fields=["filing", "review_round"], name="registration_one_snapshot_per_round"
            )
        ]

    def __str__(self):
        return f"{self.filing_id} round {self.review_round}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("a submission snapshot is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("a submission snapshot is never deleted")

    @staticmethod
    def scope_for_officer(qs, user):
        from registration.models.filing import officer_scope

        return qs.filter(officer_scope("filing__", user))
