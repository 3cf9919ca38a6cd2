"""Registration's public read contract: what the other regulatory apps may know of an organisation's filings.

Customs, inspection, forex and tax refund call ``enterprise_standing(organisation)`` (or ``standings_of`` for
many at once) instead of reading ``EntityFiling`` columns: one query, the filings in force only, and the
identifiers the departments' receipts gave. Nothing here is scoped to a user; the callers are services that
decide for an organisation they already hold (a customs declaration's sender, its agent).
"""

from dataclasses import dataclass, field
from datetime import date

from registration.choices import EntityType, FilingStatus, Subtype

__all__ = ["RoleStanding", "Standing", "enterprise_standing", "standings_of", "working_calendar"]


@dataclass(frozen=True)
class RoleStanding:
    """One role the organisation holds with a filing in force (ACTIVE), or held and SUSPENDED."""

    entity_type: str
    subtype: str
    filing_no: str
    active: bool  # False: suspended (holds the role but may not act on it)
    active_since: date | None


@dataclass(frozen=True)
class Standing:
    """The organisation's standing with the portal, from its filings in force."""

    organisation_id: int
    roles: tuple[RoleStanding, ...] = ()
    customs_code: str = ""  # the 10-character customs registration code from the customs receipt
    dxp_id: str = ""  # China E-Port DXP id from the e-port card receipt
    ciq_code: str = ""
    fx_class: str = ""  # SAFE classification A/B/C from the directory receipt
    safe_directory_no: str = ""
    tax_filing_no: str = ""  # export tax refund qualification
    names: dict = field(default_factory=dict)

    @property
    def is_active(self) -> bool:
        return any(r.active for r in self.roles)

    def has_role(self, entity_type: str = "", subtype: str = "") -> bool:
        """An ACTIVE filing of that entity type (and subtype, if given)."""
        return any(
            r.active
            and (not entity_type or r.entity_type == entity_type)
            and (not subtype or r.subtype == subtype)
            for r in self.roles
        )

    @property
    def is_seller(self) -> bool:
        """May declare as the e-commerce enterprise (consignor): an application enterprise or self-built
        platform with an active filing."""
        return self.has_role(EntityType.APPLICATION) or self.has_role(EntityType.SELF_PLATFORM)

    @property
    def is_platform(self) -> bool:
        return self.has_role(EntityType.SELF_PLATFORM) or self.has_role(EntityType.SERVICE, Subtype.PLATFORM)

    def provides(self, subtype: str) -> bool:
        """An active e-commerce service filing of that kind (logistics, customs broker, payment…)."""
        return self.has_role(EntityType.SERVICE, subtype)

    @property
    def may_declare_to_customs(self) -> bool:
        """An active filing and the customs registration code its customs qualification returned."""
        return self.is_active and bool(self.customs_code)

    @property
    def may_claim_tax_refund(self) -> bool:
        return self.is_active and bool(self.tax_filing_no)


def _fold(organisation_id: int, rows) -> Standing:
    roles, ids, names = [], {}, {}
    for row in rows:
        roles.append(
            RoleStanding(
                entity_type=row.entity_type,
                subtype=row.subtype,
                filing_no=row.filing_no,
                active=row.status == FilingStatus.ACTIVE,
                active_since=row.activated_at.date() if row.activated_at else None,
            )
        )
        for name in ("customs_code", "dxp_id", "ciq_code", "fx_class", "safe_directory_no", "tax_filing_no"):
            value = getattr(row, name) or ""
            if value and (row.status == FilingStatus.ACTIVE or name not in ids):
                ids[name] = value
        names.setdefault("name_cn", row.name_cn)
        names.setdefault("name_en", row.name_en)
    return Standing(organisation_id=organisation_id, roles=tuple(roles), names=names, **ids)


def standings_of(organisation_ids) -> dict[int, Standing]:
    """``{organisation id: Standing}`` for many organisations in one query (an import's parties)."""
    from registration.models import EntityFiling

    ids = sorted(set(organisation_ids))
    rows: dict[int, list] = {pk: [] for pk in ids}
    for filing in (
        EntityFiling.objects.filter(
            owner_id__in=ids, status__in=[FilingStatus.ACTIVE, FilingStatus.SUSPENDED]
        )
        .exclude(subtype=Subtype.NATURAL_PERSON)
        .only(
            "owner_id",
            "entity_type",
            "subtype",
            "filing_no",
            "status",
            "activated_at",
            "name_cn",
            "name_en",
            "customs_code",
            "dxp_id",
            "ciq_code",
            "fx_class",
            "safe_directory_no",
            "tax_filing_no",
        )
        .order_by("owner_id", "-status", "activated_at")
    ):
        rows[filing.owner_id].append(filing)
    return {pk: _fold(pk, rows[pk]) for pk in ids}


def enterprise_standing(organisation) -> Standing:
    """The organisation's roles in force and the identifiers the departments gave it (one query)."""
    pk = getattr(organisation, "pk", organisation)
    return standings_of([pk])[pk]


def working_calendar():
    """The statutory working-day calendar registration keeps (holidays and make-up working days, ADR 0013):
    ``is_working_day(day)``, ``next_working_day(day)``, ``add_working_days(day, n)``."""
    from registration.clock import WorkingCalendar

    return WorkingCalendar()
