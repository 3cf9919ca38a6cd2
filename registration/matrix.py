"""The applicability matrix of qualifications (DOMAIN §1.4) and what each one sends to which department.

``M`` mandatory, ``O`` optional (only when the entity asks for it, and only when its condition holds),
absent = not applicable. One ``QualificationTask`` is created per applicable cell when a filing is approved.
"""

from dataclasses import dataclass

from registration.choices import EntityType, Qualification, Subtype

MANDATORY, OPTIONAL = "M", "O"
M, OPT = MANDATORY, OPTIONAL
Q = Qualification

MATRIX: dict[tuple[str, str], dict[str, str]] = {
    (EntityType.SELF_PLATFORM, ""): {
        Q.FT_OPERATOR: M,
        Q.CUSTOMS_REG: M,
        Q.CIQ_FILING: M,
        Q.TAX_REFUND_FILING: OPT,
        Q.SAFE_DIRECTORY: M,
        Q.EPORT_CARD: M,
    },
    (EntityType.APPLICATION, Subtype.ENTERPRISE): {
        Q.FT_OPERATOR: M,
        Q.CUSTOMS_REG: M,
        Q.CIQ_FILING: M,
        Q.TAX_REFUND_FILING: OPT,
        Q.SAFE_DIRECTORY: M,
        Q.EPORT_CARD: M,
    },
    (EntityType.APPLICATION, Subtype.INDIVIDUAL_BUSINESS): {
        Q.FT_OPERATOR: M,
        Q.CUSTOMS_REG: M,
        Q.CIQ_FILING: M,
        Q.SAFE_DIRECTORY: OPT,
        Q.EPORT_CARD: OPT,
    },
    (EntityType.APPLICATION, Subtype.NATURAL_PERSON): {},
    (EntityType.SERVICE, Subtype.LOGISTICS): {Q.CUSTOMS_REG: M, Q.CIQ_FILING: OPT, Q.EPORT_CARD: M},
    (EntityType.SERVICE, Subtype.CUSTOMS_BROKER): {Q.CUSTOMS_REG: M, Q.CIQ_FILING: OPT, Q.EPORT_CARD: M},
    (EntityType.SERVICE, Subtype.PAYMENT): {Q.CUSTOMS_REG: OPT, Q.SAFE_DIRECTORY: M, Q.EPORT_CARD: OPT},
    (EntityType.SERVICE, Subtype.COMPREHENSIVE): {
        Q.FT_OPERATOR: M,
        Q.CUSTOMS_REG: M,
        Q.CIQ_FILING: M,
        Q.TAX_REFUND_FILING: M,
        Q.SAFE_DIRECTORY: M,
        Q.EPORT_CARD: M,
    },
    (EntityType.SERVICE, Subtype.PLATFORM): {Q.CUSTOMS_REG: M, Q.CIQ_FILING: OPT, Q.EPORT_CARD: M},
}


@dataclass(frozen=True)
class QualificationSpec:
    """How a qualification travels: message type, and which receipt field holds its identifier."""

    code: str
    message_type: str
    identifier_key: str
    order: int


SPECS: dict[str, QualificationSpec] = {
    s.code: s
    for s in (
        QualificationSpec(Q.FT_OPERATOR, "commerce.ft_operator", "record_no", 1),
        QualificationSpec(Q.CUSTOMS_REG, "customs.registration", "customs_code", 2),
        QualificationSpec(Q.CIQ_FILING, "ciq.enterprise_filing", "ciq_code", 3),
        QualificationSpec(Q.TAX_REFUND_FILING, "tax.refund_filing", "tax_filing_no", 4),
        QualificationSpec(Q.SAFE_DIRECTORY, "safe.directory", "directory_no", 5),
        QualificationSpec(Q.EPORT_CARD, "eport.card", "dxp_id", 6),
    )
}
SPEC_BY_MESSAGE_TYPE = {s.message_type: s for s in SPECS.values()}


def cells(entity_type: str, subtype: str) -> dict[str, str]:
    """The matrix row of an entity type and subtype: ``{qualification: "M" | "O"}``."""
    return dict(MATRIX.get((str(entity_type), str(subtype or "")), {}))


def optional_codes(entity_type: str, subtype: str) -> list[str]:
    row = cells(entity_type, subtype)
    return [code for code in Q.values if row.get(code) == OPT]


def condition_problem(code: str, *, is_vat_general_taxpayer: bool) -> str | None:
    """Why an optional qualification cannot be applied for (its matrix condition), or None."""
    if code == Q.TAX_REFUND_FILING and not is_vat_general_taxpayer:
        return "not_general_taxpayer"
    return None
