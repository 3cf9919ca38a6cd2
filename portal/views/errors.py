"""Error pages in the user's language, and the CSRF failure page."""

from django.conf import settings
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from portal.conflicts import conflict_message
from portal.http import is_api_request

# The same codes DRF gives these errors inside a view, so a client sees one code whoever answered.
_API_CODES = {400: "parse_error", 403: "permission_denied", 404: "not_found", 500: "server_error"}


def _error(request, status: int, title: str, detail: str, code: str = ""):
    if is_api_request(request):
        from django.http import JsonResponse

        body = {"code": code or _API_CODES.get(status, f"http_{status}"), "message": title, "field": None}
        return JsonResponse({**body, "errors": [body]}, status=status)
    return render(
        request, "portal/error.html", {"status": status, "title": title, "detail": detail}, status=status
    )


def request_too_large(request, limit: int):
    """413 from ``BodySizeLimitMiddleware``: the body was not read, so nothing of it was saved."""
    size = filesizeformat(limit)
    return _error(
        request,
        413,
        _("The request is too large: at most %(size)s can be sent here.") % {"size": size},
        _(
            "Nothing was saved. Choose a smaller file (attachments may be at most %(attachment)s) and try "
            "again."
        )
        % {"attachment": filesizeformat(settings.REGISTRATION_ATTACHMENT_MAX_BYTES)},
        code="request_too_large",
    )


def csrf_failure(request, reason=""):
    return _error(
        request,
        403,
        _("The form has expired or was not sent from this portal."),
        _("Please go back, reload the page and submit again."),
        code="csrf_failed",
    )


def bad_request(request, exception=None):
    return _error(request, 400, _("The request could not be understood."), "")


def permission_denied(request, exception=None):
    return _error(
        request,
        403,
        _("You do not have permission to open this page."),
        _("If you think you should, ask your organisation's administrator."),
    )


def not_found(request, exception=None):
    return _error(
        request, 404, _("The page was not found."), _("It may have moved, or you may not have access to it.")
    )


def conflict(request):
    return _error(request, 409, conflict_message(), "", code="conflict")


def server_error(request):
    return _error(
        request,
        500,
        _("Something went wrong on our side."),
        _("The error has been logged. Please try again in a few minutes."),
    )
