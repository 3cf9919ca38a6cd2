"""Who holds an identity: the bureau finds what blocks an applicant (issue 8) and opens it to act on it."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views import View

from portal.permissions import RoleRequiredMixin
from registration import policies, presenters, selectors
from registration.views.reviewer.queue import BUREAU_ROLES


class IdentityLookupView(RoleRequiredMixin, View):
    """A credit code, organisation code or ID document number → every filing of it that reached the bureau,
    the ones holding the identity's slot first. Releasing a returned filing is on its review page."""

    required_roles = BUREAU_ROLES

    def get(self, request):
        text = (request.GET.get("q") or "").strip()[:64]
        page = None
        if text:
            page = Paginator(selectors.identity_holders(request.user, text), 50).get_page(
                request.GET.get("page")
            )
            for filing in page:
                filing.tone = presenters.status_tone(filing.status)
        return render(
            request,
            "registration/identities.html",
            {"q": text, "page_obj": page, "is_supervisor": policies.can_supervise(request.user)},
        )
