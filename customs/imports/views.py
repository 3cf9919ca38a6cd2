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

from customs.imports import KIND
from portal.choices import Role
from portal.intake.services import import_start
from portal.intake.views import column_header
from portal.models import ImportJob
from portal.permissions import RoleRequiredMixin

UPLOADERS = (Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR)
RECENT = 20
SHOWN = 50


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook or CEB603 file"),
        help_text=_("An .xlsx workbook made from the template, or a CEB603 XML file; up to 100,000 lines."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xml"}),
    )


def list_jobs(user):
    return ImportJob.objects.visible_to(user).filter(kind=KIND).order_by("-created_at")


class ListImportView(RoleRequiredMixin, View):
    """The upload form, the template to download and the enterprise's recent imports."""

    required_roles = UPLOADERS

    def get(self, request, form=None):
        context = {"form": form or UploadForm(), "jobs": list_jobs(request.user)[:RECENT], "kind": KIND}
        # A refused upload re-renders with 200 like the portal's other forms (a 400 page is a console error).
        return render(request, "customs/imports/index.html", context)

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.get(request, form)
        try:
            job = import_start(
                owner=request.user.organisation, by=request.user, kind=KIND, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            for message in exc.message_dict.get("file", exc.messages):
                form.add_error("file", message)
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
