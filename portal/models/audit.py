"""The append-only audit trail: one row per state change, never updated, never deleted.

Protection in depth: the model refuses ``save()`` on an existing row and ``delete()``; the queryset refuses
``update()`` and ``delete()``; and the database refuses UPDATE (all backends) and DELETE (PostgreSQL) with
triggers installed by migration 0003. Rows are written only by ``portal.services.audit.audit``.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.choices import AuditVerb
from portal.models.base import ScopedQuerySet


class AuditImmutableError(Exception):
    """Raised by any attempt to change or remove an audit event."""


class AuditQuerySet(ScopedQuerySet):
    def update(self, **kwargs):
        raise AuditImmutableError("audit events are append-only")

    def delete(self):
        raise AuditImmutableError("audit events are append-only")

    def for_object(self, obj):
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        return self.filter(target_type=ct, target_id=str(obj.pk))

    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_perm("portal.view_all_auditevent"):
            return self
        if user.organisation_id is None:
            return self.filter(actor=user)
        # Enterprise users see what concerns their organisation: events it caused or events on its objects.
        return self.filter(
            models.Q(actor_org_id=user.organisation_id) | models.Q(owner_org_id=user.organisation_id)
        )


class AuditEvent(models.Model):
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    actor_org = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("actor's organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verb = models.CharField(_("action"), max_length=30, choices=AuditVerb.choices, db_index=True)
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("object type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    target_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    # The organisation that owns the target (for enterprise users' view of events on their objects).
    owner_org = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    from_state = models.CharField(_("from"), max_length=40, blank=True)
    to_state = models.CharField(_("to"), max_length=40, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    via = models.CharField(_("channel"), max_length=10, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "at"])]
        permissions = [("view_all_auditevent", _("Can view and search every audit event"))]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.verb} {self.target_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditImmutableError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("audit events are append-only")
