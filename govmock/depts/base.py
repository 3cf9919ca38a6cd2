"""The common shape of a JSON department handler.

Guarantees for every node: it gets exactly one first answer among ``SCHEMA_ERROR`` (required field
missing or malformed, ``info`` naming the field), ``ACCEPTED`` (types whose protocol row starts with
it) or the type's own first receipt; an injected ``reject`` answers ``REJECTED`` after ``ACCEPTED``;
receipts follow the protocol's JSON receipt document.
"""

from __future__ import annotations

from typing import Any, ClassVar

from govmock import clock
from govmock.codes import is_valid_uscc, is_zhejiang_division
from govmock.depts import checks
from govmock.engine.context import JSON_CONTENT, Context

BASE_FIELDS: dict[str, checks.Check] = {"business_key": checks.text(200)}


class JsonHandler:
    content = "json"
    message_type: ClassVar[str]
    required: ClassVar[dict[str, checks.Check]] = {}
    optional: ClassVar[dict[str, checks.Check]] = {}
    accepted_first: ClassVar[bool] = True

    def process(self, ctx: Context, node: dict[str, Any]) -> None:
        problems = self.problems(node)
        if not problems and ctx.decide(node["guid"], "schema_error", ctx.config.schema_error_rate):
            first = next(iter(self.required))
            problems = [f"{first}: injected format error (fault injection)"]
        if problems:
            self.emit(ctx, node, "SCHEMA_ERROR", "格式错误 format error: " + "; ".join(problems))
            return
        if self.accepted_first:
            self.emit(ctx, node, "ACCEPTED", "已受理 accepted")
        if ctx.decide(node["guid"], "reject", ctx.config.reject_rate):
            self.refuse(ctx, node)
            return
        self.handle(ctx, node)

    def problems(self, node: dict[str, Any]) -> list[str]:
        found = []
        for name, check in {**BASE_FIELDS, **self.required}.items():
            value = node.get(name)
            wrong = check(value) if checks.present(value) else "required field missing"
            if wrong:
                found.append(f"{name}: {wrong}")
        for name, check in self.optional.items():
            value = node.get(name)
            wrong = check(value) if checks.present(value) else None
            if wrong:
                found.append(f"{name}: {wrong}")
        return found

    def refuse(self, ctx: Context, node: dict[str, Any]) -> None:
        self.emit(ctx, node, "REJECTED", "不予受理 refused by the department (fault injection)")

    def handle(self, ctx: Context, node: dict[str, Any]) -> None:
        raise NotImplementedError

    def emit(self, ctx: Context, node: dict[str, Any], status: str, info: str = "", data: Any = None) -> None:
        body = {
            "guid": node["guid"],
            "message_id": ctx.message_id,
            "message_type": self.message_type,
            "business_key": node.get("business_key"),
            "status": status,
            "info": info,
            "data": data or {},
        }
        ctx.emit(
            node_guid=node["guid"],
            message_id=ctx.message_id,
            receipt_type=f"{self.message_type}.receipt",
            content_type=JSON_CONTENT,
            status=status,
            body=body,
        )


def enterprise_refusal(node: dict[str, Any]) -> str | None:
    """Why a Zhejiang enterprise filing must be refused (bad USCC check char, other province), or None."""
    if not is_valid_uscc(node["uscc"]):
        return "统一社会信用代码校验位错误 the USCC check character is wrong (GB 32100)"
    if "division_code" in node and not is_zhejiang_division(node["division_code"]):
        return "非浙江省行政区划 division_code is not a Zhejiang division (33xxxx)"
    return None


def year(ctx: Context) -> str:
    return clock.shanghai(ctx.now).strftime("%Y")
