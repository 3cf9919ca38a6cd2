"""The kinds of customs document an enterprise files one at a time, as the ways in see them: one registry
read by the API (``customs.api.views_documents``) and the pages (``customs.views.kinds``, which adds only
what a page shows).

Each kind names its model, its document type (what an agent's authorisation covers), the four services
that write it, the number people know it by, the head and goods-line fields a partial update starts from,
and whether the document's natural party (an order's platform, a receipt's payment enterprise) may file it
without an authorisation (the service then checks the code it names). The services decide everything
else; this is only how to call them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from customs import services
from customs.choices import DocumentType
from customs.models import InventoryList, Order, Payment, Waybill
from customs.services import documents
from customs.services.lists import HEAD_FIELDS, ITEM_FIELDS
from customs.validation.specs import ORDER_HEAD, ORDER_ITEM, PAYMENT, WAYBILL


@dataclass(frozen=True)
class DocumentKind:
    model: type
    document_type: str
    create: Callable  # (*, owner, by, head, items, submit=False) -> document
    update: Callable  # (doc, *, by, head, items) -> document
    submit: Callable  # (doc, *, by) -> document
    withdraw: Callable  # (doc, *, by, reason) -> document
    number: Callable  # doc -> the number people know it by
    head_fields: tuple
    create_bulk: Callable  # (*, owner, by, rows, submit) -> BulkResult; up to 10,000 at once, all or nothing
    batch_key: str  # what a batch request names its rows ({"orders": [...]}) and the answer too
    batch_fields: tuple  # the business key each row of the answer shows, the BulkResult key's fields
    item_fields: tuple = ()
    as_party: bool = False  # the natural party may file it without an authorisation

    @property
    def has_items(self) -> bool:
        return bool(self.item_fields)


def _names(fields) -> tuple:
    return tuple(spec.name for spec in fields.specs)


def _bulk(kind: documents.Kind) -> Callable:
    def create_bulk(*, owner, by, rows, submit):
        return services.documents_create_bulk(kind, owner=owner, filer=None, by=by, rows=rows, submit=submit)

    return create_bulk


LISTS = DocumentKind(
    model=InventoryList,
    document_type=DocumentType.INVENTORY,
    create=lambda *, owner, by, head, items, submit=False: services.list_create(
        owner=owner, by=by, head=head, items=items, submit=submit
    ),
    update=lambda doc, *, by, head, items: services.list_update(inventory=doc, by=by, head=head, items=items),
    submit=lambda doc, *, by: services.list_submit(inventory=doc, by=by),
    withdraw=lambda doc, *, by, reason: services.list_withdraw(inventory=doc, by=by, reason=reason),
    number=lambda doc: doc.invt_no or doc.cop_no,
    head_fields=HEAD_FIELDS,
    create_bulk=lambda *, owner, by, rows, submit: services.lists_create_bulk(
        owner=owner, filer=None, by=by, rows=rows, submit=submit
    ),
    batch_key="lists",
    batch_fields=("cop_no",),
    item_fields=ITEM_FIELDS,
)
ORDERS = DocumentKind(
    model=Order,
    document_type=DocumentType.ORDER,
    create=lambda *, owner, by, head, items, submit=False: services.order_create(
        owner=owner, by=by, head=head, items=items, submit=submit
    ),
    update=lambda doc, *, by, head, items: services.order_update(order=doc, by=by, head=head, items=items),
    submit=lambda doc, *, by: services.order_submit(order=doc, by=by),
    withdraw=lambda doc, *, by, reason: services.order_withdraw(order=doc, by=by, reason=reason),
    number=lambda doc: doc.order_no,
    head_fields=_names(ORDER_HEAD),
    create_bulk=_bulk(documents.ORDERS),
    batch_key="orders",
    batch_fields=documents.ORDERS.unique,
    item_fields=_names(ORDER_ITEM),
    as_party=True,
)
PAYMENTS = DocumentKind(
    model=Payment,
    document_type=DocumentType.PAYMENT,
    create=lambda *, owner, by, head, items, submit=False: services.payment_create(
        owner=owner, by=by, data=head, submit=submit
    ),
    update=lambda doc, *, by, head, items: services.payment_update(payment=doc, by=by, data=head),
    submit=lambda doc, *, by: services.payment_submit(payment=doc, by=by),
    withdraw=lambda doc, *, by, reason: services.payment_withdraw(payment=doc, by=by, reason=reason),
    number=lambda doc: doc.pay_no or doc.order_no,
    head_fields=_names(PAYMENT),
    create_bulk=_bulk(documents.PAYMENTS),
    batch_key="payments",
    batch_fields=documents.PAYMENTS.unique,
    as_party=True,
)
WAYBILLS = DocumentKind(
    model=Waybill,
    document_type=DocumentType.WAYBILL,
    create=lambda *, owner, by, head, items, submit=False: services.waybill_create(
        owner=owner, by=by, data=head, submit=submit
    ),
    update=lambda doc, *, by, head, items: services.waybill_update(waybill=doc, by=by, data=head),
    submit=lambda doc, *, by: services.waybill_submit(waybill=doc, by=by),
    withdraw=lambda doc, *, by, reason: services.waybill_withdraw(waybill=doc, by=by, reason=reason),
    number=lambda doc: doc.logistics_no,
    head_fields=_names(WAYBILL),
    create_bulk=_bulk(documents.WAYBILLS),
    batch_key="waybills",
    batch_fields=documents.WAYBILLS.unique,
)
KINDS = (LISTS, ORDERS, PAYMENTS, WAYBILLS)
