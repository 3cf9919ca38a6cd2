"""Commerce department: foreign-trade operator filing and the register of active filings."""

from __future__ import annotations

from typing import Any

from govmock.depts import checks
from govmock.depts.base import JsonHandler, enterprise_refusal
from govmock.engine.context import Context
from govmock.storage import kv


class FtOperator(JsonHandler):
    """ACCEPTED, then REGISTERED {record_no} (stable per USCC) or REJECTED with the reason."""

    message_type = "commerce.ft_operator"
    required = {
        "filing_no": checks.text(30),
        "uscc": checks.uscc,
        "name_cn": checks.text(100),
        "entity_type": checks.one_of("SELF_PLATFORM", "APPLICATION", "SERVICE"),
        "division_code": checks.division,
        "address": checks.text(200),
        "legal_rep_name": checks.text(50),
        "contact_phone": checks.text(30),
    }
    optional = {"name_en": checks.text(200), "subtype": checks.text(30)}

    def handle(self, ctx: Context, node: dict[str, Any]) -> None:
        refusal = enterprise_refusal(node)
        if node.get("subtype") == "NATURAL_PERSON":
            refusal = (
                "自然人网商不办理对外贸易经营者备案 natural persons do not file as foreign-trade operators"
            )
        if refusal:
            self.emit(ctx, node, "REJECTED", refusal)
            return
        record = kv.get(ctx.conn, "commerce.ft_operator", node["uscc"])
        if record is None:
            record = {"record_no": f"33{ctx.next_value('ft_record'):06d}"}
            kv.put(ctx.conn, "commerce.ft_operator", node["uscc"], record)
        self.emit(ctx, node, "REGISTERED", "备案登记完成 registered", record)


class FilingStatus(JsonHandler):
    """COMPLETED: the commerce bureau's register now holds the filing's status."""

    message_type = "commerce.filing_status"
    required = {"filing_no": checks.text(30), "uscc": checks.uscc, "status": checks.text(30)}
    optional = {"reason": checks.text(1000)}
    accepted_first = False

    def handle(self, ctx: Context, node: dict[str, Any]) -> None:
        entry = {"filing_no": node["filing_no"], "uscc": node["uscc"], "status": node["status"]}
        kv.put(ctx.conn, "commerce.filing_status", node["filing_no"], {**entry, "reason": node.get("reason")})
        self.emit(ctx, node, "COMPLETED", "已登记 recorded", entry)


HANDLERS = {h.message_type: h for h in (FtOperator(), FilingStatus())}
