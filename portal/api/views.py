"""Shell endpoints: token issue, the current user, the inbox."""

from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from portal import accounts
from portal.api.viewsets import ScopedReadOnlyViewSet
from portal.auth import locked_out_body, throttled_response
from portal.login_limits import address_retry_after
from portal.models import Notification
from portal.services import notifications, tokens


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"}, trim_whitespace=False)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)

    def validate_username(self, value: str) -> str:
        """NFKC, as the login page does (ADR 0022): ``ｓｅｌｌｅｒ`` is ``seller`` here too, and its failures
        count against that username's lockout."""
        return accounts.normalise_username(value)


class ObtainTokenView(APIView):
    """Exchange a username and password for a new API token (shown once; revoke it in the profile page)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            201: inline_serializer(
                "TokenResponse", {"token": serializers.CharField(), "name": serializers.CharField()}
            )
        },
    )
    def post(self, request):
        retry_after = address_retry_after(request._request)  # before any password is checked (ADR 0005)
        if retry_after:
            return throttled_response(request._request, retry_after)
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = authenticate(
                request=request._request,
                username=data.validated_data["username"],
                password=data.validated_data["password"],
            )
        except AxesBackendPermissionDenied:
            user = None
        if getattr(request._request, "axes_locked_out", False):
            return Response(locked_out_body(), status=status.HTTP_429_TOO_MANY_REQUESTS)
        if user is None or not user.is_active:
            body = {
                "code": "invalid_credentials",
                "field": None,
                "message": _("The username or password is not correct."),
            }
            return Response({**body, "errors": [body]}, status=status.HTTP_400_BAD_REQUEST)
        token, raw = tokens.token_create(user=user, name=data.validated_data.get("name") or "API")
        return Response({"token": raw, "name": token.name}, status=status.HTTP_201_CREATED)


class OrganisationBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    kind = serializers.CharField()
    name_cn = serializers.CharField()
    name_en = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField(source="display_name")
    email = serializers.EmailField()
    language = serializers.CharField()
    roles = serializers.SerializerMethodField()
    organisation = OrganisationBriefSerializer(allow_null=True)

    def get_roles(self, user) -> list[str]:
        return sorted(user.role_names)


class MeView(APIView):
    """Who the caller is: user, organisation and roles."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class NotificationSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="shown_title", read_only=True, help_text="in the caller's language")
    body = serializers.CharField(source="shown_body", read_only=True, help_text="in the caller's language")
    count = serializers.IntegerField(read_only=True, help_text="events this notification tells of (a digest)")

    class Meta:
        model = Notification
        fields = ["id", "verb", "title", "body", "count", "url", "created_at", "read_at"]


class NotificationViewSet(ScopedReadOnlyViewSet):
    """The caller's own inbox."""

    queryset = Notification.objects.none()
    queryset_model = Notification
    serializer_class = NotificationSerializer
    filterset_fields = {"read_at": ["isnull"], "verb": ["exact"]}
    ordering_fields = ["created_at"]

    @extend_schema(
        request=None, responses={200: inline_serializer("MarkRead", {"marked": serializers.IntegerField()})}
    )
    @action(detail=True, methods=["post"], url_path="read")
    def mark_read(self, request, pk=None):
        notification = self.get_object()
        return Response({"marked": notifications.mark_read(user=request.user, ids=[notification.pk])})
