"""What the documents' API takes in: serializers generated from ``customs.validation.specs``.

The serializers only shape the request (which keys, lists of lines) and document it in OpenAPI; the values
are checked by ``customs.validation`` inside the services, so a bad value gets the same field-level message
in the caller's language as on the pages and in an import (``items[0].price``: "line 1, unit price ...").
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from customs.validation.specs import LIST_HEAD, LIST_ITEM, ORDER_HEAD, ORDER_ITEM, PAYMENT, WAYBILL


class Raw(serializers.Field):
    """A value handed to the services as it came (text or number); they check it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return data

    def to_representation(self, value):
        return value


@extend_schema_field(OpenApiTypes.STR)
class RawText(Raw):
    pass


@extend_schema_field(OpenApiTypes.DECIMAL)
class RawDecimal(Raw):
    pass


@extend_schema_field(OpenApiTypes.INT)
class RawInt(Raw):
    pass


@extend_schema_field(OpenApiTypes.DATE)
class RawDate(Raw):
    pass


@extend_schema_field(OpenApiTypes.DATETIME)
class RawDateTime(Raw):
    pass


@extend_schema_field(OpenApiTypes.BOOL)
class RawBool(Raw):
    pass


KIND_FIELD = {
    "money": RawDecimal,
    "decimal": RawDecimal,
    "int": RawInt,
    "date": RawDate,
    "datetime": RawDateTime,
    "bool": RawBool,
}


def _help(spec) -> str:
    parts = []
    if spec.required:
        parts.append("required")
    if spec.max_length or spec.length:
        parts.append(f"length {spec.length}" if spec.length else f"at most {spec.max_length} characters")
    if spec.choices:
        parts.append("one of " + ", ".join(spec.choices))
    if spec.code_list:
        parts.append(f"a code of /api/v1/customs/reference/{spec.code_list}/")
    if spec.kind == "party":
        parts.append("10-character customs code or 18-character USCC")
    return "; ".join(parts)


def spec_fields(fields) -> dict:
    return {spec.name: KIND_FIELD.get(spec.kind, RawText)(help_text=_help(spec)) for spec in fields.specs}


def spec_serializer(name: str, fields, **extra):
    return type(name, (serializers.Serializer,), {**spec_fields(fields), **extra})


OWNER_HELP = (
    "the enterprise the document belongs to (organisation id); default: your own. An agent names a seller "
    "that authorised it for this kind of document."
)
SUBMIT_HELP = "send it to customs at once (every check must pass); default: save a draft"

ListItemInput = spec_serializer("ListItemInput", LIST_ITEM)
OrderItemInput = spec_serializer("OrderItemInput", ORDER_ITEM)


def _write(name: str, head, item=None, *, create: bool):
    extra = {}
    if item is not None:
        extra["items"] = item(many=True, required=False)
    if create:
        extra["owner"] = serializers.IntegerField(required=False, allow_null=True, help_text=OWNER_HELP)
        extra["submit"] = serializers.BooleanField(required=False, default=False, help_text=SUBMIT_HELP)
    return spec_serializer(name, head, **extra)


ListCreateInput = _write("ListCreateInput", LIST_HEAD, ListItemInput, create=True)
ListUpdateInput = _write("ListUpdateInput", LIST_HEAD, ListItemInput, create=False)
OrderCreateInput = _write("OrderCreateInput", ORDER_HEAD, OrderItemInput, create=True)
OrderUpdateInput = _write("OrderUpdateInput", ORDER_HEAD, OrderItemInput, create=False)
PaymentCreateInput = _write("PaymentCreateInput", PAYMENT, create=True)
PaymentUpdateInput = _write("PaymentUpdateInput", PAYMENT, create=False)
WaybillCreateInput = _write("WaybillCreateInput", WAYBILL, create=True)
WaybillUpdateInput = _write("WaybillUpdateInput", WAYBILL, create=False)


class CustomsReasonInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class CancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text="why the list is cancelled (sent to customs)")


class CopyInput(serializers.Serializer):
    cop_no = serializers.CharField(max_length=30, help_text="the new list's enterprise reference")
    changes = ListUpdateInput(required=False, help_text="head fields to change (the order, the waybill)")


def batch_input(name: str, key: str, rows, help_text: str) -> type:
    """Only for the documentation: the batch views read the body themselves (10,000 rows in one request)."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "__doc__": f"Up to 10,000 {key} in one request, all or nothing.",
            "owner": serializers.IntegerField(required=False, allow_null=True, help_text=OWNER_HELP),
            "submit": serializers.BooleanField(
                required=False, default=True, help_text="send them (default) or save drafts"
            ),
            key: rows(many=True, help_text=help_text),
        },
    )


BatchInput = batch_input(
    "BatchInput", "lists", ListUpdateInput, "up to 10,000 lists, each a head with its lines in items"
)
OrderBatchInput = batch_input(
    "OrderBatchInput", "orders", OrderUpdateInput, "up to 10,000 orders, each a head with its lines in items"
)
PaymentBatchInput = batch_input("PaymentBatchInput", "payments", PaymentUpdateInput, "up to 10,000 receipts")
WaybillBatchInput = batch_input("WaybillBatchInput", "waybills", WaybillUpdateInput, "up to 10,000 waybills")
