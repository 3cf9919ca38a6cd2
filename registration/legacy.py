"""Legacy records: enterprises registered before the unified social credit code reform (ADR 0018).

Such an enterprise is identified by its organisation code (组织机构代码, GB 11714: 8 characters and a check
character, 9 in all, stored without the hyphen it is printed with). Its organisation's ``code`` is that
organisation code; every other enterprise's is its 18-character credit code, whose characters 9–17 are the
same organisation code (DOMAIN §1.2, §2.1), so one enterprise is one *subject* whichever code it gives. The
codes' side of this (``is_legacy_code``, ``subject_of``, ``printed``) is the shell's
(``portal.identifiers``); which roles of a filing may be legacy records is registration's, here.
"""

from registration.choices import Subtype

# DOMAIN §1.2: the credit code is "required for enterprises and 个体工商户 registered after the USCC
# reform"; before it, legal-person enterprises held an organisation code, individual businesses only a
# registration number (not modelled) and natural persons neither. So every role of a legal-person
# enterprise may be a legacy record; these may not.
NOT_LEGACY_SUBTYPES = frozenset({Subtype.INDIVIDUAL_BUSINESS, Subtype.NATURAL_PERSON})


def may_be_legacy(subtype: str) -> bool:
    return subtype not in NOT_LEGACY_SUBTYPES
