from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from customs import models

COMMON = ("code", "name_cn", "name_en", "valid_from", "valid_to")


class ReferenceQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="code prefix or part of a name"
    )
    on = serializers.DateField(
        required=False, help_text="the day the codes must be valid on (default: today)"
    )
    all_editions = serializers.BooleanField(
        required=False, default=False, help_text="every edition instead of the codes valid on `on`"
    )


def entry_serializer(model, extra=()):
    meta = type("Meta", (), {"model": model, "fields": COMMON + tuple(extra)})
    return type(f"{model.__name__}EntrySerializer", (serializers.ModelSerializer,), {"Meta": meta})


class HSCodeEntrySerializer(serializers.ModelSerializer):
    refund_rate = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True, read_only=True)
    export_duty = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True, read_only=True)
    refund_eligible = serializers.SerializerMethodField()

    class Meta:
        model = models.HSCode
        fields = (
            *COMMON,
            "unit1",
            "unit2",
            "refund_rate",
            "refund_eligible",
            "export_duty",
            "supervision",
            "inspection",
            "needs_licence",
            "legal_inspection",
        )

    @extend_schema_field(serializers.BooleanField())
    def get_refund_eligible(self, obj) -> bool:
        return obj.refund_eligible


SERIALIZERS = {
    "customs_offices": entry_serializer(models.CustomsOffice, ("district", "is_port", "inferred")),
    "supervised_sites": entry_serializer(models.SupervisedSite, ("customs_office",)),
    "countries": entry_serializer(models.Country, ("iso2", "iso3", "iso_numeric")),
    "currencies": entry_serializer(models.Currency, ("iso", "note")),
    "transport_modes": entry_serializer(models.TransportMode),
    "package_types": entry_serializer(models.PackageType),
    "units": entry_serializer(models.Unit),
    "hs": HSCodeEntrySerializer,
}
