"""Pages without login: certificate verification, live identifier checks (sign-up is in ``accounts``)."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal import identifiers
from portal.divisions import division_label
from portal.middleware import follows_browser_language
from registration import selectors
from registration.choices import SUBTYPES_OF, EntityType
from registration.validation import fields as checks


@never_cache
@require_GET
@follows_browser_language
def verify(request, token: str):
    """Public certificate check: current status, name and filing number, nothing else; never cached. Opened
    by buyers abroad from the certificate's QR code, so it answers in the browser's language until the visitor
    picks one with the switch on the page."""
    result = selectors.verification(token)
    if result is None:
        raise Http404
    response = render(request, "registration/verify.html", {"result": result})
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _answer(problems, ok_message: str) -> JsonResponse:
    blocking = [p for p in problems if getattr(p, "blocking", True)]
    if blocking:
        return JsonResponse({"ok": False, "message": blocking[0].message, "code": blocking[0].code})
    warnings = [p.message for p in problems]
    return JsonResponse({"ok": True, "message": " ".join([ok_message, *warnings]), "warning": bool(warnings)})


@require_GET
def validate(request, kind: str):
    """``{ok, message}`` for ``data-validate-url`` inputs. Pure format checks: no data is looked up."""
    value = request.GET.get("value", "")[:40]
    if kind == "uscc":
        code = identifiers.normalise(value)
        entity_type, subtype = request.GET.get("entity_type", ""), request.GET.get("subtype", "")
        if (entity_type and entity_type not in EntityType.values) or (
            subtype and (not entity_type or subtype not in SUBTYPES_OF[EntityType(entity_type)])
        ):
            return JsonResponse(
                {
                    "ok": False,
                    "code": "invalid_role",
                    "message": _("Unknown entity type or subtype: choose one from the form."),
                },
                status=400,
            )
        problems = checks.uscc_problems(code, entity_type=entity_type, subtype=subtype)
        ok = _("Valid credit code: organisation code %(oc)s, registered in division %(division)s.") % {
            "oc": f"{code[8:16]}-{code[16:17]}",
            "division": division_label(code[2:8]),
        }
        return _answer(problems, ok)
    if kind == "org_code":
        code = identifiers.normalise(value)
        return _answer(
            checks.org_code_problems(code),
            _("Valid organisation code %(code)s.") % {"code": identifiers.printed(code)},
        )
    if kind == "customs_code":
        return _answer(checks.customs_code_problems(value), _("Valid Zhejiang customs registration code."))
    if kind == "division_code":
        code = value.strip()
        return _answer(
            checks.division_problems(code), _("Zhejiang division: %(d)s.") % {"d": division_label(code)}
        )
    if kind == "contact_phone":
        return _answer(checks.phone_problems(value), _("Valid phone number."))
    raise Http404
