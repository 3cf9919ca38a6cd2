"""What every printable PDF of the portal shares (ADR 0019): one font, embedded as a subset, and the text
that goes into it.

``fonts/CertificateSansSC-Regular.ttf`` is Noto Sans CJK SC cut down and given TrueType outlines, so
reportlab embeds it (its built-in CID fonts and Helvetica are never embedded: each viewer would substitute
its own, or print boxes). Registration's filing certificate and customs' declaration certificate set every
character in it. A character the font lacks is printed as its code point, never as an empty box.
"""

from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "CertificateSansSC"
FONT_FILE = Path(__file__).resolve().parent / "fonts" / "CertificateSansSC-Regular.ttf"


@cache
def font() -> TTFont:
    """The embedded font, read and registered with reportlab once per process (about 0.4 s); reportlab
    subsets it per document. Call it before building a document that names ``FONT``."""
    face = TTFont(FONT, FONT_FILE)
    pdfmetrics.registerFont(face)
    return face


def printable(text: str) -> str:
    """``text`` with any character the font lacks written as its code point, never as an empty box."""
    glyphs = font().face.charToGlyph
    return "".join(ch if ord(ch) in glyphs or ch in "\n\t" else f"〔U+{ord(ch):04X}〕" for ch in text)


def markup(value) -> str:
    """``value`` (``None`` as empty) as the text of a reportlab ``Paragraph``: printable in the font, and
    ``<``, ``>`` and ``&`` escaped so a name is never read as markup."""
    return escape(printable("" if value is None else str(value)))
