"""A legacy organisation records the credit code it received after the reform (ADR 0018)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.forms import CreditCodeForm
from accounts.services.credit_code import credit_code_record
from portal import identifiers
from portal.choices import Role
from portal.permissions import RoleRequiredMixin
from portal.views.scoped import run_service as run


class CreditCodeView(RoleRequiredMixin, View):
    required_roles = (Role.ENTERPRISE_ADMIN,)

    def _page(self, request, form):
        organisation = request.user.organisation
        return render(
            request,
            "accounts/credit_code.html",
            {"form": form, "organisation": organisation, "org_code": identifiers.printed(organisation.code)},
        )

    def _not_legacy(self, request):
        if identifiers.is_legacy_code(getattr(request.user.organisation, "code", "")):
            return None
        messages.info(request, _("Your organisation is already registered with its credit code."))
        return redirect("registration:filings")

    def get(self, request):
        return self._not_legacy(request) or self._page(request, CreditCodeForm())

    def post(self, request):
        if (refused := self._not_legacy(request)) is not None:
            return refused
        form = CreditCodeForm(request.POST)
        if form.is_valid() and run(
            request,
            credit_code_record,
            form=form,
            organisation=request.user.organisation,
            by=request.user,
            uscc=form.cleaned_data["uscc"],
            success=_("Credit code recorded."),
        ):
            return redirect("registration:filings")
        return self._page(request, form)
