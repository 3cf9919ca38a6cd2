"""Reads of customs: reference data (``customs.selectors.reference``) and documents
(``customs.selectors.documents``)."""

from customs.selectors.documents import held_for_inspection

__all__ = ["held_for_inspection"]
