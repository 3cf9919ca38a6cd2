"""``/customs/authorisations/``: a seller authorises service enterprises to file its documents (by credit
code, for some or all kinds, for a period) and revokes them; an agent sees who authorised it. Granting and
revoking is for the enterprise's administrators; operators read."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from customs.forms import AuthorisationGrantForm, ReasonForm
from customs.models import SellerAuthorisation
from customs.selectors.pages import authorisations_granted, authorisations_received
from customs.services.authorisations import STATE_LABELS, authorisation_grant, authorisation_revoke, state_of
from customs.views.common import ENTERPRISE
from portal.choices import Role
from portal.permissions import RoleRequiredMixin
from portal.views.scoped import run_service, scoped_object


def _rows(authorisations, now):
    return [(a, state_of(a, now), STATE_LABELS[state_of(a, now)]) for a in authorisations]


class AuthorisationsView(RoleRequiredMixin, View):
    required_roles = ENTERPRISE

    def get(self, request):
        return self._render(request, AuthorisationGrantForm())

    def post(self, request):
        if not request.user.has_role(Role.ENTERPRISE_ADMIN):
            raise PermissionDenied
        form = AuthorisationGrantForm(request.POST)
        if form.is_valid():
            made = run_service(
                request,
                authorisation_grant,
                form=form,
                success=_("The authorisation is in place."),
                seller=request.user.organisation,
                by=request.user,
                **form.cleaned_data,
            )
            if made:
                return redirect(reverse("customs:authorisations"))
        return self._render(request, form)

    @staticmethod
    def _render(request, form, status=200):
        org, now = request.user.organisation, timezone.now()
        return render(
            request,
            "customs/authorisations.html",
            {
                "form": form,
                "granted": _rows(authorisations_granted(org), now),
                "received": _rows(authorisations_received(org), now),
                "can_manage": request.user.has_role(Role.ENTERPRISE_ADMIN),
                "reason_form": ReasonForm(),
            },
            status=status,
        )


class AuthorisationRevokeView(RoleRequiredMixin, View):
    required_roles = (Role.ENTERPRISE_ADMIN,)

    def post(self, request, pk):
        authorisation = scoped_object(request, SellerAuthorisation, pk)
        try:
            run_service(
                request,
                authorisation_revoke,
                success=_("Revoked: the agent can no longer file for you."),
                authorisation=authorisation,
                by=request.user,
                reason=request.POST.get("reason", ""),
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        return redirect(reverse("customs:authorisations"))
