"""Attachments: content sniffed and parsed, active PDFs and bombs refused, stored privately, served to the
owner and the reviewing officers only, listed with their hashes."""

import hashlib
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

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


@pytest.mark.parametrize("build", [_add_js, _open_action_js, _launch, _embedded_file, _page_aa])
def test_pdfs_with_active_content_are_refused(filing, enterprise_admin, build):
    assert _refused(filing, enterprise_admin, "evil.pdf", _writer_pdf(build)) == "pdf_active_content"


def test_hex_escaped_javascript_name_is_found_by_parsing():
    """``/J#61vaScript`` is ``/JavaScript`` once decoded: the raw scan misses it, the object walk does not."""
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
    assert files._RAW_TOKENS.search(pdf) is None
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
    page = client.get(f"/registration/filings/{filing.pk}/").content.decode()
    assert page.count(attachment.sha256) >= 2  # the attachment list and the timeline


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
        ("other_admin", 404),
        ("customs_officer", 404),
    ],
)
def test_download_only_for_owner_and_reviewing_officers(
    client, request, filing, enterprise_admin, who, status
):
    content = builders.png_bytes()
    attachment = _add(filing, enterprise_admin, "id.png", content)
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
