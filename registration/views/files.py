"""Attachments and certificates, served only through these permission-checked views."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.text import slugify
from django.views import View

from registration import certificate, services
from registration.choices import FilingStatus
from registration.views._helpers import visible_filing


class AttachmentDownloadView(View):
    """Owner's staff and reviewing officers (``visible_to``) may download; every download is audited."""

    def get(self, request, pk: int, attachment_pk: int):
        if not request.user.is_authenticated:
            return redirect("portal:login")
        filing = visible_filing(request, pk)
        attachment = filing.attachments.filter(pk=attachment_pk).first()
        if attachment is None:
            raise Http404
        handle = services.attachment_open(attachment=attachment, by=request.user)
        extension = attachment.file.name.rsplit(".", 1)[-1]
        name = f"{slugify(attachment.kind)}-{attachment.pk}.{extension}"
        response = FileResponse(
            handle, content_type=attachment.content_type, as_attachment=True, filename=name
        )
        response["Cache-Control"] = "private, no-store"
        return response


class CertificateView(View):
    def get(self, request, pk: int):
        if not request.user.is_authenticated:
            return redirect("portal:login")
        filing = visible_filing(request, pk)
        if filing.status != FilingStatus.ACTIVE:
            raise Http404
        response = HttpResponse(certificate.render(filing), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="certificate-{filing.filing_no}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response
