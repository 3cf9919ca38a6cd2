"""SAFE (foreign exchange): directory registration and per-receipt limits L1–L4 (DOMAIN §5.3).

Limits, checked in this order:
* L4 a ``receipt_id`` already accepted → REJECTED;
* L3 a non-individual beneficiary must be REGISTERED in the SAFE directory → REJECTED;
* L1 payment-institution single transaction ≤ USD 10,000 before 2015-01-29, ≤ USD 50,000 after
  (by ``value_date``) → REJECTED;
* L2 an individual's settlements in the calendar year of ``value_date`` may not pass USD 50,000
  → NEEDS_DOCUMENTS, unless the node lists ``documents`` (the resubmission with evidence).
Accepted receipts are remembered (L4) and added to the person's annual total (L2).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from govmock.depts import checks
from govmock.depts.base import JsonHandler, enterprise_refusal, year
from govmock.engine.context import Context
from govmock.storage import kv

CAP_CHANGE = date(2015, 1, 29)  # 汇发〔2015〕7号 (day approximate, DOMAIN §5.3)
CAP_BEFORE, CAP_AFTER = Decimal(10_000), Decimal(50_000)
INDIVIDUAL_ANNUAL = Decimal(50_000)


class Directory(JsonHandler):
    """ACCEPTED, then REGISTERED {directory_no, fx_class} or REJECTED.

    ``fx_class`` is A unless the USCC is listed in GOVMOCK_FX_CLASS_C (→ C) or GOVMOCK_FX_CLASS_B (→ B).
    """

    message_type = "safe.directory"
    required = {
        "uscc": checks.uscc,
        "name_cn": checks.text(100),
        "division_code": checks.division,
        "entity_type": checks.text(30),
    }
    optional = {"subtype": checks.text(30)}

    def handle(self, ctx: Context, node: dict[str, Any]) -> None:
        refusal = enterprise_refusal(node)
        if refusal:
            self.emit(ctx, node, "REJECTED", refusal)
            return
        uscc = node["uscc"]
        entry = kv.get(ctx.conn, "safe.directory", uscc)
        if entry is None:
            fx_class = (
                "C" if uscc in ctx.settings.fx_class_c else "B" if uscc in ctx.settings.fx_class_b else "A"
            )
            entry = {
                "directory_no": f"33{year(ctx)}{ctx.next_value('safe_directory'):06d}",
                "fx_class": fx_class,
            }
            kv.put(ctx.conn, "safe.directory", uscc, entry)
        self.emit(ctx, node, "REGISTERED", "名录登记完成 registered in the directory", entry)


class Receipt(JsonHandler):
    """COMPLETED, NEEDS_DOCUMENTS or REJECTED per limits L1–L4."""

    message_type = "safe.receipt"
    accepted_first = False
    required = {
        "receipt_id": checks.text(40),
        "channel": checks.one_of("BANK", "PAYMENT_INSTITUTION"),
        "channel_code": checks.text(18),
        "beneficiary_type": checks.one_of("ENTERPRISE", "INDIVIDUAL_BUSINESS", "INDIVIDUAL"),
        "payer_country": checks.pattern(r"\d{3}", "a 3-digit customs country code"),
        "currency_iso": checks.pattern(r"[A-Z]{3}", "an ISO 4217 code"),
        "amount": checks.decimal(positive=True),
        "usd_equivalent": checks.decimal(positive=True),
        "value_date": checks.iso_date,
    }
    optional = {
        "beneficiary_uscc": checks.uscc,
        "person_id_hash": checks.text(128),
        "bop_tx_code": checks.pattern(r"\d{6}", "6 digits"),
        "order_nos": checks.string_list,
        "settled_cny": checks.decimal(),
        "documents": checks.string_list,
    }

    def problems(self, node: dict[str, Any]) -> list[str]:
        found = super().problems(node)
        individual = node.get("beneficiary_type") == "INDIVIDUAL"
        if not node.get("beneficiary_uscc") and not (individual and node.get("person_id_hash")):
            found.append("beneficiary_uscc: required field missing (or person_id_hash for INDIVIDUAL)")
        return found

    def handle(self, ctx: Context, node: dict[str, Any]) -> None:
        refusal = self._refusal(ctx, node)
        if refusal:
            self.emit(ctx, node, "REJECTED", refusal)
            return
        usd = checks.to_decimal(node["usd_equivalent"]) or Decimal(0)
        quota_key = self._quota_key(node)
        total = Decimal(kv.get(ctx.conn, "safe.quota", quota_key) or 0) if quota_key else Decimal(0)
        if quota_key and total + usd > INDIVIDUAL_ANNUAL and not node.get("documents"):
            info = (
                f"L2 超出个人年度结汇额度 annual USD {INDIVIDUAL_ANNUAL} would be exceeded "
                f"(used {total}); 请提交证明材料 submit documents (e.g. contract, invoice)"
            )
            self.emit(ctx, node, "NEEDS_DOCUMENTS", info, {"year_total_usd": str(total)})
            return
        kv.put(ctx.conn, "safe.receipt", node["receipt_id"], {"guid": node["guid"], "usd": str(usd)})
        data: dict[str, Any] = {"receipt_id": node["receipt_id"]}
        if quota_key:
            kv.put(ctx.conn, "safe.quota", quota_key, str(total + usd))
            data["year_total_usd"] = str(total + usd)
        self.emit(ctx, node, "COMPLETED", "收汇已登记 receipt accepted", data)

    def _refusal(self, ctx: Context, node: dict[str, Any]) -> str | None:
        if kv.get(ctx.conn, "safe.receipt", node["receipt_id"]) is not None:
            return "L4 重复的收汇编号 duplicate receipt_id"
        if node["beneficiary_type"] != "INDIVIDUAL":
            refusal = enterprise_refusal(node | {"uscc": node["beneficiary_uscc"]})
            if refusal:
                return refusal
            if kv.get(ctx.conn, "safe.directory", node["beneficiary_uscc"]) is None:
                return "L3 未办理贸易外汇收支企业名录登记 the beneficiary is not in the SAFE directory"
        if node["channel"] == "PAYMENT_INSTITUTION":
            cap = CAP_BEFORE if date.fromisoformat(node["value_date"]) < CAP_CHANGE else CAP_AFTER
            if (checks.to_decimal(node["usd_equivalent"]) or 0) > cap:
                return f"L1 超过支付机构单笔限额 exceeds the payment-institution cap of USD {cap}"
        return None

    @staticmethod
    def _quota_key(node: dict[str, Any]) -> str | None:
        if node["beneficiary_type"] != "INDIVIDUAL":
            return None
        person = node.get("person_id_hash") or node["beneficiary_uscc"]
        return f"{person}|{node['value_date'][:4]}"


HANDLERS = {h.message_type: h for h in (Directory(), Receipt())}
