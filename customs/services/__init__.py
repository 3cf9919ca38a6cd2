"""Every write of customs (CONVENTIONS: services are named ``<entity>_<verb>``, keyword-only, with ``by``).

Documents (issue 11): ``order_*``, ``payment_*``, ``waybill_*`` (``customs.services.documents``),
``list_*`` (``customs.services.lists``), ``lists_create_bulk`` (``customs.services.bulk``),
``documents_create_bulk`` (orders, receipts and waybills at volume, ``customs.services.bulk_documents``),
``parcel_report_*`` (``customs.services.reports``), ``lists_recheck`` (``customs.services.matching``),
``summary_*`` (``customs.services.summaries``); export declarations and their certificates are written by
customs' answers (``customs.services.declarations``).
Who may file is decided in ``customs.services.authority``. Reference data: ``customs.services.reference``.
"""

from customs.services.bulk import MAX_API_ROWS, MAX_IMPORT_ROWS, BatchRejected, BulkResult, lists_create_bulk
from customs.services.bulk_documents import documents_create_bulk
from customs.services.documents import (
    order_create,
    order_submit,
    order_update,
    order_withdraw,
    payment_create,
    payment_submit,
    payment_update,
    payment_withdraw,
    waybill_create,
    waybill_submit,
    waybill_update,
    waybill_withdraw,
)
from customs.services.lists import (
    list_cancel,
    list_copy,
    list_create,
    list_release_from_inspection,
    list_resubmit,
    list_submit,
    list_update,
    list_withdraw,
)
from customs.services.matching import lists_recheck
from customs.services.reports import parcel_report_create, parcel_report_submit, parcel_report_withdraw
from customs.services.summaries import summary_discard, summary_preview, summary_submit

__all__ = [
    "MAX_API_ROWS",
    "MAX_IMPORT_ROWS",
    "BatchRejected",
    "BulkResult",
    "documents_create_bulk",
    "list_cancel",
    "list_copy",
    "list_create",
    "list_release_from_inspection",
    "list_resubmit",
    "list_submit",
    "list_update",
    "list_withdraw",
    "lists_create_bulk",
    "lists_recheck",
    "order_create",
    "order_submit",
    "order_update",
    "order_withdraw",
    "parcel_report_create",
    "parcel_report_submit",
    "parcel_report_withdraw",
    "payment_create",
    "payment_submit",
    "payment_update",
    "payment_withdraw",
    "summary_discard",
    "summary_preview",
    "summary_submit",
    "waybill_create",
    "waybill_submit",
    "waybill_update",
    "waybill_withdraw",
]
