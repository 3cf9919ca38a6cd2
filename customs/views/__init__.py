"""Customs pages: reference data (``reference``), the enterprises' documents (``documents``, ``lists``),
seller authorisations (``authorisations``) and the officers' pages (``officer``; the message desk itself is
``exchange.views.DepartmentDeskView``)."""

from customs.views.documents import (
    DocumentActionView,
    DocumentDetailView,
    DocumentFormView,
    DocumentIndexView,
)
from customs.views.lists import ListCancelView, ListCopyView
from customs.views.reference import REFERENCE_READERS, ReferenceIndexView, ReferenceListView

__all__ = [
    "REFERENCE_READERS",
    "DocumentActionView",
    "DocumentDetailView",
    "DocumentFormView",
    "DocumentIndexView",
    "ListCancelView",
    "ListCopyView",
    "ReferenceIndexView",
    "ReferenceListView",
]
