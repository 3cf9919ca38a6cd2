"""``/customs/imports/``: an enterprise uploads inventory lists (Excel or CEB603 XML) and watches the import;
``/customs/{orders,payments,waybills}/import/`` the same for orders (CEB303), payment receipts (CEB403) and
waybills (CEB505). One job page (``imports/<id>/``) for all four.

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
from customs.imports import DOCUMENT_KINDS, KIND
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
NOT_AUTHORISED_DOCUMENTS = _(
    "This seller does not authorise your enterprise to file these documents now (the authorisation was "
    "revoked or has expired). Choose your own enterprise or another seller."
)


class Upload:
    """What one kind of customs import says on its pages and whom an agent may choose."""

    def __init__(self, *, key, kind, document_type, title, lead, file_label, file_help, index_label):
        self.kind, self.document_type, self.title, self.lead = kind, document_type, title, lead
        self.file_label, self.file_help, self.index_label = file_label, file_help, index_label
        self.index_url = f"customs:{key}"  # the kind's pages (customs.views.kinds.PageKind)
        self.import_url = "customs:list-imports" if key == "lists" else f"customs:{key}-import"


UPLOADS = {
    "lists": Upload(
        key="lists",
        kind=KIND,
        document_type=DocumentType.INVENTORY,
        title=_("Import inventory lists"),
        lead=_(
            "Upload an Excel workbook made from the template, or a CEB603 XML file. The file is imported "
            "whole: if any row has a problem nothing is saved, and you get the workbook back with each bad "
            "cell marked and the reason beside it. Lists imported are sent to customs at once."
        ),
        file_label=_("Workbook or CEB603 file"),
        file_help=_("An .xlsx workbook made from the template, or a CEB603 XML file; up to 100,000 lines."),
        index_label=_("Inventory lists"),
    ),
    "orders": Upload(
        key="orders",
        kind=DOCUMENT_KINDS["orders"],
        document_type=DocumentType.ORDER,
        title=_("Import orders"),
        lead=_(
            "Upload an Excel workbook made from the template (one row per line of goods), or a CEB303 XML "
            "file. The file is imported whole: if any row has a problem nothing is saved, and you get the "
            "workbook back with each bad cell marked. Orders imported are sent to customs at once."
        ),
        file_label=_("Workbook or CEB303 file"),
        file_help=_("An .xlsx workbook made from the template, or a CEB303 XML file; up to 100,000 rows."),
        index_label=_("Orders"),
    ),
    "payments": Upload(
        key="payments",
        kind=DOCUMENT_KINDS["payments"],
        document_type=DocumentType.PAYMENT,
        title=_("Import payment receipts"),
        lead=_(
            "Upload an Excel workbook made from the template (one row per receipt), or a CEB403 XML file. "
            "The file is imported whole: if any row has a problem nothing is saved, and you get the workbook "
            "back with each bad cell marked. Receipts imported are sent to customs at once."
        ),
        file_label=_("Workbook or CEB403 file"),
        file_help=_("An .xlsx workbook made from the template, or a CEB403 XML file; up to 100,000 rows."),
        index_label=_("Payment receipts"),
    ),
    "waybills": Upload(
        key="waybills",
        kind=DOCUMENT_KINDS["waybills"],
        document_type=DocumentType.WAYBILL,
        title=_("Import waybills"),
        lead=_(
            "Upload an Excel workbook made from the template (one row per waybill), or a CEB505 XML file. "
            "The file is imported whole: if any row has a problem nothing is saved, and you get the workbook "
            "back with each bad cell marked. Waybills imported are sent to customs at once."
        ),
        file_label=_("Workbook or CEB505 file"),
        file_help=_("An .xlsx workbook made from the template, or a CEB505 XML file; up to 100,000 rows."),
        index_label=_("Waybills"),
    ),
}
BY_KIND = {upload.kind: upload for upload in UPLOADS.values()}


class UploadForm(forms.Form):
    """The file and, for an agent, the seller it files for: only sellers whose authorisation for this kind
    of document is in force are offered, read again when the form is posted."""

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

    def __init__(self, *args, organisation=None, upload: Upload = UPLOADS["lists"], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label, self.fields["file"].help_text = upload.file_label, upload.file_help
        field = self.fields["on_behalf_of"]
        if upload.document_type != DocumentType.INVENTORY:
            field.error_messages["invalid_choice"] = NOT_AUTHORISED_DOCUMENTS
            field.help_text = _("The documents belong to the seller you choose; you file them as its agent.")
        field.queryset = authorising_sellers_of(organisation, upload.document_type)
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


def list_jobs(user, kinds=(KIND,)):
    """The user's enterprise's imports of ``kinds`` and those its agents made for it
    (``ImportJob.visible_to``)."""
    return (
        ImportJob.objects.visible_to(user)
        .filter(kind__in=kinds)
        .select_related("owner", "on_behalf_of")
        .order_by("-created_at")
    )


class ListImportView(RoleRequiredMixin, View):
    """The upload form, the template to download and the enterprise's recent imports of one kind
    (``upload``: a key of ``UPLOADS``)."""

    required_roles = UPLOADERS
    upload = "lists"

    def get(self, request, form=None):
        upload = UPLOADS[self.upload]
        form = form or UploadForm(organisation=request.user.organisation, upload=upload)
        jobs = list_jobs(request.user, (upload.kind,))[:RECENT]
        context = {"form": form, "jobs": jobs, "kind": upload.kind, "upload": upload}
        # A refused upload re-renders with 200 like the portal's other forms (a 400 page is a console error).
        return render(request, "customs/imports/index.html", context)

    def post(self, request):
        upload = UPLOADS[self.upload]
        form = UploadForm(request.POST, request.FILES, organisation=request.user.organisation, upload=upload)
        if not form.is_valid():
            return self.get(request, form)
        try:
            job = import_start(
                owner=request.user.organisation,
                by=request.user,
                kind=upload.kind,
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
        job = get_object_or_404(list_jobs(request.user, tuple(BY_KIND)), public_id=public_id)
        problems = [
            (p.row, column_header(job.kind, p.column) if p.column else "", p.message_text)
            for p in job.problems.order_by("row", "id")[:SHOWN]
        ]
        context = {"job": job, "problems": problems, "upload": BY_KIND[job.kind]}
        return render(request, "customs/imports/detail.html", context)
