"""The commerce bureau's supervisors: disputed and duplicate sign-ups, and reassigning an account (ADR 0017).

Only users holding ``accounts.resolve_organisationclaim`` (commerce-bureau supervisors) open these pages;
reviewers, other officers and enterprise users get 403. The detail page lists the organisation's filings by
claim (read from registration's models: accounts reads registration, never the other way, ADR 0026).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts import policies
from accounts.forms import ClaimDecisionForm, ClaimFilterForm
from accounts.models import ClaimStatus, OrganisationClaim
from accounts.services import claims
from portal import divisions, identifiers
from portal.choices import OrganisationKind, Role
from portal.models import Organisation
from portal.permissions import RoleRequiredMixin
from portal.views.scoped import run_service as run
from registration import presenters
from registration.models import EntityFiling


class _ClaimsMixin(RoleRequiredMixin):
    required_roles = (Role.COMMERCE_SUPERVISOR,)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            policies.ensure_claims_officer(request.user)
        return super().dispatch(request, *args, **kwargs)


class ClaimsView(_ClaimsMixin, View):
    """Codes with refused sign-ups waiting for a decision, or every code signed up more than once."""

    def get(self, request):
        form = ClaimFilterForm(request.GET or None)
        show, query = "pending", ""
        if form.is_valid():
            show = form.cleaned_data["show"] or "pending"
            query = form.cleaned_data["q"].strip()
        qs = Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE).annotate(
            pending=Count("account_claims", filter=Q(account_claims__status=ClaimStatus.PENDING)),
            claims_total=Count("account_claims"),
            last_claim=Max("account_claims__created_at"),
        )
        qs = qs.filter(pending__gt=0) if show == "pending" else qs.filter(claims_total__gt=1)
        if query:
            # A subquery, not a join: a join on the claims would multiply the counts annotated above.
            matching_claims = OrganisationClaim.objects.filter(
                Q(code__icontains=query) | Q(name_cn__icontains=query), organisation=OuterRef("pk")
            )
            qs = qs.filter(Q(code__icontains=query) | Q(name_cn__icontains=query) | Exists(matching_claims))
        page = Paginator(qs.select_related("account_verification").order_by("-last_claim"), 25).get_page(
            request.GET.get("page")
        )
        return render(
            request,
            "accounts/claims.html",
            {"form": form, "page_obj": page, "show": show, "days": claims.claim_after_days()},
        )


class ClaimDetailView(_ClaimsMixin, View):
    """One enterprise identity: who holds the account, every sign-up for it, its filings by claim."""

    def get(self, request, pk: int):
        organisation = get_object_or_404(Organisation, pk=pk, kind=OrganisationKind.ENTERPRISE)
        sign_ups = list(
            OrganisationClaim.objects.filter(organisation=organisation).select_related(
                "user", "decided_by", "retired_by", "invitation"
            )
        )
        filings = list(
            EntityFiling.objects.filter(owner=organisation)
            .select_related("claim")
            .order_by("-created_at", "-id")
        )
        for filing in filings:
            filing.tone = presenters.status_tone(filing.status)
        forms = {c.pk: ClaimDecisionForm(claim_pk=c.pk) for c in sign_ups if c.status == ClaimStatus.PENDING}
        for claim in sign_ups:
            claim.form = forms.get(claim.pk)
            claim.city = divisions.city_name(claim.division_code)
        return render(
            request,
            "accounts/claim_detail.html",
            {
                "organisation": organisation,
                "printed_code": identifiers.printed(organisation.code),
                "verification": claims.verification_of(organisation),
                "verified": claims.is_verified(organisation),
                "claimable": claims.claimable(organisation),
                "claim_after_days": claims.claim_after_days(),
                "holder": next((c for c in sign_ups if c.status == ClaimStatus.HOLDER), None),
                "sign_ups": sign_ups,
                "filings": filings,
            },
        )


class ClaimActionView(_ClaimsMixin, View):
    ACTIONS = {
        "reassign": (
            claims.claim_reassign,
            lambda: _("The account was reassigned; the claimant is invited."),
        ),
        "dismiss": (claims.claim_dismiss, lambda: _("The sign-up was dismissed; the claimant is told.")),
    }

    def post(self, request, pk: int, action: str):
        claim = get_object_or_404(OrganisationClaim, pk=pk)
        if action not in self.ACTIONS:
            return redirect("accounts:claim", pk=claim.organisation_id)
        service, success = self.ACTIONS[action]
        form = ClaimDecisionForm(request.POST, claim_pk=claim.pk)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        else:
            run(
                request,
                service,
                claim=claim,
                by=request.user,
                reason=form.cleaned_data["reason"],
                success=success(),
            )
        return redirect("accounts:claim", pk=claim.organisation_id)
