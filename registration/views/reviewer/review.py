"""The review page of one filing, and the bureau's actions on it (each one service)."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts import policies as account_policies
from accounts.services import claims
from portal.permissions import RoleRequiredMixin
from portal.statemachine import allowed_verbs
from registration import policies, presenters, services
from registration.forms import (
    AssignForm,
    CommentForm,
    CountersignForm,
    NoteForm,
    ReasonForm,
    ReturnForm,
)
from registration.transitions import TRANSITIONS
from registration.views._helpers import run, visible_filing
from registration.views.reviewer.queue import BUREAU_ROLES

FORMS = {
    "comment": CommentForm,
    "approve": NoteForm,
    "return": ReturnForm,
    "reject": ReasonForm,
    "countersign": CountersignForm,
    "assign": AssignForm,
    "suspend": ReasonForm,
    "reinstate": ReasonForm,
    "revoke": ReasonForm,
    "release": ReasonForm,
}


def _forms(filing, data=None, bound: str = "") -> dict:
    """One form per action; only the one being submitted is bound (the others stay clean)."""
    forms = {}
    for name, form_class in FORMS.items():
        extra = {"filing": filing} if name in ("comment", "return") else {}
        forms[f"{name}_form"] = form_class(data if name == bound else None, prefix=name, **extra)
    return forms


class ReviewView(RoleRequiredMixin, View):
    required_roles = BUREAU_ROLES

    def get(self, request, pk: int, forms: dict | None = None, reveal_id: bool = False):
        filing = visible_filing(request, pk)
        context = presenters.filing_context(filing, request.user, reveal_id=reveal_id)
        verbs = set(allowed_verbs(TRANSITIONS, filing.status))
        user = request.user
        context.update(
            forms or _forms(filing),
            verbs=verbs,
            own_organisation=user.organisation_id == filing.owner_id,
            is_supervisor=policies.can_supervise(user),
            is_assignee=filing.assigned_to_id == user.pk,
            may_decide=filing.assigned_to_id in (None, user.pk) or policies.can_supervise(user),
            id_revealed=reveal_id,
            account_verified=claims.is_verified(filing.owner),
            may_resolve_claims=account_policies.can_resolve_claims(user),
        )
        return render(request, "registration/review.html", context)


class ReviewActionView(RoleRequiredMixin, View):
    """POST ``/registration/review/<pk>/<action>/``; a refusal comes back as a message or a form error."""

    required_roles = BUREAU_ROLES

    def post(self, request, pk: int, action: str):
        handler = getattr(self, f"do_{action}", None)
        if handler is None:
            raise Http404
        filing = visible_filing(request, pk)
        if action == "reveal_id":
            return handler(request, filing)
        forms = _forms(filing, request.POST, bound=action)
        done = handler(request, filing, forms)
        if done:
            return redirect("registration:review", pk=filing.pk)
        return ReviewView().get(request, pk, forms=forms)

    def _valid(self, forms, name):
        form = forms[f"{name}_form"]
        return form if form.is_valid() else None

    def do_reveal_id(self, request, filing):
        """Show the full ID document number once, on request; each showing is audited (who, when)."""
        services.reveal_id_number(filing=filing, by=request.user)
        return ReviewView().get(request, filing.pk, reveal_id=True)

    def do_claim(self, request, filing, forms):
        return run(request, services.filing_accept, filing=filing, by=request.user, success=_("Claimed."))

    def do_assign(self, request, filing, forms):
        form = self._valid(forms, "assign")
        return form and run(
            request,
            services.filing_assign,
            form=form,
            filing=filing,
            by=request.user,
            reviewer=form.cleaned_data["reviewer"],
            success=_("Assigned."),
        )

    def do_comment(self, request, filing, forms):
        form = self._valid(forms, "comment")
        return form and run(
            request,
            services.comment_add,
            form=form,
            filing=filing,
            by=request.user,
            field=form.cleaned_data["field"],
            text=form.cleaned_data["text"],
            success=_("Comment added."),
        )

    def do_approve(self, request, filing, forms):
        form = self._valid(forms, "approve")
        return form and run(
            request,
            services.filing_approve,
            form=form,
            filing=filing,
            by=request.user,
            note=form.cleaned_data["note"],
            success=_("Approved. The qualifications are being registered with the departments."),
        )

    def do_return(self, request, filing, forms):
        form = self._valid(forms, "return")
        return form and run(
            request,
            services.filing_return,
            form=form,
            filing=filing,
            by=request.user,
            reason_codes=form.cleaned_data["reason_codes"],
            note=form.cleaned_data["note"],
            comments=form.comments_given(),
            success=_("Returned to the applicant for correction."),
        )

    def do_reject(self, request, filing, forms):
        form = self._valid(forms, "reject")
        return form and run(
            request,
            services.filing_reject_request,
            form=form,
            filing=filing,
            by=request.user,
            reason=form.cleaned_data["reason"],
            success=_("Rejection proposed; a supervisor must countersign it."),
        )

    def do_countersign(self, request, filing, forms):
        form = self._valid(forms, "countersign")
        return form and run(
            request,
            services.filing_reject_countersign,
            form=form,
            filing=filing,
            by=request.user,
            confirm=form.cleaned_data["decision"] == "confirm",
            note=form.cleaned_data["note"],
            success=_("Decision recorded."),
        )

    def _lifecycle(self, request, filing, forms, name, service, success):
        form = self._valid(forms, name)
        return form and run(
            request,
            service,
            form=form,
            filing=filing,
            by=request.user,
            reason=form.cleaned_data["reason"],
            success=success,
        )

    def do_suspend(self, request, filing, forms):
        return self._lifecycle(
            request, filing, forms, "suspend", services.filing_suspend, _("Filing suspended.")
        )

    def do_reinstate(self, request, filing, forms):
        return self._lifecycle(
            request, filing, forms, "reinstate", services.filing_reinstate, _("Filing reinstated.")
        )

    def do_release(self, request, filing, forms):
        return self._lifecycle(
            request,
            filing,
            forms,
            "release",
            services.filing_release,
            _("The filing is closed; its identity is free for another filing."),
        )

    def do_revoke(self, request, filing, forms):
        return self._lifecycle(request, filing, forms, "revoke", services.filing_revoke, _("Filing revoked."))
