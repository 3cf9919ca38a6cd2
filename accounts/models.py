"""Who holds an enterprise's account, and whether the commerce bureau has verified it (ADR 0017, ADR 0026).

The tables keep the names they had in registration (``registration_organisationclaim``,
``registration_organisationverification``): the models moved, the data did not (ADR 0026).

Self-service sign-up lets anyone type a valid credit code. The organisation it creates is therefore
*unverified* until the bureau approves its first filing; each sign-up for an identity is an
``OrganisationClaim``. Guarantees:

* an organisation has at most one HOLDER claim (database constraint): the people who currently act for it;
* a claim that loses the organisation (taken over after the waiting period, or reassigned by a supervisor)
  is RETIRED, never deleted, and every filing made under it stays on record but is hidden from the
  organisation's later users (``EntityFiling.claim``);
* a refused sign-up is kept as a PENDING claim for the bureau to decide (reassign or dismiss);
* ``OrganisationVerification`` exists for organisations created by sign-up. An organisation without it was
  created by the operator (seeded or by an administrator) and counts as verified.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ClaimStatus(models.TextChoices):
    HOLDER = "HOLDER", _("Holds the account")
    RETIRED = "RETIRED", _("Retired")
    PENDING = "PENDING", _("Waiting for the commerce bureau")
    DISMISSED = "DISMISSED", _("Dismissed by the commerce bureau")


class ClaimOrigin(models.TextChoices):
    SIGNUP = "SIGNUP", _("First sign-up")
    TAKEOVER = "TAKEOVER", _("Sign-up that claimed an unverified account")
    REFUSED = "REFUSED", _("Sign-up refused: the code already had an account")
    EXISTING = "EXISTING", _("Held before sign-ups were recorded")


class VerificationStatus(models.TextChoices):
    UNVERIFIED = "UNVERIFIED", _("Not yet verified")
    VERIFIED = "VERIFIED", _("Verified by the commerce bureau")


class OrganisationClaim(models.Model):
    """One sign-up (or the bureau's assignment) for one enterprise identity."""

    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="account_claims",
    )
    code = models.CharField(_("code signed up with"), max_length=18, db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=ClaimStatus.choices, db_index=True)
    origin = models.CharField(_("origin"), max_length=12, choices=ClaimOrigin.choices)
    # What the applicant typed (the organisation's particulars and its first administrator).
    name_cn = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    division_code = models.CharField(_("division code"), max_length=6, blank=True)
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    username = models.CharField(_("username"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    attempts = models.PositiveIntegerField(_("sign-up attempts"), default=1)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first administrator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    invitation = models.ForeignKey(
        "portal.Invitation",
        verbose_name=_("invitation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True, db_index=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    holder_since = models.DateTimeField(_("holder since"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    retired_reason = models.TextField(_("why it was retired"), blank=True)
    retired_users = models.JSONField(_("users deactivated"), default=list, blank=True)

    class Meta:
        db_table = "registration_organisationclaim"
        verbose_name = _("organisation claim")
        verbose_name_plural = _("organisation claims")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="HOLDER"),
                name="registration_one_holder_per_organisation",
            ),
        ]
        permissions = [
            ("resolve_organisationclaim", _("Can resolve disputed sign-ups and reassign organisations")),
        ]

    def __str__(self):
        return f"{self.code} {self.name_cn} ({self.get_status_display()})"


class OrganisationVerification(models.Model):
    """Whether the commerce bureau has confirmed that the people holding an organisation's account act for
    the enterprise: by approving its first filing, or by assigning the account after a dispute."""

    organisation = models.OneToOneField(
        "portal.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="account_verification",
    )
    status = models.CharField(
        _("verification"),
        max_length=12,
        choices=VerificationStatus.choices,
        default=VerificationStatus.UNVERIFIED,
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_filing = models.ForeignKey(
        "registration.EntityFiling", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_note = models.TextField(_("how it was verified"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "registration_organisationverification"
        verbose_name = _("organisation verification")
        verbose_name_plural = _("organisation verifications")

    def __str__(self):
        return f"{self.organisation_id}: {self.status}"

    def audit_owner(self):
        return self.organisation

    @property
    def is_verified(self) -> bool:
        return self.status == VerificationStatus.VERIFIED
