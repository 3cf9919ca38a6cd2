"""What every registration page does with a service's answer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from portal.statemachine import TransitionNotAllowed
from registration.models import EntityFiling


def visible_filing(request, pk: int) -> EntityFiling:
    """The filing if the user may see it; another organisation's filing is simply not found (404)."""
    return get_object_or_404(
        EntityFiling.objects.visible_to(request.user).select_related(
            "owner", "assigned_to", "previous", "claim"
        ),
        pk=pk,
    )


def run(request, service, *, success: str = "", form=None, **kwargs):
    """Call a service; show an illegal transition or a validation error as a message (or on ``form``).

    Returns the service's result, or None when it refused. ``PermissionDenied`` is not caught: it is a 403.
    """
    try:
        result = service(**kwargs)
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
        return None
    except ValidationError as exc:
        if form is not None:
            form.apply_service_errors(exc)
        else:
            for message in exc.messages:
                messages.error(request, message)
        return None
    if success:
        messages.success(request, success)
    return result if result is not None else True
