"""The declaration certificate (报关单证明联, DOMAIN §3.11) as a printable PDF: the export declaration's
electronic data — number, parties, exit customs, destination, weights, packages, each item with its legal
quantities and value, the lists it covers — bilingual on every line.

Every character is set in the shell's font, embedded as a subset (``portal.pdf``; ADR 0019), so the document
prints the same in any viewer or printer; a character the font lacks is written as its code point, never as an
empty box.
"""

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from customs.models import InventoryList
from portal.pdf import FONT, font, markup

MARGIN = 18 * mm
RULE = colors.HexColor("#9aa3ad")


def _style(size: float, leading: float | None = None) -> ParagraphStyle:
    return ParagraphStyle(
        f"decl{size}", fontName=FONT, fontSize=size, leading=leading or size * 1.35, wordWrap="CJK"
    )


def _p(text, size: float = 9) -> Paragraph:
    return Paragraph(markup(text), _style(size))


def _grid(rows, widths) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f4")),
            ]
        )
    )
    return table


def _facts(declaration) -> list[tuple[str, object]]:
    return [
        ("报关单号 Declaration number", declaration.entry_id),
        ("收发货人 Consignor", f"{declaration.owner.name_cn} ({declaration.ebc_code})"),
        ("生产销售单位 Producer/seller", declaration.owner_code),
        ("申报地海关 Declaring customs", declaration.customs_code),
        ("出境关别 Exit customs", declaration.port_code),
        ("运输方式 Transport mode", declaration.traf_mode),
        ("运抵国 Destination country", declaration.country),
        ("申报日期 Declared on", declaration.declared_on or ""),
        ("出口日期 Exported on", declaration.exported_on or ""),
        ("件数 Packages", declaration.pack_no),
        ("毛重/净重 Gross/net weight (kg)", f"{declaration.gross_weight} / {declaration.net_weight}"),
        ("总价 Total value", f"{declaration.total_value} {declaration.currency}"),
        ("汇总申请 Summary", f"{declaration.summary.sum_no or declaration.summary.cop_no}"),
    ]


def _items_table(declaration) -> Table:
    head = [
        "项号 No.",
        "商品编码 HS code",
        "商品名称 Goods",
        "最终目的国 Dest.",
        "法定数量 Legal qty",
        "总价 Total",
    ]
    rows = [[_p(h, 8) for h in head]]
    for item in declaration.items.all():
        qty = f"{item.qty1} {item.unit1}" + (f"; {item.qty2} {item.unit2}" if item.unit2 else "")
        rows.append(
            [
                _p(item.gnum),
                _p(item.gcode),
                _p(item.gname),
                _p(item.country),
                _p(qty),
                _p(f"{item.total_price} {item.currency}"),
            ]
        )
    return _grid(rows, [12 * mm, 26 * mm, 50 * mm, 22 * mm, 32 * mm, 32 * mm])


def render(declaration) -> bytes:
    """The certificate of ``declaration`` as PDF bytes."""
    font()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"报关单证明联 {declaration.entry_id}",
    )
    lists = list(
        InventoryList.objects.filter(declaration=declaration).order_by("pk").values_list("invt_no", flat=True)
    )
    story = [
        _p("中华人民共和国海关出口货物报关单（证明联）", 15),
        _p("Export declaration of the customs of the People's Republic of China (certificate copy)", 10),
        Spacer(1, 5 * mm),
        _grid([[_p(k), _p(v)] for k, v in _facts(declaration)], [60 * mm, 114 * mm]),
        Spacer(1, 5 * mm),
        _items_table(declaration),
        Spacer(1, 5 * mm),
        _p(f"所含清单 Inventory lists covered ({len(lists)}): " + ", ".join(lists[:200]), 8),
    ]
    if len(lists) > 200:
        story.append(_p(f"… {len(lists) - 200} more / 另有 {len(lists) - 200} 份", 8))
    doc.build(story)
    return buffer.getvalue()
