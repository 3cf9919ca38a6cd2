"""Orders, payment receipts and waybills by Excel and CEB XML (CEB303, CEB403, CEB505) through the shell's
bulk intake, as inventory lists come (``customs.imports.importer``): kinds ``customs.orders``,
``customs.payments``, ``customs.waybills``.

An order is one row per goods line, rows with the same order number one order (its head on the first row,
the same rule as a list's); a payment receipt or a waybill is one row. ``persist`` hands the documents to
``customs.services.documents_create_bulk`` — every check of the batch API, all or nothing, the documents sent
to customs — and its refusals come back as cell problems in the uploader's language. The seller's (for a
waybill, the carrier's) own code is filled in from the uploader's standing.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, override

from customs.choices import DocumentType
from customs.imports.columns import code_column, number_column, text_column
from customs.imports.importer import head_problems
from customs.validation import field_label
from portal.intake import INT, ROW, Column, Importer, NotAllowed, Problem, RowProblems
from portal.intake.choices import FileFormat

NO_ORDER = gettext_noop("Give the order number: rows with the same order number are one order.")
NOT_ALLOWED = gettext_noop("Your enterprise cannot file these documents: %(reason)s")
NOT_AUTHORISED = gettext_noop(
    "%(seller)s does not authorise %(agent)s to file these documents for it now (the authorisation was "
    "revoked, has expired or has not started), so nothing was imported."
)
ORDER_HEAD_DIFFERS = gettext_noop(
    "Row %(first)s, the first row of order %(order_no)s, says “%(expected)s” here; leave this cell empty on "
    "the order's other rows or give the same value."
)
TOO_MANY_LINES = gettext_noop("Order %(order_no)s has %(n)s lines; an order may have at most 999.")
MAX_LINES = 999


ORDER_HEAD = (
    text_column(
        "order_no",
        "订单编号",
        "Order number",
        60,
        required=True,
        help_zh="同一编号的各行是同一份订单",
        help_en="rows with the same number are one order",
    ),
    text_column("ebp_code", "电商平台代码", "Platform code", 18),
    text_column("ebp_name", "电商平台名称", "Platform name", 100),
    number_column("goods_value", "商品价格", "Goods value"),
    number_column("freight", "运杂费", "Freight"),
    code_column("currency", "币制", "Currency", "currencies"),
    text_column("note", "备注", "Note", 1000),
)
ORDER_LINES = (
    text_column("item_no", "企业商品货号", "SKU", 50, required=True),
    text_column("item_name", "企业商品名称", "Item name", 250, required=True),
    text_column("item_describe", "商品描述", "Description", 1000),
    text_column("bar_code", "条形码", "Bar code", 50),
    code_column("unit", "计量单位", "Unit", "units", required=True),
    code_column("item_currency", "商品币制", "Line currency", "currencies", required=True),
    number_column("qty", "数量", "Quantity", required=True),
    number_column("price", "单价", "Unit price", required=True),
    number_column("total_price", "总价", "Total", required=True),
    text_column("item_note", "商品备注", "Line note", 1000),
)
PAYMENT_COLUMNS = (
    text_column("order_no", "订单编号", "Order number", 60, required=True),
    text_column("ebp_code", "电商平台代码", "Platform code", 18),
    text_column("ebp_name", "电商平台名称", "Platform name", 100),
    text_column("pay_code", "支付企业代码", "Payment enterprise code", 18),
    text_column("pay_name", "支付企业名称", "Payment enterprise", 100),
    text_column("pay_no", "支付交易编号", "Payment transaction number", 60),
    number_column("charge", "收款金额", "Amount received"),
    code_column("currency", "币制", "Currency", "currencies"),
    text_column(
        "accounting_date",
        "到账时间",
        "Funds arrived",
        30,
        help_zh="例如 2025-03-02 10:00:00 或 20250302100000",
        help_en="e.g. 2025-03-02 10:00:00 or 20250302100000",
    ),
    text_column("note", "备注", "Note", 1000),
)
WAYBILL_COLUMNS = (
    text_column("logistics_no", "物流运单编号", "Waybill number", 80, required=True),
    text_column("logistics_name", "物流企业名称", "Logistics enterprise", 100),
    number_column("freight", "运费", "Freight"),
    number_column("insured_fee", "保价费", "Insurance"),
    code_column("currency", "币制", "Currency", "currencies"),
    number_column("gross_weight", "毛重（千克）", "Gross weight (kg)"),
    Column("pack_no", "件数", "Parcels", INT, min_value=1, max_value=999_999),
    text_column("goods_info", "主要货物信息", "Goods description", 200),
    text_column("ebc_code", "电商企业代码", "Seller code", 18),
    text_column("ebc_name", "电商企业名称", "Seller name", 100),
    text_column("ebc_telephone", "电商企业电话", "Seller telephone", 50),
    text_column("note", "备注", "Note", 1000),
)
LINE_FIELD = {"item_currency": "currency", "item_note": "note"}  # line column → line field, where they differ
ORDER_HEAD_KEYS = tuple(c.key for c in ORDER_HEAD)
ORDER_LINE_FIELD = {c.key: LINE_FIELD.get(c.key, c.key) for c in ORDER_LINES}

# CEB element names → column keys (XML: the nodes as ``customs.api.xml_batch`` reads them).
CEB_LINE_NAMES = {"currency": "item_currency", "note": "item_note"}

INSTRUCTIONS = {
    "orders": (
        "每行是一份订单的一行商品；订单编号相同的各行是同一份订单，商品序号按行的顺序编排。订单表头各列只需在该"
        "订单的第一行填写。电商企业代码按本企业的备案自动填写。导入成功的订单立即发往海关。",
        "Each row is one line of goods of an order; rows with the same order number are one order, its lines "
        "numbered in row order. Fill the order's head columns on its first row. The seller's code comes from "
        "your filing. Orders imported are sent to customs at once.",
    ),
    "payments": (
        "每行是一张收款单。电商企业代码按本企业的备案自动填写；支付企业填写本企业代码时由支付企业直接申报。导入"
        "成功的收款单立即发往海关。",
        "Each row is one payment receipt. The seller's code comes from your filing; a payment enterprise "
        "naming its own code files as the receipt's payment enterprise. Receipts imported are sent to "
        "customs at once.",
    ),
    "waybills": (
        "每行是一张运单。物流企业代码按本企业的备案自动填写。导入成功的运单立即发往海关。",
        "Each row is one waybill. The logistics enterprise's code comes from your filing. Waybills imported "
        "are sent to customs at once.",
    ),
}


class DocumentImporter(Importer):
    """Orders, payment receipts or waybills (``key``: the batch key of ``customs.kinds``)."""

    formats = frozenset({FileFormat.XLSX, FileFormat.XML})
    max_rows = 100_000

    def __init__(self, key: str, label, sheet_names, columns, document_type: str):
        self.key, self.label, self.sheet_names, self.columns = key, label, sheet_names, columns
        self.document_type = document_type
        self.instructions_zh, self.instructions_en = INSTRUCTIONS[key]

    @property
    def has_lines(self) -> bool:
        return self.key == "orders"

    def service_kind(self):
        from customs.services import documents

        return {"orders": documents.ORDERS, "payments": documents.PAYMENTS, "waybills": documents.WAYBILLS}[
            self.key
        ]

    # --- rows → documents ---------------------------------------------------------------------------------
    def groups(self, rows: list[dict]) -> list[list[dict]]:
        """The rows of each document: an order's rows by order number (in the order each first appears),
        otherwise one row each."""
        if not self.has_lines:
            return [[row] for row in rows]
        found: dict[str, list[dict]] = {}
        for row in rows:
            found.setdefault(row.get("order_no") or "", []).append(row)
        return list(found.values())

    def document(self, rows: list[dict]) -> dict:
        first = rows[0]
        if not self.has_lines:
            return {key: value for key, value in first.items() if key != ROW and value is not None}
        head = {key: first[key] for key in ORDER_HEAD_KEYS if first.get(key) is not None}
        head["items"] = [
            {"gnum": n, **{f: row[k] for k, f in ORDER_LINE_FIELD.items() if row.get(k) is not None}}
            for n, row in enumerate(rows, start=1)
        ]
        return head

    def cell_of(self, rows: list[dict], path: str) -> tuple[int, str]:
        """The (sheet row, column key) a problem of the document points at."""
        keys = {c.key for c in self.columns}
        if path.startswith("items["):
            index, _, name = path[len("items[") :].partition("].")
            row = rows[min(int(index) if index.isdigit() else 0, len(rows) - 1)]
            column = next((k for k, f in ORDER_LINE_FIELD.items() if f == name), "")
            return row[ROW], column
        name = path.split(".", 1)[0]
        return rows[0][ROW], name if name in keys else ""

    # --- the importer's steps -----------------------------------------------------------------------------
    def validate(self, rows, *, job):
        if not self.has_lines:
            return
        for group in self.groups(rows):
            order_no = group[0].get("order_no") or ""
            if not order_no:
                yield from (Problem(row[ROW], "order_no", "required", NO_ORDER) for row in group)
                continue
            if len(group) > MAX_LINES:
                params = {"order_no": order_no, "n": len(group)}
                yield Problem(group[0][ROW], "order_no", "lines", TOO_MANY_LINES, params)
            yield from head_problems(group, ORDER_HEAD_KEYS, "order_no", ORDER_HEAD_DIFFERS)

    def on_behalf_refusal(self, *, organisation, filer):
        """An agent imports for a seller while the seller's authorisation for these documents is in force;
        an order's platform or a receipt's payment enterprise also files for any seller as the document's
        party (the service then checks that each row names it, as the API's batch does)."""
        from customs.models import authorising_sellers
        from registration.standing import standings_of

        as_party = self.key in ("orders", "payments")
        authorised = (
            authorising_sellers(filer.pk, self.document_type).filter(seller_id=organisation.pk).exists()
        )
        if not authorised and not as_party:
            return NOT_AUTHORISED, {"seller": organisation.name_cn, "agent": filer.name_cn}
        standing = standings_of([organisation.pk, filer.pk])
        if not all(standing[pk].may_declare_to_customs for pk in (organisation.pk, filer.pk)):
            return NOT_ALLOWED, {
                "reason": str(_("both enterprises need an active filing with a customs code"))
            }
        return None

    def persist(self, rows, *, job):
        from customs import services

        groups = self.groups(rows)
        job.report_progress(0, len(rows))
        try:
            result = services.documents_create_bulk(
                self.service_kind(),
                owner=job.on_behalf_of or job.owner,
                filer=job.owner,
                by=job.created_by,
                rows=[self.document(group) for group in groups],
                max_rows=services.MAX_IMPORT_ROWS,
            )
        except services.BatchRejected as exc:
            raise RowProblems(self.problems(groups, exc.problems, job.language)) from None
        except PermissionDenied as exc:
            raise NotAllowed(NOT_ALLOWED, {"reason": str(exc)}) from None
        job.report_progress(len(rows), len(rows))
        return {"created": result.created, "unchanged": result.unchanged}

    def problems(self, groups, found, language: str) -> list[Problem]:
        out = []
        with override(language or None):
            for index, problem in found:
                if problem.is_error:
                    row, column = self.cell_of(groups[index], problem.field)
                    params = {**problem.params, "field": field_label(problem.field)}
                    out.append(Problem(row, column, problem.code, problem.message_id, params))
        return out

    def rows_from_xml(self, root, *, job):
        from customs.api.xml_batch import rows_from_ceb

        number = 0
        for document in rows_from_ceb(self.key, root):
            lines = document.pop("items", None)
            for line in lines if self.has_lines else [{}]:
                number += 1
                yield {
                    **document,
                    **{CEB_LINE_NAMES.get(k, k): v for k, v in (line or {}).items()},
                    ROW: number,
                }


IMPORTERS = {
    "orders": lambda: DocumentImporter(
        "orders", _("Orders"), ("订单", "Orders"), ORDER_HEAD + ORDER_LINES, DocumentType.ORDER
    ),
    "payments": lambda: DocumentImporter(
        "payments",
        _("Payment receipts"),
        ("收款单", "Payment receipts"),
        PAYMENT_COLUMNS,
        DocumentType.PAYMENT,
    ),
    "waybills": lambda: DocumentImporter(
        "waybills", _("Waybills"), ("运单", "Waybills"), WAYBILL_COLUMNS, DocumentType.WAYBILL
    ),
}


def register() -> None:
    from customs.imports import DOCUMENT_KINDS
    from portal.intake import register_importer

    for key, make in IMPORTERS.items():
        register_importer(DOCUMENT_KINDS[key], make())
