"""What each document page needs to know about its kind: the model, its forms, its services and what the
index shows. One set of views (``customs.views.documents``) serves orders, payment receipts, waybills and
inventory lists; the lists have their extra actions in ``customs.views.lists``."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from customs import services
from customs.choices import DocumentType
from customs.forms import (
    ListHeadForm,
    ListItemForm,
    OrderHeadForm,
    OrderItemForm,
    PaymentForm,
    WaybillForm,
)
from customs.models import InventoryList, Order, Payment, Waybill


@dataclass(frozen=True)
class PageKind:
    slug: str  # URL segment and url-name prefix: customs:<slug>, customs:<slug>-detail …
    model: type
    document_type: str
    title: object  # plural, for the index
    singular: object
    head_form: type
    item_form: type | None
    create: Callable  # (owner, by, head, items) -> document
    update: Callable  # (doc, by, head, items) -> document
    submit: Callable  # (doc, by) -> document
    withdraw: Callable  # (doc, by, reason) -> document
    number: Callable  # doc -> the number people know it by
    date_field: str  # what the index's period filters
    columns: tuple = ()  # (label, attribute) shown in the index besides number and status

    @property
    def url_index(self) -> str:
        return f"customs:{self.slug}"

    @property
    def url_new(self) -> str:
        return f"customs:{self.slug}-new"

    @property
    def url_detail(self) -> str:
        return f"customs:{self.slug}-detail"

    @property
    def url_edit(self) -> str:
        return f"customs:{self.slug}-edit"

    @property
    def url_action(self) -> str:
        return f"customs:{self.slug}-action"

    @property
    def is_list(self) -> bool:
        return self.slug == "lists"


LISTS = PageKind(
    slug="lists",
    model=InventoryList,
    document_type=DocumentType.INVENTORY,
    title=_("Inventory lists"),
    singular=_("inventory list"),
    head_form=ListHeadForm,
    item_form=ListItemForm,
    create=lambda owner, by, head, items: services.list_create(owner=owner, by=by, head=head, items=items),
    update=lambda doc, by, head, items: services.list_update(inventory=doc, by=by, head=head, items=items),
    submit=lambda doc, by: services.list_submit(inventory=doc, by=by),
    withdraw=lambda doc, by, reason: services.list_withdraw(inventory=doc, by=by, reason=reason),
    number=lambda doc: doc.invt_no or doc.cop_no,
    date_field="ie_date",
    columns=(
        (_("Order number"), "order_no"),
        (_("Waybill number"), "logistics_no"),
        (_("Export date"), "ie_date"),
        (_("Total value"), "total_value"),
    ),
)
ORDERS = PageKind(
    slug="orders",
    model=Order,
    document_type=DocumentType.ORDER,
    title=_("Orders"),
    singular=pgettext_lazy("customs document", "order"),
    head_form=OrderHeadForm,
    item_form=OrderItemForm,
    create=lambda owner, by, head, items: services.order_create(owner=owner, by=by, head=head, items=items),
    update=lambda doc, by, head, items: services.order_update(order=doc, by=by, head=head, items=items),
    submit=lambda doc, by: services.order_submit(order=doc, by=by),
    withdraw=lambda doc, by, reason: services.order_withdraw(order=doc, by=by, reason=reason),
    number=lambda doc: doc.order_no,
    date_field="created_at__date",
    columns=((_("Platform"), "ebp_name"), (_("Goods value"), "goods_value"), (_("Currency"), "currency")),
)
PAYMENTS = PageKind(
    slug="payments",
    model=Payment,
    document_type=DocumentType.PAYMENT,
    title=_("Payment receipts"),
    singular=_("payment receipt"),
    head_form=PaymentForm,
    item_form=None,
    create=lambda owner, by, head, items: services.payment_create(owner=owner, by=by, data=head),
    update=lambda doc, by, head, items: services.payment_update(payment=doc, by=by, data=head),
    submit=lambda doc, by: services.payment_submit(payment=doc, by=by),
    withdraw=lambda doc, by, reason: services.payment_withdraw(payment=doc, by=by, reason=reason),
    number=lambda doc: doc.pay_no or doc.order_no,
    date_field="created_at__date",
    columns=((_("Order number"), "order_no"), (_("Amount received"), "charge"), (_("Payer"), "pay_name")),
)
WAYBILLS = PageKind(
    slug="waybills",
    model=Waybill,
    document_type=DocumentType.WAYBILL,
    title=_("Waybills"),
    singular=_("waybill"),
    head_form=WaybillForm,
    item_form=None,
    create=lambda owner, by, head, items: services.waybill_create(owner=owner, by=by, data=head),
    update=lambda doc, by, head, items: services.waybill_update(waybill=doc, by=by, data=head),
    submit=lambda doc, by: services.waybill_submit(waybill=doc, by=by),
    withdraw=lambda doc, by, reason: services.waybill_withdraw(waybill=doc, by=by, reason=reason),
    number=lambda doc: doc.logistics_no,
    date_field="created_at__date",
    columns=((_("Seller"), "ebc_name"), (_("Gross weight (kg)"), "gross_weight"), (_("Parcels"), "pack_no")),
)
KINDS = {k.slug: k for k in (LISTS, ORDERS, PAYMENTS, WAYBILLS)}
