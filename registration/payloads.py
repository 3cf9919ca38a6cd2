"""The JSON node fields of each qualification message (docs/exchange-protocol.md §4), built from a filing."""

from registration.choices import EntityType, Qualification, Subtype

# Customs role (protocol §4 customs.registration): brokers and forwarders declare for others (位 6 = 8);
# everyone else registers as a consignor (进出口货物收发货人).
BROKER_SUBTYPES = frozenset({Subtype.CUSTOMS_BROKER, Subtype.LOGISTICS})

# The role each entity plays towards inspection and quarantine.
CIQ_ROLES = {
    EntityType.SELF_PLATFORM: "EBP_EBC",
    Subtype.ENTERPRISE: "EBC",
    Subtype.INDIVIDUAL_BUSINESS: "EBC",
    Subtype.LOGISTICS: "LOGISTICS",
    Subtype.CUSTOMS_BROKER: "AGENT",
    Subtype.COMPREHENSIVE: "AGENT",
    Subtype.PLATFORM: "EBP",
    Subtype.PAYMENT: "PAYMENT",
}


def customs_role(filing) -> str:
    return "BROKER" if filing.subtype in BROKER_SUBTYPES else "CONSIGNOR"


def ciq_role(filing) -> str:
    return CIQ_ROLES.get(filing.subtype or filing.entity_type, "EBC")


def _base(filing) -> dict:
    return {"uscc": filing.uscc, "name_cn": filing.name_cn, "division_code": filing.division_code}


def build(code: str, filing) -> dict:
    """The node fields (besides ``guid`` and ``business_key``) for qualification ``code``."""
    if code == Qualification.FT_OPERATOR:
        return {
            "filing_no": filing.filing_no,
            **_base(filing),
            "name_en": filing.name_en,
            "entity_type": filing.entity_type,
            "subtype": filing.subtype,
            "address": filing.address,
            "legal_rep_name": filing.legal_rep_name,
            "contact_phone": filing.contact_phone,
        }
    if code == Qualification.CUSTOMS_REG:
        economic = "8" if customs_role(filing) == "BROKER" else filing.economic_type
        return {**_base(filing), "role": customs_role(filing), "economic_type": economic}
    if code == Qualification.CIQ_FILING:
        return {
            **_base(filing),
            "org_code": filing.org_code,
            "role": ciq_role(filing),
            "contact_name": filing.contact_name,
            "contact_phone": filing.contact_phone,
        }
    if code == Qualification.TAX_REFUND_FILING:
        return {**_base(filing), "is_vat_general_taxpayer": filing.is_vat_general_taxpayer}
    if code == Qualification.SAFE_DIRECTORY:
        return {**_base(filing), "entity_type": filing.entity_type, "subtype": filing.subtype}
    if code == Qualification.EPORT_CARD:
        return {"uscc": filing.uscc, "name_cn": filing.name_cn, "customs_code": filing.customs_code or ""}
    raise ValueError(f"unknown qualification {code!r}")


def filing_status(filing, *, reason: str = "") -> dict:
    return {"filing_no": filing.filing_no, "uscc": filing.uscc, "status": filing.status, "reason": reason}
