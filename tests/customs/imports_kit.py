"""Inventory-list workbooks and CEB603 files for the import tests and benchmarks."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from customs.imports import KIND
from customs.imports.columns import COLUMNS, LINE_KEYS
from portal.intake.services import import_start, job_run
from tests.customs.builders import item, list_head

HEADERS = [c.header for c in COLUMNS]
KEYS = [c.key for c in COLUMNS]
FIELD_OF = {c.key: LINE_KEYS.get(c.key, c.key) for c in COLUMNS}
LINE_COLUMNS = {c.key for c in COLUMNS[COLUMNS.index(next(c for c in COLUMNS if c.key == "item_no")) :]}


def sheet_row(head: dict, line: dict) -> list:
    values = []
    for key in KEYS:
        source = line if key in LINE_COLUMNS else head
        value = source.get(FIELD_OF[key] if key in LINE_COLUMNS else key, "")
        values.append("" if value is None else value)
    return values


def list_rows(n: int, *, lines: int = 1, start: int = 1, repeat_head: bool = False) -> list[list]:
    """``n`` lists of ``lines`` lines each that pass every check, as sheet rows."""
    rows = []
    for i in range(start, start + n):
        head = list_head(cop_no=f"XL-{i:07d}", order_no=f"SO-XL-{i:07d}", logistics_no=f"WB-XL-{i:07d}")
        head.update(gross_weight=f"{1.2 * lines:.2f}", net_weight=f"{1.0 * lines:.2f}")
        for k in range(lines):
            line = item(item_no=f"SKU-{k + 1}")
            row = sheet_row(head, line)
            if k and not repeat_head:
                row = [
                    v if key in LINE_COLUMNS or key == "cop_no" else ""
                    for key, v in zip(KEYS, row, strict=True)
                ]
            rows.append(row)
    return rows


def column(key: str) -> int:
    """The 0-based position of a column in the template's order."""
    return KEYS.index(key)


def workbook(rows, *, headers=HEADERS, sheet="清单", edit=None) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    if headers is not None:
        ws.append(headers)
    for row in rows:
        ws.append(row)
    if edit is not None:
        edit(book, ws)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CEB = "http://www.chinaport.gov.cn/ceb"
HEAD_XML = (
    ("copNo", "cop_no"), ("orderNo", "order_no"), ("ebpCode", "ebp_code"), ("ebpName", "ebp_name"),
    ("logisticsCode", "logistics_code"), ("logisticsName", "logistics_name"), ("logisticsNo", "logistics_no"),
    ("customsCode", "customs_code"), ("portCode", "port_code"), ("ieDate", "ie_date"),
    ("statisticsFlag", "statistics_flag"), ("tradeMode", "trade_mode"), ("trafMode", "traf_mode"),
    ("country", "country"), ("POD", "pod"), ("freight", "freight"), ("fCurrency", "f_currency"),
    ("insuredFee", "insured_fee"), ("iCurrency", "i_currency"), ("wrapType", "wrap_type"),
    ("packNo", "pack_no"), ("grossWeight", "gross_weight"), ("netWeight", "net_weight"),
)  # fmt: skip
LINE_XML = (
    ("gnum", "gnum"), ("itemNo", "item_no"), ("itemName", "item_name"), ("gcode", "gcode"),
    ("gname", "gname"), ("gmodel", "gmodel"), ("barCode", "bar_code"), ("country", "country"),
    ("currency", "currency"), ("qty", "qty"), ("unit", "unit"), ("qty1", "qty1"), ("unit1", "unit1"),
    ("qty2", "qty2"), ("unit2", "unit2"), ("price", "price"), ("totalPrice", "total_price"),
)  # fmt: skip


def _fields(pairs, data) -> str:
    return "".join(f"<ceb:{name}>{data[key]}</ceb:{name}>" for name, key in pairs)


def ceb603(n: int, *, start: int = 1, change=None, prolog: str = "") -> bytes:
    """A CEB603Message with ``n`` Inventory nodes of one line; ``change(i, head, line)`` edits one."""
    nodes = []
    for i in range(start, start + n):
        head = list_head(cop_no=f"XML-{i:07d}", order_no=f"SO-XML-{i:07d}", logistics_no=f"WB-XML-{i:07d}")
        head["ie_date"] = head["ie_date"].replace("-", "")
        line = {**item(), "gnum": 1}
        if change is not None:
            change(i, head, line)
        nodes.append(
            f"<ceb:Inventory><ceb:InventoryHead>{_fields(HEAD_XML, head)}</ceb:InventoryHead>"
            f"<ceb:InventoryList>{_fields(LINE_XML, line)}</ceb:InventoryList></ceb:Inventory>"
        )
    body = f'<ceb:CEB603Message xmlns:ceb="{CEB}" guid="X" version="1.0">{"".join(nodes)}</ceb:CEB603Message>'
    return (prolog + body).encode()


def start(user, content: bytes, name: str = "lists.xlsx"):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return import_start(owner=user.organisation, by=user, kind=KIND, upload=upload)


def run(user, content: bytes, name: str = "lists.xlsx"):
    return job_run(job_id=start(user, content, name).pk)
