"""Legacy records: enterprises registered before the unified social credit code reform (ADR 0018).

Such an enterprise is identified by its organisation code (组织机构代码, GB 11714: 8 characters and a check
character, 9 in all, stored without the hyphen it is printed with). Its organisation's ``code`` is that
organisation code; every other enterprise's is its 18-character credit code, whose characters 9–17 are the
same organisation code (DOMAIN §1.2, §2.1), so one enterprise is one *subject* whichever code it gives.
"""

from registration.choices import Subtype

ORG_CODE_LENGTH = 9
USCC_LENGTH = 18

# DOMAIN §1.2: the credit code is "required for enterprises and 个体工商户 registered after the USCC
# reform"; before it, legal-person enterprises held an organisation code, individual businesses only a
# registration number (not modelled) and natural persons neither. So every role of a legal-person
# enterprise may be a legacy record; these may not.
NOT_LEGACY_SUBTYPES = frozenset({Subtype.INDIVIDUAL_BUSINESS, Subtype.NATURAL_PERSON})


def is_legacy_code(code: str) -> bool:
    """An organisation identified by its organisation code alone (a legacy enterprise)."""
    return len(code or "") == ORG_CODE_LENGTH


def may_be_legacy(subtype: str) -> bool:
    return subtype not in NOT_LEGACY_SUBTYPES


def subject_of(code: str) -> str:
    """The organisation code a credit code embeds (characters 9–17), or the organisation code itself."""
    code = code or ""
    if len(code) == USCC_LENGTH:
        return code[8:17]
    if len(code) == ORG_CODE_LENGTH:
        return code
    return ""


def printed(org_code: str) -> str:
    """``XXXXXXXX-C``, as organisation codes are printed (DOMAIN §2.2)."""
    return f"{org_code[:8]}-{org_code[8]}" if len(org_code or "") == ORG_CODE_LENGTH else org_code or ""
