"""The enterprise's filings: list, start a new one, read one (with clock, comments, qualifications)."""

from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from portal import identifiers
from portal.choices import Role
from portal.permissions import RoleRequiredMixin
from registration import policies, presenters, services
from registration.choices import EDITABLE, FilingStatus, TaskStatus
from registration.forms import TypeForm
from registration.models import EntityFiling
from registration.views._helpers import run, visible_filing

APPLICANT_ROLES = (Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR)


class FilingListView(RoleRequiredMixin, View):
    required_roles = APPLICANT_ROLES

    def get(self, request):
        qs = (
            EntityFiling.objects.visible_to(request.user)
            .select_related("owner")
            .order_by("-updated_at", "-id")
        )
        page = Paginator(qs, 25).get_page(request.GET.get("page"))
        for filing in page:
            filing.tone = presenters.status_tone(presenters.shown_status(filing, request.user))
        code = getattr(request.user.organisation, "code", "")
        return render(
            request,
            "registration/filing_list.html",
            {
                "page_obj": page,
                "legacy_org_code": identifiers.printed(code) if identifiers.is_legacy_code(code) else "",
                "is_admin": request.user.has_role(Role.ENTERPRISE_ADMIN),
            },
        )


class FilingCreateView(RoleRequiredMixin, View):
    required_roles = APPLICANT_ROLES

    def get(self, request):
        return render(request, "registration/filing_new.html", {"form": TypeForm()})

    def post(self, request):
        form = TypeForm(request.POST)
        if form.is_valid():
            filing = run(
                request,
                services.filing_create_draft,
                form=form,
                owner=request.user.organisation,
                by=request.user,
                entity_type=form.cleaned_data["entity_type"],
                subtype=form.cleaned_data["subtype"] or "",
            )
            if filing:
                return redirect("registration:step", pk=filing.pk, slug="entity")
        return render(request, "registration/filing_new.html", {"form": form})


class FilingDetailView(View):
    """The filing as its applicant sees it; officers who can see it get the same page (without actions)."""

    def get(self, request, pk: int):
        if not request.user.is_authenticated:
            return redirect("portal:login")
        filing = visible_filing(request, pk)
        applicant = policies.is_applicant(filing, request.user)
        context = presenters.filing_context(filing, request.user)
        context.update(
            {
                "is_applicant": applicant,
                "can_edit": applicant and filing.status in EDITABLE,
                "can_change": applicant and filing.status == FilingStatus.ACTIVE,
                "can_certificate": filing.status == FilingStatus.ACTIVE,
                "can_review": policies.can_review(request.user),
                "retryable": {TaskStatus.NOT_APPLIED, TaskStatus.REJECTED, TaskStatus.FAILED},
                "can_retry": applicant
                and filing.status in (FilingStatus.APPROVED, FilingStatus.ACTIVE, FilingStatus.SUSPENDED),
            }
        )
        return render(request, "registration/filing_detail.html", context)


class FilingActionView(RoleRequiredMixin, View):
    """The applicant's POST actions on a filing: withdraw, file a change, apply again for a qualification."""

    required_roles = APPLICANT_ROLES

    def post(self, request, pk: int, action: str):
        filing = visible_filing(request, pk)
        if action == "withdraw":
            run(
                request,
                services.filing_withdraw,
                filing=filing,
                by=request.user,
                success=_("Filing withdrawn."),
            )
        elif action == "change":
            change = run(request, services.filing_change, filing=filing, by=request.user)
            if change:
                return redirect("registration:step", pk=change.pk, slug="entity")
        elif action == "retry":
            raw = request.POST.get("task", "")
            if not raw.isdigit() or len(raw) > 18:
                raise BadRequest(_("Choose the qualification to apply for again."))
            task = filing.qualifications.filter(pk=int(raw)).first()
            if task is None:
                raise Http404
            run(
                request,
                services.qualification_retry,
                task=task,
                by=request.user,
                success=_("%(q)s: the application was sent again.") % {"q": task.get_code_display()},
            )
        else:
            raise Http404
        return redirect("registration:filing", pk=filing.pk)
