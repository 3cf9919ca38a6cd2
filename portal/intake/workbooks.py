"""Workbooks the shell writes for an importer: the template to fill in and the error workbook.

The error workbook is the uploaded sheet as it was, every row in its place, plus a "问题 / Problems" column;
each cell with a problem is filled light red and carries a comment giving the reason in the uploader's
language. Every value is neutralised (``portal.spreadsheets``) so a cell like ``=HYPERLINK(...)`` typed by
someone else never runs when the error workbook is opened. Written in openpyxl's write-only mode, so 100,000
rows stream out without holding a cell object per value.
"""

import io

from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from portal.intake import messages as m
from portal.intake.columns import CODE, DATE, DECIMAL, INT, TEXT
from portal.intake.reader import PROBLEMS_HEADER
from portal.intake.safe_open import column_letters
from portal.spreadsheets import xlsx_value

BAD_FILL = PatternFill("solid", start_color="FFF4C7CE", end_color="FFF4C7CE")
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
INLINE_LIST_MAX = 250  # Excel's limit for a list typed into the validation itself is 255 characters
TYPE_LABELS = {
    TEXT: ("文本", "Text"),
    INT: ("整数", "Whole number"),
    DECIMAL: ("数字", "Number"),
    DATE: ("日期（YYYY-MM-DD）", "Date (YYYY-MM-DD)"),
    CODE: ("代码（从下拉列表选择）", "Code (choose from the list)"),
}


def _header_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    cell.font, cell.alignment = HEADER_FONT, WRAP
    return cell


def error_workbook(importer, result, problems, *, language: str, problem_count: int) -> bytes:
    """The uploaded rows with their problems marked, in ``language``."""
    columns = {c.key: c for c in importer.columns}
    position_of = result.positions
    by_row: dict[int, list] = {}
    for problem in problems:
        by_row.setdefault(problem.row, []).append(problem)
    workbook = Workbook(write_only=True)
    with override(language):
        sheet = workbook.create_sheet(importer.sheet_names[0])
        sheet.freeze_panes = "A2"
        width = max([len(result.header), *(len(r) for r in result.raw_rows[:1])])
        header = list(result.header) + [""] * (width - len(result.header))
        for key, position in position_of.items():
            header[position] = columns[key].header
        for index in range(width + 1):
            sheet.column_dimensions[column_letters(index + 1)].width = 18
        sheet.column_dimensions[column_letters(width + 1)].width = 60
        sheet.append(
            [_header_cell(sheet, xlsx_value(v)) for v in header] + [_header_cell(sheet, PROBLEMS_HEADER)]
        )
        for raw, number in zip(result.raw_rows, result.row_numbers, strict=True):
            found = by_row.get(number)
            if not found:
                sheet.append([xlsx_value(v) for v in raw])
                continue
            sheet.append(_marked_row(sheet, raw, found, columns, position_of, width))
        for problem in by_row.get(None, ()):
            sheet.append([None] * width + [m.render(problem.message_id, problem.params)])
        if problem_count > len(problems):
            notes = workbook.create_sheet(_("Notes"))
            note = _(
                "Only the first %(kept)s of %(count)s problems are marked; correct them and upload the file "
                "again to see the rest."
            )
            notes.append([note % {"kept": f"{len(problems):,}", "count": f"{problem_count:,}"}])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _marked_row(sheet, raw, found, columns, position_of, width):
    cells = [xlsx_value(v) for v in raw] + [None] * (width - len(raw))
    reasons, marked = [], set()
    for problem in found:
        text = m.render(problem.message_id, problem.params)
        column = columns.get(problem.column)
        position = position_of.get(problem.column)
        if column is not None:
            reasons.append(f"{column.header_zh} {column.header_en}: {text}")
        else:
            reasons.append(text)
        if position is None:
            continue
        cell = cells[position]
        if position in marked:
            cell.comment = Comment(f"{cell.comment.text}\n{text}", "portal")
            continue
        cell = WriteOnlyCell(sheet, value=cell)
        cell.fill = BAD_FILL
        cell.comment = Comment(text, "portal")
        cells[position] = cell
        marked.add(position)
    return [*cells, "\n".join(reasons)]


def build_template(importer) -> bytes:
    """The workbook to fill in: bilingual headers, code lists as drop-downs, instructions in two languages."""
    workbook = Workbook()
    data = workbook.active
    data.title = importer.sheet_names[0]
    lists = None
    last_row = (importer.max_rows or 100_000) + 1
    for index, column in enumerate(importer.columns, start=1):
        letter = column_letters(index)
        cell = data.cell(row=1, column=index, value=("*" if column.required else "") + column.header)
        cell.font, cell.alignment = HEADER_FONT, WRAP
        data.column_dimensions[letter].width = column.width or max(14, len(column.header_en) + 4)
        if column.type in (TEXT, CODE):
            data.column_dimensions[letter].number_format = "@"  # "0142" stays "0142"
        if column.type == CODE:
            codes = list(column.code_map())
            inline = ",".join(codes)
            if len(inline) <= INLINE_LIST_MAX and '"' not in inline:
                formula = f'"{inline}"'
            else:
                lists = lists or workbook.create_sheet("代码 Codes")
                formula = _code_list(lists, column, index)
            validation = DataValidation(type="list", formula1=formula, allow_blank=not column.required)
            validation.error = "请从列表中选择。Choose a value from the list."
            validation.showErrorMessage = True
            data.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{last_row}")
    data.row_dimensions[1].height = 32
    data.freeze_panes = "A2"
    if lists is not None:
        lists.sheet_state = "hidden"
    _instructions(workbook.create_sheet("说明 Instructions"), importer)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _code_list(sheet, column, index) -> str:
    letter = column_letters(index)
    sheet.cell(row=1, column=index, value=column.header_en)
    for row, (code, label) in enumerate(column.code_map().items(), start=2):
        sheet.cell(row=row, column=index, value=xlsx_value(code)).number_format = "@"
        if label:
            sheet.cell(row=row, column=index + 100, value=xlsx_value(label))
    return f"'{sheet.title}'!${letter}$2:${letter}${max(row, 2)}"


def _instructions(sheet, importer) -> None:
    sheet.append(["填写说明", "Instructions"])
    if importer.instructions_zh or importer.instructions_en:
        sheet.append([importer.instructions_zh, importer.instructions_en])
    sheet.append(
        [
            "第一个工作表的第一行是表头，请勿修改；带 * 的列必须填写。"
            "整份文件一次导入：任何一行有问题，都不会保存。",
            "Keep the header row of the first sheet as it is; columns marked * are required. The file is "
            "imported whole: if any row has a problem, nothing is saved.",
        ]
    )
    sheet.append([])
    sheet.append(["列（中文）", "Column (English)", "类型", "Type", "必填 Required", "最大长度 Max length",
                  "说明", "Notes"])  # fmt: skip
    for cell in sheet[sheet.max_row]:
        cell.font = HEADER_FONT
    for column in importer.columns:
        zh_type, en_type = TYPE_LABELS[column.type]
        sheet.append(
            [
                column.header_zh,
                column.header_en,
                zh_type,
                en_type,
                "是 Yes" if column.required else "否 No",
                column.max_length,
                column.help_zh,
                column.help_en,
            ]
        )
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 60
    for cell in sheet["A"] + sheet["B"]:
        cell.alignment = WRAP
