"""Enumerations of entity filing (DOMAIN.md §1): entity types, statuses, qualifications, attachments."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntityType(models.TextChoices):
    """The three kinds of operating entity of the Zhejiang plan (DOMAIN §1.1)."""

    SELF_PLATFORM = "SELF_PLATFORM", _("Self-built platform enterprise")
    APPLICATION = "APPLICATION", _("E-commerce application enterprise")
    SERVICE = "SERVICE", _("E-commerce service enterprise")


class Subtype(models.TextChoices):
    ENTERPRISE = "ENTERPRISE", _("Enterprise (legal person)")
    INDIVIDUAL_BUSINESS = "INDIVIDUAL_BUSINESS", _("Individual business")
    NATURAL_PERSON = "NATURAL_PERSON", _("Natural person seller (agent-served)")
    LOGISTICS = "LOGISTICS", _("Logistics enterprise")
    CUSTOMS_BROKER = "CUSTOMS_BROKER", _("Customs broker")
    PAYMENT = "PAYMENT", _("Payment enterprise")
    COMPREHENSIVE = "COMPREHENSIVE", _("Comprehensive foreign-trade service enterprise")
    PLATFORM = "PLATFORM", _("Third-party platform")


# Which subtypes each entity type takes ("" = none, for SELF_PLATFORM).
SUBTYPES_OF = {
    EntityType.SELF_PLATFORM: ("",),
    EntityType.APPLICATION: (Subtype.ENTERPRISE, Subtype.INDIVIDUAL_BUSINESS, Subtype.NATURAL_PERSON),
    EntityType.SERVICE: (
        Subtype.LOGISTICS,
        Subtype.CUSTOMS_BROKER,
        Subtype.PAYMENT,
        Subtype.COMPREHENSIVE,
        Subtype.PLATFORM,
    ),
}


class FilingStatus(models.TextChoices):
    """Where a filing stands (DOMAIN §1.3, plus three statuses the spec's own rules need; ADR 0010).

    DRAFT: the applicant is still writing it. SUBMITTED: waiting in the commerce bureau's queue.
    UNDER_REVIEW: a reviewer has claimed (or been assigned) it. REJECT_PENDING: the reviewer proposes to
    reject; a supervisor must countersign or decline. RETURNED: sent back to the applicant for correction;
    the service clock is paused. APPROVED: approved; qualifications are being registered with the
    departments. ACTIVE: approved and every mandatory qualification is done. SUSPENDED: temporarily not
    valid. REJECTED / REVOKED: terminal. SUPERSEDED: a later approved version replaced it (E-5; kept
    readable). WITHDRAWN: the applicant withdrew it before a decision, or the version it changed was revoked.
    """

    DRAFT = "DRAFT", _("Draft")
    SUBMITTED = "SUBMITTED", _("Submitted")
    UNDER_REVIEW = "UNDER_REVIEW", _("Under review")
    REJECT_PENDING = "REJECT_PENDING", _("Rejection awaiting countersignature")
    RETURNED = "RETURNED", _("Returned for correction")
    APPROVED = "APPROVED", _("Approved, qualifications in progress")
    ACTIVE = "ACTIVE", _("Active")
    SUSPENDED = "SUSPENDED", _("Suspended")
    REJECTED = "REJECTED", _("Rejected")
    REVOKED = "REVOKED", _("Revoked")
    SUPERSEDED = "SUPERSEDED", _("Superseded by a later version")
    WITHDRAWN = "WITHDRAWN", _("Withdrawn")


EDITABLE = frozenset({FilingStatus.DRAFT, FilingStatus.RETURNED})
WITH_BUREAU = frozenset({FilingStatus.SUBMITTED, FilingStatus.UNDER_REVIEW, FilingStatus.REJECT_PENDING})
IN_FLIGHT = frozenset({*EDITABLE, *WITH_BUREAU, FilingStatus.APPROVED})
IN_FORCE = frozenset({FilingStatus.ACTIVE, FilingStatus.SUSPENDED})
TERMINAL = frozenset(
    {FilingStatus.REJECTED, FilingStatus.REVOKED, FilingStatus.SUPERSEDED, FilingStatus.WITHDRAWN}
)


class Qualification(models.TextChoices):
    """Qualifications that follow approval (DOMAIN §1.4)."""

    FT_OPERATOR = "FT_OPERATOR", _("Foreign-trade operator filing")
    CUSTOMS_REG = "CUSTOMS_REG", _("Customs registration")
    CIQ_FILING = "CIQ_FILING", _("Inspection and quarantine filing")
    TAX_REFUND_FILING = "TAX_REFUND_FILING", _("Export tax refund filing")
    SAFE_DIRECTORY = "SAFE_DIRECTORY", _("Trade forex directory registration")
    EPORT_CARD = "EPORT_CARD", _("China E-Port card")


class TaskStatus(models.TextChoices):
    """Where one qualification stands.

    NOT_APPLIED: optional and not asked for. PENDING: the message is written and waits to be sent.
    SENT: the department has it. DONE: registered; the identifier is filled. REJECTED: the department
    refused (the reason is shown; the enterprise may apply again). FAILED: the message could not be
    delivered or was refused outright (the enterprise may try again).
    """

    NOT_APPLIED = "NOT_APPLIED", _("Not applied for")
    PENDING = "PENDING", _("Waiting to be sent")
    SENT = "SENT", _("With the department")
    DONE = "DONE", _("Done")
    REJECTED = "REJECTED", _("Refused by the department")
    FAILED = "FAILED", _("Could not be delivered")


RETRYABLE_TASK = frozenset({TaskStatus.NOT_APPLIED, TaskStatus.REJECTED, TaskStatus.FAILED})


class AttachmentKind(models.TextChoices):
    BUSINESS_LICENCE = "BUSINESS_LICENCE", _("Business licence")
    LEGAL_REP_ID = "LEGAL_REP_ID", _("Legal representative's ID document")
    AUTHORISATION_LETTER = "AUTHORISATION_LETTER", _("Authorisation letter")
    OTHER = "OTHER", _("Other")


class IdType(models.TextChoices):
    RESIDENT_ID = "RESIDENT_ID", _("Resident identity card")
    PASSPORT = "PASSPORT", _("Passport")
    HK_MACAO_PERMIT = "HK_MACAO_PERMIT", _("Mainland travel permit for Hong Kong and Macao residents")
    TAIWAN_PERMIT = "TAIWAN_PERMIT", _("Mainland travel permit for Taiwan residents")
    FOREIGN_PERMANENT = "FOREIGN_PERMANENT", _("Foreign permanent resident ID card")


class EconomicType(models.TextChoices):
    """Enterprise economic type, position 6 of the customs code (DOMAIN §2.3)."""

    STATE_OWNED = "1", _("State-owned")
    SINO_FOREIGN_COOPERATIVE = "2", _("Sino-foreign cooperative")
    SINO_FOREIGN_JOINT = "3", _("Sino-foreign joint venture")
    FOREIGN_OWNED = "4", _("Wholly foreign-owned")
    COLLECTIVE = "5", _("Collective")
    PRIVATE = "6", _("Private")
    INDIVIDUAL = "7", _("Individual business")
    OTHER = "9", _("Other")


class ServiceScope(models.TextChoices):
    LOGISTICS = "LOGISTICS", _("Logistics")
    EXPRESS = "EXPRESS", _("Express delivery")
    POSTAL = "POSTAL", _("Postal")
    WAREHOUSING = "WAREHOUSING", _("Warehousing")
    OVERSEAS_WAREHOUSE = "OVERSEAS_WAREHOUSE", _("Overseas warehouse")
    CUSTOMS_DECLARATION = "CUSTOMS_DECLARATION", _("Customs declaration")
    INSPECTION_AGENCY = "INSPECTION_AGENCY", _("Inspection declaration agency")
    PAYMENT = "PAYMENT", _("Payment")
    FOREX_SETTLEMENT = "FOREX_SETTLEMENT", _("Forex settlement")
    TAX_REFUND_AGENCY = "TAX_REFUND_AGENCY", _("Tax refund agency")
    PLATFORM_TRADING = "PLATFORM_TRADING", _("Platform trading services")


class CalendarKind(models.TextChoices):
    HOLIDAY = "HOLIDAY", _("Statutory holiday")
    MAKEUP_WORKDAY = "MAKEUP_WORKDAY", _("Make-up working day")


class CertificateState(models.TextChoices):
    """What the public verification page says about a certificate."""

    VALID = "VALID", _("Valid")
    SUSPENDED = "SUSPENDED", _("Suspended")
    REVOKED = "REVOKED", _("Revoked")
    NOT_IN_FORCE = "NOT_IN_FORCE", _("Not in force")
