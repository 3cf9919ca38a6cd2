"""Filters of the filing list (one FilterSet; the organisation filters by id, never by a select of all)."""

from datetime import timedelta

import django_filters
from django.utils import timezone

from portal import identifiers
from registration import policies
from registration.choices import EntityType, FilingStatus, Subtype
from registration.models import EntityFiling
from registration.selectors import overdue_q

MAX_AGE_DAYS = 36_500  # a hundred years: anything larger cannot be a date and would overflow


class FilingFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=FilingStatus.choices, method="filter_status")
    entity_type = django_filters.ChoiceFilter(choices=EntityType.choices)
    subtype = django_filters.ChoiceFilter(choices=Subtype.choices)
    city = django_filters.CharFilter(
        method="filter_city", label="division code prefix (4 digits = prefecture-level city, e.g. 3301)"
    )
    queue = django_filters.ChoiceFilter(
        choices=[("unassigned", "unassigned"), ("mine", "mine"), ("countersign", "countersign")],
        method="filter_queue",
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue")
    older_than_days = django_filters.NumberFilter(method="filter_older", min_value=0, max_value=MAX_AGE_DAYS)
    uscc = django_filters.CharFilter()
    org_code = django_filters.CharFilter(
        method="filter_org_code", label="organisation code (with or without the hyphen)"
    )
    is_legacy_record = django_filters.BooleanFilter()
    filing_no = django_filters.CharFilter()
    owner = django_filters.NumberFilter(field_name="owner_id")
    lineage = django_filters.UUIDFilter()
    submitted_after = django_filters.IsoDateTimeFilter(field_name="submitted_at", lookup_expr="gte")
    submitted_before = django_filters.IsoDateTimeFilter(field_name="submitted_at", lookup_expr="lte")

    class Meta:
        model = EntityFiling
        fields = []

    def filter_status(self, qs, name, value):
        """Statuses as the caller sees them: outside the bureau REJECT_PENDING is shown as UNDER_REVIEW."""
        if not value:
            return qs
        if policies.can_review(self.request.user):
            return qs.filter(status__in=value)
        real = {v for v in value if v != FilingStatus.REJECT_PENDING}
        if FilingStatus.UNDER_REVIEW in real:
            real.add(FilingStatus.REJECT_PENDING)
        return qs.filter(status__in=real)

    def filter_org_code(self, qs, name, value):
        return qs.filter(org_code=identifiers.normalise(value))

    def filter_city(self, qs, name, value):
        return qs.filter(division_code__startswith=value) if value.isdigit() else qs.none()

    def filter_queue(self, qs, name, value):
        user = self.request.user
        if value == "unassigned":
            return qs.filter(status=FilingStatus.SUBMITTED, assigned_to__isnull=True)
        if value == "mine":
            return qs.filter(assigned_to=user).with_bureau()
        return qs.filter(status=FilingStatus.REJECT_PENDING)

    def filter_overdue(self, qs, name, value):
        overdue = qs.filter(overdue_q(timezone.localdate()))
        return overdue if value else qs.exclude(pk__in=overdue.values("pk"))

    def filter_older(self, qs, name, value):
        return qs.filter(submitted_at__lte=timezone.now() - timedelta(days=int(value)))
