"""Zhejiang prefecture-level cities by division code (DOMAIN §7.4), for the city filter and display.

Only the prefecture level is listed: county codes change (Hangzhou's districts were redrawn in 2021), so a
filing's full 6-digit code is validated by shape and province, and grouped by its first four digits.
"""

from django.utils.translation import gettext_lazy as _

CITIES = {
    "3301": _("Hangzhou"),
    "3302": _("Ningbo"),
    "3303": _("Wenzhou"),
    "3304": _("Jiaxing"),
    "3305": _("Huzhou"),
    "3306": _("Shaoxing"),
    "3307": _("Jinhua"),
    "3308": _("Quzhou"),
    "3309": _("Zhoushan"),
    "3310": _("Taizhou"),
    "3311": _("Lishui"),
}
NAMED_COUNTIES = {"330782": _("Yiwu")}


def city_of(division_code: str) -> str:
    return (division_code or "")[:4]


def division_label(division_code: str) -> str:
    """``义乌市 (330782)``-style label, as precise as the table allows; the bare code if unknown."""
    code = division_code or ""
    name = NAMED_COUNTIES.get(code) or CITIES.get(code[:4])
    return f"{name} ({code})" if name else code
