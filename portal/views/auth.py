"""Login, logout, password change and reset: Django's views with our templates and audit."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from portal.auth import throttled_response
from portal.choices import AuditVerb
from portal.forms import LoginForm, SiteUrlPasswordResetForm
from portal.login_limits import address_retry_after
from portal.services.audit import audit


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
    template_name = "portal/auth/password_change.html"
    success_url = reverse_lazy("portal:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit(verb=AuditVerb.PASSWORD_CHANGE, target=self.request.user)
        messages.success(self.request, _("Your password was changed."))
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
        response = super().form_valid(form)
        audit(verb=AuditVerb.PASSWORD_RESET, actor=form.user, target=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "portal/auth/password_reset_complete.html"
