"""``/api/v1/customs/imports/``: upload inventory lists (xlsx or CEB603 XML) and get the job to follow.

``POST`` (multipart, ``file``) answers 202 with the job; its progress, problems and error workbook are
followed at ``/api/v1/imports/<id>/`` (the links in the answer). ``GET`` lists the caller's inventory-list
imports. Jobs are the uploader's organisation's (``visible_to``).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.response import Response

from customs.api.views_documents import EnterpriseWrites
from customs.imports import KIND
from portal.api.viewsets import ScopedViewSetMixin
from portal.intake.api import ImportJobSerializer
from portal.intake.services import import_start
from portal.models import ImportJob


class UploadInput(serializers.Serializer):
    file = serializers.FileField(help_text="an .xlsx workbook made from the template, or a CEB603 XML file")


class ListImportViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Inventory-list imports of the caller's enterprise."""

    queryset = ImportJob.objects.none()
    queryset_model = ImportJob
    serializer_class = ImportJobSerializer
    permission_classes = [*viewsets.GenericViewSet.permission_classes, EnterpriseWrites]
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]
    lookup_field = "public_id"
    lookup_url_kwarg = "public_id"
    filterset_fields = {"status": ["exact"]}
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]

    def get_queryset(self):
        return super().get_queryset().filter(kind=KIND)

    @extend_schema(request={"multipart/form-data": UploadInput}, responses={202: ImportJobSerializer})
    def create(self, request, *args, **kwargs):
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": [ValidationError(_("Choose a file to upload."), code="required")]})
        job = import_start(owner=request.user.organisation, by=request.user, kind=KIND, upload=upload)
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)
