"""What reviewers write: comments pinned to fields, and the managed list of reasons for returning."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.models import ScopedQuerySet


class ReturnReason(models.Model):
    """A reason code for returning a filing for correction; managed by supervisors, seeded by migration."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    label_zh = models.CharField(_("label (Chinese)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("return reason")
        verbose_name_plural = _("return reasons")
        ordering = ["order", "code"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if get_language() == "en" else self.label_zh


class FieldComment(models.Model):
    """A reviewer's comment on one field of a filing in one review round (shown next to that field)."""

    filing = models.ForeignKey(
        "registration.EntityFiling",
        verbose_name=_("filing"),
        on_delete=models.PROTECT,
        related_name="field_comments",
    )
    field = models.CharField(_("field"), max_length=40)
    review_round = models.PositiveIntegerField(_("review round"))
    text = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    owner_field = "filing__owner"
    view_all_permission = "registration.view_all_entityfiling"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("field comment")
        verbose_name_plural = _("field comments")
        ordering = ["review_round", "created_at", "id"]

    def __str__(self):
        return f"{self.field}: {self.text[:40]}"

    @staticmethod
    def scope_for_officer(qs, user):
        from registration.models.filing import officer_scope

        return qs.filter(officer_scope("filing__", user))
