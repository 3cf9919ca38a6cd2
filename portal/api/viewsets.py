"""Base viewsets: every object lookup starts from ``visible_to(request.user)``.

Applied in ``initial()``, before any handler runs (netbox ``BaseViewSet.initial``), so a subclass cannot
forget it; another organisation's object is simply not found (404).
"""

from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from portal.context import ActingContext, current, set_context


class ScopedViewSetMixin:
    queryset_model = None
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Token authentication happens here, after the middleware: refresh the acting user for audit stamps.
        ctx = current()
        set_context(ActingContext(user=request.user, request_id=ctx.request_id, ip=ctx.ip, via="api"))

    def get_queryset(self):
        model = self.queryset_model or self.queryset.model
        qs = model.objects.visible_to(self.request.user)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Create/read/update/list; deletion is never generic (regulated records are withdrawn, not deleted)."""


class ServiceActionMixin:
    """Transitions as actions: ``return self.act(service, obj=..., **kwargs)``.

    The object is looked up through ``get_object()`` first (another organisation's is a 404 whatever the
    body holds), the action's input is validated by its own serializer (``self.action_input(SerializerCls)``),
    the service runs (its ``ValidationError``/``PermissionDenied``/``TransitionNotAllowed`` become 400/403/409
    in the exception handler) and the object is answered as re-read through the scoped queryset.
    """

    service_object_name = "obj"

    def action_input(self, serializer_class) -> dict:
        if serializer_class is None:
            return {}
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data

    def act(self, service, *, code=status.HTTP_200_OK, **kwargs):
        result = service(by=self.request.user, **kwargs)
        return self.answer(result, code=code)

    def answer(self, obj, *, code=status.HTTP_200_OK):
        obj = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(obj).data, status=code)
