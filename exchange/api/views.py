"""Read endpoints so an ERP can follow its filings' messages and receipts."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from exchange.api.serializers import MessageDetailSerializer, MessageSerializer, ReceiptRawSerializer
from exchange.choices import Department, MessageStatus
from exchange.models import Message
from portal.api.viewsets import ScopedReadOnlyViewSet


class MessageFilter(django_filters.FilterSet):
    department = django_filters.ChoiceFilter(choices=Department.choices)
    status = django_filters.MultipleChoiceFilter(choices=MessageStatus.choices)
    message_type = django_filters.CharFilter()
    business_key = django_filters.CharFilter()
    subject_type = django_filters.CharFilter(method="filter_subject_type", label="app_label.model")
    subject_id = django_filters.CharFilter()
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    overdue = django_filters.BooleanFilter(field_name="overdue_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Message
        fields = []

    def filter_subject_type(self, qs, name, value):
        app_label, _, model = value.partition(".")
        return qs.filter(subject_type__app_label=app_label, subject_type__model=model)


class MessageViewSet(ScopedReadOnlyViewSet):
    """Messages the caller may see (their organisation's, or their department's for officers)."""

    queryset = Message.objects.none()
    queryset_model = Message
    filterset_class = MessageFilter
    ordering_fields = ["created_at", "finished_at"]
    select_related = ("sender", "subject_type", "envelope")

    def get_serializer_class(self):
        return MessageDetailSerializer if self.action == "retrieve" else MessageSerializer

    def get_queryset(self):
        qs = super().get_queryset()
        return qs.prefetch_related("receipts") if self.action == "retrieve" else qs

    @extend_schema(responses=ReceiptRawSerializer(many=True))
    @action(detail=True, methods=["get"])
    def receipts(self, request, pk=None):
        message = self.get_object()
        return Response(ReceiptRawSerializer(message.receipts.order_by("received_at", "id"), many=True).data)
