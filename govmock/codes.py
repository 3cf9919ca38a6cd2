"""Identifier checks a department performs itself (DOMAIN §2.1–§2.3, §7.4).

Implemented here from the standards, not borrowed from the portal, so that a bug on the portal side
is caught rather than mirrored.
"""

from __future__ import annotations

import re

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_USCC_SHAPE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")
# DOMAIN §2.3: pos 5 strictly 1-5 or 9, leniently 6-8; pos 6 economic type 1-9; alphanumeric sequence.
_CUSTOMS_CODE = re.compile(r"\d{4}[1-9][1-9][0-9A-Z]{4}")
_DIVISION = re.compile(r"\d{6}")


def uscc_check_char(first17: str) -> str:
    """GB 32100-2015 check character of the first 17 characters."""
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    remainder = 31 - total % 31
    return USCC_CHARS[0 if remainder == 31 else remainder]


def uscc_shape_ok(code: str) -> bool:
    """18 characters from the GB 32100 alphabet in the right places (says nothing of the check char)."""
    return bool(_USCC_SHAPE.fullmatch(code))


def is_valid_uscc(code: str) -> bool:
    return uscc_shape_ok(code) and uscc_check_char(code[:17]) == code[17]


def is_customs_code(code: str) -> bool:
    return bool(_CUSTOMS_CODE.fullmatch(code))


def is_party_code(code: str) -> bool:
    """CEB party codes take either the 10-char customs code or the 18-char USCC (DOMAIN §2.3)."""
    return is_customs_code(code) if len(code) == 10 else len(code) == 18 and is_valid_uscc(code)


def is_division_code(code: str) -> bool:
    return bool(_DIVISION.fullmatch(code))


def is_zhejiang_division(code: str) -> bool:
    return is_division_code(code) and code.startswith("33")
