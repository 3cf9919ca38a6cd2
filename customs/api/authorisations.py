"""``/api/v1/customs/authorisations/``: the seller's authorisations of agents, and the agent's from sellers.

Both the seller and the agent list and read an authorisation (``SellerAuthorisation.objects.visible_to``);
customs officers read all. The seller's administrators grant (``POST``: one row per document type, answered
as a list) and revoke (``POST …/<id>/revoke/``); revoking one that is revoked or expired is 409.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from customs.choices import DocumentType
from customs.models import SellerAuthorisation
from customs.services.authorisations import (
    STATE_LABELS,
    authorisation_grant,
    authorisation_revoke,
    state_of,
)
from portal.api.viewsets import ScopedReadOnlyViewSet, ServiceActionMixin
from portal.choices import Role


class AuthorisationSerializer(serializers.ModelSerializer):
    seller_name = serializers.CharField(source="seller.name_cn", read_only=True)
    seller_code = serializers.CharField(source="seller.code", read_only=True)
    agent_name = serializers.CharField(source="agent.name_cn", read_only=True)
    agent_code = serializers.CharField(source="agent.code", read_only=True)
    document_type_label = serializers.CharField(source="get_document_type_display", read_only=True)
    state = serializers.SerializerMethodField()
    state_label = serializers.SerializerMethodField()

    class Meta:
        model = SellerAuthorisation
        fields = (
            "id",
            "seller",
            "seller_name",
            "seller_code",
            "agent",
            "agent_name",
            "agent_code",
            "document_type",
            "document_type_label",
            "valid_from",
            "valid_until",
            "revoked_at",
            "revoke_reason",
            "state",
            "state_label",
        )
        read_only_fields = fields

    def get_state(self, obj) -> str:
        return state_of(obj)

    def get_state_label(self, obj) -> str:
        return str(STATE_LABELS[state_of(obj)])


class GrantInput(serializers.Serializer):
    agent_code = serializers.CharField(max_length=18, help_text="The agent's unified social credit code.")
    document_types = serializers.ListField(
        child=serializers.ChoiceField(choices=DocumentType.choices), allow_empty=False
    )
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True, help_text="Inclusive.")


class RevokeInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


def _admin_only(request):
    if not (request.user.is_superuser or request.user.has_role(Role.ENTERPRISE_ADMIN)):
        raise exceptions.PermissionDenied()


class AuthorisationViewSet(ServiceActionMixin, ScopedReadOnlyViewSet):
    """Seller authorisations (代理申报): who may file which documents for whom."""

    queryset = SellerAuthorisation.objects.none()
    queryset_model = SellerAuthorisation
    serializer_class = AuthorisationSerializer
    select_related = ("seller", "agent")
    ordering = ["-id"]

    def get_queryset(self):
        return super().get_queryset().order_by("-id")

    @extend_schema(request=GrantInput, responses={201: AuthorisationSerializer(many=True)})
    def create(self, request, *args, **kwargs):
        _admin_only(request)
        if request.user.organisation is None:
            raise exceptions.PermissionDenied()
        data = self.action_input(GrantInput)
        made = authorisation_grant(seller=request.user.organisation, by=request.user, **data)
        rows = self.get_queryset().filter(pk__in=[m.pk for m in made]).order_by("id")
        return Response(self.get_serializer(rows, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=RevokeInput,
        responses={200: AuthorisationSerializer, 409: OpenApiResponse(description="revoked or expired")},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        authorisation = self.get_object()
        _admin_only(request)
        reason = self.action_input(RevokeInput)["reason"]
        return self.act(authorisation_revoke, authorisation=authorisation, reason=reason)
