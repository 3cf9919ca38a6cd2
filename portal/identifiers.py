"""Check characters and formats of the identifiers every regulatory app meets (DOMAIN.md §2.1–2.3, §7.4).

* USCC, 统一社会信用代码 (GB 32100-2015): 18 characters, a 31-symbol alphabet without I O Z S V, check
  character mod 31 with weights 3^(i-1) mod 31.
* Organisation code, 组织机构代码 (GB 11714-1997): 8 characters + a mod-11 check (X for 10).
  The same letter has different values in the two algorithms (M = 21 in GB 32100, 22 in GB 11714).
* Customs enterprise code, 海关注册编码: 10 characters, no check digit.
* Zhejiang administrative division codes start with 33 and are in the GB/T 2260 table (``portal.divisions``).
* Legacy records (ADR 0018): an enterprise registered before the credit-code reform is known by its
  organisation code alone; a credit code embeds the organisation code at characters 9–17, so both name one
  *subject*.

Every check returns ``IdentifierProblem`` objects that say which character is wrong and why, in the
user's language, so forms and the API can show the same precise message; a problem that is not
``blocking`` is a warning. Registration (filings, ``registration.validation.fields``) and accounts (sign-up,
a legacy organisation's credit code) check the same codes with the same words.
"""

import re
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from portal.divisions import CITIES, lookup

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
OC_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
_OC_CHARS = re.compile(r"^[0-9A-Z]{8}[0-9X]$")
_CUSTOMS_RE = re.compile(r"^\d{4}[1-9][1-9][0-9A-Z]{4}$")
ZHEJIANG_PREFIX = "33"
ORG_CODE_LENGTH = 9
USCC_LENGTH = 18


@dataclass(frozen=True)
class IdentifierProblem:
    code: str  # stable, e.g. "uscc_check"
    message: str
    position: int | None = None  # 1-based character position, when one character is at fault
    blocking: bool = True  # False: a warning, the value is accepted

    def __str__(self):
        return self.message


def normalise(value: str) -> str:
    """Trim, upper-case, drop spaces and hyphens (``XXXXXXXX-C`` is how organisation codes are printed)."""
    return re.sub(r"[\s\-]", "", value or "").upper()


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    r = 31 - total % 31
    return USCC_CHARS[0 if r == 31 else r]


def _oc_value(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - 55


def oc_check_char(first8: str) -> str:
    total = sum(_oc_value(c) * w for c, w in zip(first8, OC_WEIGHTS, strict=True))
    r = 11 - total % 11
    return "X" if r == 10 else "0" if r == 11 else str(r)


def make_uscc(authority_category: str, division: str, org_body8: str) -> str:
    """Build a valid USCC from its parts (used by demo data and tests; never to 'fix' user input)."""
    oc = org_body8 + oc_check_char(org_body8)
    first17 = authority_category + division + oc
    return first17 + uscc_check_char(first17)


def uscc_problems(value: str, *, strict: bool = False) -> list[IdentifierProblem]:
    """Problems with a USCC; empty when valid. ``strict`` also checks the embedded organisation code."""
    code = normalise(value)
    if len(code) != 18:
        return [
            IdentifierProblem(
                "uscc_length",
                _("A unified social credit code has 18 characters; this one has %(n)d.") % {"n": len(code)},
            )
        ]
    for index, char in enumerate(code, start=1):
        if char not in USCC_CHARS:
            return [
                IdentifierProblem(
                    "uscc_character",
                    _(
                        "Character %(pos)d (“%(char)s”) cannot appear in a unified "
                        "social credit code: the letters I, O, Z, S and V are never "
                        "used."
                    )
                    % {"pos": index, "char": char},
                    index,
                )
            ]
        if 3 <= index <= 8 and not char.isdigit():
            return [
                IdentifierProblem(
                    "uscc_division",
                    _(
                        "Characters 3–8 are the administrative division code and must "
                        "be digits; character %(pos)d is “%(char)s”."
                    )
                    % {"pos": index, "char": char},
                    index,
                )
            ]
    expected = uscc_check_char(code[:17])
    if expected != code[17]:
        return [
            IdentifierProblem(
                "uscc_check",
                _(
                    "The check character (18th) should be “%(expected)s” for the first "
                    "17 characters, not “%(char)s”. Please check for a typing mistake."
                )
                % {"expected": expected, "char": code[17]},
                18,
            )
        ]
    if strict:
        oc_expected = oc_check_char(code[8:16])
        if oc_expected != code[16]:
            return [
                IdentifierProblem(
                    "uscc_org_check",
                    _(
                        "The embedded organisation code (characters 9–17) has check "
                        "character “%(char)s” where GB 11714 gives “%(expected)s”."
                    )
                    % {"char": code[16], "expected": oc_expected},
                    17,
                )
            ]
    return []


def org_code_problems(value: str) -> list[IdentifierProblem]:
    code = normalise(value)
    if len(code) != 9:
        return [
            IdentifierProblem(
                "org_length",
                _("An organisation code has 9 characters (8 plus a check character); this one has %(n)d.")
                % {"n": len(code)},
            )
        ]
    if not _OC_CHARS.match(code):
        return [
            IdentifierProblem(
                "org_character",
                _(
                    "An organisation code uses digits and capital letters, and its "
                    "check character is a digit or X."
                ),
            )
        ]
    expected = oc_check_char(code[:8])
    if expected != code[8]:
        return [
            IdentifierProblem(
                "org_check",
                _("The check character (9th) should be “%(expected)s”, not “%(char)s”.")
                % {"expected": expected, "char": code[8]},
                9,
            )
        ]
    return []


def customs_code_problems(value: str, *, zhejiang: bool = True) -> list[IdentifierProblem]:
    code = normalise(value)
    if len(code) != 10:
        return [
            IdentifierProblem(
                "customs_length",
                _("A customs registration code has 10 characters; this one has %(n)d.") % {"n": len(code)},
            )
        ]
    if not _CUSTOMS_RE.match(code):
        return [
            IdentifierProblem(
                "customs_format",
                _(
                    "A customs registration code is 4 digits (province and city), "
                    "an economic-zone digit 1–9, an enterprise-type digit 1–9 and 4 "
                    "digits or capital letters."
                ),
            )
        ]
    if zhejiang and not code.startswith(ZHEJIANG_PREFIX):
        return [
            IdentifierProblem(
                "customs_province", _("A Zhejiang customs registration code starts with 33."), 1
            )
        ]
    return []


def _division_shape_problems(code: str) -> list[IdentifierProblem]:
    if not re.fullmatch(r"\d{6}", code):
        return [IdentifierProblem("division_format", _("An administrative division code is 6 digits."))]
    if not code.startswith(ZHEJIANG_PREFIX):
        return [
            IdentifierProblem(
                "division_province",
                _("The registered address must be in Zhejiang: the division code starts with 33."),
                1,
            )
        ]
    return []


def division_problems(value: str) -> list[IdentifierProblem]:
    """Shape and province, then the Zhejiang division table (GB/T 2260, ``portal.divisions``): an unknown
    code is refused; a code abolished since (old credit codes keep it) only warns."""
    code = (value or "").strip()
    found = _division_shape_problems(code)
    if found:
        return found
    if code[:4] not in CITIES and code != "330000":
        return [
            IdentifierProblem(
                "division_city",
                _("Characters 3–4 (“%(city)s”) are not a Zhejiang prefecture-level city (01–11).")
                % {"city": code[2:4]},
                3,
            )
        ]
    division = lookup(code)
    if division is None:
        return [
            IdentifierProblem(
                "division_unknown",
                _(
                    "“%(code)s” is not an administrative division of Zhejiang (GB/T 2260). Enter the code of "
                    "the district, county or city of the registered address."
                )
                % {"code": code},
                5,
            )
        ]
    if division.abolished:
        return [
            IdentifierProblem(
                "division_abolished",
                _(
                    "“%(code)s” (%(name)s) was abolished in %(year)s. If the registered address is in "
                    "Zhejiang today, enter its current division code."
                )
                % {"code": code, "name": division.name, "year": division.abolished},
                blocking=False,
            )
        ]
    return []


def uscc_prefix_problem(code: str) -> IdentifierProblem | None:
    """E-2 whatever the role: “93” (farmers' specialised cooperatives) never files; only enterprises (“91”)
    and individual businesses (“92”) registered with market regulation do."""
    prefix = code[:2]
    if prefix == "93":
        return IdentifierProblem(
            "uscc_cooperative",
            _(
                "Characters 1–2 are “93”: a farmers' specialised cooperative cannot file as a "
                "cross-border e-commerce operator."
            ),
            1,
        )
    if prefix not in ("91", "92"):
        return IdentifierProblem(
            "uscc_authority",
            _(
                "Characters 1–2 are “%(prefix)s”: only enterprises (“91”) and individual "
                "businesses (“92”) registered with market regulation can file here."
            )
            % {"prefix": prefix},
            1,
        )
    return None


def enterprise_uscc_problems(value: str, *, category=uscc_prefix_problem) -> list[IdentifierProblem]:
    """The credit code of an enterprise that signs up or files (E-1, E-2): its format and check character
    block, then ``category(code)`` (the authority and category its first two characters must be; a filing
    passes one that knows the role), then the embedded organisation code's check only warns."""
    code = normalise(value)
    found = uscc_problems(code)
    if found:
        return found
    problem = category(code)
    if problem is not None:
        return [problem]
    return [replace(p, blocking=False) for p in uscc_problems(code, strict=True)]


def is_valid_uscc(value: str, *, strict: bool = False) -> bool:
    return not uscc_problems(value, strict=strict)


def is_legacy_code(code: str) -> bool:
    """An organisation identified by its organisation code alone (a legacy enterprise, ADR 0018)."""
    return len(code or "") == ORG_CODE_LENGTH


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
