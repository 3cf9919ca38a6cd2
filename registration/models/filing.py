"""The entity filing (备案登记) record: one row per version of one role filing of one organisation."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal import texts
from portal.crypto import decrypt_text
from portal.models import ScopedQuerySet, TimeStampedModel
from registration.choices import (
    IN_FORCE,
    EconomicType,
    EntityType,
    FilingStatus,
    IdType,
    Subtype,
    TaskStatus,
)


def officer_scope(prefix: str, user) -> Q:
    """What an officer holding ``view_all`` sees: filings that reached the bureau at least once.

    A draft (including a change version not yet submitted, and a draft withdrawn before submission) belongs
    to its applicant alone (ADR 0015); an officer who is also staff of the owning organisation still sees
    their own organisation's rows, as any member would.
    """
    q = Q(**{f"{prefix}first_submitted_at__isnull": False})
    if user.organisation_id is not None:
        q |= Q(**{f"{prefix}owner_id": user.organisation_id})
    return q


# The particulars an applicant gives, in the order of the form: what a draft may edit, what a submission
# snapshots (with the role), what a reviewer may comment on (with the role, the attachments and "general").
DATA_FIELDS = (
    "name_cn",
    "name_en",
    "uscc",
    "org_code",
    "customs_code",
    "division_code",
    "division_note",
    "economic_type",
    "legal_rep_name",
    "legal_rep_id_type",
    "legal_rep_id_no",
    "contact_name",
    "contact_phone",
    "contact_email",
    "address",
    "registered_capital_cny",
    "is_vat_general_taxpayer",
    "platform_urls",
    "service_scopes",
    "payment_licence_no",
    "optional_qualifications",
)


# IN_FLIGHT, spelled out for the database constraints (a migration must not depend on a frozenset's order).
OPEN_STATUSES = ["APPROVED", "DRAFT", "REJECT_PENDING", "RETURNED", "SUBMITTED", "UNDER_REVIEW"]
# The statuses in which a filing holds its identity's slot for the role: everything that reached the bureau.
# A draft holds none, so a draft typed by anyone can never lock out the identity's rightful applicant.
SLOT_STATUSES = ["APPROVED", "REJECT_PENDING", "RETURNED", "SUBMITTED", "UNDER_REVIEW"]


class EntityFilingQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """As ``ScopedQuerySet``; besides, enterprise users never see the filings made under a retired claim
        of their organisation: those belong to the people who held the account before (ADR 0017)."""
        qs = super().visible_to(user)
        if user is None or not user.is_authenticated or user.is_superuser:
            return qs
        if user.has_perm(self.model.view_all_permission):
            return qs
        return qs.filter(Q(claim__isnull=True) | ~Q(claim__status="RETIRED"))

    def with_bureau(self):
        return self.filter(
            status__in=[FilingStatus.SUBMITTED, FilingStatus.UNDER_REVIEW, FilingStatus.REJECT_PENDING]
        )

    def in_force(self):
        return self.filter(status__in=list(IN_FORCE))


class EntityFiling(TimeStampedModel):
    """One version of an organisation's filing for one role (entity type + subtype).

    Guarantees:
    * ``lineage`` ties the versions of one role filing together; ``version`` counts them from 1; a change
      after approval is a new row with the same lineage and ``previous`` pointing at the version it changes;
      every version stays readable (none is ever deleted).
    * An organisation with several roles has several lineages, all owned by that one organisation.
    * At most one version per (identity, role) is ACTIVE at any time (database constraint, rule E-5).
    * ``filing_no`` is assigned at the first submission and kept by every later version of the lineage.
    * ``legal_rep_id_no`` is stored only encrypted (``portal.crypto``); ``legal_rep_id_last4`` is for display.
    * Status changes only through ``registration.services`` following ``registration.transitions``.
    """

    owner = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="entity_filings",
    )
    lineage = models.UUIDField(_("lineage"), default=uuid.uuid4, db_index=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
    )
    agent_filing = models.ForeignKey(
        "self",
        verbose_name=_("serving comprehensive provider"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agent_served",
        help_text=_("Natural-person sellers file through a comprehensive service provider (rule E-7)."),
    )
    claim = models.ForeignKey(
        "accounts.OrganisationClaim",
        verbose_name=_("made under the claim"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="filings",
        editable=False,
    )
    filing_no = models.CharField(_("filing number"), max_length=20, blank=True, db_index=True)
    verify_token = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    entity_type = models.CharField(_("entity type"), max_length=20, choices=EntityType.choices)
    subtype = models.CharField(_("subtype"), max_length=24, choices=Subtype.choices, blank=True)
    name_cn = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True, db_index=True)
    org_code = models.CharField(_("organisation code"), max_length=9, blank=True, db_index=True)
    is_legacy_record = models.BooleanField(
        _("legacy record without a credit code"),
        default=False,
        help_text=_(
            "An enterprise registered before the unified social credit code reform, identified by its "
            "organisation code (GB 11714) alone (ADR 0018)."
        ),
    )
    identity_key = models.CharField(max_length=80, blank=True, db_index=True, editable=False)
    customs_code = models.CharField(_("customs registration code"), max_length=10, blank=True, null=True)
    ciq_code = models.CharField(_("inspection filing number"), max_length=20, blank=True, null=True)
    dxp_id = models.CharField(_("China E-Port DXP id"), max_length=30, blank=True, null=True)
    ft_record_no = models.CharField(_("foreign-trade operator record number"), max_length=30, blank=True)
    tax_filing_no = models.CharField(_("export tax refund filing number"), max_length=30, blank=True)
    safe_directory_no = models.CharField(_("forex directory number"), max_length=30, blank=True)
    fx_class = models.CharField(_("forex class"), max_length=1, blank=True)
    division_code = models.CharField(_("administrative division code"), max_length=6, blank=True)
    division_note = models.CharField(_("why the address division differs"), max_length=200, blank=True)
    economic_type = models.CharField(
        _("economic type"), max_length=1, choices=EconomicType.choices, default=EconomicType.PRIVATE
    )

    legal_rep_name = models.CharField(_("legal representative"), max_length=50, blank=True)
    legal_rep_id_type = models.CharField(
        _("ID document type"), max_length=20, choices=IdType.choices, default=IdType.RESIDENT_ID
    )
    legal_rep_id_no_encrypted = models.TextField(blank=True, editable=False)
    legal_rep_id_last4 = models.CharField(max_length=4, blank=True, editable=False)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    address = models.CharField(_("registered address"), max_length=200, blank=True)
    registered_capital_cny = models.DecimalField(
        _("registered capital (CNY)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    is_vat_general_taxpayer = models.BooleanField(_("VAT general taxpayer"), default=False)
    platform_urls = models.JSONField(_("platform or store addresses"), default=list, blank=True)
    service_scopes = models.JSONField(_("service scopes"), default=list, blank=True)
    payment_licence_no = models.CharField(
        _("payment business licence number"), max_length=30, blank=True, null=True
    )
    optional_qualifications = models.JSONField(
        _("optional qualifications applied for"), default=list, blank=True
    )

    status = models.CharField(
        _("status"), max_length=20, choices=FilingStatus.choices, default=FilingStatus.DRAFT, db_index=True
    )
    review_round = models.PositiveIntegerField(_("review round"), default=0)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    reject_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reject_requested_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_note = models.TextField(_("decision note"), blank=True)
    activated_at = models.DateTimeField(_("active since"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_reason = models.TextField(_("reason of the last status change"), blank=True)
    # A reason the portal wrote itself (return reasons, "superseded by version 2"), kept as message and
    # parameters so that each reader sees it in their language (ADR 0025); ``status_reason`` keeps the
    # record in both languages. Empty when the reason is a person's own words.
    status_reason_text = models.JSONField(default=dict, blank=True, editable=False)

    # Service-level clock (working days with the bureau; paused while RETURNED). See registration.clock.
    clock_banked_days = models.PositiveIntegerField(default=0, editable=False)
    clock_running_since = models.DateTimeField(null=True, blank=True, editable=False)
    clock_due_on = models.DateField(_("due by"), null=True, blank=True, db_index=True)

    owner_field = "owner"
    view_all_permission = "registration.view_all_entityfiling"
    objects = EntityFilingQuerySet.as_manager()

    class Meta:
        verbose_name = _("entity filing")
        verbose_name_plural = _("entity filings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["lineage", "version"], name="registration_one_row_per_version"),
            models.UniqueConstraint(
                fields=["identity_key", "entity_type", "subtype"],
                condition=Q(status="ACTIVE") & ~Q(identity_key=""),
                name="registration_one_active_per_identity_role",
            ),
            # One open (in-flight) filing per organisation and role, whatever races between two requests:
            # a change version may be open beside the ACTIVE one, never beside another open one. Natural
            # persons are many per provider: for them the person (identity key) is the unit.
            models.UniqueConstraint(
                fields=["owner", "entity_type", "subtype"],
                condition=Q(status__in=OPEN_STATUSES) & ~Q(subtype="NATURAL_PERSON"),
                name="registration_one_open_per_owner_role",
            ),
            models.UniqueConstraint(
                fields=["identity_key", "entity_type", "subtype"],
                condition=Q(status__in=SLOT_STATUSES) & ~Q(identity_key=""),
                name="registration_one_open_per_identity_role",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]
        permissions = [
            ("view_all_entityfiling", _("Can view every entity filing")),
            ("review_entityfiling", _("Can review entity filings")),
            ("countersign_entityfiling", _("Can countersign rejections and revoke filings")),
            ("manage_registration_settings", _("Can manage the holiday calendar and return reasons")),
        ]

    def __str__(self):
        label = self.filing_no or _("draft")
        return f"{label} v{self.version} {self.name_cn}".strip()

    def get_absolute_url(self) -> str:
        return reverse("registration:filing", args=[self.pk])

    def get_review_url(self) -> str:
        return reverse("registration:review", args=[self.pk])

    @property
    def display_name(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name_cn

    @property
    def role_label(self) -> str:
        parts = [str(self.get_entity_type_display())]
        if self.subtype:
            parts.append(str(self.get_subtype_display()))
        return " / ".join(parts)

    @property
    def shown_status_reason(self) -> str:
        """The reason of the last status change in the reader's language (the record keeps both)."""
        if self.status_reason_text:
            return texts.render(self.status_reason_text)
        return self.status_reason

    @classmethod
    def audit_state_labels(cls, payload: dict) -> dict | None:
        """A filing's audit events record its qualifications' states too (``qualification_*`` actions)."""
        if str(payload.get("action", "")).startswith("qualification_"):
            return dict(TaskStatus.choices)
        return None

    @property
    def is_natural_person(self) -> bool:
        return self.subtype == Subtype.NATURAL_PERSON

    @property
    def is_change(self) -> bool:
        return self.previous_id is not None

    @property
    def legal_rep_id_no(self) -> str:
        """The decrypted ID number; read it only where the law needs it (reviewing, sending)."""
        return decrypt_text(self.legal_rep_id_no_encrypted) if self.legal_rep_id_no_encrypted else ""

    @property
    def legal_rep_id_masked(self) -> str:
        return f"****{self.legal_rep_id_last4}" if self.legal_rep_id_last4 else ""

    @staticmethod
    def scope_for_officer(qs, user):
        return qs.filter(officer_scope("", user))


class FilingCounter(models.Model):
    """Per-day counter behind filing numbers ``ZJKJ`` + ``YYYYMMDD`` + 8-digit sequence."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.day}: {self.last}"
