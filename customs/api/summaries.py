"""``/api/v1/customs/summary-declarations/`` and ``/api/v1/customs/export-declarations/``.

Summaries: list, detail, ``preview`` (POST on the list: queues the month's PREVIEW, made or refreshed),
``groups`` (the declarations the lists form, computed by the database), ``submit`` (queues CEB701),
``discard``. ``preview`` and ``submit`` answer 202 at once with a job to follow at
``/api/v1/customs/summary-jobs/<id>/`` (409 while a job of the same month is unfinished). Export
declarations: list, detail (with items and the lists they cover), ``certificate`` (the PDF of the
报关单证明联).
Another organisation's object is a 404; a refused actor 403; an illegal move 409; bad input 400 by field.
"""

import django_filters
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from customs import summary_job_progress
from customs.choices import SummaryFlag, SummaryStatus
from customs.models import (
    ExportDeclaration,
    ExportDeclarationItem,
    InventoryList,
    SummaryDeclaration,
    SummaryJob,
)
from customs.selectors.summaries import summary_groups
from customs.services import summaries as services
from customs.services import summary_jobs
from portal.api.viewsets import ScopedReadOnlyViewSet, ServiceActionMixin
from portal.models import Organisation

CONFLICT = OpenApiResponse(description="not allowed in the summary's current status")


# --- serializers ------------------------------------------------------------------------------------------
class SummarySerializer(serializers.ModelSerializer):
    month = serializers.DateField(source="period", format="%Y-%m")

    class Meta:
        model = SummaryDeclaration
        fields = (
            "id",
            "owner",
            "filer",
            "month",
            "status",
            "cop_no",
            "sum_no",
            "customs_code",
            "summary_flag",
            "item_name_flag",
            "item_limit",
            "list_count",
            "declaration_count",
            "total_value",
            "deadline",
            "submitted_at",
            "customs_status",
            "customs_info",
        )


class SummaryJobSerializer(serializers.ModelSerializer):
    month = serializers.DateField(source="period", format="%Y-%m")
    progress = serializers.SerializerMethodField()

    class Meta:
        model = SummaryJob
        fields = (
            "id",
            "owner",
            "filer",
            "action",
            "month",
            "summary",
            "status",
            "message",
            "created_at",
            "started_at",
            "finished_at",
            "progress",
        )

    def get_progress(self, obj) -> dict:
        """``{status, phase, done, total, percent, finished, text}``: the step reached and, within a long
        step, ``done`` of ``total`` lists (null otherwise), in the caller's language."""
        return summary_job_progress.snapshot(obj)


class PreviewInput(serializers.Serializer):
    month = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$", help_text="YYYY-MM: the month the lists closed"
    )
    summary_flag = serializers.ChoiceField(choices=SummaryFlag.choices, default=SummaryFlag.CONSIGNOR_OWNER)
    item_name_flag = serializers.BooleanField(default=True)
    consignor = serializers.IntegerField(
        required=False, help_text="the seller's organisation id (an authorised agent); default: your own"
    )


class GroupItemSerializer(serializers.Serializer):
    declaration = serializers.IntegerField(help_text="which declaration of its group, after splitting")
    gnum = serializers.IntegerField()
    country = serializers.CharField(source="keys.country")
    gcode = serializers.CharField(source="keys.gcode")
    currency = serializers.CharField(source="keys.currency")
    unit1 = serializers.CharField(source="keys.unit1")
    unit2 = serializers.CharField(source="keys.unit2")
    item_name = serializers.CharField(source="keys.item_name", default="")
    qty1 = serializers.DecimalField(max_digits=24, decimal_places=5)
    qty2 = serializers.DecimalField(max_digits=24, decimal_places=5, allow_null=True)
    total_price = serializers.DecimalField(max_digits=24, decimal_places=5)
    lines = serializers.IntegerField()


class GroupSerializer(serializers.Serializer):
    keys = serializers.DictField(child=serializers.CharField(), help_text="the header keys")
    lists = serializers.IntegerField()
    gross_weight = serializers.DecimalField(max_digits=24, decimal_places=5)
    net_weight = serializers.DecimalField(max_digits=24, decimal_places=5)
    pack_no = serializers.IntegerField()
    total_value = serializers.DecimalField(max_digits=24, decimal_places=5)
    declaration_count = serializers.IntegerField()
    items = GroupItemSerializer(many=True)


class DeclarationItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExportDeclarationItem
        fields = (
            "gnum",
            "gcode",
            "gname",
            "country",
            "currency",
            "qty1",
            "unit1",
            "qty2",
            "unit2",
            "total_price",
            "list_lines",
        )


class DeclarationSerializer(serializers.ModelSerializer):
    certificate_available = serializers.SerializerMethodField()

    class Meta:
        model = ExportDeclaration
        fields = (
            "id",
            "owner",
            "summary",
            "entry_id",
            "seq",
            "dec_state",
            "customs_code",
            "port_code",
            "traf_mode",
            "country",
            "ebc_code",
            "owner_code",
            "gross_weight",
            "net_weight",
            "pack_no",
            "total_value",
            "currency",
            "declared_on",
            "exported_on",
            "certificate_issued_at",
            "pushed_to_tax_at",
            "certificate_available",
        )

    def get_certificate_available(self, obj) -> bool:
        return obj.certificate_issued_at is not None


class DeclarationDetailSerializer(DeclarationSerializer):
    items = DeclarationItemSerializer(many=True, read_only=True)
    lists = serializers.SerializerMethodField()

    class Meta(DeclarationSerializer.Meta):
        fields = (*DeclarationSerializer.Meta.fields, "items", "lists")

    def get_lists(self, obj) -> list[str]:
        return list(
            InventoryList.objects.filter(declaration=obj).order_by("pk").values_list("invt_no", flat=True)
        )


# --- filters ----------------------------------------------------------------------------------------------
class SummaryFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=SummaryStatus.choices)
    month = django_filters.DateFilter(field_name="period", input_formats=["%Y-%m", "%Y-%m-%d"])
    month_after = django_filters.DateFilter(field_name="period", lookup_expr="gte")
    month_before = django_filters.DateFilter(field_name="period", lookup_expr="lte")
    owner = django_filters.NumberFilter(field_name="owner_id")

    class Meta:
        model = SummaryDeclaration
        fields = ("status", "month", "owner", "sum_no")


class DeclarationFilter(django_filters.FilterSet):
    entry_id = django_filters.CharFilter()
    summary = django_filters.NumberFilter(field_name="summary_id")
    owner = django_filters.NumberFilter(field_name="owner_id")
    declared_after = django_filters.DateFilter(field_name="declared_on", lookup_expr="gte")
    declared_before = django_filters.DateFilter(field_name="declared_on", lookup_expr="lte")
    exported_after = django_filters.DateFilter(field_name="exported_on", lookup_expr="gte")
    exported_before = django_filters.DateFilter(field_name="exported_on", lookup_expr="lte")
    certificate = django_filters.BooleanFilter(
        field_name="certificate_issued_at", lookup_expr="isnull", exclude=True
    )
    port_code = django_filters.CharFilter()
    country = django_filters.CharFilter()

    class Meta:
        model = ExportDeclaration
        fields = ("entry_id", "summary", "owner", "port_code", "country")


# --- viewsets ---------------------------------------------------------------------------------------------
class SummaryDeclarationViewSet(ServiceActionMixin, ScopedReadOnlyViewSet):
    """Monthly summary declarations (CEB701) of the caller's enterprise (officers: all)."""

    queryset = SummaryDeclaration.objects.none()
    queryset_model = SummaryDeclaration
    serializer_class = SummarySerializer
    filterset_class = SummaryFilter
    ordering_fields = ["period", "created_at", "deadline"]
    ordering = ["-period", "-id"]

    def _consignor(self, data):
        if data.get("consignor") in (None, self.request.user.organisation_id):
            return self.request.user.organisation
        found = Organisation.objects.filter(pk=data["consignor"]).first()
        if found is None:
            raise serializers.ValidationError({"consignor": [_("No such enterprise.")]})
        return found

    def _job(self, job):
        return Response(SummaryJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=PreviewInput, responses={202: SummaryJobSerializer, 409: CONFLICT})
    @action(detail=False, methods=["post"])
    def preview(self, request):
        data = self.action_input(PreviewInput)
        job = summary_jobs.summary_preview_start(
            by=request.user,
            consignor=self._consignor(data),
            month=data["month"],
            summary_flag=data["summary_flag"],
            item_name_flag=data["item_name_flag"],
        )
        return self._job(job)

    @extend_schema(responses=GroupSerializer(many=True))
    @action(detail=True, methods=["get"])
    def groups(self, request, pk=None):
        return Response(GroupSerializer(summary_groups(self.get_object()), many=True).data)

    @extend_schema(request=None, responses={202: SummaryJobSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._job(summary_jobs.summary_submit_start(summary=self.get_object(), by=request.user))

    @extend_schema(request=None, responses={200: SummarySerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def discard(self, request, pk=None):
        return self.act(services.summary_discard, summary=self.get_object())


class SummaryJobViewSet(ScopedReadOnlyViewSet):
    """Summary previews and submissions queued for the worker, with their progress: the consignor's and
    those its agent started (officers: all)."""

    queryset = SummaryJob.objects.none()
    queryset_model = SummaryJob
    serializer_class = SummaryJobSerializer
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-id"]


class ExportDeclarationViewSet(ScopedReadOnlyViewSet):
    """Export declarations customs formed (CEB792) and their certificates: what forex settlement and tax
    refund rely on."""

    queryset = ExportDeclaration.objects.none()
    queryset_model = ExportDeclaration
    serializer_class = DeclarationSerializer
    filterset_class = DeclarationFilter
    ordering_fields = ["declared_on", "exported_on", "created_at"]
    ordering = ["-id"]

    def get_serializer_class(self):
        return DeclarationDetailSerializer if self.action == "retrieve" else DeclarationSerializer

    def get_queryset(self):
        qs = super().get_queryset()
        return qs.prefetch_related("items") if self.action == "retrieve" else qs

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(description="the certificate (报关单证明联), PDF")
        }
    )
    @action(detail=True, methods=["get"])
    def certificate(self, request, pk=None):
        from customs.certificate import render

        declaration = self.get_object()
        if declaration.certificate_issued_at is None:
            raise Http404
        response = HttpResponse(
            render(declaration), content_type="application/pdf", status=status.HTTP_200_OK
        )
        response["Content-Disposition"] = f'inline; filename="declaration-{declaration.entry_id}.pdf"'
        return response
