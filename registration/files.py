"""Checking uploaded documents by what they are, never by what they are called (ADR 0011).

A file is accepted only when (1) its first bytes are a PDF, PNG or JPEG signature, (2) its name's extension
agrees with that content, (3) it parses completely as that format (pypdf / Pillow), and (4) for PDFs it holds
no active content: JavaScript (/JavaScript, /JS), XFA forms (/XFA, whose XML carries scripts inside stream
data), launch actions, remote and embedded go-to actions (/GoToR, /GoToE), embedded files, rich media,
automatic actions (/AA), form submission or import, and no /OpenAction other than a plain go-to inside the
document (a destination array or an action of type /GoTo with no /Next). Encrypted PDFs are refused because
they cannot be inspected. Images are checked against decompression bombs before their pixels are decoded.
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
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

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
# The same names as raw tokens outside stream data (also catches objects not reachable from the catalogue;
# stream bytes are excluded because compressed data contains such byte sequences by chance).
_RAW_TOKENS = re.compile(
    rb"/(JavaScript|JS|XFA|Launch|GoToR|GoToE|EmbeddedFiles?|AA|RichMedia)(?![A-Za-z0-9#])"
)
_STREAM_DATA = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)


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
    if _RAW_TOKENS.search(_STREAM_DATA.sub(b"stream endstream", content)):
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
        _walk_for_active_content(root, reader.trailer)
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
          "or remote actions, or embedded files), which is not allowed. Print it to a new PDF or scan the "
          "paper document."),
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


def _walk_for_active_content(*roots) -> None:
    """Depth-first over every object reachable from the catalogue and trailer (object streams included)."""
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
        elif isinstance(node, ArrayObject):
            stack.extend(node)


def _check_dictionary(node: DictionaryObject) -> None:
    if any(key in DANGEROUS_KEYS for key in node):
        raise _active_content()
    action = node.get("/S")
    if isinstance(action, NameObject) and action in DANGEROUS_ACTIONS:
        raise _active_content()
