"""Base viewsets: every object lookup starts from ``visible_to(request.user)``.

Applied in ``initial()``, before any handler runs (netbox ``BaseViewSet.initial``), so a subclass cannot
forget it; another organisation's object is simply not found (404).
"""

from rest_framework import mixins, viewsets

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
