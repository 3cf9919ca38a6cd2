"""``/api/v1/customs/{orders,payments,waybills,inventory-lists}/``: thin views over ``customs.services``.

Reads go through ``visible_to`` (the owner, a party named on the document, an agent while authorised,
officers): another enterprise's document is a 404. Writes are for enterprise users; the services decide who
may file for whom (an agent only for sellers whose authorisation is in force) and answer field-level errors
in the caller's language (400), refusals (403) and illegal transitions (409). The batch lives in
``customs.api.batch``: ``batch/`` on each of the four takes up to 10,000 at once.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from customs import kinds, services
from customs.api import documents as out
from customs.api import inputs
from customs.api.batch import BatchJSONParser, create_batch
from customs.api.filtersets import ListFilter, OrderFilter, PaymentFilter, WaybillFilter
from customs.api.pagination import KeysetPagination
from customs.api.xml_batch import BatchTextXMLParser, BatchXMLParser
from customs.models import authorising_sellers
from customs.selectors.pages import documents_visible_to
from customs.services.common import values_of
from portal.api.viewsets import ScopedModelViewSet, ServiceActionMixin
from portal.choices import OrganisationKind
from portal.models import Organisation
from portal.timeline import timeline_for

CONFLICT = OpenApiResponse(description="not allowed in the document's current status")
REFUSED = OpenApiResponse(description="you may not file this document (the reason says why)")


class EnterpriseWrites(permissions.BasePermission):
    """Anyone who sees a document reads it; only enterprise users write (officers read)."""

    message = _("Only enterprise users file customs documents.")

    def has_permission(self, request, view):
        # On one document the lookup comes first (another organisation's is a 404), then the object check.
        return request.method in permissions.SAFE_METHODS or view.detail or request.user.is_enterprise_user

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or request.user.is_enterprise_user


def owner_for(user, owner_id, document_type: str, *, as_party: bool = False):
    """The enterprise a new document belongs to: the caller's own, or a seller that authorised the caller
    for this kind of document (any enterprise when the caller may file as the document's natural party: the
    platform of an order, the payment enterprise of a receipt — the service checks the code it names)."""
    own = user.organisation
    if owner_id in (None, "") or (own is not None and int(owner_id) == own.pk):
        return own
    found = Organisation.objects.filter(pk=owner_id, kind=OrganisationKind.ENTERPRISE)
    if not as_party and own is not None:
        found = found.filter(pk__in=authorising_sellers(own.pk, document_type))
    owner = found.first()
    if owner is None:
        raise ValidationError(
            {
                "owner": [
                    ValidationError(
                        _(
                            "Enterprise %(id)s has not authorised you to file these documents for it, or the "
                            "authorisation ended. You may file for your own enterprise and for sellers that "
                            "authorised you."
                        )
                        % {"id": owner_id},
                        code="not_authorised",
                    )
                ]
            }
        )
    return owner


BATCH = (
    "Up to 10,000 {what} in one request, atomic: one bad row answers 400 with every error by index and "
    "field (`{key}[3].{field}`) and nothing is written. Idempotent on {unique}: a retried batch creates "
    "nothing twice and answers with the same ids (200 when nothing was new). The body may instead be a CEB "
    "file ({ceb}, one or many business nodes) sent as `application/xml`, with `owner` and `submit` as query "
    "parameters; it is parsed with DTDs, entities and external references refused."
)


def _schema(create, update, detail, batch, *, kind, what, unique, field, ceb):
    key = kind.batch_key
    result = out.batch_result(f"{batch.__name__[:-5]}Result", key, kind.batch_fields)
    return extend_schema_view(
        create=extend_schema(request=create, responses={201: detail, 403: REFUSED}),
        update=extend_schema(request=update, responses={200: detail, 409: CONFLICT}),
        partial_update=extend_schema(request=update, responses={200: detail, 409: CONFLICT}),
        batch=extend_schema(
            request=batch,
            responses={201: result, 200: result, 403: REFUSED},
            description=BATCH.format(what=what, key=key, unique=unique, field=field, ceb=ceb),
        ),
    )


class DocumentViewSet(ServiceActionMixin, ScopedModelViewSet):
    """The engine of the four document endpoints; each subclass names its kind (``customs.kinds``: the model
    and the services) and what the API shows of it (serializers, inputs, filters)."""

    permission_classes = [permissions.IsAuthenticated, EnterpriseWrites]
    pagination_class = KeysetPagination  # pages by id, no OFFSET, counts capped (ADR 0030)
    ordering = ["-id"]
    ordering_fields = ["id"]  # keyset pages: newest first, or ``ordering=id`` oldest first
    kind: kinds.DocumentKind | None = None
    row_serializer = None
    detail_serializer = None
    create_input = update_input = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if getattr(cls, "kind", None) is not None:  # the model is the kind's, named once
            cls.queryset = cls.kind.model.objects.none()
            cls.queryset_model = cls.kind.model

    def get_serializer_class(self):
        return self.row_serializer if self.action == "list" else self.detail_serializer

    def get_queryset(self):
        if self.action == "list":  # the scope spelled out for the indexes (ADR 0030)
            return documents_visible_to(self.queryset_model, self.request.user)
        qs = super().get_queryset()
        return qs.prefetch_related("items") if self.kind.has_items else qs

    # --- routes -------------------------------------------------------------------------------------------
    def create(self, request, *args, **kwargs):
        kind = self.kind
        data = dict(self.action_input(self.create_input))
        owner = owner_for(request.user, data.pop("owner", None), kind.document_type, as_party=kind.as_party)
        submit = data.pop("submit", False)
        items = [dict(line) for line in data.pop("items", [])]
        doc = kind.create(owner=owner, by=request.user, head=data, items=items, submit=submit)
        return self.answer(doc, code=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        kind, doc = self.kind, self.get_object()
        data = dict(self.action_input(self.update_input))
        items = [dict(line) for line in data.pop("items", [])] if "items" in data else None
        if kwargs.get("partial"):  # PATCH: the fields given over the document's current values
            data = {**values_of(doc, kind.head_fields), **data}
            if items is None and kind.has_items:
                items = [values_of(line, kind.item_fields) for line in doc.items.all()]
        return self.answer(kind.update(doc, by=request.user, head=data, items=items or []))

    @extend_schema(request=None, responses={200: OpenApiResponse(description="the document"), 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self.answer(self.kind.submit(self.get_object(), by=request.user))

    @extend_schema(request=inputs.CustomsReasonInput, responses={409: CONFLICT})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        doc = self.get_object()
        reason = self.action_input(inputs.CustomsReasonInput)["reason"]
        return self.answer(self.kind.withdraw(doc, by=request.user, reason=reason))

    @action(
        detail=False, methods=["post"], parser_classes=[BatchJSONParser, BatchXMLParser, BatchTextXMLParser]
    )
    def batch(self, request):
        result = create_batch(user=request.user, body=request.data, owner_for=owner_for, kind=self.kind)
        return Response(result, status=status.HTTP_201_CREATED if result["created"] else status.HTTP_200_OK)

    @extend_schema(responses=out.CustomsTimelineEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        entries = timeline_for(self.get_object(), request.user)
        return Response(out.CustomsTimelineEntrySerializer(entries, many=True).data)


@_schema(
    inputs.OrderCreateInput,
    inputs.OrderUpdateInput,
    out.OrderSerializer,
    inputs.OrderBatchInput,
    kind=kinds.ORDERS,
    ceb="CEB303",
    what="orders",
    unique="the platform and order number (`ebp_code`, `order_no`)",
    field="items[0].price",
)
class OrderViewSet(DocumentViewSet):
    """Orders (CEB303): filed by the seller, the platform the order names (``ebp_code``), or an agent."""

    kind = kinds.ORDERS
    filterset_class = OrderFilter
    row_serializer, detail_serializer = out.OrderRowSerializer, out.OrderSerializer
    create_input, update_input = inputs.OrderCreateInput, inputs.OrderUpdateInput


@_schema(
    inputs.PaymentCreateInput,
    inputs.PaymentUpdateInput,
    out.PaymentSerializer,
    inputs.PaymentBatchInput,
    kind=kinds.PAYMENTS,
    ceb="CEB403",
    what="payment receipts",
    unique="the seller, order and transaction number (`ebc_code`, `order_no`, `pay_no`)",
    field="charge",
)
class PaymentViewSet(DocumentViewSet):
    """Payment receipts (收款单, CEB403): by the seller, the payment enterprise it names, or an agent."""

    kind = kinds.PAYMENTS
    filterset_class = PaymentFilter
    row_serializer, detail_serializer = out.PaymentRowSerializer, out.PaymentSerializer
    create_input, update_input = inputs.PaymentCreateInput, inputs.PaymentUpdateInput


@_schema(
    inputs.WaybillCreateInput,
    inputs.WaybillUpdateInput,
    out.WaybillSerializer,
    inputs.WaybillBatchInput,
    kind=kinds.WAYBILLS,
    ceb="CEB505",
    what="waybills",
    unique="the carrier and waybill number (`logistics_code`, `logistics_no`)",
    field="gross_weight",
)
class WaybillViewSet(DocumentViewSet):
    """Waybills (CEB505): owned and filed by the logistics enterprise, or an agent it authorised."""

    kind = kinds.WAYBILLS
    filterset_class = WaybillFilter
    row_serializer, detail_serializer = out.WaybillRowSerializer, out.WaybillSerializer
    create_input, update_input = inputs.WaybillCreateInput, inputs.WaybillUpdateInput


@_schema(
    inputs.ListCreateInput,
    inputs.ListUpdateInput,
    out.ListSerializer,
    inputs.BatchInput,
    kind=kinds.LISTS,
    ceb="CEB603",
    what="lists",
    unique="`cop_no`",
    field="items[0].price",
)
class InventoryListViewSet(DocumentViewSet):
    """Inventory lists (申报清单, CEB603): by the seller or its agent; corrected and resubmitted after a
    rejection, cancelled with a reason, copied into a new draft."""

    kind = kinds.LISTS
    filterset_class = ListFilter
    row_serializer, detail_serializer = out.ListRowSerializer, out.ListSerializer
    create_input, update_input = inputs.ListCreateInput, inputs.ListUpdateInput

    @extend_schema(
        request=inputs.ListUpdateInput,
        responses={200: out.ListSerializer, 409: CONFLICT},
        description="Correct a rejected list (the fields given; `items` replaces the lines) and send it "
        "again (appType 2) in one step: nothing changes unless the corrected list passes every check.",
    )
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        inventory = self.get_object()
        data = dict(self.action_input(inputs.ListUpdateInput))
        items = [dict(line) for line in data.pop("items")] if "items" in data else None
        return self.answer(
            services.list_resubmit(inventory=inventory, by=request.user, head=data or None, items=items)
        )

    @extend_schema(
        request=inputs.CancelInput,
        responses={201: out.CancellationSerializer, 409: CONFLICT},
        description="Ask customs to cancel a list it has entered and not closed (CEB605 with the reason); "
        "the list becomes CANCELLED when customs concludes the cancellation.",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        inventory = self.get_object()
        reason = self.action_input(inputs.CancelInput)["reason"]
        cancellation = services.list_cancel(inventory=inventory, by=request.user, reason=reason)
        return Response(out.CancellationSerializer(cancellation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=inputs.CopyInput,
        responses={201: out.ListSerializer},
        description="A new draft with this list's head and lines under a new `cop_no`; `changes` overrides "
        "head fields (usually the order and waybill numbers).",
    )
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        inventory = self.get_object()
        data = self.action_input(inputs.CopyInput)
        changes = {k: v for k, v in dict(data.get("changes") or {}).items() if k != "items"}
        copied = services.list_copy(
            inventory=inventory, by=request.user, cop_no=data["cop_no"], changes=changes
        )
        return self.answer(copied, code=status.HTTP_201_CREATED)
