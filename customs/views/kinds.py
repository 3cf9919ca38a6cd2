"""What each document page shows of its kind: its forms, titles, index columns and URL names. The model, the
services and the number come from the kind itself (``customs.kinds``, shared with the API). One set of views
(``customs.views.documents``) serves orders, payment receipts, waybills and inventory lists; the lists have
their extra actions in ``customs.views.lists``."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from customs import kinds
from customs.forms import (
    ListHeadForm,
    ListItemForm,
    OrderHeadForm,
    OrderItemForm,
    PaymentForm,
    WaybillForm,
)


@dataclass(frozen=True)
class PageKind:
    slug: str  # URL segment and url-name prefix: customs:<slug>, customs:<slug>-detail …
    kind: kinds.DocumentKind  # the model, its services, its number
    title: object  # plural, for the index
    singular: object
    head_form: type
    item_form: type | None
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
    def url_import(self) -> str:
        """The Excel / CEB XML import of this kind of document (inventory lists have theirs in the menu)."""
        return "customs:list-imports" if self.is_list else f"customs:{self.slug}-import"

    @property
    def is_list(self) -> bool:
        return self.slug == "lists"


LISTS = PageKind(
    slug="lists",
    kind=kinds.LISTS,
    title=_("Inventory lists"),
    singular=_("inventory list"),
    head_form=ListHeadForm,
    item_form=ListItemForm,
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
    kind=kinds.ORDERS,
    title=_("Orders"),
    singular=pgettext_lazy("customs document", "order"),
    head_form=OrderHeadForm,
    item_form=OrderItemForm,
    date_field="created_at__date",
    columns=((_("Platform"), "ebp_name"), (_("Goods value"), "goods_value"), (_("Currency"), "currency")),
)
PAYMENTS = PageKind(
    slug="payments",
    kind=kinds.PAYMENTS,
    title=_("Payment receipts"),
    singular=_("payment receipt"),
    head_form=PaymentForm,
    item_form=None,
    date_field="created_at__date",
    columns=((_("Order number"), "order_no"), (_("Amount received"), "charge"), (_("Payer"), "pay_name")),
)
WAYBILLS = PageKind(
    slug="waybills",
    kind=kinds.WAYBILLS,
    title=_("Waybills"),
    singular=_("waybill"),
    head_form=WaybillForm,
    item_form=None,
    date_field="created_at__date",
    columns=((_("Seller"), "ebc_name"), (_("Gross weight (kg)"), "gross_weight"), (_("Parcels"), "pack_no")),
)
KINDS = {k.slug: k for k in (LISTS, ORDERS, PAYMENTS, WAYBILLS)}
