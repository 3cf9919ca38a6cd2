"""``/api/v1/customs/imports/``: upload inventory lists (xlsx or CEB603 XML) — or, with ``kind``, orders
(CEB303), payment receipts (CEB403) or waybills (CEB505) — and get the job to follow.

``POST`` (multipart, ``file``; ``owner``: the id of a seller that authorises the caller for inventory lists,
to import for it) answers 202 with the job; its progress, problems and error workbook are followed at
``/api/v1/imports/<id>/`` (the links in the answer). ``GET`` lists the caller's customs imports: those
its enterprise uploaded and those an agent uploaded for it (``visible_to``); another agent of the same seller
does not see them.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.response import Response

from customs.api.batch import parse_owner_id
from customs.api.views_documents import EnterpriseWrites, owner_for
from customs.choices import DocumentType
from customs.imports import DOCUMENT_KINDS, KIND
from portal.api.viewsets import ScopedViewSetMixin
from portal.intake.api import ImportJobSerializer
from portal.intake.services import import_start
from portal.models import ImportJob

KINDS = {
    "inventory_lists": (KIND, DocumentType.INVENTORY, False),
    "orders": (DOCUMENT_KINDS["orders"], DocumentType.ORDER, True),
    "payments": (DOCUMENT_KINDS["payments"], DocumentType.PAYMENT, True),
    "waybills": (DOCUMENT_KINDS["waybills"], DocumentType.WAYBILL, False),
}


KIND_CHOICES = [(key, key) for key in KINDS]  # its OpenAPI name: settings ENUM_NAME_OVERRIDES


class UploadInput(serializers.Serializer):
    file = serializers.FileField(
        help_text="an .xlsx workbook made from the template, or a CEB XML file (CEB603, 303, 403 or 505)"
    )
    kind = serializers.ChoiceField(
        choices=KIND_CHOICES, required=False, help_text="what the file holds (default: inventory_lists)"
    )
    owner = serializers.IntegerField(
        required=False,
        help_text="the enterprise to import for (its organisation id), if it authorises you for these "
        "documents (an order's platform and a receipt's payment enterprise file for any seller as the "
        "document's party); empty: your own enterprise",
    )


class ListImportSerializer(ImportJobSerializer):
    owner = serializers.SerializerMethodField(help_text="the enterprise the lists are for")
    filer = serializers.IntegerField(source="owner_id", read_only=True, help_text="the uploader's enterprise")

    class Meta(ImportJobSerializer.Meta):
        fields = [*ImportJobSerializer.Meta.fields, "owner", "filer"]

    def get_owner(self, job) -> int:
        return job.on_behalf_of_id or job.owner_id


class ListImportViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Customs imports (inventory lists, orders, payment receipts, waybills) of the caller's enterprise."""

    queryset = ImportJob.objects.none()
    queryset_model = ImportJob
    serializer_class = ListImportSerializer
    permission_classes = [*viewsets.GenericViewSet.permission_classes, EnterpriseWrites]
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]
    lookup_field = "public_id"
    lookup_url_kwarg = "public_id"
    filterset_fields = {"status": ["exact"]}
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]

    def get_queryset(self):
        return super().get_queryset().filter(kind__in=[kind for kind, _type, _party in KINDS.values()])

    @extend_schema(request={"multipart/form-data": UploadInput}, responses={202: ListImportSerializer})
    def create(self, request, *args, **kwargs):
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": [ValidationError(_("Choose a file to upload."), code="required")]})
        chosen = request.data.get("kind") or "inventory_lists"
        if chosen not in KINDS:
            choices = ", ".join(KINDS)
            message = _("Choose what the file holds: one of %(choices)s.") % {"choices": choices}
            raise ValidationError({"kind": [ValidationError(message, code="invalid_choice")]})
        kind, document_type, as_party = KINDS[chosen]
        own = request.user.organisation
        seller = owner_for(
            request.user, parse_owner_id(request.data.get("owner")), document_type, as_party=as_party
        )
        try:
            job = import_start(
                owner=own,
                by=request.user,
                kind=kind,
                upload=upload,
                on_behalf_of=seller if seller != own else None,
            )
        except ValidationError as exc:
            errors = getattr(exc, "error_dict", None)
            if errors and "on_behalf_of" in errors:
                raise ValidationError({"owner": errors["on_behalf_of"]}) from None
            raise
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)
