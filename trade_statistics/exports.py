"""CSV and XLSX exports of the dashboard's tables, safe to open in a spreadsheet.

Both are written from the same ``report.Report`` as the page. Every text cell a spreadsheet would read as a
formula is neutralised by the shell's ``portal.spreadsheets`` (an apostrophe in front, so it shows as text and
never runs; OWASP "CSV injection"); numbers stay numbers.
"""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from portal.spreadsheets import neutralise, xlsx_value
from trade_statistics.report import VALUE_DATA_NOTE, Report, Table, month_label

SHEET_TITLE_MAX = 31
SHEET_TITLE_FORBIDDEN = str.maketrans("", "", "[]:*?/\\")
__all__ = ["neutralise", "to_csv", "to_xlsx", "xlsx_value"]


def about_rows(report: Report) -> list[list]:
    target = report.target
    generated = timezone.localtime(report.generated_at)
    return [
        [_("Zhejiang cross-border e-commerce statistics")],
        [_("Generated at"), f"{generated:%Y-%m-%d %H:%M} ({timezone.get_current_timezone_name()})"],
        [_("Period"), f"{month_label(report.months[0])} – {month_label(report.months[-1])}"],
        [_("Target"), _("%(amount)s a year by %(year)s") % {"amount": target.amount, "year": target.year}],
        [_("Target value (USD per year)"), target.value_usd],
        [_("Target year"), target.year],
        [_("Measured as"), target.measure],
        [_("Policy basis"), f"{target.instrument} {target.title}"],
        [_("Trade value"), VALUE_DATA_NOTE],
    ]


def table_rows(table: Table) -> list[list]:
    rows = [[table.caption], list(table.columns), *table.rows]
    if table.total is not None:
        rows.append(table.total)
    if table.note:
        rows.append([table.note])
    return rows


def to_csv(report: Report) -> str:
    """One block per table (caption, header, rows, total, note), blocks separated by a blank line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    blocks = [about_rows(report), *(table_rows(t) for t in report.tables)]
    for index, block in enumerate(blocks):
        if index:
            writer.writerow([])
        for row in block:
            writer.writerow(["" if v is None else neutralise(v) for v in row])
    return buffer.getvalue()


def sheet_title(name, taken: set[str]) -> str:
    base = str(name).translate(SHEET_TITLE_FORBIDDEN).strip() or "Sheet"
    title, n = base[:SHEET_TITLE_MAX], 1
    while title.lower() in taken:
        n += 1
        suffix = f" ({n})"
        title = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
    taken.add(title.lower())
    return title


def to_xlsx(report: Report) -> bytes:
    """An "about" sheet (target, period, what is not collected yet), then one sheet per table."""
    workbook = Workbook()
    taken: set[str] = set()
    about = workbook.active
    about.title = sheet_title(_("About"), taken)
    for row in about_rows(report):
        about.append([xlsx_value(v) for v in row])
    about["A1"].font = Font(bold=True)
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 60
    for table in report.tables:
        sheet = workbook.create_sheet(sheet_title(table.sheet, taken))
        for row in table_rows(table):
            sheet.append([xlsx_value(v) for v in row])
        sheet["A1"].font = Font(bold=True)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A3"
        for letter in "ABCDEFGH"[: len(table.columns)]:
            sheet.column_dimensions[letter].width = 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
