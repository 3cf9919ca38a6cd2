"""Names of Zhejiang's prefecture-level cities, keyed by the first four digits of a division code.

From the committed division table (``registration/data/zhejiang_divisions.csv``, read by
``registration.divisions``) when it is there; otherwise from the eleven prefectures of DOMAIN §7.4, so
the statistics still name the cities on an installation shipped without the table.
"""

from dataclasses import dataclass

from django.utils.translation import get_language

# DOMAIN §7.4 (GB/T 2260 prefecture codes).
FALLBACK: dict[str, tuple[str, str]] = {
    "330100": ("杭州市", "Hangzhou"),
    "330200": ("宁波市", "Ningbo"),
    "330300": ("温州市", "Wenzhou"),
    "330400": ("嘉兴市", "Jiaxing"),
    "330500": ("湖州市", "Huzhou"),
    "330600": ("绍兴市", "Shaoxing"),
    "330700": ("金华市", "Jinhua"),
    "330800": ("衢州市", "Quzhou"),
    "330900": ("舟山市", "Zhoushan"),
    "331000": ("台州市", "Taizhou"),
    "331100": ("丽水市", "Lishui"),
}


@dataclass(frozen=True)
class City:
    prefix: str  # first four digits of the division code
    code: str  # the prefecture's own six-digit code
    name_zh: str
    name_en: str

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


def _from_division_table() -> dict[str, tuple[str, str]] | None:
    try:
        from registration import divisions
    except OSError:  # the CSV is missing: registration.divisions reads it when imported
        return None
    return {
        code: (division.name_zh, division.name_en)
        for code, division in divisions.table().items()
        if division.level == "prefecture"
    }


def prefectures() -> tuple[City, ...]:
    """Every prefecture-level city, in code order."""
    names = _from_division_table() or FALLBACK
    return tuple(City(code[:4], code, zh, en) for code, (zh, en) in sorted(names.items()))
