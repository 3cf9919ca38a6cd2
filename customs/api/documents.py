"""How the documents' API shows orders, payment receipts, waybills and inventory lists.

A list row is short (the keys a table needs); the detail adds every field, the lines and the pre-flight
report: each finding of the checks ("customs would reject this because…") in the caller's language, with
the field it points at (``items[0].price``) and that field in words ("line 1, unit price").
"""

from functools import lru_cache

from django.conf import settings
from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from customs.choices import DocStatus
from customs.models import InventoryItem, InventoryList, Order, OrderItem, Payment, Waybill
from customs.validation import field_label, from_checks

COMMON = (
    "id",
    "owner",
    "filer",
    "status",
    "status_display",
    "cop_no",
    "check_state",
    "customs_status",
    "submitted_at",
    "created_at",
    "updated_at",
)
DETAIL_COMMON = ("app_type", "customs_info", "customs_at", "status_changed_at", "note", "checks")


class CheckSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="V1–V14, C1–C7 or a field check (required, format, …)")
    severity = serializers.CharField(help_text="error: stops the send; warning: recorded and sent")
    field = serializers.CharField(help_text="the input it points at, e.g. items[0].price; empty: the whole")
    field_label = serializers.CharField(help_text="that field in words, in your language")
    message = serializers.CharField(help_text="what is wrong and how to fix it, in your language")


def checks_report(checks) -> list[dict]:
    return [
        {
            "code": p.code,
            "severity": p.severity,
            "field": p.field,
            "field_label": field_label(p.field) if p.field else "",
            "message": p.message(),
        }
        for p in from_checks(checks)
    ]


@lru_cache(maxsize=8)
def status_labels(language: str) -> dict[str, str]:
    with translation.override(language):
        return {status: str(label) for status, label in DocStatus.choices}


class StatusLabelField(serializers.CharField):
    """The status in the reader's words (``get_status_display``) at a dict lookup per row: through the bound
    method DRF inspects its signature on every row and Django translates all thirteen choices again (a third
    of the Python of a 50-row page, ADR 0030)."""

    def __init__(self, **kwargs):
        super().__init__(source="status", read_only=True, **kwargs)

    def to_representation(self, value):
        return status_labels(translation.get_language() or settings.LANGUAGE_CODE).get(value, value)


class DocumentSerializer(serializers.ModelSerializer):
    owner = serializers.IntegerField(source="owner_id", read_only=True)
    filer = serializers.IntegerField(source="filer_id", read_only=True)
    status = serializers.CharField(
        read_only=True,
        help_text="DRAFT, SUBMITTED, DECLARED, ENTERED, REVIEW, "
        "CONCLUDED, INSPECTION, RELEASED, CLOSED, REJECTED, DETAINED, CANCELLED, WITHDRAWN",
    )
    status_display = StatusLabelField()


class DetailSerializer(DocumentSerializer):
    checks = serializers.SerializerMethodField()

    @extend_schema_field(CheckSerializer(many=True))
    def get_checks(self, obj) -> list[dict]:
        return checks_report(obj.checks)


def _party(name="party"):
    return serializers.IntegerField(source=f"{name}_id", read_only=True, allow_null=True)


# --- orders -------------------------------------------------------------------------------------------------
ORDER_ROW = (*COMMON, "order_no", "ebp_code", "ebc_code", "goods_value", "currency")


class OrderItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderItem
        fields = ("gnum", "item_no", "item_name", "item_describe", "bar_code", "unit", "currency", "qty")
        fields = (*fields, "price", "total_price", "note")


class OrderRowSerializer(DocumentSerializer):
    class Meta:
        model = Order
        fields = ORDER_ROW


class OrderSerializer(DetailSerializer):
    party = _party()
    items = OrderItemSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = (*ORDER_ROW, *DETAIL_COMMON, "party", "order_type", "ebp_name", "ebc_name", "freight")
        fields = (*fields, "items")


# --- payment receipts ---------------------------------------------------------------------------------------
PAYMENT_ROW = (*COMMON, "order_no", "ebc_code", "pay_code", "pay_no", "charge", "currency", "accounting_date")


class PaymentRowSerializer(DocumentSerializer):
    class Meta:
        model = Payment
        fields = PAYMENT_ROW


class PaymentSerializer(DetailSerializer):
    party = _party()

    class Meta:
        model = Payment
        fields = (*PAYMENT_ROW, *DETAIL_COMMON, "party", "ebp_code", "ebp_name", "ebc_name", "pay_name")


# --- waybills -----------------------------------------------------------------------------------------------
WAYBILL_ROW = (*COMMON, "logistics_code", "logistics_no", "ebc_code", "gross_weight", "pack_no")


class WaybillRowSerializer(DocumentSerializer):
    class Meta:
        model = Waybill
        fields = WAYBILL_ROW


class WaybillSerializer(DetailSerializer):
    party = _party()

    class Meta:
        model = Waybill
        fields = (
            *WAYBILL_ROW,
            *DETAIL_COMMON,
            "party",
            "logistics_name",
            "freight",
            "insured_fee",
            "currency",
            "goods_info",
            "ebc_name",
            "ebc_telephone",
        )


# --- inventory lists ----------------------------------------------------------------------------------------
LIST_ROW = (
    *COMMON,
    "invt_no",
    "order_no",
    "ebp_code",
    "ebc_code",
    "logistics_no",
    "ie_date",
    "country",
    "total_value",
    "currency",
    "line_count",
)
LIST_DETAIL = (
    "pre_no",
    "ebp_name",
    "ebc_name",
    "logistics_code",
    "logistics_name",
    "agent_code",
    "agent_name",
    "owner_code",
    "owner_name",
    "customs_code",
    "port_code",
    "trade_mode",
    "traf_mode",
    "traf_name",
    "voyage_no",
    "bill_no",
    "total_package_no",
    "loct_no",
    "license_no",
    "pod",
    "freight",
    "f_currency",
    "f_flag",
    "insured_fee",
    "i_currency",
    "i_flag",
    "wrap_type",
    "pack_no",
    "gross_weight",
    "net_weight",
    "statistics_flag",
    "ems_no",
    "iac_code",
    "iac_name",
    "released_at",
    "closed_at",
)


class InventoryItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = InventoryItem
        fields = (
            "gnum",
            "item_no",
            "item_record_no",
            "item_name",
            "gcode",
            "gname",
            "gmodel",
            "bar_code",
            "country",
            "currency",
            "qty",
            "unit",
            "qty1",
            "unit1",
            "qty2",
            "unit2",
            "price",
            "total_price",
            "note",
        )


class ListRowSerializer(DocumentSerializer):
    class Meta:
        model = InventoryList
        fields = LIST_ROW


class ListSerializer(DetailSerializer):
    items = InventoryItemSerializer(many=True, read_only=True)

    class Meta:
        model = InventoryList
        fields = (*LIST_ROW, *DETAIL_COMMON, *LIST_DETAIL, "items")


class CancellationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    reason = serializers.CharField()
    cop_no = serializers.CharField()
    inventory = serializers.IntegerField(source="inventory_id")


class CustomsTimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    title = serializers.CharField()
    detail = serializers.CharField()
    actor = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    code = serializers.CharField(help_text="customs' returnStatus (officers only)")
    tone = serializers.CharField()
    group = serializers.CharField()
    group_label = serializers.CharField()


def batch_result(name: str, key: str, fields: tuple) -> type:
    """The answer of a batch (``customs.api.batch.create_batch``), for the documentation: per row its
    index, business key, id and whether it was created."""
    row = type(
        f"{name}Row",
        (serializers.Serializer,),
        {
            "index": serializers.IntegerField(help_text="the row's position in the request (0-based)"),
            **{f: serializers.CharField() for f in fields},
            "id": serializers.IntegerField(),
            "created": serializers.BooleanField(help_text="false: this document was already filed by you"),
        },
    )
    return type(
        name,
        (serializers.Serializer,),
        {"created": serializers.IntegerField(), "unchanged": serializers.IntegerField(), key: row(many=True)},
    )
