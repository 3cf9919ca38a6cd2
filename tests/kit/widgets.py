"""A test-only API over the kit app's widgets (tests/kitapp): one correct scoped viewset and broken copies,
so that the kit's own tests (test_kit.py) show each generated test failing on the bug it guards against.

This module is a URL configuration of its own (``urlconf`` of a kit test class), never the portal's.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import include, path
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.routers import DefaultRouter

from portal.api.viewsets import ScopedReadOnlyViewSet, ServiceActionMixin
from portal.choices import Role
from portal.workflow import transition
from tests.kitapp.models import WIDGET, Widget, WidgetStatus


def widget_send(*, widget, by):
    with transaction.atomic():
        transition(widget, "send", by=by, workflow=WIDGET, save=True)
    return widget


def widget_void(*, widget, by):
    """Only the enterprise's administrator voids a widget."""
    if not by.has_role(Role.ENTERPRISE_ADMIN):
        raise PermissionDenied("Only the administrator voids a widget.")
    with transaction.atomic():
        transition(widget, "void", by=by, workflow=WIDGET, save=True)
    return widget


class WidgetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Widget
        fields = ["id", "name", "status"]


class WidgetViewSet(ServiceActionMixin, ScopedReadOnlyViewSet):
    queryset = Widget.objects.none()
    queryset_model = Widget
    serializer_class = WidgetSerializer
    ordering = ["id"]

    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        return self.act(widget_send, widget=self.get_object())

    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        return self.act(widget_void, widget=self.get_object())


class LeakyWidgetViewSet(WidgetViewSet):
    """Reads the bare table: every organisation's widgets."""

    def get_queryset(self):
        return Widget.objects.all()


class OwnerNameSerializer(WidgetSerializer):
    owner = serializers.CharField(source="owner.name_cn")

    class Meta(WidgetSerializer.Meta):
        fields = [*WidgetSerializer.Meta.fields, "owner"]


class ChattyWidgetViewSet(WidgetViewSet):
    """Shows the owner's name without ``select_related``: one more query per row."""

    serializer_class = OwnerNameSerializer


class UnguardedWidgetViewSet(WidgetViewSet):
    """Voids whoever asks, in whatever state: neither the role nor the state machine is consulted."""

    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        widget = self.get_object()
        Widget.objects.filter(pk=widget.pk).update(status=WidgetStatus.VOID)
        return self.answer(widget)


router = DefaultRouter()
router.include_root_view = False
router.register("widgets", WidgetViewSet, basename="widget")
router.register("leaky-widgets", LeakyWidgetViewSet, basename="leaky-widget")
router.register("chatty-widgets", ChattyWidgetViewSet, basename="chatty-widget")
router.register("unguarded-widgets", UnguardedWidgetViewSet, basename="unguarded-widget")

urlpatterns = [path("api/v1/", include((router.urls, "api"), namespace="api"))]
