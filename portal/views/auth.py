"""Login, logout, password change and reset: Django's views with our templates and audit."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.auth import throttled_response
from portal.choices import AuditVerb
from portal.forms import LoginForm, SiteUrlPasswordResetForm
from portal.login_limits import address_retry_after
from portal.models import ApiToken
from portal.services.passwords import password_changed


class LoginView(auth_views.LoginView):
    template_name = "portal/auth/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # An address over the failed-login limit is answered before any password is checked (ADR 0005).
        retry_after = address_retry_after(request)
        if retry_after:
            return throttled_response(request, retry_after)
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): a link cannot log a user out behind their back."""


class PasswordChangeView(auth_views.PasswordChangeView):
    """The new password revokes every API token of the user; the page says so beforehand, with the count."""

    template_name = "portal/auth/password_change.html"
    success_url = reverse_lazy("portal:profile")

    def get_context_data(self, **kwargs):
        live = ApiToken.objects.visible_to(self.request.user).active().count()
        return {**super().get_context_data(**kwargs), "live_tokens": live}

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            revoked = password_changed(user=form.user, by=form.user, verb=AuditVerb.PASSWORD_CHANGE)
        messages.success(self.request, _("Your password was changed."))
        if revoked:
            messages.warning(
                self.request,
                ngettext(
                    "%(n)d API token was revoked with the old password: create a new one for each system "
                    "that used it.",
                    "%(n)d API tokens were revoked with the old password: create a new one for each system "
                    "that used them.",
                    revoked,
                )
                % {"n": revoked},
            )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Always answers the same way whether or not the address is known (no enumeration)."""

    template_name = "portal/auth/password_reset.html"
    form_class = SiteUrlPasswordResetForm
    email_template_name = "portal/auth/password_reset_email.txt"
    subject_template_name = "portal/auth/password_reset_subject.txt"
    success_url = reverse_lazy("portal:password-reset-done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "portal/auth/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "portal/auth/password_reset_confirm.html"
    success_url = reverse_lazy("portal:password-reset-complete")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            password_changed(user=form.user, by=form.user, verb=AuditVerb.PASSWORD_RESET)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "portal/auth/password_reset_complete.html"
