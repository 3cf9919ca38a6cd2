"""Self-service sign-up of an enterprise (public; ADR 0017, ADR 0026)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.forms import SignupForm
from accounts.services.signup import enterprise_signup
from portal.context import current


def _throttled(request) -> bool:
    """Sign-ups per client address (as the portal sees it for audit) per hour."""
    key = f"registration:signup:{current().ip or request.META.get('REMOTE_ADDR', '')}"
    count = cache.get_or_set(key, 0, 3600)
    if count >= settings.REGISTRATION_SIGNUPS_PER_HOUR:
        return True
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, 3600)
    return False


class SignupView(View):
    """Create an enterprise organisation (one per USCC) and its first administrator, then log in."""

    def get(self, request):
        if request.user.is_authenticated:
            return redirect("portal:home")
        return render(request, "accounts/signup.html", self._context(SignupForm()))

    @staticmethod
    def _context(form) -> dict:
        return {"form": form, "claim_after_days": settings.REGISTRATION_CLAIM_AFTER_DAYS}

    def post(self, request):
        form = SignupForm(request.POST)
        if form.is_valid():
            if _throttled(request):
                form.add_error(
                    None, _("Too many registrations from your network in the last hour. Try again later.")
                )
                return render(request, "accounts/signup.html", self._context(form), status=429)
            data = form.cleaned_data
            try:
                _org, user = enterprise_signup(
                    uscc=data["uscc"],
                    org_code=data["org_code"],
                    name_cn=data["name_cn"],
                    name_en=data["name_en"],
                    division_code=data["division_code"],
                    username=data["username"],
                    full_name=data["full_name"],
                    email=data["email"],
                    phone=data["phone"],
                    password=data["password1"],
                )
            except ValidationError as exc:
                form.apply_service_errors(exc)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Your organisation is registered. You can now file for it."))
                return redirect("registration:filings")
        return render(request, "accounts/signup.html", self._context(form))
