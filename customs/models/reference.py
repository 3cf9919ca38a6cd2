"""Customs reference data: the code lists the 9610 declarations are validated against (DOMAIN §2.3–2.8, §7.5).

Every entry is valid from ``valid_from`` to ``valid_to`` inclusive (``valid_to`` empty = still in force), so a
declaration is checked against the lists of its own date: HS editions change (2017, 2022) and a code that
existed in 2021 may be gone in 2022. ``(code, valid_from)`` is unique (one row per edition of a code); a new
edition closes the previous row the day before it starts (``customs.services.reference``). Reference data is
public and written only by the loader (``manage.py load_customs_reference`` or the data migration).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Entries in force on ``day`` (``valid_to`` is the last day of validity)."""
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


class CodeListEntry(models.Model):
    """One edition of one code of a customs code list, with its Chinese and English names."""

    name_cn = models.CharField(_("Chinese name"), max_length=300)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ("code", "valid_from")
        constraints = [
            models.UniqueConstraint(
                fields=("code", "valid_from"), name="%(app_label)s_%(class)s_code_edition"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="%(app_label)s_%(class)s_valid_range",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        """The name in the active language (Chinese unless English is active and an English name exists)."""
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_cn


class CustomsOffice(CodeListEntry):
    """关区代码 (JGS/T 18), 4 digits: ``customsCode`` and, for exit offices, ``portCode`` of a CEB603 list."""

    code = models.CharField(_("code"), max_length=4, db_index=True)
    district = models.CharField(_("customs district"), max_length=4)
    is_port = models.BooleanField(_("exit office"), default=False)
    inferred = models.BooleanField(
        _("inferred"), default=False, help_text=_("Code inferred from other data, not confirmed by a source.")
    )

    class Meta(CodeListEntry.Meta):
        verbose_name = _("customs office")
        verbose_name_plural = _("customs offices")


class SupervisedSite(CodeListEntry):
    """监管场所代码 (``loctNo``), 6 digits, with the code of the customs office that supervises it."""

    code = models.CharField(_("code"), max_length=6, db_index=True)
    customs_office = models.CharField(_("customs office"), max_length=4)

    class Meta(CodeListEntry.Meta):
        verbose_name = _("supervised site")
        verbose_name_plural = _("supervised sites")


class Country(CodeListEntry):
    """海关国别(地区)代码, 3 digits, with ISO 3166-1 codes where the country or region has them."""

    code = models.CharField(_("code"), max_length=3, db_index=True)
    iso2 = models.CharField(_("ISO alpha-2"), max_length=2, blank=True, db_index=True)
    iso3 = models.CharField(_("ISO alpha-3"), max_length=3, blank=True, db_index=True)
    iso_numeric = models.CharField(_("ISO numeric"), max_length=3, blank=True)

    class Meta(CodeListEntry.Meta):
        verbose_name = _("country or region")
        verbose_name_plural = _("countries and regions")


class Currency(CodeListEntry):
    """Customs 3-digit currency code and its ISO 4217 code."""

    code = models.CharField(_("code"), max_length=3, db_index=True)
    iso = models.CharField(_("ISO 4217"), max_length=3, db_index=True)
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta(CodeListEntry.Meta):
        verbose_name = _("currency")
        verbose_name_plural = _("currencies")


class TransportMode(CodeListEntry):
    """运输方式 (``trafMode``), one character."""

    code = models.CharField(_("code"), max_length=1, db_index=True)

    class Meta(CodeListEntry.Meta):
        verbose_name = _("transport mode")
        verbose_name_plural = _("transport modes")


class PackageType(CodeListEntry):
    """包装种类 (``wrapType``)."""

    code = models.CharField(_("code"), max_length=2, db_index=True)

    class Meta(CodeListEntry.Meta):
        verbose_name = _("package type")
        verbose_name_plural = _("package types")


class Unit(CodeListEntry):
    """计量单位, 3 digits: declared units and the legal units of commodity codes."""

    code = models.CharField(_("code"), max_length=3, db_index=True)

    class Meta(CodeListEntry.Meta):
        verbose_name = _("unit of measure")
        verbose_name_plural = _("units of measure")


class HSCode(CodeListEntry):
    """A 10-digit commodity code (商品编码) of one tariff edition, with what it means for an export.

    ``refund_rate`` empty: not known to be refund-eligible. ``export_duty`` empty: no export duty.
    ``needs_licence``: the supervision conditions require an export licence, so the line cannot go through a
    simplified list (V12). ``legal_inspection``: subject to export legal inspection (法检).
    """

    code = models.CharField(_("code"), max_length=10, db_index=True)
    unit1 = models.CharField(_("first legal unit"), max_length=3)
    unit2 = models.CharField(_("second legal unit"), max_length=3, blank=True)
    refund_rate = models.DecimalField(
        _("export refund rate"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    export_duty = models.DecimalField(
        _("export duty rate"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    supervision = models.CharField(_("supervision conditions"), max_length=30, blank=True)
    inspection = models.CharField(_("inspection categories"), max_length=30, blank=True)
    needs_licence = models.BooleanField(_("needs an export licence"), default=False)
    legal_inspection = models.BooleanField(_("legal inspection"), default=False)

    class Meta(CodeListEntry.Meta):
        verbose_name = _("commodity code")
        verbose_name_plural = _("commodity codes")

    @property
    def refund_eligible(self) -> bool:
        return bool(self.refund_rate)

    @property
    def has_export_duty(self) -> bool:
        return bool(self.export_duty)


class ReferenceListInfo(models.Model):
    """What was last loaded into one code list: its source and edition (from the file header) and when."""

    list_name = models.CharField(_("list"), max_length=30, unique=True)
    source = models.TextField(_("source"), blank=True)
    edition = models.TextField(_("edition"), blank=True)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("rows in the file"), default=0)
    loaded_at = models.DateTimeField(_("loaded at"))

    class Meta:
        verbose_name = _("reference list load")
        verbose_name_plural = _("reference list loads")
        ordering = ("list_name",)

    def __str__(self):
        return self.list_name
