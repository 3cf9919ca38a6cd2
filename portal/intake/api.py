"""``/api/v1/imports/``: an organisation's import jobs, their problems and error workbooks (read-only)."""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.api.viewsets import ScopedReadOnlyViewSet
from portal.intake import progress
from portal.intake.services import import_cancel
from portal.intake.views import column_header, open_error_workbook
from portal.models import ImportJob, ImportProblem


class ProgressSerializer(serializers.Serializer):
    percent = serializers.IntegerField()
    phase = serializers.CharField()
    done = serializers.IntegerField()
    total = serializers.IntegerField(allow_null=True)
    message = serializers.CharField()


class ImportJobSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    file_name = serializers.CharField(source="original_name")
    status_display = serializers.CharField(source="get_status_display")
    message = serializers.CharField(source="message_text")
    on_behalf_of = serializers.IntegerField(
        source="on_behalf_of_id", read_only=True, allow_null=True, help_text="the organisation imported for"
    )
    progress = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id", "kind", "on_behalf_of", "file_name", "file_format", "size", "sha256", "status",
            "status_display", "progress", "counts", "problem_count", "message", "created_at", "started_at",
            "finished_at", "links",
        ]  # fmt: skip

    @extend_schema(responses=ProgressSerializer)
    def get_progress(self, job) -> dict:
        snap = progress.snapshot(job)
        return {
            "percent": snap["percent"],
            "phase": snap["phase"],
            "done": snap["done"],
            "total": snap["total"],
            "message": progress.describe(job, snap),
        }

    def get_links(self, job) -> dict[str, str | None]:
        request = self.context.get("request")
        url = request.build_absolute_uri if request is not None else (lambda u: u)
        ident = str(job.public_id)
        return {
            "self": url(reverse("api:import-detail", args=[ident])),
            "problems": url(reverse("api:import-problems", args=[ident])),
            "error_workbook": url(reverse("api:import-error-workbook", args=[ident]))
            if job.error_workbook
            else None,
        }


class ImportProblemSerializer(serializers.ModelSerializer):
    column_header = serializers.SerializerMethodField()
    message = serializers.CharField(source="message_text")

    class Meta:
        model = ImportProblem
        fields = ["row", "column", "column_header", "code", "message", "params"]

    def get_column_header(self, problem) -> str:
        return column_header(self.context["job"].kind, problem.column)


class ImportJobViewSet(ScopedReadOnlyViewSet):
    """Import jobs of the caller's organisation (and those another organisation imported on its behalf):
    status, live progress, counts and problems.

    Uploads are made through each domain's own endpoint; this is where their outcome is followed.
    """

    queryset = ImportJob.objects.none()
    queryset_model = ImportJob
    serializer_class = ImportJobSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "public_id"
    filterset_fields = {"status": ["exact"], "kind": ["exact"]}
    ordering_fields = ["created_at"]

    @extend_schema(responses=ImportProblemSerializer(many=True))
    @action(detail=True, methods=["get"])
    def problems(self, request, public_id=None):
        job = self.get_object()
        page = self.paginate_queryset(ImportProblem.objects.filter(job=job).order_by("row", "id"))
        data = ImportProblemSerializer(page, many=True, context={"job": job, "request": request}).data
        return self.get_paginated_response(data)

    @extend_schema(
        responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes}
    )
    @action(detail=True, methods=["get"], url_path="error-workbook")
    def error_workbook(self, request, public_id=None):
        job = self.get_object()
        if not job.error_workbook:
            raise Http404
        return open_error_workbook(job, request.user)

    @extend_schema(request=None, responses=ImportJobSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, public_id=None):
        job = import_cancel(job=self.get_object(), by=request.user)
        return Response(self.get_serializer(job).data)
