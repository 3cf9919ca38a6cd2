"""Tax bureau: export refund filing, refund applications and pilot-zone records (DOMAIN §6)."""

from __future__ import annotations

from typing import Any

from govmock.depts import checks
from govmock.depts.base import JsonHandler, enterprise_refusal, year
from govmock.engine.context import Context
from govmock.storage import kv


class RefundFiling(JsonHandler):
    """ACCEPTED, then REGISTERED {tax_filing_no}, or REJECTED (bad USCC, not Zhejiang, not a VAT
    general taxpayer — 财税〔2013〕96号 condition R1)."""

    message_type = "tax.refund_filing"
    required = {
        "uscc": checks.uscc,
        "name_cn": checks.text(100),
        "is_vat_general_taxpayer": checks.boolean,
        "division_code": checks.division,
    }

    def handle(self, ctx: Context, node: dict[str, Any]) -> None:
        refusal = enterprise_refusal(node)
        if not refusal and node["is_vat_general_taxpayer"] is not True:
            refusal = "非增值税一般纳税人 only VAT general taxpayers file for export refunds (96号 R1)"
        if refusal:
            self.emit(ctx, node, "REJECTED", refusal)
            return
        number = kv.get(ctx.conn, "tax.refund_filing", node["uscc"])
        if number is None:
            number = f"33{year(ctx)}{ctx.next_value('tax_filing'):08d}"
            kv.put(ctx.conn, "tax.refund_filing", node["uscc"], number)
        self.emit(ctx, node, "REGISTERED", "出口退(免)税备案完成 registered", {"tax_filing_no": number})


class Refund(JsonHandler):
    """ACCEPTED, then RETURNED {reason} when the declaration number or purchase invoices are missing,
    else APPROVED {amount = requested amount} and PAID; REJECTED without a refund filing."""

    message_type = "tax.refund"
    required = {"uscc": checks.uscc, "amount": checks.decimal(positive=True)}
    optional = {"currency": checks.pattern(r"[A-Z]{3}", "an ISO 4217 code")}

    def handle(self, ctx: Context, node: dict[str, Any]) -> None:
        refusal = enterprise_refusal(node)
        if not refusal and kv.get(ctx.conn, "tax.refund_filing", node["uscc"]) is None:
            refusal = "未办理出口退(免)税备案 no export refund filing (96号 R1)"
        if refusal:
            self.emit(ctx, node, "REJECTED", refusal)
            return
        reasons = self._missing(node)
        if reasons:
            reason = "退回补正 returned for correction: " + "; ".join(reasons)
            self.emit(ctx, node, "RETURNED", reason, {"reason": reason})
            return
        amount = {"amount": str(checks.to_decimal(node["amount"]))}
        self.emit(ctx, node, "APPROVED", "审核通过 approved", amount)
        self.emit(ctx, node, "PAID", "退税款已退付 refund paid", amount)

    @staticmethod
    def _missing(node: dict[str, Any]) -> list[str]:
        reasons = []
        entry_id = node.get("entry_id")
        if not checks.present(entry_id):
            reasons.append("缺少出口报关单号 entry_id is missing")
        elif checks.pattern(r"\d{18}", "")(entry_id):
            reasons.append("出口报关单号应为18位数字 entry_id must be 18 digits")
        invoices = node.get("invoice_nos")
        if not checks.present(invoices) or checks.string_list(invoices):
            reasons.append("缺少进货发票号码 invoice_nos (purchase VAT invoices) are missing")
        return reasons


class ZoneRecord(JsonHandler):
    """COMPLETED: the pilot-zone export record (财税〔2018〕103号 W1) is on file."""

    message_type = "tax.zone_record"
    accepted_first = False
    required = {
        "uscc": checks.uscc,
        "invt_no": checks.text(18),
        "export_date": checks.iso_date,
        "goods_name": checks.text(250),
        "unit": checks.text(10),
        "qty": checks.decimal(positive=True),
        "unit_price": checks.decimal(positive=True),
        "amount": checks.decimal(positive=True),
        "currency": checks.text(3),
    }

    def handle(self, ctx: Context, node: dict[str, Any]) -> None:
        kv.put(ctx.conn, "tax.zone_record", f"{node['uscc']}|{node['invt_no']}|{node['guid']}", node)
        self.emit(
            ctx, node, "COMPLETED", "无票免税记录已登记 zone record accepted", {"invt_no": node["invt_no"]}
        )


class DeclarationData(JsonHandler):
    """COMPLETED: customs' electronic export declaration data (DOMAIN §3.11, the paperless 报关单证明联) is
    on file for the refund checks; SCHEMA_ERROR when the entry id is not 18 digits or no item is given."""

    message_type = "tax.declaration_data"
    accepted_first = False
    required = {
        "uscc": checks.uscc,
        "entry_id": checks.pattern(r"\d{18}", "18 digits"),
        "customs_code": checks.text(4),
        "export_date": checks.iso_date,
        "items": checks.object_list,
    }

    def handle(self, ctx: Context, node: dict[str, Any]) -> None:
        kv.put(ctx.conn, "tax.declaration_data", node["entry_id"], node)
        self.emit(
            ctx,
            node,
            "COMPLETED",
            "报关单电子数据已接收 declaration data on file",
            {"entry_id": node["entry_id"]},
        )


HANDLERS = {h.message_type: h for h in (RefundFiling(), Refund(), ZoneRecord(), DeclarationData())}
