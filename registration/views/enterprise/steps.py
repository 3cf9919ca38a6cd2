"""The multi-step filing form: each step saves the draft; nothing typed is ever asked for twice."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from portal.permissions import RoleRequiredMixin
from portal.statemachine import TransitionNotAllowed
from registration import presenters, selectors, services, validation
from registration.choices import EDITABLE, FilingStatus
from registration.forms import STEPS, AttachmentForm, initial_for, next_step, step
from registration.views._helpers import run, visible_filing
from registration.views.enterprise.filings import APPLICANT_ROLES


class _EditMixin(RoleRequiredMixin):
    required_roles = APPLICANT_ROLES

    def editable_filing(self, request, pk: int):
        filing = visible_filing(request, pk)
        if filing.status not in EDITABLE:
            messages.info(request, _("This filing can no longer be edited."))
            return filing, redirect("registration:filing", pk=filing.pk)
        return filing, None

    def page(self, request, filing, current: str, template: str, context: dict):
        comments = selectors.comments_by_field(filing)
        return render(
            request,
            template,
            {
                "filing": filing,
                "steps": STEPS,
                "current": current,
                "comments": comments,
                "commented_steps": commented_steps(filing, comments),
                **context,
            },
        )


def step_of_field(name: str) -> str:
    """The step where a field is filled in (comments on the filing as a whole belong to the last step)."""
    for spec in STEPS:
        if spec.form_class is not None and name in spec.form_class.base_fields:
            return spec.slug
    return "attachments" if name == "attachments" else "submit"


def commented_steps(filing, comments: dict) -> set[str]:
    """The steps carrying comments of the review round that returned the filing."""
    if filing.status != FilingStatus.RETURNED:
        return set()
    latest = filing.review_round
    return {
        step_of_field(name)
        for name, items in comments.items()
        if any(c.review_round == latest for c in items)
    }


class FilingStepView(_EditMixin, View):
    def _form(self, request, filing, slug: str):
        spec = step(slug)
        if spec is None or spec.form_class is None:
            raise Http404
        data = request.POST if request.method == "POST" else None
        form = spec.form_class(data, filing=filing, initial=initial_for(spec.form_class, filing))
        return form

    def get(self, request, pk: int, slug: str):
        filing, leave = self.editable_filing(request, pk)
        if leave:
            return leave
        form = self._form(request, filing, slug)
        form.attach_comments(selectors.comments_by_field(filing))
        return self.page(request, filing, slug, "registration/filing_step.html", {"form": form})

    def post(self, request, pk: int, slug: str):
        filing, leave = self.editable_filing(request, pk)
        if leave:
            return leave
        form = self._form(request, filing, slug)
        form.attach_comments(selectors.comments_by_field(filing))
        if form.is_valid():
            data = form.service_data() if hasattr(form, "service_data") else dict(form.cleaned_data)
            data = {k: v for k, v in data.items() if not form.fields[k].disabled}
            saved = run(
                request, services.filing_update_draft, form=form, filing=filing, by=request.user, data=data
            )
            if saved:
                messages.success(request, _("Saved."))
                target = next_step(slug) if "next" in request.POST else slug
                return redirect("registration:step", pk=filing.pk, slug=target)
        return self.page(request, filing, slug, "registration/filing_step.html", {"form": form})


class AttachmentsStepView(_EditMixin, View):
    def get(self, request, pk: int, form=None):
        filing, leave = self.editable_filing(request, pk)
        if leave:
            return leave
        return self.page(
            request,
            filing,
            "attachments",
            "registration/filing_attachments.html",
            {
                "form": form or AttachmentForm(),
                "attachments": filing.attachments.current(),
                "required_kinds": validation.required_attachments(filing),
            },
        )

    def post(self, request, pk: int):
        filing, leave = self.editable_filing(request, pk)
        if leave:
            return leave
        if "next" in request.POST and not request.FILES:
            return redirect("registration:step", pk=filing.pk, slug="submit")
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            added = run(
                request,
                services.attachment_add,
                form=form,
                filing=filing,
                by=request.user,
                kind=form.cleaned_data["kind"],
                upload=upload,
                name=upload.name,
            )
            if added:
                messages.success(request, _("%(name)s added.") % {"name": added.original_name})
                return redirect("registration:step", pk=filing.pk, slug="attachments")
        return self.get(request, pk, form=form)


class AttachmentRemoveView(_EditMixin, View):
    def post(self, request, pk: int, attachment_pk: int):
        filing, leave = self.editable_filing(request, pk)
        if leave:
            return leave
        attachment = filing.attachments.current().filter(pk=attachment_pk).first()
        if attachment is None:
            raise Http404
        run(
            request, services.attachment_remove, attachment=attachment, by=request.user, success=_("Removed.")
        )
        return redirect("registration:step", pk=filing.pk, slug="attachments")


class SubmitStepView(_EditMixin, View):
    def get(self, request, pk: int):
        filing, leave = self.editable_filing(request, pk)
        if leave:
            return leave
        problems = validation.completeness(filing)
        comments = selectors.comments_by_field(filing)
        return self.page(
            request,
            filing,
            "submit",
            "registration/filing_submit.html",
            {
                "blocking": validation.blocking(problems),
                "warnings": [p for p in problems if not p.blocking],
                # Everything that will be submitted, by step, each part linking to the step that edits it.
                "facts": presenters.facts(filing, comments=comments),
                "attachments": list(filing.attachments.current()),
                "general_comments": comments.get("general", []) + comments.get("entity_type", []),
            },
        )

    def post(self, request, pk: int):
        filing, leave = self.editable_filing(request, pk)
        if leave:
            return leave
        try:
            submitted = services.filing_submit(filing=filing, by=request.user)
        except ValidationError:
            messages.error(request, _("The filing is not complete yet: correct everything listed below."))
            submitted = None
        except TransitionNotAllowed as exc:
            messages.error(request, str(exc))
            submitted = None
        if submitted:
            messages.success(
                request, _("Filing %(no)s submitted to the commerce bureau.") % {"no": submitted.filing_no}
            )
            return redirect("registration:filing", pk=filing.pk)
        return redirect("registration:step", pk=filing.pk, slug="submit")
