"""One error body for the whole API: ``{"code", "message", "field", "errors": [...]}``.

Services raise Django's ``ValidationError`` (field-level, with codes), ``PermissionDenied`` and
``TransitionNotAllowed``; this handler maps each itself (400 with every field problem, 403 with the reason,
409), so a viewset simply calls the service. ``code`` is stable for programs, ``message`` is in the caller's
language, ``field`` names the input it belongs to (or null). Validation errors list every field problem in
``errors``; the top-level keys repeat the first, so a simple client can show one message.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portal.conflicts import conflict_message, log_conflict
from portal.statemachine import TransitionNotAllowed


def _flatten(detail, field=None):
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if field is None else f"{field}.{key}"
            if key == "non_field_errors":
                name = field
            yield from _flatten(value, name)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list) and field is not None and isinstance(value, dict):
                yield from _flatten(value, f"{field}[{index}]")
            else:
                yield from _flatten(value, field)
    else:
        yield {"code": getattr(detail, "code", "invalid"), "message": str(detail), "field": field}


def _django_detail(exc: DjangoValidationError):
    """A Django ``ValidationError`` (what services raise) as DRF detail: every message with its code."""
    if hasattr(exc, "error_dict"):
        return {
            field: [exceptions.ErrorDetail(m, code=e.code or "invalid") for e in errors for m in e.messages]
            for field, errors in exc.error_dict.items()
        }
    return [exceptions.ErrorDetail(m, code=e.code or "invalid") for e in exc.error_list for m in e.messages]


def exception_handler(exc, context):
    if isinstance(exc, IntegrityError):
        log_conflict(context["request"], exc)
        body = {"code": "conflict", "message": conflict_message(), "field": None}
        return Response({**body, "errors": [body]}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, TransitionNotAllowed):
        body = {"code": "transition_not_allowed", "message": str(exc), "field": None}
        return Response({**body, "errors": [body]}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, PermissionDenied):
        # A service's refusal says why ("a reviewer never decides their own organisation's filing").
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_detail(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = list(_flatten(exc.detail))
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        errors = [
            {
                "code": getattr(detail, "code", None) or getattr(exc, "default_code", "error"),
                "message": str(detail),
                "field": None,
            }
        ]
    if not errors:
        errors = [{"code": "invalid", "message": _("Invalid input."), "field": None}]
    response.data = {**errors[0], "errors": errors}
    return response
