"""Format checks of single filing fields (rules E-1, E-2, E-4 and the shapes of §1.2), in the user's language.

Each check returns a list of ``Problem``; an empty list means the value is acceptable. Identifier checks
reuse ``portal.identifiers`` so the page, the live check and the API say exactly the same thing.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from portal import identifiers
from registration.choices import EntityType, IdType, ServiceScope, Subtype

MAX_PLATFORM_URLS = 20
STRICT_ZONE_DIGITS = frozenset("123459")
_PHONE_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_PHONE_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
_OTHER_ID = re.compile(r"^[A-Z0-9]{5,20}$")
_LICENCE = re.compile(r"^[A-Z0-9]{6,30}$")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    message: str
    blocking: bool = True
    position: int | None = None

    def __str__(self):
        return self.message


def _wrap(field: str, found: list[identifiers.IdentifierProblem]) -> list[Problem]:
    return [Problem(field, p.code, p.message, blocking=p.blocking, position=p.position) for p in found]


def uscc_problems(value: str, *, entity_type: str = "", subtype: str = "") -> list[Problem]:
    """E-1 (basic mode blocks; strict mode only warns) and E-2 (authority/category fits the subtype), as
    ``portal.identifiers.enterprise_uscc_problems`` with the role's category check."""
    return _wrap(
        "uscc",
        identifiers.enterprise_uscc_problems(
            value, category=lambda code: category_problem(code, entity_type=entity_type, subtype=subtype)
        ),
    )


def category_problem(code: str, *, entity_type: str, subtype: str) -> identifiers.IdentifierProblem | None:
    """E-2: 91 for enterprises, 92 for individual businesses (the role's); 93 (cooperatives) never for
    export roles; without a role, 91 or 92 (``portal.identifiers.uscc_prefix_problem``)."""
    general = identifiers.uscc_prefix_problem(code)
    if not entity_type or (general is not None and general.code == "uscc_cooperative"):
        return general
    prefix = code[:2]
    wanted = "92" if subtype == Subtype.INDIVIDUAL_BUSINESS else "91"
    if prefix != wanted:
        return identifiers.IdentifierProblem(
            "uscc_category",
            _(
                "Characters 1–2 are “%(prefix)s”, but a %(role)s must be registered as “%(wanted)s” "
                "(%(meaning)s)."
            )
            % {
                "prefix": prefix,
                "role": role_name(entity_type, subtype),
                "wanted": wanted,
                "meaning": _("individual business") if wanted == "92" else _("enterprise"),
            },
            1,
        )
    return None


def role_name(entity_type: str, subtype: str) -> str:
    if subtype:
        return str(Subtype(subtype).label).lower()
    return str(EntityType(entity_type).label).lower()


def org_code_problems(value: str, *, uscc: str = "") -> list[Problem]:
    """GB 11714 (DOMAIN §2.2): 8 characters and the check character; the hyphen it is printed with is
    accepted. With ``uscc``, it must also be the code that credit code embeds (characters 9–17)."""
    code = identifiers.normalise(value)
    found = _wrap("org_code", identifiers.org_code_problems(code))
    if not found and uscc and len(uscc) == 18 and code != uscc[8:17]:
        found.append(
            Problem(
                "org_code",
                "org_mismatch",
                _("The organisation code must equal characters 9–17 of the credit code (%(expected)s).")
                % {"expected": uscc[8:17]},
            )
        )
    return found


def derived_org_code_problems(value: str, *, uscc: str, natural_person: bool = False) -> list[Problem]:
    """A filing with a credit code does not take a typed organisation code: it is derived (DOMAIN §1.2).
    The derived value itself is accepted (a client sending back what it read), anything else is refused."""
    code = identifiers.normalise(value)
    if natural_person:
        return [
            Problem(
                "org_code",
                "natural_person_org_code",
                _("A natural-person seller has no organisation code; leave it empty."),
            )
        ]
    if len(uscc) == 18 and code == uscc[8:17]:
        return []
    return [
        Problem(
            "org_code",
            "org_code_derived",
            _(
                "The organisation code is characters 9–17 of the credit code and is not entered "
                "separately. Only a legacy record without a credit code gives it alone."
            ),
        )
    ]


def legacy_uscc_problem() -> Problem:
    return Problem(
        "uscc",
        "legacy_no_uscc",
        _(
            "This is a legacy record, filed with the organisation code because the enterprise has no credit "
            "code yet. When it has one, record it for your organisation (Entity filings page) instead of "
            "typing it here."
        ),
    )


def customs_code_problems(value: str, *, subtype: str = "") -> list[Problem]:
    """E-4, and E-7: a natural person is never a consignor, so holds no customs code."""
    if subtype == Subtype.NATURAL_PERSON:
        return [
            Problem(
                "customs_code",
                "natural_person_consignor",
                _("A natural-person seller cannot be a consignor and holds no customs registration code."),
            )
        ]
    found = _wrap("customs_code", identifiers.customs_code_problems(value, zhejiang=True))
    code = identifiers.normalise(value)
    if not found and code[4] not in STRICT_ZONE_DIGITS:
        # DOMAIN §2.3: position 5 is 1–5 or 9 in the published table; 6–8 exist for later zone types, so
        # they are accepted (lenient mode) but the applicant is asked to check the code.
        found.append(
            Problem(
                "customs_code",
                "customs_zone_unusual",
                _(
                    "Character 5 (“%(char)s”) is not one of the economic-zone types in the published table "
                    "(1–5, 9). Check the code against your customs registration certificate."
                )
                % {"char": code[4]},
                blocking=False,
                position=5,
            )
        )
    return found


def division_problems(value: str) -> list[Problem]:
    """Shape, province and the Zhejiang division table (``portal.identifiers.division_problems``)."""
    return _wrap("division_code", identifiers.division_problems(value))


def resident_id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def resident_id_problems(value: str) -> list[Problem]:
    """GB 11643: 17 digits, a birth date at characters 7–14, and a mod 11-2 check character."""
    code = value.strip().upper()
    if len(code) != 18:
        return [
            Problem(
                "legal_rep_id_no",
                "id_length",
                _("A resident identity card number has 18 characters; this one has %(n)d.")
                % {"n": len(code)},
            )
        ]
    for index, char in enumerate(code[:17], start=1):
        if not char.isdigit():
            return [
                Problem(
                    "legal_rep_id_no",
                    "id_character",
                    _("Character %(pos)d (“%(char)s”) must be a digit; only the last character may be X.")
                    % {"pos": index, "char": char},
                    position=index,
                )
            ]
    try:
        date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return [
            Problem(
                "legal_rep_id_no",
                "id_birth_date",
                _("Characters 7–14 (“%(value)s”) are not a valid date of birth.") % {"value": code[6:14]},
                position=7,
            )
        ]
    expected = resident_id_check_char(code[:17])
    if code[17] != expected:
        return [
            Problem(
                "legal_rep_id_no",
                "id_check",
                _("The check character (18th) should be “%(expected)s”, not “%(char)s”.")
                % {"expected": expected, "char": code[17]},
                position=18,
            )
        ]
    return []


def id_number_problems(value: str, *, id_type: str) -> list[Problem]:
    if id_type == IdType.RESIDENT_ID:
        return resident_id_problems(value)
    if not _OTHER_ID.match(value.strip().upper()):
        return [
            Problem(
                "legal_rep_id_no",
                "id_format",
                _("Enter the document number as printed: 5–20 letters and digits, without spaces."),
            )
        ]
    return []


def phone_problems(value: str) -> list[Problem]:
    compact = re.sub(r"[\s()]", "", value)
    if _PHONE_MOBILE.match(compact) or _PHONE_LANDLINE.match(compact):
        return []
    return [
        Problem(
            "contact_phone",
            "phone_format",
            _("Enter a mainland mobile number (11 digits starting with 1) or a landline with area code, "
              "e.g. 0571-87654321."),
        )
    ]  # fmt: skip


def email_problems(value: str) -> list[Problem]:
    try:
        EmailValidator()(value)
    except ValidationError:
        return [Problem("contact_email", "email_format", _("Enter a valid email address."))]
    return []


def platform_urls_problems(urls: list) -> list[Problem]:
    if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        return [Problem("platform_urls", "urls_type", _("Give the addresses as a list of web addresses."))]
    if len(urls) > MAX_PLATFORM_URLS:
        return [
            Problem(
                "platform_urls",
                "urls_too_many",
                _("At most %(n)d addresses can be listed.") % {"n": MAX_PLATFORM_URLS},
            )
        ]
    check = URLValidator(schemes=["http", "https"])
    found = []
    for index, url in enumerate(urls, start=1):
        try:
            if len(url) > 200:
                raise ValidationError("too long")
            check(url)
        except ValidationError:
            found.append(
                Problem(
                    "platform_urls",
                    "url_format",
                    _("Address %(n)d (“%(url)s”) is not a web address starting with http:// or https://.")
                    % {"n": index, "url": url[:80]},
                )
            )
    if len({u.lower().rstrip("/") for u in urls}) != len(urls):
        found.append(Problem("platform_urls", "urls_duplicate", _("The same address is listed twice.")))
    return found


def service_scopes_problems(scopes: list) -> list[Problem]:
    unknown = [s for s in scopes if s not in ServiceScope.values] if isinstance(scopes, list) else [scopes]
    if unknown:
        return [
            Problem(
                "service_scopes",
                "scope_unknown",
                _("Unknown service scope: %(value)s.") % {"value": ", ".join(map(str, unknown))},
            )
        ]
    if len(set(scopes)) != len(scopes):
        return [Problem("service_scopes", "scope_duplicate", _("A service scope is listed twice."))]
    return []


def licence_problems(value: str) -> list[Problem]:
    if _LICENCE.match(value.strip().upper()):
        return []
    return [
        Problem(
            "payment_licence_no",
            "licence_format",
            _("A payment business licence number has 6–30 capital letters and digits, e.g. Z2007933000010."),
        )
    ]


def name_cn_problems(value: str) -> list[Problem]:
    if not _CJK.search(value):
        return [
            Problem(
                "name_cn",
                "name_not_chinese",
                _("Enter the Chinese name exactly as on the business licence."),
            )
        ]
    return []
