"""Checking uploaded documents by what they are, never by what they are called (ADR 0011).

A file is accepted only when (1) its first bytes are a PDF, PNG or JPEG signature, (2) its name's extension
agrees with that content, (3) it parses completely as that format (pypdf / Pillow), and (4) for PDFs it holds
no active content: JavaScript (/JavaScript, /JS), XFA forms (/XFA, whose XML carries scripts inside stream
data), launch actions, remote and embedded go-to actions (/GoToR, /GoToE), embedded files, rich media,
automatic actions (/AA), form submission or import, no link or action URI other than http, https or mailto,
and no /OpenAction other than a plain go-to inside the document (a destination array or an action of type
/GoTo with no /Next). Every object of the file is checked, not only those reachable from the catalogue: the
ones listed in the cross-reference table, the ones found by reading the file from start to end (listed or
not), and the ones packed in object streams; names are compared after decoding ``#xx`` escapes
(``/J#61vaScript`` is ``/JavaScript``). Encrypted PDFs are refused because they cannot be inspected. Images
are checked against decompression bombs before their pixels are decoded.
"""

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    read_object,
)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # an A4 page scanned at 600 dpi is about 35 million pixels
MAX_PDF_PAGES = 200
MAX_PDF_OBJECTS = 200_000

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
EXTENSIONS = {PDF: {".pdf"}, PNG: {".png"}, JPEG: {".jpg", ".jpeg"}}
LABELS = {PDF: "PDF", PNG: "PNG", JPEG: "JPEG"}
# Active-content keys; seeing any of them anywhere in the object graph refuses the file.
DANGEROUS_KEYS = {
    "/JavaScript",
    "/JS",
    "/XFA",
    "/Launch",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/AA",
    "/RichMedia",
}
# Action types (/S) refused wherever they appear (links included); /URI stays allowed in a link the reader
# clicks, never as an /OpenAction.
DANGEROUS_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/ImportData",
    "/SubmitForm",
    "/RichMediaExecute",
    "/GoToR",
    "/GoToE",
    "/Rendition",
}
# Every name of the file outside stream data is also compared, ``#xx`` escapes decoded, as a key or a value
# (``/Type /EmbeddedFile``, ``/Subtype /RichMedia``): this catches objects a damaged file hides from the
# parser. Stream bytes are excluded because compressed data contains such byte sequences by chance; the
# decoded data of object streams is scanned too.
DANGEROUS_NAMES = frozenset(name[1:].encode() for name in DANGEROUS_KEYS | DANGEROUS_ACTIONS)
DANGEROUS_NAMES_AS_VALUES = frozenset(DANGEROUS_KEYS | DANGEROUS_ACTIONS)
_NAME_TOKEN = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM_DATA = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
_OBJECT_HEADER = re.compile(
    rb"(?<![0-9])([0-9]{1,10})[\x00\t\n\x0c\r ]+([0-9]{1,5})[\x00\t\n\x0c\r ]+obj(?![A-Za-z0-9])"
)
# Links and URI actions may open a web page or write an email, nothing else (no javascript:, file:, data:,
# smb: or relative targets a viewer would resolve against the file's location).
ALLOWED_URI_SCHEMES = frozenset({"http", "https", "mailto"})
_URI_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_UNPARSABLE = (PdfReadError, KeyError, ValueError, TypeError, AttributeError, IndexError, OverflowError)


class FileRejected(ValueError):
    """The upload is refused; ``code`` is stable, the message is in the user's language."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    extension: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def max_bytes() -> int:
    return int(getattr(settings, "REGISTRATION_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def read_limited(upload) -> bytes:
    """Read at most the limit plus one byte, so an oversized upload is never read whole into memory."""
    limit = max_bytes()
    if getattr(upload, "size", None) and upload.size > limit:
        raise _too_large(limit)
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise _too_large(limit)
    if not content:
        raise FileRejected("empty", _("The file is empty."))
    return content


def _too_large(limit: int) -> FileRejected:
    return FileRejected(
        "too_large",
        _("The file is larger than %(mb)d MB. Scan it at a lower resolution.") % {"mb": limit // 2**20},
    )


def sniff(content: bytes) -> str | None:
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    return None


def check(upload, name: str) -> CheckedFile:
    """Return the verified file or raise ``FileRejected`` saying what is wrong."""
    content = read_limited(upload)
    kind = sniff(content)
    if kind is None:
        raise FileRejected(
            "unsupported_type",
            _("This file is not a PDF, JPEG or PNG document, whatever its name says. Upload a scan in one "
              "of those formats."),
        )  # fmt: skip
    extension = _extension(name)
    if extension not in EXTENSIONS[kind]:
        raise FileRejected(
            "type_mismatch",
            _("The file is named “%(name)s” but its content is %(actual)s. Rename or re-export it so that "
              "the name matches the content.")
            % {"name": name[:100], "actual": LABELS[kind]},
        )  # fmt: skip
    if kind == PDF:
        _check_pdf(content)
    else:
        _check_image(content, kind)
    return CheckedFile(content, kind, extension, hashlib.sha256(content).hexdigest())


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot != -1 else ""


def _check_image(content: bytes, kind: str) -> None:
    expected = {PNG: "PNG", JPEG: "JPEG"}[kind]
    broken = FileRejected("image_broken", _("The image cannot be read completely; it may be damaged."))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(content)) as image:
                if image.format != expected:
                    raise broken
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise _bomb()
                image.verify()
            with Image.open(io.BytesIO(content)) as image:
                image.load()
        except FileRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _bomb() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise broken from exc


def _bomb() -> FileRejected:
    return FileRejected(
        "image_too_big",
        _("The image has too many pixels (over %(mp)d million). Scan it at a lower resolution.")
        % {"mp": MAX_IMAGE_PIXELS // 1_000_000},
    )


def _check_pdf(content: bytes) -> None:
    if _has_dangerous_name(_STREAM_DATA.sub(b"stream endstream", content)):
        raise _active_content()
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise FileRejected(
                "pdf_encrypted", _("The PDF is encrypted or password-protected; upload an unprotected copy.")
            )
        pages = len(reader.pages)
        root = reader.trailer["/Root"]
        _check_open_action(root.get_object())
        _walk_for_active_content(
            reader, root, reader.trailer, *_listed_objects(reader), *_objects_in_file(content, reader)
        )
    except FileRejected:
        raise
    except (PdfReadError, KeyError, ValueError, TypeError, AttributeError, RecursionError) as exc:
        raise FileRejected("pdf_broken", _("The PDF cannot be read completely; it may be damaged.")) from exc
    if pages == 0:
        raise FileRejected("pdf_empty", _("The PDF has no pages."))
    if pages > MAX_PDF_PAGES:
        raise FileRejected("pdf_too_long", _("The PDF has more than %(n)d pages.") % {"n": MAX_PDF_PAGES})


def _active_content() -> FileRejected:
    return FileRejected(
        "pdf_active_content",
        _("The PDF contains active content (JavaScript, an XFA form, automatic or opening actions, launch "
          "or remote actions, embedded files, or links other than to web pages and email addresses), which "
          "is not allowed. Print it to a new PDF or scan the paper document."),
    )  # fmt: skip


def _check_open_action(catalogue) -> None:
    """Opening the document may only show a page of it: a destination array or a plain /GoTo action."""
    if not isinstance(catalogue, DictionaryObject) or "/OpenAction" not in catalogue:
        return
    action = catalogue["/OpenAction"]
    action = action.get_object() if isinstance(action, IndirectObject) else action
    if isinstance(action, ArrayObject):
        return
    if isinstance(action, DictionaryObject) and action.get("/S") == "/GoTo" and "/Next" not in action:
        return
    raise _active_content()


def _has_dangerous_name(data: bytes) -> bool:
    """Whether a name token of ``data``, its ``#xx`` escapes decoded, is one of the active-content names."""
    for match in _NAME_TOKEN.finditer(data):
        name = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        if name in DANGEROUS_NAMES:
            return True
    return False


def _listed_objects(reader) -> list[IndirectObject]:
    """Every object the cross-reference sections list, referenced or not, object streams' members included."""
    listed = [IndirectObject(num, gen, reader) for gen, nums in reader.xref.items() for num in nums]
    listed.extend(IndirectObject(num, 0, reader) for num in reader.xref_objStm)
    return listed


def _objects_in_file(content: bytes, reader):
    """Every object written in the file, read from start to end (``N G obj``), listed in a table or not.

    Stream data is skipped by the parser itself, so an ``obj`` inside compressed bytes is not mistaken for an
    object. What cannot be parsed here is left to the name scan of the raw bytes."""
    stream, position, found = io.BytesIO(content), 0, 0
    while (match := _OBJECT_HEADER.search(content, position)) is not None:
        found += 1
        if found > MAX_PDF_OBJECTS:
            raise FileRejected("pdf_too_complex", _("The PDF is too complex to be checked."))
        start = match.end()
        while start < len(content) and content[start] in b"\x00\t\n\x0c\r ":
            start += 1
        stream.seek(start)
        try:
            obj = read_object(stream, reader)
        except _UNPARSABLE:
            position = match.end()
            continue
        position = max(stream.tell(), match.end())
        yield obj


def _object_stream_members(stream: StreamObject, reader) -> list:
    """The objects packed in an object stream (its decoded data is also scanned for names)."""
    data = stream.get_data()
    if _has_dangerous_name(data):
        raise _active_content()
    first, count = stream.get("/First"), stream.get("/N")
    if not isinstance(first, NumberObject) or not isinstance(count, NumberObject):
        return []
    numbers = data[: int(first)].split()
    members, buffer = [], io.BytesIO(data)
    for offset in numbers[1 : 2 * int(count) : 2]:
        try:
            buffer.seek(int(first) + int(offset))
            members.append(read_object(buffer, reader))
        except _UNPARSABLE:
            continue
    return members


def _walk_for_active_content(reader, *roots) -> None:
    """Depth-first over the given objects and everything they reach (object streams opened)."""
    seen: set[tuple[int, int]] = set()
    stack = list(roots)
    visited = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            ref = (node.idnum, node.generation)
            if ref in seen:
                continue
            seen.add(ref)
            node = node.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise FileRejected("pdf_too_complex", _("The PDF is too complex to be checked."))
        if isinstance(node, DictionaryObject):
            _check_dictionary(node)
            stack.extend(node.values())
            if isinstance(node, StreamObject) and node.get("/Type") == "/ObjStm":
                stack.extend(_object_stream_members(node, reader))
        elif isinstance(node, ArrayObject):
            stack.extend(node)


def _check_dictionary(node: DictionaryObject) -> None:
    if any(key in DANGEROUS_KEYS for key in node):
        raise _active_content()
    if any(isinstance(value, NameObject) and value in DANGEROUS_NAMES_AS_VALUES for value in node.values()):
        raise _active_content()
    uri = node.get("/URI")
    if isinstance(uri, IndirectObject):
        uri = uri.get_object()
    if isinstance(uri, (str, bytes)) and not uri_allowed(uri):
        raise _active_content()


def uri_allowed(uri: str | bytes) -> bool:
    """Whether a link or URI action may point there: an http, https or mailto URI.

    Viewers and browsers drop spaces and control characters around and inside a scheme (``java\tscript:``),
    so they are dropped before the scheme is read; a byte string is read as Latin-1 (PDFDocEncoding agrees on
    the ASCII range that matters)."""
    text = uri.decode("latin-1") if isinstance(uri, bytes) else str(uri)
    text = "".join(ch for ch in text if ch > " " and ch != "\x7f")
    match = _URI_SCHEME.match(text)
    return match is not None and match.group(1).lower() in ALLOWED_URI_SCHEMES
