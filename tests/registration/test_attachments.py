"""Attachments: content sniffed and parsed, active PDFs and bombs refused, stored privately, served to the
owner and the reviewing officers only, listed with their hashes."""

import hashlib
import io
from pathlib import Path

import lxml.html
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from portal.models import AuditEvent
from portal.statemachine import TransitionNotAllowed
from registration import files, services
from registration.choices import AttachmentKind
from tests.registration import builders

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _add(filing, admin, name, content, kind=AttachmentKind.OTHER):
    return services.attachment_add(filing=filing, by=admin, kind=kind, upload=builders.upload(name, content))


def _refused(filing, admin, name, content) -> str:
    with pytest.raises(ValidationError) as info:
        _add(filing, admin, name, content)
    (error,) = info.value.error_dict["file"]
    return error.code


def _writer_pdf(build) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    build(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def filing(enterprise_admin):
    return builders.draft(enterprise_admin, complete=False)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("licence.pdf", builders.pdf_bytes(), "application/pdf"),
        ("scan.PNG", builders.png_bytes(), "image/png"),
        ("photo.jpeg", builders.jpeg_bytes(), "image/jpeg"),
        ("photo.jpg", builders.jpeg_bytes(), "image/jpeg"),
    ],
)
def test_good_documents_are_stored_privately_with_their_hash(
    filing, enterprise_admin, name, content, content_type
):
    attachment = _add(filing, enterprise_admin, name, content)
    assert attachment.content_type == content_type
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.size == len(content)
    path = Path(attachment.file.path)
    assert path.read_bytes() == content
    assert str(path).startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not str(path).startswith(str(settings.STATIC_ROOT))
    with pytest.raises(ValueError, match="permission-checked"):
        attachment.file.url  # noqa: B018 - never a public URL


def test_a_pdf_that_is_really_a_png_is_refused(filing, enterprise_admin):
    assert _refused(filing, enterprise_admin, "licence.pdf", builders.png_bytes()) == "type_mismatch"


def test_a_png_that_is_really_html_is_refused(filing, enterprise_admin):
    html = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
    assert _refused(filing, enterprise_admin, "scan.png", html) == "unsupported_type"


def test_a_gif_is_not_accepted(filing, enterprise_admin):
    assert _refused(filing, enterprise_admin, "scan.gif", b"GIF89a" + b"\x00" * 40) == "unsupported_type"


def test_oversized_file_is_refused_without_reading_it_all(filing, enterprise_admin):
    big = b"%PDF-1.4\n" + b"0" * (files.max_bytes())
    assert _refused(filing, enterprise_admin, "big.pdf", big) == "too_large"


def test_empty_file_is_refused(filing, enterprise_admin):
    assert _refused(filing, enterprise_admin, "empty.pdf", b"") == "empty"


def _add_js(writer):
    script = writer._add_object(
        DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('hi');"),
            }
        )
    )
    names = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("init"), script])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): names})


def _open_action_js(writer):
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)


def _launch(writer):
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)


def _embedded_file(writer):
    writer.add_attachment("payload.exe", b"MZ\x90\x00")


def _page_aa(writer):
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject("http://x")}
    )
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(action)})


XFA_SCRIPT = (
    b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template><subform><event activity="initialize">'
    b'<script contentType="application/x-javascript">app.alert("xfa")</script></event></subform>'
    b"</template></xdp:xdp>"
)


def _xfa_form(writer):
    """An AcroForm whose XFA packet runs JavaScript: the script lives in (compressed) stream data."""
    stream = DecodedStreamObject()
    stream.set_data(XFA_SCRIPT)
    stream = stream.flate_encode()
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): writer._add_object(stream)}
    )


def _action(writer, **entries):
    return writer._add_object(DictionaryObject({NameObject(f"/{k}"): v for k, v in entries.items()}))


def _open_action_uri(writer):
    writer._root_object[NameObject("/OpenAction")] = _action(
        writer, S=NameObject("/URI"), URI=TextStringObject("http://tracker.example/pixel")
    )


def _open_action_goto_then_uri(writer):
    then = _action(writer, S=NameObject("/URI"), URI=TextStringObject("http://x.example/"))
    writer._root_object[NameObject("/OpenAction")] = _action(
        writer, S=NameObject("/GoTo"), D=ArrayObject([writer.pages[0].indirect_reference]), Next=then
    )


def _link(writer, action):
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([NumberObject(v) for v in (0, 0, 50, 50)]),
            NameObject("/A"): action,
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


def _link_gotor(writer):
    _link(writer, _action(writer, S=NameObject("/GoToR"), F=TextStringObject("\\\\evil\\share\\x.pdf")))


def _link_gotoe(writer):
    _link(writer, _action(writer, S=NameObject("/GoToE"), D=ArrayObject([NumberObject(0)])))


@pytest.mark.parametrize(
    "build",
    [
        _add_js,
        _open_action_js,
        _launch,
        _embedded_file,
        _page_aa,
        _xfa_form,
        _open_action_uri,
        _open_action_goto_then_uri,
        _link_gotor,
        _link_gotoe,
    ],
)
def test_pdfs_with_active_content_are_refused(filing, enterprise_admin, build):
    assert _refused(filing, enterprise_admin, "evil.pdf", _writer_pdf(build)) == "pdf_active_content"


def test_xfa_script_is_only_inside_compressed_stream_data():
    """The script itself is invisible to a scan of the bytes: the /XFA entry is what refuses the file."""
    pdf = _writer_pdf(_xfa_form)
    assert b"app.alert" not in pdf
    hidden = pdf.replace(b"/XFA", b"/XF#41")
    assert b"/XFA" not in hidden  # found only once the escape is decoded
    for content in (pdf, hidden):
        with pytest.raises(files.FileRejected) as info:
            files.check(builders.upload("form.pdf", content), "form.pdf")
        assert info.value.code == "pdf_active_content"


def _open_action_destination(writer):
    writer._root_object[NameObject("/OpenAction")] = ArrayObject(
        [writer.pages[0].indirect_reference, NameObject("/Fit")]
    )


def _open_action_goto(writer):
    writer._root_object[NameObject("/OpenAction")] = _action(
        writer, S=NameObject("/GoTo"), D=ArrayObject([writer.pages[0].indirect_reference, NameObject("/Fit")])
    )


def _link_uri(writer):
    _link(writer, _action(writer, S=NameObject("/URI"), URI=TextStringObject("https://www.gsxt.gov.cn/")))


@pytest.mark.parametrize("build", [_open_action_destination, _open_action_goto, _link_uri])
def test_harmless_navigation_is_accepted(filing, enterprise_admin, build):
    attachment = _add(filing, enterprise_admin, "ok.pdf", _writer_pdf(build))
    assert attachment.content_type == "application/pdf"


def test_hex_escaped_javascript_name_is_found():
    """``/J#61vaScript`` is ``/JavaScript`` once decoded (both the name scan and the object walk decode)."""
    body = (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>\nendobj\n"
        b"4 0 obj\n<< /S /J#61vaScript /J#53 (app.alert(1)) >>\nendobj\n"
    )
    xref_at = len(body)
    offsets = [body.index(f"{n} 0 obj".encode()) for n in (1, 2, 3, 4)]
    xref = b"xref\n0 5\n0000000000 65535 f \n" + b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    pdf = body + xref + f"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n".encode()
    assert b"/JavaScript" not in pdf and b"/JS" not in pdf
    assert files._has_dangerous_name(pdf)
    with pytest.raises(files.FileRejected) as info:
        files.check(builders.upload("evil.pdf", pdf), "evil.pdf")
    assert info.value.code == "pdf_active_content"


def test_encrypted_pdf_is_refused(filing, enterprise_admin):
    assert (
        _refused(filing, enterprise_admin, "locked.pdf", _writer_pdf(lambda w: w.encrypt("secret")))
        == "pdf_encrypted"
    )


def test_broken_pdf_is_refused(filing, enterprise_admin):
    assert (
        _refused(filing, enterprise_admin, "broken.pdf", b"%PDF-1.4\nthis is not a pdf at all")
        == "pdf_broken"
    )


def test_decompression_bomb_is_refused(filing, enterprise_admin):
    buffer = io.BytesIO()
    Image.new("1", (10_000, 5_000)).save(buffer, format="PNG")
    assert len(buffer.getvalue()) < 100_000  # tiny on disk, 50 million pixels once decoded
    assert _refused(filing, enterprise_admin, "bomb.png", buffer.getvalue()) == "image_too_big"


def test_truncated_jpeg_is_refused(filing, enterprise_admin):
    content = builders.jpeg_bytes((400, 300))
    assert _refused(filing, enterprise_admin, "cut.jpg", content[: len(content) // 2]) == "image_broken"


def test_upload_is_audited_with_its_hash_and_shown_on_the_timeline(client, filing, enterprise_admin):
    content = builders.pdf_bytes("营业执照")
    attachment = _add(filing, enterprise_admin, "licence.pdf", content, kind=AttachmentKind.BUSINESS_LICENCE)
    event = AuditEvent.objects.for_object(filing).get(verb="upload")
    assert event.payload["sha256"] == attachment.sha256
    assert attachment.sha256 in event.reason
    client.force_login(enterprise_admin)
    page = lxml.html.fromstring(client.get(f"/registration/filings/{filing.pk}/").content.decode())
    timeline = page.get_element_by_id("timeline-heading").getparent().text_content()
    assert "licence.pdf" in timeline  # the upload, one plain line; the hash is in the attachment list
    assert attachment.sha256 not in timeline and attachment.sha256 in page.text_content()


def test_attachments_cannot_change_after_submission(enterprise_admin):
    filing = builders.submitted(enterprise_admin)
    with pytest.raises(TransitionNotAllowed):
        _add(filing, enterprise_admin, "late.pdf", builders.pdf_bytes())


def test_removed_attachment_keeps_its_record(filing, enterprise_admin):
    attachment = _add(filing, enterprise_admin, "licence.pdf", builders.pdf_bytes())
    services.attachment_remove(attachment=attachment, by=enterprise_admin)
    attachment.refresh_from_db()
    assert attachment.removed_at is not None
    assert Path(attachment.file.path).exists()
    assert not filing.attachments.current().exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("enterprise_admin", 200),
        ("enterprise_operator", 200),
        ("reviewer", 200),
        ("supervisor", 200),
        ("other_admin", 404),
        ("customs_officer", 404),
        ("system_admin", 404),
    ],
)
def test_download_only_for_owner_and_reviewing_officers(client, request, enterprise_admin, who, status):
    filing = builders.submitted(enterprise_admin)
    attachment = filing.attachments.get(kind=AttachmentKind.LEGAL_REP_ID)
    content = Path(attachment.file.path).read_bytes()
    client.force_login(request.getfixturevalue(who))
    response = client.get(f"/registration/filings/{filing.pk}/attachments/{attachment.pk}/")
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == content
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("attachment")
        assert AuditEvent.objects.filter(
            verb="download", actor__username=response.wsgi_request.user.username
        ).exists()


@pytest.mark.parametrize("who", ["reviewer", "supervisor", "system_admin"])
def test_a_drafts_files_are_the_applicants_alone(client, api_as, request, filing, enterprise_admin, who):
    """A draft has not reached the bureau: its scans answer 404 to every officer, on the page and the API."""
    attachment = _add(filing, enterprise_admin, "id.png", builders.png_bytes())
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(f"/registration/filings/{filing.pk}/attachments/{attachment.pk}/").status_code == 404
    url = f"/api/v1/registration/filings/{filing.pk}/attachments/{attachment.pk}/download/"
    assert api_as(user).get(url).status_code == 404
    assert not AuditEvent.objects.filter(verb="download").exists()


def test_seeing_a_filing_is_not_enough_to_download_its_scans(client, api_as, enterprise_admin, system_admin):
    """Defence in depth: even a user who can see every filing needs the review role to open the scans."""
    from django.contrib.auth.models import Permission

    filing = builders.submitted(enterprise_admin)
    attachment = filing.attachments.get(kind=AttachmentKind.LEGAL_REP_ID)
    system_admin.user_permissions.add(Permission.objects.get(codename="view_all_entityfiling"))
    system_admin = type(system_admin).objects.get(pk=system_admin.pk)
    client.force_login(system_admin)
    assert client.get(f"/registration/filings/{filing.pk}/").status_code == 200
    assert client.get(f"/registration/filings/{filing.pk}/attachments/{attachment.pk}/").status_code == 403
    url = f"/api/v1/registration/filings/{filing.pk}/attachments/{attachment.pk}/download/"
    assert api_as(system_admin).get(url).status_code == 403
    assert not AuditEvent.objects.filter(verb="download").exists()


def test_download_anonymous_goes_to_login(client, filing, enterprise_admin):
    attachment = _add(filing, enterprise_admin, "id.png", builders.png_bytes())
    response = client.get(f"/registration/filings/{filing.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_attachment_of_another_filing_is_not_served_under_mine(client, enterprise_admin, other_admin):
    mine = builders.draft(enterprise_admin, complete=False)
    theirs = builders.draft(other_admin, complete=False)
    their_file = _add(theirs, other_admin, "id.png", builders.png_bytes())
    client.force_login(enterprise_admin)
    assert client.get(f"/registration/filings/{mine.pk}/attachments/{their_file.pk}/").status_code == 404


def test_api_upload_list_and_download(api_as, filing, enterprise_admin, other_admin):
    api = api_as(enterprise_admin)
    content = builders.pdf_bytes()
    response = api.post(
        f"/api/v1/registration/filings/{filing.pk}/attachments/",
        {"kind": "BUSINESS_LICENCE", "file": builders.upload("licence.pdf", content)},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["sha256"] == hashlib.sha256(content).hexdigest()
    listed = api.get(f"/api/v1/registration/filings/{filing.pk}/attachments/").json()
    assert [a["original_name"] for a in listed] == ["licence.pdf"]
    download = api.get(listed[0]["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert api_as(other_admin).get(listed[0]["download_url"]).status_code == 404


def test_api_upload_lying_file_is_a_field_error(api_as, filing, enterprise_admin):
    response = api_as(enterprise_admin).post(
        f"/api/v1/registration/filings/{filing.pk}/attachments/",
        {"kind": "BUSINESS_LICENCE", "file": builders.upload("licence.pdf", builders.png_bytes())},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "type_mismatch"
    assert body["field"] == "file"
    assert "PNG" in body["message"]
