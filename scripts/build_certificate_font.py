#!/usr/bin/env python
"""Make ``portal/fonts/CertificateSansSC-Regular.ttf`` from Noto Sans CJK SC Regular (ADR 0019).

The certificate embeds its font, and reportlab embeds only TrueType outlines, while Noto Sans CJK ships CFF
(PostScript) outlines. This script keeps the characters a certificate can need (Latin with pinyin tones,
punctuation, every CJK ideograph the font has: the basic block, extension A and the extension B+
characters of the 通用规范汉字表), converts the outlines to TrueType quadratics, drops hinting, layout and
vertical tables, and renames the family so the file is not mistaken for Google's own build. Run it only to
change the font; the result is committed, so ``make install`` needs neither this script nor fontTools.

    pip install "fonttools>=4.47"     # or: pip install -e ".[fonts]"
    apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb /tmp/noto
    python scripts/build_certificate_font.py \
        /tmp/noto/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc --index 2   # face 2 = SC

The upstream ``NotoSansCJKsc-Regular.otf`` (github.com/notofonts/noto-cjk, Sans/OTF/SimplifiedChinese) works
too, without ``--index``.
"""

import argparse
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "portal" / "fonts" / "CertificateSansSC-Regular.ttf"
FAMILY = "Certificate Sans SC"
POSTSCRIPT_NAME = "CertificateSansSC-Regular"

RANGES = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x017F),  # Latin-1 and Latin Extended-A (names of foreign buyers' firms)
    (0x01CD, 0x01DC),  # pinyin tone marks on ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ
    (0x2010, 0x2027),  # dashes, quotes, bullet, ellipsis
    (0x2030, 0x203A),
    (0x20AC, 0x20AC),
    (0x2116, 0x2116),  # №
    (0x2160, 0x216B),  # Roman numerals
    (0x3000, 0x303F),  # CJK punctuation, 〇
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF01, 0xFF5E),  # full-width forms
    (0xFFE0, 0xFFE6),
    (0x20000, 0x3FFFF),  # CJK extensions B to H (what the font has of them)
)
MAX_ERROR = 1.0  # font units (1000 per em): the quadratic outlines stay within 1/1000 em of the cubic ones


def _subset(font: TTFont) -> None:
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]
    options.name_languages = [0x409]
    options.drop_tables += ["VORG", "vhea", "vmtx", "BASE", "GSUB", "GPOS", "GDEF", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={code for low, high in RANGES for code in range(low, high + 1)})
    subsetter.subset(font)


def _to_truetype(font: TTFont) -> None:
    """CFF cubic outlines to ``glyf`` quadratic ones (fontTools' otf2ttf recipe)."""
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"


def _rename(font: TTFont, source_version: str) -> None:
    name = font["name"]
    for name_id, value in {
        1: FAMILY,
        3: f"{source_version};{POSTSCRIPT_NAME}",
        4: FAMILY,
        6: POSTSCRIPT_NAME,
        10: "Subset of Noto Sans CJK SC Regular with TrueType outlines, made for the portal's filing "
        "certificates (scripts/build_certificate_font.py).",
    }.items():
        name.removeNames(nameID=name_id)
        name.setName(value, name_id, 3, 1, 0x409)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("source", type=Path, help="NotoSansCJK-Regular.ttc or NotoSansCJKsc-Regular.otf")
    parser.add_argument("--index", type=int, default=0, help="face in a .ttc (Debian's: 2 is SC)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    font = TTFont(args.source, fontNumber=args.index)
    if "SC" not in font["name"].getDebugName(4):
        parser.error(f"face {args.index} is {font['name'].getDebugName(4)!r}, not the SC one")
    version = font["name"].getDebugName(5).split(";")[0]
    _subset(font)
    _to_truetype(font)
    _rename(font, version)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    font.save(args.output)
    glyph_count = len(font.getGlyphOrder())
    print(f"{args.output}: {args.output.stat().st_size} bytes, {glyph_count} glyphs, from {version}")


if __name__ == "__main__":
    main()
