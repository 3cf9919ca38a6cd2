"""The customs code lists: which model, which shipped file and which CSV columns each one has.

Shared by the loader (``customs.services.reference``), the selectors and the pages, so a list is described
once. The CSV format is documented in ``customs/data/README.md`` and ``docs/customs.md``.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DATA_DIR = Path(__file__).resolve().parent / "data"
# Shipped rows without a known start are valid "since before the portal": an edition start is required
# because (code, valid_from) identifies a row.
OPEN_START = date(2000, 1, 1)


def parse_text(value: str) -> str:
    return value.strip()


def parse_bool(value: str) -> bool:
    value = value.strip().lower()
    if value in ("1", "true", "yes", "y", "是"):
        return True
    if value in ("", "0", "false", "no", "n", "否"):
        return False
    raise ValueError(_("“%(value)s” is not a yes/no value (use 1 or 0).") % {"value": value})


def parse_rate(value: str) -> Decimal | None:
    """A rate as a fraction (0.13) or a percentage (13%); empty means none."""
    value = value.strip()
    if not value:
        return None
    percent = value.endswith("%")
    try:
        rate = Decimal(value.rstrip("%").strip())
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not a rate (write 0.13 or 13%%).") % {"value": value}) from None
    if percent:
        rate /= 100
    if not 0 <= rate <= 1:
        raise ValueError(_("The rate %(value)s is not between 0 and 100%%.") % {"value": value})
    return rate.quantize(Decimal("0.0001"))


def parse_date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(_("“%(value)s” is not a date (write YYYY-MM-DD).") % {"value": value}) from None


def pattern(regex: str, message) -> Callable[[str], str]:
    compiled = re.compile(regex)

    def parse(value: str) -> str:
        value = value.strip()
        if value and not compiled.fullmatch(value):
            raise ValueError(str(message) % {"value": value})
        return value

    return parse


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[str], object] = parse_text
    required: bool = False  # a value must be given (the header always needs the column unless optional)
    optional: bool = False  # the column may be left out of the header altogether


@dataclass(frozen=True)
class ListSpec:
    name: str
    model_name: str
    file_name: str
    label: object
    code_regex: str
    code_hint: object
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def path(self) -> Path:
        return DATA_DIR / self.file_name

    def valid_code_format(self, code: str) -> bool:
        return bool(re.fullmatch(self.code_regex, code))


UNIT = pattern(r"\d{3}", gettext_lazy("“%(value)s” is not a 3-digit unit code."))
ISO2 = pattern(r"[A-Z]{2}", gettext_lazy("“%(value)s” is not an ISO 3166 alpha-2 code."))
ISO3 = pattern(r"[A-Z]{3}", gettext_lazy("“%(value)s” is not a three-letter ISO code."))
ISO_NUM = pattern(r"\d{3}", gettext_lazy("“%(value)s” is not an ISO 3166 numeric code."))
OFFICE = pattern(r"\d{4}", gettext_lazy("“%(value)s” is not a 4-digit customs office code."))

# The order matters: units before commodity codes, offices before sites (their codes are checked).
SPECS: tuple[ListSpec, ...] = (
    ListSpec(
        "customs_offices",
        "CustomsOffice",
        "customs_offices.csv",
        gettext_lazy("Customs offices"),
        r"\d{4}",
        gettext_lazy("4 digits"),
        (
            Column("district", OFFICE, required=True),
            Column("is_port", parse_bool),
            Column("inferred", parse_bool, optional=True),
        ),
    ),
    ListSpec(
        "supervised_sites",
        "SupervisedSite",
        "supervised_sites.csv",
        gettext_lazy("Supervised sites"),
        r"\d{6}",
        gettext_lazy("6 digits"),
        (Column("customs_office", OFFICE, required=True),),
    ),
    ListSpec(
        "countries",
        "Country",
        "countries.csv",
        gettext_lazy("Countries and regions"),
        r"\d{3}",
        gettext_lazy("3 digits"),
        (Column("iso2", ISO2), Column("iso3", ISO3), Column("iso_numeric", ISO_NUM)),
    ),
    ListSpec(
        "currencies",
        "Currency",
        "currencies.csv",
        gettext_lazy("Currencies"),
        r"\d{3}",
        gettext_lazy("3 digits"),
        (Column("iso", ISO3, required=True), Column("note", optional=True)),
    ),
    ListSpec(
        "transport_modes",
        "TransportMode",
        "transport_modes.csv",
        gettext_lazy("Transport modes"),
        r"[0-9A-Z]",
        gettext_lazy("1 digit or capital letter"),
    ),
    ListSpec(
        "package_types",
        "PackageType",
        "package_types.csv",
        gettext_lazy("Package types"),
        r"[0-9A-Z]{1,2}",
        gettext_lazy("1 or 2 digits or capital letters"),
    ),
    ListSpec(
        "units",
        "Unit",
        "units.csv",
        gettext_lazy("Units of measure"),
        r"\d{3}",
        gettext_lazy("3 digits"),
    ),
    ListSpec(
        "hs",
        "HSCode",
        "hs_codes.csv",
        gettext_lazy("Commodity codes (HS)"),
        # 10 digits; HS chapters 01-97, chapter 77 is reserved (DOMAIN §2.5).
        r"(?!77)(?!00)(?!9[89])\d{10}",
        gettext_lazy("10 digits, chapter 01–97"),
        (
            Column("unit1", UNIT, required=True),
            Column("unit2", UNIT),
            Column("refund_rate", parse_rate),
            Column("export_duty", parse_rate, optional=True),
            Column("supervision", optional=True),
            Column("inspection", optional=True),
            Column("needs_licence", optional=True),
            Column("legal_inspection", optional=True),
        ),
    ),
)
BY_NAME = {spec.name: spec for spec in SPECS}
LIST_NAMES = tuple(BY_NAME)

# Supervision-condition (监管条件) letters that mean an export licence is needed: 3 dual-use items export
# licence, 4 export licence, x / y export licence for processing trade / border trade. B: export inspection.
LICENCE_CONDITIONS = frozenset("34xy")
EXPORT_INSPECTION_CONDITIONS = frozenset("B")


def spec(list_name: str) -> ListSpec:
    try:
        return BY_NAME[list_name]
    except KeyError:
        raise LookupError(
            f"unknown customs reference list {list_name!r}; lists: {', '.join(LIST_NAMES)}"
        ) from None
