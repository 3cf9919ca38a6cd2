"""Authentication helpers shared by the login page and the token endpoint."""

import unicodedata

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.http import is_api_request


def axes_username(request, credentials=None) -> str:
    """The username axes counts failures against: NFKC-normalised as usernames are stored (ADR 0022), trimmed
    and case-folded, so 'Admin ', 'admin' and a full-width 'ａｄｍｉｎ' share one counter."""
    raw = ""
    if credentials:
        raw = credentials.get("username", "")
    elif request is not None:
        data = getattr(request, "data", None) or request.POST
        raw = data.get("username", "")
    return unicodedata.normalize("NFKC", str(raw)).strip().lower()[:150]


def locked_out_body() -> dict:
    """The API's lockout error, in the error shape of ``portal.api.errors``."""
    body = {
        "code": "locked_out",
        "message": _("Too many failed attempts. The account is locked for a while; try again later."),
        "field": None,
    }
    return {**body, "errors": [body]}


def lockout_response(request, original_response=None, credentials=None):
    """What axes answers once a username is locked out (``AXES_LOCKOUT_CALLABLE``).

    The same answer whether or not the username exists (no enumeration): the page for browsers, the JSON
    error body for the API, HTTP 429 for both.
    """
    if is_api_request(request):
        return JsonResponse(locked_out_body(), status=429)
    return render(request, "portal/auth/locked_out.html", status=429)


def throttled_message(seconds: int) -> str:
    return ngettext(
        "Too many failed sign-in attempts from your network. Try again in %(seconds)d second.",
        "Too many failed sign-in attempts from your network. Try again in %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}


def throttled_response(request, seconds: int):
    """429 for a client address over the failed-login limit (portal.login_limits): page or API error body."""
    if is_api_request(request):
        body = {"code": "throttled", "message": throttled_message(seconds), "field": None}
        response = JsonResponse({**body, "errors": [body]}, status=429)
    else:
        context = {"message": throttled_message(seconds)}
        response = render(request, "portal/auth/throttled.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
