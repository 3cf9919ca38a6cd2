"""Organisations: enterprises and the government bodies that supervise them."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.choices import DEPARTMENT_OF_KIND, GOVERNMENT_KINDS, OrganisationKind
from portal.models.base import ScopedQuerySet, TimeStampedModel


class OrganisationQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_perm("portal.view_all_organisation"):
            return self
        # Everyone may see the government bodies (they are public) and their own organisation.
        return self.filter(models.Q(pk=user.organisation_id) | models.Q(kind__in=GOVERNMENT_KINDS))


class Organisation(TimeStampedModel):
    """An enterprise (one per USCC, whatever roles it holds) or a government body.

    An enterprise that is both a seller and a logistics provider is one organisation with several role
    filings (registration app), never several accounts. ``code`` is the USCC for enterprises and an
    internal office code for government bodies (e.g. ``CUSTOMS-2900``).
    """

    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices, db_index=True)
    code = models.CharField(_("code"), max_length=32, unique=True)
    name_cn = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    division_code = models.CharField(_("division code"), max_length=6, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name_cn"]
        permissions = [
            ("view_all_organisation", _("Can view all organisations")),
            ("manage_own_users", _("Can invite and manage the users of their own organisation")),
        ]

    def __str__(self):
        return self.display_name

    def audit_owner(self):
        return self

    @property
    def display_name(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name_cn

    @property
    def is_enterprise(self) -> bool:
        return self.kind == OrganisationKind.ENTERPRISE

    @property
    def is_government(self) -> bool:
        return self.kind in GOVERNMENT_KINDS

    @property
    def department(self) -> str | None:
        """The exchange department code this body answers for, if any."""
        return DEPARTMENT_OF_KIND.get(self.kind)
