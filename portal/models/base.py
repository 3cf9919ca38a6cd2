"""Base classes every regulated table uses: who/when stamps and the one scoping rule.

``visible_to(user)`` is the single place that decides which rows a user may see. Pages, API viewsets,
exports, counts and statistics all start from it (CONVENTIONS.md, "Isolation between organisations").
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.context import current_user


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to restrict itself to what a user may see.

    A model using it declares ``owner_field`` (the path to the owning Organisation, e.g. ``"owner"`` or
    ``"filing__owner"``) and the permission codenames that widen the view:
    ``view_all_permission`` (officers: every row) and optionally ``scope_for_officer(user)`` to narrow
    what an officer sees (e.g. to their department). Anything else sees only its own organisation's rows.
    Anonymous users and users without an organisation see nothing.
    """

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        model = self.model
        view_all = getattr(model, "view_all_permission", None)
        if user.is_superuser or (view_all and user.has_perm(view_all)):
            narrow = getattr(model, "scope_for_officer", None)
            return narrow(self, user) if narrow else self
        owner_field = getattr(model, "owner_field", None)
        if owner_field is None or user.organisation_id is None:
            return self.none()
        return self.filter(**{f"{owner_field}_id": user.organisation_id})


class TimeStampedModel(models.Model):
    """Adds created/updated instants and the users who caused them (data-hub ``BaseModel``)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Stamps come from the acting user of the current request or task; services may set them explicitly.
        user = current_user()
        if user is not None and user.is_authenticated:
            if self._state.adding and self.created_by_id is None:
                self.created_by = user
            self.updated_by = user
            if "update_fields" in kwargs and kwargs["update_fields"] is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "updated_by", "updated_at"}
        super().save(*args, **kwargs)
