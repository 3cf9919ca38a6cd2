"""``/customs/imports/``: an enterprise uploads inventory lists (Excel or CEB603 XML) and watches the import.

The upload goes to ``portal.intake.services.import_start`` (size, type and zip checked at once: a field
error on the form); the job page shows the shell's live progress bar (``{% import_progress job %}``), the
outcome and the error workbook. Jobs are read through ``visible_to``: another enterprise's is a 404.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from customs.choices import DocumentType
from customs.imports import KIND
from customs.selectors.pages import authorising_sellers_of
from portal.choices import Role
from portal.intake.services import import_start
from portal.intake.views import column_header
from portal.models import ImportJob
from portal.permissions import RoleRequiredMixin

UPLOADERS = (Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR)
RECENT = 20
SHOWN = 50


NOT_AUTHORISED = _(
    "This seller does not authorise your enterprise to file inventory lists now (the authorisation was "
    "revoked or has expired). Choose your own enterprise or another seller."
)


class UploadForm(forms.Form):
    """The file and, for an agent, the seller it files for: only sellers whose authorisation for inventory
    lists is in force are offered, read again when the form is posted."""

    on_behalf_of = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("File for"),
        help_text=_("The lists belong to the seller you choose; you are their declaring agent."),
        error_messages={"invalid_choice": NOT_AUTHORISED},
    )
    file = forms.FileField(
        label=_("Workbook or CEB603 file"),
        help_text=_("An .xlsx workbook made from the template, or a CEB603 XML file; up to 100,000 lines."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xml"}),
    )

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["on_behalf_of"]
        field.queryset = authorising_sellers_of(organisation, DocumentType.INVENTORY)
        if not field.queryset.exists():
            # Nobody authorises this enterprise: no choice to offer, but a posted seller is still refused.
            field.widget = forms.HiddenInput()
            return
        field.empty_label = _("My enterprise (%(name)s)") % {"name": organisation.name_cn}
        field.label_from_instance = lambda seller: seller.name_cn

    def full_clean(self):
        super().full_clean()
        hidden = self["on_behalf_of"]
        if hidden.is_hidden and hidden.errors:  # the page shows no hidden field's errors: say it on top
            self.add_error(None, list(hidden.errors))


def list_jobs(user):
    """The user's enterprise's imports and those its agents made for it (``ImportJob.visible_to``)."""
    return (
        ImportJob.objects.visible_to(user)
        .filter(kind=KIND)
        .select_related("owner", "on_behalf_of")
        .order_by("-created_at")
    )


class ListImportView(RoleRequiredMixin, View):
    """The upload form, the template to download and the enterprise's recent imports."""

    required_roles = UPLOADERS

    def get(self, request, form=None):
        form = form or UploadForm(organisation=request.user.organisation)
        context = {"form": form, "jobs": list_jobs(request.user)[:RECENT], "kind": KIND}
        # A refused upload re-renders with 200 like the portal's other forms (a 400 page is a console error).
        return render(request, "customs/imports/index.html", context)

    def post(self, request):
        form = UploadForm(request.POST, request.FILES, organisation=request.user.organisation)
        if not form.is_valid():
            return self.get(request, form)
        try:
            job = import_start(
                owner=request.user.organisation,
                by=request.user,
                kind=KIND,
                upload=form.cleaned_data["file"],
                on_behalf_of=form.cleaned_data.get("on_behalf_of"),
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"file": exc.messages}
            for name, messages in errors.items():
                form.add_error(name if name in form.fields else "file", messages)
            return self.get(request, form)
        return redirect("customs:list-import", public_id=job.public_id)


class ListImportDetailView(RoleRequiredMixin, View):
    """One import: live progress while it runs, then what it saved or the problems and the error workbook."""

    required_roles = UPLOADERS

    def get(self, request, public_id):
        job = get_object_or_404(list_jobs(request.user), public_id=public_id)
        problems = [
            (p.row, column_header(KIND, p.column) if p.column else "", p.message_text)
            for p in job.problems.order_by("row", "id")[:SHOWN]
        ]
        return render(request, "customs/imports/detail.html", {"job": job, "problems": problems})
