"""The PDF check against crafted files: escaped names, objects nobody references (in the cross-reference
table, outside it, or packed in an object stream), link URIs other than http, https and mailto (ADR 0011)."""

import io
import zlib

import pytest
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject, DictionaryObject, NameObject, TextStringObject

from registration import files
from tests.registration import builders

CATALOGUE = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"


def raw_pdf(*extra: bytes, catalogue: bytes = CATALOGUE, page: bytes = PAGE, hidden: bytes = b"") -> bytes:
    """A classic PDF: catalogue (1), pages (2), one page (3), then ``extra`` as objects 4, 5, … — listed in
    the cross-reference table but referenced by nothing unless ``catalogue``/``page`` point at them.
    ``hidden`` goes between the objects and the table, listed nowhere."""
    objects = [catalogue, page and PAGES, page, *extra]
    body = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
    body += hidden
    xref_at = len(body)
    xref = f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    xref += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n"
    return body + xref + trailer.encode()


def object_stream(number: int, content: bytes) -> bytes:
    """An /ObjStm (Flate) holding one object ``number`` with ``content``."""
    header = f"{number} 0 ".encode()
    data = zlib.compress(header + content)
    head = f"<< /Type /ObjStm /N 1 /First {len(header)} /Filter /FlateDecode /Length {len(data)} >>"
    return head.encode() + b"\nstream\n" + data + b"\nendstream"


def verdict(content: bytes) -> str:
    try:
        files.check(builders.upload("scan.pdf", content), "scan.pdf")
    except files.FileRejected as refused:
        return refused.code
    return "accepted"


def test_the_crafted_baseline_is_accepted():
    assert verdict(raw_pdf()) == "accepted"
    assert verdict(raw_pdf(b"<< /Producer (scanner) >>")) == "accepted"


ACTIVE_OBJECTS = {
    "javascript action": b"<< /S /JavaScript /JS (app.alert(1)) >>",
    "escaped javascript action": b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>",
    "escaped JS key only": b"<< /#4A#53 (app.alert(1)) >>",
    "launch": b"<< /S /L#61unch /F (calc.exe) >>",
    "embedded file stream": b"<< /Type /Embedded#46ile /Length 2 >>\nstream\nMZ\nendstream",
    "embedded files tree": b"<< /Embedded#46iles << /Names [] >> >>",
    "rich media": b"<< /Type /Annot /Subtype /Rich#4Dedia >>",
    "xfa": b"<< /Fields [] /X#46A 9 0 R >>",
    "open action with js": b"<< /Type /Catalog /Open#41ction << /S /JavaScript /JS (x) >> >>",
    "additional actions": b"<< /#41A << /O << /S /GoTo /D [3 0 R /Fit] >> >> >>",
    "javascript link": b"<< /Type /Annot /Subtype /Link /A << /S /URI /URI (javascript:app.alert(1)) >> >>",
    "escaped uri link": b"<< /Type /Annot /Subtype /Link /A << /S /U#52I /U#52I (javascript:alert(1)) >> >>",
}


@pytest.mark.parametrize("content", ACTIVE_OBJECTS.values(), ids=ACTIVE_OBJECTS.keys())
def test_an_unreferenced_object_with_active_content_refuses_the_file(content):
    """Listed in the cross-reference table, but nothing points at it: a viewer or a script can still reach
    it by number, so it is checked like any other object."""
    assert verdict(raw_pdf(content)) == "pdf_active_content"


@pytest.mark.parametrize("content", ACTIVE_OBJECTS.values(), ids=ACTIVE_OBJECTS.keys())
def test_an_object_outside_the_cross_reference_table_with_active_content_refuses_the_file(content):
    hidden = b"7 0 obj\n" + content + b"\nendobj\n"
    assert verdict(raw_pdf(hidden=hidden)) == "pdf_active_content"


PACKABLE = {name: content for name, content in ACTIVE_OBJECTS.items() if b"stream" not in content}


@pytest.mark.parametrize("content", PACKABLE.values(), ids=PACKABLE.keys())
def test_an_object_packed_in_an_unreferenced_object_stream_refuses_the_file(content):
    """A stream cannot sit inside an object stream; every other kind is packed and compressed."""
    packed = object_stream(9, content)
    assert b"alert" not in packed and b"calc" not in packed  # compressed: invisible to a scan of the bytes
    assert verdict(raw_pdf(packed)) == "pdf_active_content"


def test_a_harmless_object_stream_is_accepted():
    assert verdict(raw_pdf(object_stream(9, b"<< /Producer (scanner) /Link (https://x.example/) >>"))) == (
        "accepted"
    )


def _link_pdf(uri) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    action = writer._add_object(
        DictionaryObject({NameObject("/S"): NameObject("/URI"), NameObject("/URI"): uri})
    )
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([]),
            NameObject("/A"): action,
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "uri",
    [
        "javascript:app.alert(1)",
        "JavaScript:app.alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "\x01javascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///C:/Windows/System32/calc.exe",
        "smb://evil.example/share",
        "\\\\evil.example\\share\\x.exe",
        "relative/page.html",
        "",
    ],
)
def test_a_link_to_anything_but_http_https_or_mailto_is_refused(uri):
    assert verdict(_link_pdf(TextStringObject(uri))) == "pdf_active_content"


def test_a_link_uri_written_as_a_hex_byte_string_is_decoded_before_the_check():
    pdf = _link_pdf(ByteStringObject(b"javascript:alert(1)"))
    assert b"javascript" not in pdf  # pypdf writes the byte string in hex
    assert verdict(pdf) == "pdf_active_content"


@pytest.mark.parametrize(
    "uri",
    ["https://www.gsxt.gov.cn/", "http://example.com/a?b=c", "HTTPS://EXAMPLE.COM/", "mailto:x@example.com"],
)
def test_links_to_http_https_and_mailto_are_accepted(uri):
    assert verdict(_link_pdf(TextStringObject(uri))) == "accepted"


def test_honest_documents_with_compressed_content_are_accepted():
    assert verdict(builders.pdf_bytes("营业执照 /JavaScript /JS /AA")) == "accepted"
