"""The filing certificate (PDF): one bilingual document, Chinese and English on every line, whatever the
language of the person who downloads it; who, which filing, which qualifications, and a QR code that opens
the public verification page.

Every character is set in the shell's font, embedded as a subset (``portal.pdf``: Noto Sans CJK SC cut down
and given TrueType outlines; ADR 0019), so the certificate prints the same in any viewer or printer. Text
flows through reportlab Platypus paragraphs and tables, so long names wrap instead of running into their
neighbours.
"""

import io
import itertools

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TopPadder

from portal import identifiers
from portal.divisions import division_label
from portal.pdf import FONT, font, markup
from registration.choices import Qualification, TaskStatus

QR_SIZE = 34 * mm
MARGIN = 20 * mm
FRAME_PADDING = 6  # reportlab's frames keep 6 pt inside their edges
WIDTH = A4[0] - 2 * MARGIN - 2 * FRAME_PADDING
LABEL_WIDTH = 46 * mm
MUTED = colors.HexColor("#4d5560")
RULE = colors.HexColor("#9aa3ad")
ISSUER_ZH = "浙江省商务厅"
ISSUER_EN = "Zhejiang Provincial Department of Commerce"


def verify_url(filing) -> str:
    return settings.SITE_URL + reverse("registration:verify", args=[filing.verify_token])


def _label(value, language: str) -> str:
    """``value`` (a lazy translation or a callable producing text) rendered in ``language``."""
    with translation.override(language):
        return str(value() if callable(value) else value)


def _both(value) -> tuple[str, str]:
    return _label(value, "zh-hans"), _label(value, "en")


def _style(name: str, size: float, *, cjk: bool = False, **extra) -> ParagraphStyle:
    """Leading is at least 1.3 times the size, so the lines of a paragraph never touch."""
    return ParagraphStyle(
        name,
        fontName=FONT,
        fontSize=size,
        leading=round(size * 1.35, 1),
        wordWrap="CJK" if cjk else None,
        splitLongWords=True,
        **extra,
    )


STYLES = {
    "title_zh": _style("title_zh", 22, cjk=True, alignment=TA_CENTER, spaceAfter=4),
    "title_en": _style("title_en", 12.5, alignment=TA_CENTER, textColor=MUTED),
    "section": _style("section", 12.5, cjk=True, spaceBefore=6, spaceAfter=3, leftIndent=4),
    "label_zh": _style("label_zh", 10.5, cjk=True),
    "label_en": _style("label_en", 8, textColor=MUTED),
    "value_zh": _style("value_zh", 11, cjk=True),
    "value_en": _style("value_en", 9.5),
    "note_zh": _style("note_zh", 8.5, cjk=True),
    "note_en": _style("note_en", 7.5, textColor=MUTED),
    "url": _style("url", 7.5, cjk=True),
}


def _p(text: str, style: str) -> Paragraph:
    return Paragraph(markup(text), STYLES[style])


def _cell(zh: str, en: str, kind: str) -> list[Paragraph]:
    """A Chinese line and its English line (either may be empty) in one table cell."""
    return [_p(text, f"{kind}_{lang}") for text, lang in ((zh, "zh"), (en, "en")) if text]


def _table(rows: list[list], widths: tuple[float, ...], *, header: bool = False) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # reportlab's default, Helvetica, would be listed unembedded
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]
    if header:
        style.append(("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black))
    table.setStyle(style)
    return table


def _facts(filing) -> list[tuple[str, str, str, str]]:
    """(label zh, label en, value zh, value en) for each line about the entity."""
    version = filing.version
    when = timezone.localtime(filing.activated_at or timezone.now()).strftime("%Y-%m-%d")
    facts = [
        ("备案编号", "Filing number", filing.filing_no, f"第{version}版 · version {version}"),
        ("主体名称", "Name", filing.name_cn, filing.name_en),
    ]
    if filing.uscc:
        facts.append(("统一社会信用代码", "Unified social credit code", filing.uscc, ""))
    elif filing.org_code:
        facts.append(("组织机构代码", "Organisation code", identifiers.printed(filing.org_code), ""))
    facts += [
        ("主体类型", "Entity type", *_both(lambda: filing.role_label)),
        ("行政区划", "Administrative division", *_both(lambda: division_label(filing.division_code))),
        ("生效日期", "In force since", when, ""),
    ]
    return facts


def _facts_table(filing) -> Table:
    rows = [
        [_cell(label_zh, label_en, "label"), _cell(value_zh, value_en, "value")]
        for label_zh, label_en, value_zh, value_en in _facts(filing)
    ]
    return _table(rows, (LABEL_WIDTH, WIDTH - LABEL_WIDTH))


def qualification_names(code: str) -> tuple[str, str]:
    return _both(Qualification(code).label)


def _qualifications_table(filing) -> Flowable:
    tasks = filing.qualifications.filter(status=TaskStatus.DONE).order_by("id")
    rows = [[_cell("资质", "Qualification", "label"), _cell("编号", "Number", "label")]]
    for task in tasks:
        number = [_p(task.identifier, "value_en")]
        if task.code == Qualification.SAFE_DIRECTORY and filing.fx_class:
            number += _cell(f"{filing.fx_class}类企业", f"class {filing.fx_class}", "note")
        rows.append([_cell(*qualification_names(task.code), "value"), number])
    if len(rows) == 1:
        return _p("无 / None", "value_en")
    return _table(rows, (WIDTH * 0.58, WIDTH * 0.42), header=True)


class QrCode(Flowable):
    """The verification address as a QR code (error correction M, a 4-module quiet zone) that is also a link.

    Drawn as filled rectangles on the page: reportlab's QR widget goes through its graphics renderer, which
    selects Helvetica first and so lists a font that is never embedded."""

    QUIET_ZONE = 4

    def __init__(self, url: str, size: float = QR_SIZE):
        super().__init__()
        self.url, self.size = url, size

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(self.url)
        code.make()
        module = self.size / (code.getModuleCount() + 2 * self.QUIET_ZONE)
        self.canv.setFillColor(colors.black)
        for row_no, row in enumerate(code.modules):
            top = self.size - (row_no + self.QUIET_ZONE + 1) * module
            column = self.QUIET_ZONE
            for dark, run in itertools.groupby(bool(cell) for cell in row):
                length = len(list(run))
                if dark:
                    self.canv.rect(column * module, top, length * module, module, stroke=0, fill=1)
                column += length
        self.canv.linkURL(self.url, (0, 0, self.size, self.size), relative=1)


def _verification_block(filing) -> Flowable:
    url = verify_url(filing)
    issued = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    text = [
        _p("扫描二维码或访问以下网址，核验本证明的当前状态：", "note_zh"),
        _p(
            "Scan the QR code or open this address to verify the current status of this certificate:",
            "note_en",
        ),
        _p(url, "url"),
        Spacer(1, 3 * mm),
        _p(ISSUER_ZH, "value_zh"),
        _p(ISSUER_EN, "value_en"),
        _p(f"签发时间 {issued}（北京时间）", "note_zh"),
        _p(f"Issued {issued} (Asia/Shanghai)", "note_en"),
    ]
    block = Table([[text, QrCode(url)]], colWidths=(WIDTH - QR_SIZE - 6 * mm, QR_SIZE + 6 * mm))
    block.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 5 * mm),
        ]
    )
    return TopPadder(block)  # at the foot of the page; one row, so it moves to a new page whole


def _decorate(filing):
    """A double rule round every page; a later page (only with very long names) also says whose it is."""

    def draw(canvas, doc) -> None:
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(1.2)
        canvas.rect(12 * mm, 12 * mm, A4[0] - 24 * mm, A4[1] - 24 * mm)
        canvas.setLineWidth(0.4)
        canvas.rect(14 * mm, 14 * mm, A4[0] - 28 * mm, A4[1] - 28 * mm)
        if doc.page > 1:
            canvas.setFont(FONT, 7.5)
            canvas.setFillColor(MUTED)
            canvas.drawString(
                MARGIN, 16 * mm, f"备案编号 Filing number {filing.filing_no} · 第{doc.page}页 page {doc.page}"
            )
        canvas.restoreState()

    return draw


def render(filing) -> bytes:
    """The certificate of an ACTIVE filing as PDF bytes (the caller checks the status); the same document
    whatever language is active."""
    font()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=20 * mm,
        bottomMargin=MARGIN,
        title=f"跨境电子商务经营主体备案证明 Filing certificate {filing.filing_no}",
        author=f"{ISSUER_ZH} {ISSUER_EN}",
        initialFontName=FONT,  # else reportlab lists Helvetica, a font that is never embedded, on each page
    )
    story = [
        _p("跨境电子商务经营主体备案证明", "title_zh"),
        _p("Cross-border E-commerce Operating Entity Filing Certificate", "title_en"),
        Spacer(1, 7 * mm),
        _facts_table(filing),
        _p("资质　Qualifications", "section"),
        _qualifications_table(filing),
        _verification_block(filing),
    ]
    doc.build(story, onFirstPage=_decorate(filing), onLaterPages=_decorate(filing))
    return buffer.getvalue()
