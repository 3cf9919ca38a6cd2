"""The bilingual filing certificate (PDF): who, which filing, which qualifications, and a QR code that opens
the public verification page. Chinese is set in reportlab's built-in CID font STSong-Light (no font files);
Latin text and numbers in Helvetica, so they stay machine-readable."""

import io

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from registration.choices import TaskStatus
from registration.divisions import division_label

CJK = "STSong-Light"
LATIN = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"
QR_SIZE = 38 * mm


def _fonts() -> None:
    if CJK not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK))


def verify_url(filing) -> str:
    return settings.SITE_URL + reverse("registration:verify", args=[filing.verify_token])


def _label(value, language: str) -> str:
    """``value`` (a lazy translation or a callable producing text) rendered in ``language``."""
    with translation.override(language):
        return str(value() if callable(value) else value)


class _Page:
    """A cursor down an A4 page with a zh line and its en counterpart."""

    def __init__(self, pdf: canvas.Canvas):
        self.pdf = pdf
        self.y = A4[1] - 30 * mm
        self.left = 20 * mm

    def heading(self, zh: str, en: str) -> None:
        self.pdf.setFont(CJK, 20)
        self.pdf.drawCentredString(A4[0] / 2, self.y, zh)
        self.y -= 9 * mm
        self.pdf.setFont(LATIN_BOLD, 13)
        self.pdf.drawCentredString(A4[0] / 2, self.y, en)
        self.y -= 14 * mm

    def fact(self, zh: str, en: str, value_zh: str = "", value_latin: str = "") -> None:
        self.pdf.setFont(CJK, 10.5)
        self.pdf.drawString(self.left, self.y, zh)
        self.pdf.setFont(LATIN, 8)
        self.pdf.drawString(self.left, self.y - 4 * mm, en)
        x = self.left + 48 * mm
        if value_zh:
            # Up to 100 Chinese characters must fit the 140 mm to the right margin: shrink long names.
            self.pdf.setFont(CJK, min(10.5, (A4[0] - x - 20 * mm) / max(len(value_zh), 1)))
            self.pdf.drawString(x, self.y, value_zh)
        if value_latin:
            self.pdf.setFont(LATIN, 10)
            self.pdf.drawString(x, self.y - (4 * mm if value_zh else 0), value_latin[:80])
        self.y -= 11 * mm


def _qualification_rows(page: _Page, filing) -> None:
    page.pdf.setFont(CJK, 12)
    page.pdf.drawString(page.left, page.y, "资质")
    page.pdf.setFont(LATIN_BOLD, 11)
    page.pdf.drawString(page.left + 12 * mm, page.y, "Qualifications")
    page.y -= 8 * mm
    for task in filing.qualifications.filter(status=TaskStatus.DONE).order_by("id"):
        page.fact(
            _label(task.get_code_display(), "zh-hans"),
            _label(task.get_code_display(), "en"),
            value_latin=task.identifier
            + (f"  (class {filing.fx_class})" if task.code == "SAFE_DIRECTORY" else ""),
        )


def _qr(pdf: canvas.Canvas, url: str) -> None:
    widget = QrCodeWidget(url, barLevel="M")
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x2 - x1), 0, 0, QR_SIZE / (y2 - y1), 0, 0])
    drawing.add(widget)
    x, y = A4[0] - 20 * mm - QR_SIZE, 28 * mm
    renderPDF.draw(drawing, pdf, x, y)
    pdf.linkURL(url, (x, y, x + QR_SIZE, y + QR_SIZE), relative=0)
    pdf.setFont(CJK, 8)
    pdf.drawString(20 * mm, y + 20 * mm, "扫描二维码或访问以下网址核验本证明的当前状态：")
    pdf.setFont(LATIN, 7.5)
    pdf.drawString(
        20 * mm, y + 15 * mm, "Scan the QR code or open this address to verify the current status:"
    )
    pdf.drawString(20 * mm, y + 10 * mm, url)


def render(filing) -> bytes:
    """The certificate of an ACTIVE filing as PDF bytes (the caller checks the status)."""
    _fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"Filing certificate {filing.filing_no}")
    pdf.setAuthor("Zhejiang Provincial Department of Commerce")
    page = _Page(pdf)
    page.heading(
        "跨境电子商务经营主体备案证明", "Cross-border E-commerce Operating Entity Filing Certificate"
    )
    page.fact("备案编号", "Filing number", value_latin=f"{filing.filing_no}  (version {filing.version})")
    page.fact("主体名称", "Name", value_zh=filing.name_cn, value_latin=filing.name_en)
    if filing.uscc:
        page.fact("统一社会信用代码", "Unified social credit code", value_latin=filing.uscc)
    page.fact(
        "主体类型",
        "Entity type",
        value_zh=_label(lambda: filing.role_label, "zh-hans"),
        value_latin=_label(lambda: filing.role_label, "en"),
    )
    page.fact("行政区划", "Administrative division", value_latin=division_label(filing.division_code))
    when = timezone.localtime(filing.activated_at or timezone.now())
    page.fact("生效日期", "In force since", value_latin=when.strftime("%Y-%m-%d"))
    page.y -= 4 * mm
    _qualification_rows(page, filing)
    _qr(pdf, verify_url(filing))
    pdf.setFont(CJK, 10)
    pdf.drawString(20 * mm, 18 * mm, "浙江省商务厅")
    pdf.setFont(LATIN, 8)
    issued = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    pdf.drawString(
        20 * mm, 13 * mm, f"Zhejiang Provincial Department of Commerce · issued {issued} (Asia/Shanghai)"
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
