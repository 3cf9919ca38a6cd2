"""The customs CEB handler: format check → CEB900, appStatus 1, injected faults, then the flow.

Order of answers for one node (DOMAIN §3.6 mock status machine): format errors (CEB900, -900) →
saved-only (``appStatus=1``: status 1, nothing declared) → injected rejection (100) → the kind's
flow (business rules 100, duplicate -304001, accepted 2 and what follows).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from govmock.ceb import flows, summary
from govmock.ceb.answer import answer_node, format_error
from govmock.ceb.spec import SPECS, MessageSpec
from govmock.ceb.validate import node_problems, problems_text
from govmock.engine.context import Context

Flow = Callable[[Context, MessageSpec, dict[str, Any]], None]


class CebHandler:
    content = "ceb"

    def __init__(self, spec: MessageSpec, flow: Flow) -> None:
        self.spec = spec
        self.flow = flow

    def process(self, ctx: Context, node: dict[str, Any]) -> None:
        guid = node["guid"]
        problems = node_problems(self.spec, node)
        if not problems and ctx.decide(guid, "schema_error", ctx.config.schema_error_rate):
            # Name a real field so the portal's CEB900 parsing is exercised as for a genuine error.
            problems = [
                f"{self.spec.head_label}/appTime: 注入的格式错误 injected format error (fault injection)"
            ]
        if problems:
            format_error(ctx, node, problems_text(guid, problems))
            return
        if node["head"]["appStatus"] == "1":
            answer_node(ctx, self.spec, node, 1, "电子口岸已暂存 saved by E-Port, not declared (appStatus=1)")
            return
        if ctx.decide(guid, "reject", ctx.config.reject_rate):
            answer_node(
                ctx, self.spec, node, flows.REJECTED, "海关退单 rejected by customs (fault injection)"
            )
            return
        self.flow(ctx, self.spec, node)


_FLOWS: dict[str, Flow] = {
    "CEB303Message": flows.on_order,
    "CEB403Message": flows.on_payment,
    "CEB505Message": flows.on_logistics,
    "CEB507Message": flows.on_arrival,
    "CEB509Message": flows.on_departure,
    "CEB603Message": flows.on_inventory,
    "CEB605Message": flows.on_cancel,
    "CEB607Message": flows.on_waybill_link,
    "CEB701Message": summary.on_summary,
}

HANDLERS: dict[str, CebHandler] = {name: CebHandler(SPECS[name], flow) for name, flow in _FLOWS.items()}
