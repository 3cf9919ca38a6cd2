"""Zhejiang administrative divisions (GB/T 2260), from the committed file ``data/zhejiang_divisions.csv``.

The table lists the province, its 11 prefecture-level cities and their districts, counties and county-level
cities (DOMAIN §7.4, e.g. 330782 Yiwu). Codes change (Hangzhou's districts were redrawn in 2021): a code
abolished since keeps its row with the year, because a credit code keeps the division of the authority that
registered it for life; such a code is accepted with a warning. Updating the table is a data change (edit the
CSV from the current MCA list), not a code change.
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.functional import lazy
from django.utils.translation import get_language, gettext

DATA_FILE = Path(__file__).resolve().parent / "data" / "zhejiang_divisions.csv"


@dataclass(frozen=True)
class Division:
    code: str
    name_zh: str
    name_en: str
    level: str  # province, prefecture, county
    parent: str
    abolished: int | None

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


@cache
def table() -> dict[str, Division]:
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: Division(
                row["code"],
                row["name_zh"],
                row["name_en"],
                row["level"],
                row["parent"],
                int(row["abolished"]) if row["abolished"] else None,
            )
            for row in csv.DictReader(handle)
        }


def lookup(code: str) -> Division | None:
    return table().get((code or "").strip())


def _name_of(code: str) -> str:
    found = lookup(code)
    return found.name if found else code


CITY_PREFIX_LENGTH = 4  # GB/T 2260: province (2) + prefecture-level city (2)


def prefectures() -> tuple[Division, ...]:
    """Zhejiang's prefecture-level cities, in code order."""
    return tuple(division for _code, division in sorted(table().items()) if division.level == "prefecture")


# Prefecture-level cities by their first four digits (the queue's city filter), in the user's language.
CITIES = {city.code[:CITY_PREFIX_LENGTH]: lazy(_name_of, str)(city.code) for city in prefectures()}


def city_of(division_code: str) -> str:
    return (division_code or "")[:CITY_PREFIX_LENGTH]


def city_name(division_code: str) -> str:
    """The prefecture-level city a division belongs to, in the reader's language (``义乌市`` → ``金华市``);
    the code itself when the table does not know it, an empty string when there is none."""
    code = (division_code or "").strip()
    if not code:
        return ""
    return str(CITIES.get(city_of(code), code))


def division_label(division_code: str) -> str:
    """``义乌市（330782）`` / ``Yiwu (330782)``, as precise as the table allows; the bare code if unknown."""
    code = (division_code or "").strip()
    found = lookup(code) or lookup(f"{code[:4]}00")
    if not (found and len(code) == 6):
        return code
    return gettext("%(name)s (%(code)s)") % {"name": found.name, "code": code}
