"""What every domain page does: find an object among what the user may see, and run a service.

``scoped_object(request, Model, pk)`` looks the object up in ``Model.objects.visible_to(request.user)``
(another organisation's object is a 404, never a 403, so its existence is not confirmed). ``run_service``
calls a service and turns its refusals into what the page shows: an illegal transition or a validation error
becomes a message (or errors on the form, field by field); ``PermissionDenied`` is not caught (a 403 page).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from portal.statemachine import TransitionNotAllowed


def scoped_object(request, model, pk, *, select_related=(), prefetch_related=()):
    qs = model.objects.visible_to(request.user)
    if select_related:
        qs = qs.select_related(*select_related)
    if prefetch_related:
        qs = qs.prefetch_related(*prefetch_related)
    return get_object_or_404(qs, pk=pk)


def run_service(request, service, *, success: str = "", form=None, **kwargs):
    """Call ``service(**kwargs)``; on refusal show why and return None, else the result (or True).

    ``form``: a form with ``apply_service_errors(exc)`` (``portal.forms.AccessibleForm``) or any Django form;
    field errors land on their fields, the rest on the form as a whole.
    """
    try:
        result = service(**kwargs)
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
        return None
    except ValidationError as exc:
        if form is not None:
            _apply_to_form(form, exc)
        else:
            for message in exc.messages:
                messages.error(request, message)
        return None
    if success:
        messages.success(request, success)
    return result if result is not None else True


def _apply_to_form(form, exc: ValidationError) -> None:
    apply = getattr(form, "apply_service_errors", None)
    if apply is not None:
        apply(exc)
        return
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
