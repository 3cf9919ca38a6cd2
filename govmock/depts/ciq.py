"""Inspection & quarantine: enterprise and product filings, and per-list inspection (DOMAIN §4).

The inspection decision follows DOMAIN §4.4: score ≥ 70 INSPECT, 40–69 DOC_CHECK (sampled at
``(score − 40) / 100`` by a draw fixed by the list number), below 40 RELEASE; a quarantine category
forces at least DOC_CHECK.
"""

from __future__ import annotations

import hashlib
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from govmock.depts import checks
from govmock.depts.base import JsonHandler, enterprise_refusal, year
from govmock.engine.context import Context
from govmock.storage import kv

_NO_SUCH_CHAPTERS = {"00", "77", "98", "99"}


class EnterpriseFiling(JsonHandler):
    """ACCEPTED, then REGISTERED {ciq_code} ("33" + 8 digits, stable per USCC) or REJECTED."""

    message_type = "ciq.enterprise_filing"
    required = {
        "uscc": checks.uscc,
        "name_cn": checks.text(100),
        "division_code": checks.division,
        "role": checks.text(40),
    }
    optional = {
        "org_code": checks.text(10),
        "contact_name": checks.text(50),
        "contact_phone": checks.text(30),
    }

    def handle(self, ctx: Context, node: dict[str, Any]) -> None:
        refusal = enterprise_refusal(node)
        org_code = str(node.get("org_code") or "").replace("-", "")
        if not refusal and org_code and org_code != node["uscc"][8:17]:
            refusal = "组织机构代码与统一社会信用代码不一致 org_code differs from USCC positions 9-17"
        if refusal:
            self.emit(ctx, node, "REJECTED", refusal)
            return
        code = kv.get(ctx.conn, "ciq.enterprise_filing", node["uscc"])
        if code is None:
            code = f"33{ctx.next_value('ciq_code'):08d}"
            kv.put(ctx.conn, "ciq.enterprise_filing", node["uscc"], code)
        self.emit(ctx, node, "REGISTERED", "检验检疫备案完成 registered", {"ciq_code": code})


class ProductFiling(JsonHandler):
    """ACCEPTED, then REGISTERED {product_filing_no}, or REJECTED (bad USCC/HS chapter, seller not filed)."""

    message_type = "ciq.product_filing"
    required = {
        "product_id": checks.text(40),
        "uscc": checks.uscc,
        "hs_code": checks.pattern(r"\d{10}", "10 digits"),
        "item_no": checks.text(50),
        "name_cn": checks.text(250),
    }
    optional = {
        "name_en": checks.text(250),
        "origin": checks.pattern(r"\d{5}", "a 5-digit domestic source code"),
        "legal_inspection": checks.boolean,
        "destination_countries": checks.string_list,
    }

    def handle(self, ctx: Context, node: dict[str, Any]) -> None:
        refusal = enterprise_refusal(node)
        if not refusal and node["hs_code"][:2] in _NO_SUCH_CHAPTERS:
            refusal = f"商品编码章节不存在 HS chapter {node['hs_code'][:2]} does not exist"
        if not refusal and kv.get(ctx.conn, "ciq.enterprise_filing", node["uscc"]) is None:
            refusal = "企业未办理检验检疫备案 the seller has no CIQ enterprise filing"
        if refusal:
            self.emit(ctx, node, "REJECTED", refusal)
            return
        key = f"{node['uscc']}|{node['product_id']}"
        number = kv.get(ctx.conn, "ciq.product_filing", key)
        if number is None:
            number = f"P33{year(ctx)}{ctx.next_value('product_filing'):08d}"
            kv.put(ctx.conn, "ciq.product_filing", key, number)
        self.emit(ctx, node, "REGISTERED", "产品备案完成 registered", {"product_filing_no": number})


def decision_for(score: int, quarantine: bool) -> str:
    if score >= 70:
        return "INSPECT"
    if score >= 40 or quarantine:
        return "DOC_CHECK"
    return "RELEASE"


def sample_draw(invt_no: str) -> Decimal:
    """A fixed draw in [0, 1) per list number ("deterministic RNG seeded by invtNo", DOMAIN §4.4)."""
    value = int.from_bytes(hashlib.sha256(invt_no.encode()).digest()[:8], "big") / 2**64
    return Decimal(str(value))


class Inspection(JsonHandler):
    """ACCEPTED, DECIDED {decision, sample_rate, sampled}, COMPLETED {result PASS}; FAIL when rejected."""

    message_type = "ciq.inspection"
    required = {
        "invt_no": checks.text(18),
        "uscc": checks.uscc,
        "risk_score": checks.integer(0, 100),
        "quarantine": checks.boolean,
        "items": checks.object_list,
    }

    def handle(self, ctx: Context, node: dict[str, Any], *, failed: bool = False) -> None:
        decision = decision_for(node["risk_score"], node["quarantine"])
        rate = Decimal(0)
        if decision == "DOC_CHECK":
            rate = max(Decimal(0), (Decimal(node["risk_score"]) - 40) / 100).quantize(
                Decimal("0.01"), ROUND_HALF_UP
            )
        sampled = decision == "INSPECT" or sample_draw(node["invt_no"]) < rate
        data = {"decision": decision, "sample_rate": str(rate), "sampled": sampled}
        self.emit(ctx, node, "DECIDED", f"布控决定 decision {decision}", data)
        if failed:
            self.emit(
                ctx, node, "COMPLETED", "检验不合格 inspection failed (fault injection)", {"result": "FAIL"}
            )
        else:
            self.emit(ctx, node, "COMPLETED", "检验合格 inspection passed", {"result": "PASS"})

    def refuse(self, ctx: Context, node: dict[str, Any]) -> None:
        # The inspection analogue of a refusal is a failed result (protocol §5 reject_rate).
        self.handle(ctx, node, failed=True)


HANDLERS = {h.message_type: h for h in (EnterpriseFiling(), ProductFiling(), Inspection())}
