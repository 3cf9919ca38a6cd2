"""Small presentation helpers of the customs pages."""

from decimal import Decimal

from django import template

from customs.choices import DocStatus

register = template.Library()

TONES = {
    DocStatus.REJECTED: "error",
    DocStatus.DETAINED: "error",
    DocStatus.INSPECTION: "warning",
    DocStatus.REVIEW: "warning",
    DocStatus.RELEASED: "success",
    DocStatus.CLOSED: "success",
    DocStatus.DRAFT: "",
    DocStatus.WITHDRAWN: "",
    DocStatus.CANCELLED: "",
}


@register.filter
def status_tone(status) -> str:
    """The badge colour of a document status: ``status--error`` for rejected, ``--success`` for released…"""
    tone = TONES.get(status, "info")
    return f"status--{tone}" if tone else ""


@register.filter
def amount(value) -> str:
    """A stored decimal as people read it: money to 2 places (``30.00000`` → ``30.00``), finer values as
    they are without trailing zeros (``0.75000`` → ``0.75``, ``1.23456`` stays)."""
    if not isinstance(value, Decimal):
        return "" if value is None else value
    if value == value.quantize(Decimal("0.01")):
        return format(value.quantize(Decimal("0.01")), "f")
    return format(value.normalize(), "f")
