"""Reads of customs: reference data (``customs.selectors.reference``), documents
(``customs.selectors.documents``), monthly summaries and their deadlines (``customs.selectors.summaries``),
export declarations and certificates for forex, tax refund and statistics
(``customs.selectors.declarations``)."""

from customs.selectors.declarations import certificate_of, declaration_totals, declarations_of, item_totals
from customs.selectors.documents import held_for_inspection
from customs.selectors.summaries import deadlines, statistics_counts, summary_deadline, summary_groups

__all__ = [
    "certificate_of",
    "deadlines",
    "declaration_totals",
    "declarations_of",
    "held_for_inspection",
    "item_totals",
    "statistics_counts",
    "summary_deadline",
    "summary_groups",
]
