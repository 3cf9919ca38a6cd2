"""Filters of the documents' lists: status (several), dates, business keys. Every filter reads an indexed
column or narrows rows the owner index already found (``(owner, -id)``, ``(owner, status, -id)``)."""

import django_filters

from customs.choices import DocStatus
from customs.models import InventoryList, Order, Payment, Waybill
from customs.selectors.pages import list_seller_codes


class DocumentFilter(django_filters.FilterSet):
    # No join, so no duplicate: without distinct=False django-filter adds SELECT DISTINCT over every column,
    # which PostgreSQL answers with a parallel sort instead of the (owner, status, -id) range scan.
    status = django_filters.MultipleChoiceFilter(choices=DocStatus.choices, distinct=False)
    check_state = django_filters.ChoiceFilter(choices=[("error", "error"), ("warning", "warning")])
    cop_no = django_filters.CharFilter()
    customs_status = django_filters.CharFilter()
    owner = django_filters.NumberFilter(field_name="owner_id")
    filer = django_filters.NumberFilter(field_name="filer_id")
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    submitted_after = django_filters.IsoDateTimeFilter(field_name="submitted_at", lookup_expr="gte")
    submitted_before = django_filters.IsoDateTimeFilter(field_name="submitted_at", lookup_expr="lt")
    before_id = django_filters.NumberFilter(
        field_name="id", lookup_expr="lt", label="keyset paging: rows older than this id (newest first)"
    )


class OrderFilter(DocumentFilter):
    order_no = django_filters.CharFilter()
    ebp_code = django_filters.CharFilter()
    ebc_code = django_filters.CharFilter()

    class Meta:
        model = Order
        fields = []


class PaymentFilter(DocumentFilter):
    order_no = django_filters.CharFilter()
    pay_no = django_filters.CharFilter()
    ebc_code = django_filters.CharFilter()

    class Meta:
        model = Payment
        fields = []


class WaybillFilter(DocumentFilter):
    logistics_no = django_filters.CharFilter()
    ebc_code = django_filters.CharFilter()

    class Meta:
        model = Waybill
        fields = []


class ListFilter(DocumentFilter):
    order_no = django_filters.CharFilter(method="filter_order_no")
    invt_no = django_filters.CharFilter()
    logistics_no = django_filters.CharFilter()
    ebc_code = django_filters.CharFilter()
    ebp_code = django_filters.CharFilter()
    country = django_filters.CharFilter()
    statistics_flag = django_filters.ChoiceFilter(choices=[("A", "A"), ("B", "B")])
    ie_date_from = django_filters.DateFilter(field_name="ie_date", lookup_expr="gte")
    ie_date_to = django_filters.DateFilter(field_name="ie_date", lookup_expr="lte")
    closed_after = django_filters.IsoDateTimeFilter(field_name="closed_at", lookup_expr="gte")
    closed_before = django_filters.IsoDateTimeFilter(field_name="closed_at", lookup_expr="lt")

    class Meta:
        model = InventoryList
        fields = []

    def filter_order_no(self, queryset, name, value):
        """An enterprise's lists by order number through the ``(ebc_code, order_no)`` index: the seller codes
        its lists can carry lead the lookup (an order number alone reads the whole index). Officers' lookups
        are not narrowed; they give ``ebc_code`` with it for the index."""
        codes = list_seller_codes(getattr(self.request, "user", None))
        if codes is None:
            return queryset.filter(order_no=value)
        return queryset.filter(ebc_code__in=codes, order_no=value)
