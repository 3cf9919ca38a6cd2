"""Request-scoped middleware: request ids, strict UTF-8 bodies, the language rule, the acting context."""

import re
from functools import wraps

from django.conf import settings
from django.db import IntegrityError
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from portal.addresses import client_address
from portal.conflicts import log_conflict
from portal.context import ActingContext, new_request_id, reset_context, set_context
from portal.http import is_api_request
from portal.views.errors import conflict, request_too_large

__all__ = ["IntegrityConflictMiddleware", "is_api_request"]

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_CHECKED_TYPES = ("application/x-www-form-urlencoded", "application/json", "text/")


class RequestIdMiddleware:
    """Give every request an id (or keep a sane one from ``X-Request-ID``) and echo it in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _REQUEST_ID_RE.match(incoming) else new_request_id()
        token = set_context(
            ActingContext(request_id=request.request_id, ip=_client_ip(request), via=_via(request))
        )
        try:
            response = self.get_response(request)
        finally:
            reset_context(token)
        response["X-Request-ID"] = request.request_id
        return response


def _client_ip(request) -> str:
    return client_address(request)


def _via(request) -> str:
    return "api" if is_api_request(request) else "web"


def _bad_encoding(request):
    if is_api_request(request) or request.content_type == "application/json":
        body = {
            "code": "invalid_encoding",
            "message": _("The request body is not valid UTF-8. Send text encoded as UTF-8."),
            "field": None,
        }
        return JsonResponse({**body, "errors": [body]}, status=400)
    message = _("The request is not valid UTF-8 text. Please submit the form again from the portal.")
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def body_limit(path: str) -> int:
    """The largest body accepted for ``path``: the longest matching prefix's cap, else the general one."""
    matches = [p for p in settings.REQUEST_BODY_MAX_BYTES_BY_PATH if path.startswith(p)]
    if matches:
        return settings.REQUEST_BODY_MAX_BYTES_BY_PATH[max(matches, key=len)]
    return settings.REQUEST_BODY_MAX_BYTES


class BodySizeLimitMiddleware:
    """Answer 413 to a request that declares a body over the cap, before anything reads it.

    Django reads a multipart upload whole (to memory or a temporary file) before a view can look at its size;
    the reverse proxy caps bodies too, but the portal must not rely on it. Without a Content-Length (chunked)
    Django reads no body at all under WSGI, so the declared length is the one to check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django reads no body then either
        limit = body_limit(request.path)
        if declared > limit:
            return request_too_large(request, limit)
        return self.get_response(request)


class Utf8BodyMiddleware:
    """Refuse bodies that are not UTF-8, instead of letting Django replace bad bytes with U+FFFD.

    Form and JSON bodies are decoded strictly (percent-escapes included); multipart text fields are checked
    after parsing. A government record must hold what the user typed, or nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("POST", "PUT", "PATCH") and not self._is_utf8(request):
            return _bad_encoding(request)
        return self.get_response(request)

    @staticmethod
    def _is_utf8(request) -> bool:
        content_type = request.content_type or ""
        if content_type.startswith("multipart/"):
            # Django decodes multipart text fields with errors="replace": a U+FFFD marks a bad byte.
            return not any("\ufffd" in value for _key, values in request.POST.lists() for value in values)
        if not content_type.startswith(_CHECKED_TYPES):
            return True
        try:
            body = request.body
        except Exception:  # too large: Django answers that itself
            return True
        try:
            body.decode("utf-8")
            if content_type.startswith("application/x-www-form-urlencoded"):
                from urllib.parse import unquote_to_bytes

                for part in body.split(b"&"):
                    unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True


class PortalLocaleMiddleware:
    """Chinese unless the user chose otherwise: cookie, then profile, then zh-hans.

    Pages ignore the browser's Accept-Language on purpose (a provincial portal is Chinese by default);
    the API honours it, because an ERP asks for the language it can show, and so do the few public pages
    wrapped in ``follows_browser_language`` (the certificate verification page).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self._choose(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        translation.deactivate()
        return response

    @staticmethod
    def _choose(request) -> str:
        supported = {code for code, _name in settings.LANGUAGES}
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if cookie in supported:
            return cookie
        if is_api_request(request):
            accepted = translation.get_language_from_request(request, check_path=False)
            if accepted in supported:
                return accepted
        return settings.LANGUAGE_CODE


def browser_language(request) -> str:
    """The first language of ``Accept-Language`` that the portal has (any Chinese means zh-hans); English when
    the browser asks only for languages the portal lacks (a buyer abroad reads English sooner than Chinese);
    Chinese when the browser says nothing."""
    supported = {code for code, _name in settings.LANGUAGES}
    asked = [code for code, _q in parse_accept_lang_header(request.headers.get("Accept-Language", ""))]
    for code in asked:
        if code.startswith("zh"):  # zh-TW and zh-HK readers are better served by Chinese than by English
            return "zh-hans"
        try:
            variant = translation.get_supported_language_variant(code)
        except LookupError:
            continue
        if variant in supported:
            return variant
    return "en" if [code for code in asked if code != "*"] else settings.LANGUAGE_CODE


def has_chosen_language(request) -> bool:
    """A language cookie (the switch) or, logged in, a profile language: a choice beats the browser."""
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) in {code for code, _name in settings.LANGUAGES}:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.language)


def follows_browser_language(view):
    """For public pages opened by people outside the portal (the certificate verification page a buyer
    reaches from a QR code): unless the visitor chose a language, answer in the browser's (ADR 0007)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if has_chosen_language(request):
            response = view(request, *args, **kwargs)
        else:
            language = browser_language(request)
            with translation.override(language):
                request.LANGUAGE_CODE = language
                response = view(request, *args, **kwargs)
            response["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    return wrapper


class AuditContextMiddleware:
    """After authentication, record the acting user for audit stamps (the API redoes it after token auth)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user if request.user.is_authenticated else None
        if user is not None and user.language and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        token = set_context(
            ActingContext(user=user, request_id=request.request_id, ip=_client_ip(request), via=_via(request))
        )
        try:
            return self.get_response(request)
        finally:
            reset_context(token)


class IntegrityConflictMiddleware:
    """Pages: an ``IntegrityError`` leaving a view becomes the error page with status 409
    (``portal.conflicts``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, IntegrityError):
            return None
        log_conflict(request, exception)
        return conflict(request)
