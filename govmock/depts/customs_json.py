"""Customs JSON services: enterprise registration (海关注册编码) and the China E-Port card."""

from __future__ import annotations

from typing import Any

from govmock.depts import checks
from govmock.depts.base import JsonHandler, enterprise_refusal
from govmock.engine.context import Context
from govmock.storage import kv

_ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SEQUENCE_SPACE = len(_ALPHANUMERIC) ** 4


def base36(number: int, width: int = 4) -> str:
    digits = ""
    for _ in range(width):
        number, rest = divmod(number, len(_ALPHANUMERIC))
        digits = _ALPHANUMERIC[rest] + digits
    return digits


class CustomsRegistration(JsonHandler):
    """ACCEPTED, then REGISTERED {customs_code} (DOMAIN §2.3 layout, unique) or REJECTED.

    customs_code = "33" + city (division_code[2:4]) + zone "9" + economic type + 4-char sequence;
    economic type 8 for brokers, else the node's ``economic_type``, else 6 (private).
    """

    message_type = "customs.registration"
    required = {
        "uscc": checks.uscc,
        "name_cn": checks.text(100),
        "division_code": checks.division,
        "role": checks.one_of("CONSIGNOR", "BROKER"),
    }
    optional = {
        "economic_type": lambda v: None if str(v) in "123456789" and len(str(v)) == 1 else "must be 1-9"
    }

    def handle(self, ctx: Context, node: dict[str, Any]) -> None:
        refusal = enterprise_refusal(node)
        if refusal:
            self.emit(ctx, node, "REJECTED", refusal)
            return
        key = f"{node['uscc']}|{node['role']}"
        code = kv.get(ctx.conn, "customs.registration", key)
        if code is None:
            economic = "8" if node["role"] == "BROKER" else str(node.get("economic_type") or "6")
            prefix = f"33{node['division_code'][2:4]}9{economic}"
            sequence = ctx.next_value(f"customs_code:{prefix}")
            if sequence >= _SEQUENCE_SPACE:
                self.emit(ctx, node, "REJECTED", f"编码已用尽 no customs code left under {prefix}")
                return
            code = prefix + base36(sequence)
            kv.put(ctx.conn, "customs.registration", key, code)
        self.emit(ctx, node, "REGISTERED", "报关单位注册登记完成 registered", {"customs_code": code})


class EportCard(JsonHandler):
    """REGISTERED {dxp_id} ("DXPENT" + 10 digits, stable per USCC), or REJECTED for a bad USCC."""

    message_type = "eport.card"
    required = {"uscc": checks.uscc, "name_cn": checks.text(100)}
    optional = {"customs_code": checks.customs_code}
    accepted_first = False

    def handle(self, ctx: Context, node: dict[str, Any]) -> None:
        refusal = enterprise_refusal(node)
        if refusal:
            self.emit(ctx, node, "REJECTED", refusal)
            return
        dxp_id = kv.get(ctx.conn, "eport.card", node["uscc"])
        if dxp_id is None:
            dxp_id = f"DXPENT{ctx.next_value('dxp_id'):010d}"
            kv.put(ctx.conn, "eport.card", node["uscc"], dxp_id)
        self.emit(ctx, node, "REGISTERED", "电子口岸卡已制发 card issued", {"dxp_id": dxp_id})


HANDLERS = {h.message_type: h for h in (CustomsRegistration(), EportCard())}
