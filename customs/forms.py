"""Forms of the customs pages. Document forms take text and leave every check to the services (the same
checks as the API and the imports, ``customs.validation``): a service's ``ValidationError`` comes back by
field (``gross_weight``, ``items[2].price``) and lands next to the input it names."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from customs.choices import DocStatus, DocumentType, StatisticsFlag, SummaryFlag
from customs.models import InventoryItem, InventoryList, Order, OrderItem, Payment, Waybill
from customs.validation.specs import LIST_HEAD, LIST_ITEM, ORDER_HEAD, ORDER_ITEM, PAYMENT, WAYBILL
from portal.accessible import AccessibleForm


class ReferenceSearchForm(forms.Form):
    """Search a code list: by code prefix or part of a name, as it stood on a day."""

    q = forms.CharField(label=_("Code or name"), required=False, max_length=100)
    on = forms.DateField(
        label=_("Valid on"),
        required=False,
        help_text=_("Leave empty for today; YYYY-MM-DD."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


# --- documents ----------------------------------------------------------------------------------------------
def as_text(value) -> str:
    """A stored value as the form shows it: ``Decimal('60.00000')`` → ``60``, dates ISO, None empty."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _field(spec, model, *, line: bool = False):
    label = model._meta.get_field(spec.name).verbose_name
    attrs = {"class": "input--cell"} if line else {}
    if spec.kind == "date":
        return forms.CharField(
            label=label, required=spec.required, widget=forms.DateInput(attrs={"type": "date"})
        )
    if spec.kind == "datetime":
        return forms.CharField(
            label=label, required=spec.required, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
        )
    if spec.name == "statistics_flag":
        return forms.ChoiceField(label=label, choices=StatisticsFlag.choices, initial=StatisticsFlag.B)
    if spec.kind in ("money", "decimal", "int"):
        attrs["inputmode"] = "decimal"
    length = spec.max_length or spec.length or None
    return forms.CharField(
        label=label,
        required=spec.required and not line,
        max_length=length,
        widget=forms.TextInput(attrs=attrs),
    )


def document_form(name: str, fields, model, names, *, line: bool = False, base=AccessibleForm):
    """A form class of ``names`` (specs of ``fields``) labelled by ``model``'s verbose names."""
    attrs = {n: _field(fields.by_name[n], model, line=line) for n in names}
    return type(name, (base,), attrs)


class LineForm(AccessibleForm):
    """One goods line: blank lines are left out; the service numbers the rest 1..n."""

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("DELETE",) and v not in ("", None)}


LIST_HEAD_NAMES = (
    "cop_no",
    "order_no",
    "ebp_code",
    "ebp_name",
    "logistics_code",
    "logistics_name",
    "logistics_no",
    "customs_code",
    "port_code",
    "ie_date",
    "statistics_flag",
    "traf_mode",
    "traf_name",
    "voyage_no",
    "bill_no",
    "total_package_no",
    "loct_no",
    "license_no",
    "country",
    "pod",
    "freight",
    "f_currency",
    "insured_fee",
    "i_currency",
    "wrap_type",
    "pack_no",
    "gross_weight",
    "net_weight",
    "note",
)
LIST_ITEM_NAMES = (
    "item_no",
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
)
ORDER_HEAD_NAMES = ("order_no", "ebp_code", "ebp_name", "goods_value", "freight", "currency", "note")
ORDER_ITEM_NAMES = ("item_no", "item_name", "bar_code", "unit", "currency", "qty", "price", "total_price")
PAYMENT_NAMES = (
    "order_no",
    "ebp_code",
    "ebp_name",
    "pay_code",
    "pay_name",
    "pay_no",
    "charge",
    "currency",
    "accounting_date",
    "note",
)
WAYBILL_NAMES = (
    "logistics_no",
    "freight",
    "insured_fee",
    "currency",
    "gross_weight",
    "pack_no",
    "goods_info",
    "ebc_code",
    "ebc_name",
    "ebc_telephone",
    "note",
)

ListHeadForm = document_form("ListHeadForm", LIST_HEAD, InventoryList, LIST_HEAD_NAMES)
ListItemForm = document_form(
    "ListItemForm", LIST_ITEM, InventoryItem, LIST_ITEM_NAMES, line=True, base=LineForm
)
OrderHeadForm = document_form("OrderHeadForm", ORDER_HEAD, Order, ORDER_HEAD_NAMES)
OrderItemForm = document_form(
    "OrderItemForm", ORDER_ITEM, OrderItem, ORDER_ITEM_NAMES, line=True, base=LineForm
)
PaymentForm = document_form("PaymentForm", PAYMENT, Payment, PAYMENT_NAMES)
WaybillForm = document_form("WaybillForm", WAYBILL, Waybill, WAYBILL_NAMES)


def line_formset(form_class, *, extra: int = 2):
    return forms.formset_factory(form_class, extra=extra, can_delete=True, max_num=999, validate_max=True)


class SellerChoiceForm(AccessibleForm):
    """Whose document: the user's own enterprise or a seller that authorised it (agents)."""

    owner = forms.TypedChoiceField(label=_("Filed for"), coerce=int)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [(o.pk, o.display_name) for o in owners]


class ReasonForm(AccessibleForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}), required=True
    )


class CopyForm(AccessibleForm):
    """A copy needs its own enterprise reference, and usually its own order and waybill."""

    cop_no = forms.CharField(label=_("New enterprise reference (copNo)"), max_length=30)
    order_no = forms.CharField(label=_("Order number"), max_length=60, required=False)
    logistics_no = forms.CharField(label=_("Waybill number"), max_length=80, required=False)


class DocumentFilterForm(forms.Form):
    """The filters of a document index (GET)."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    number = forms.CharField(
        label=_("Number"),
        required=False,
        max_length=80,
        help_text=_("Order number, customs list number or your reference, exactly."),
    )
    seller = forms.TypedChoiceField(label=_("Seller"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, sellers=(), statuses=DocStatus.choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), *statuses]
        if sellers:
            self.fields["seller"].choices = [
                ("", _("All sellers")),
                *((s.pk, s.display_name) for s in sellers),
            ]
        else:
            del self.fields["seller"]


class OfficerFilterForm(DocumentFilterForm):
    """Officers filter by enterprise (credit code or customs code) and exit port too."""

    enterprise = forms.CharField(label=_("Enterprise code"), required=False, max_length=18)
    port = forms.CharField(label=_("Exit customs"), required=False, max_length=4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].help_text = _("Customs' inventory list number, exactly.")


# --- authorisations -----------------------------------------------------------------------------------------
class AuthorisationGrantForm(AccessibleForm):
    agent_code = forms.CharField(
        label=_("Agent's unified social credit code"),
        max_length=18,
        help_text=_("The service enterprise (customs broker, logistics, comprehensive service) that files."),
    )
    document_types = forms.MultipleChoiceField(
        label=_("Documents it may file"),
        choices=DocumentType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    valid_from = forms.DateField(
        label=_("From"),
        required=False,
        help_text=_("Leave empty to start now."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    valid_until = forms.DateField(
        label=_("Until (inclusive)"),
        required=False,
        help_text=_("Leave empty until you revoke it."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class SummaryPreviewForm(AccessibleForm):
    """Preview one month's summary: which month, and how lists are grouped (DOMAIN §3.9)."""

    month = forms.CharField(
        label=_("Month the lists closed"),
        max_length=7,
        help_text=_("YYYY-MM, for example 2025-02. A month can be summarised once it has ended."),
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    summary_flag = forms.ChoiceField(label=_("Grouping"), choices=SummaryFlag.choices, initial="2")
    item_name_flag = forms.BooleanField(
        label=_("Keep item names apart (for tax refund product names)"), required=False, initial=True
    )
