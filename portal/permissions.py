"""Role checks for pages. Object visibility is ``visible_to``; this is about which pages a role may open."""

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied


class RoleRequiredMixin(AccessMixin):
    """Allow only users holding one of ``required_roles``; others get 403, anonymous users the login page."""

    required_roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not (request.user.is_superuser or request.user.has_role(*self.required_roles)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedObjectMixin:
    """Detail/update views: the object is looked up only among what the user may see (else 404)."""

    model = None

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)
