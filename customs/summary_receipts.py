"""Customs' answers to a summary application (CEB701, DOMAIN §3.9), bound by subject in ``customs.apps``.

* CEB702 ``2`` (or ``3``): accepted; ``sumNo`` kept. ``399``: processing concluded (accepted, if not yet).
* CEB792 (status ``SUMMARY_RESULT``, one per declaration): ``declaration_record`` creates the export
  declaration; once ``msgCount`` of them exist the summary is DECLARED.
* ``100``, ``4``, negative codes, or a transport failure: REJECTED, with customs' reason; its lists are free
  again for a new summary.

Every move goes through ``portal.workflow.transition`` (audited, on the summary's timeline).
"""

from django.utils import timezone

from customs.models import InventoryList
from customs.receipts import INFO_LIMIT, verb_for
from customs.services.declarations import declaration_record
from customs.workflows import SUMMARY
from portal.workflow import lock, transition

RESULT = "SUMMARY_RESULT"


def _keep(summary, receipt) -> None:
    summary.customs_status = receipt.status_code[:20]
    summary.customs_info = (receipt.info or "")[:INFO_LIMIT]
    sum_no = str((receipt.data or {}).get("sumNo") or "")
    if sum_no and len(sum_no) <= 30:
        summary.sum_no = sum_no


def _move(summary, verb: str, code: str) -> None:
    if (summary.status, verb) in SUMMARY.moves:
        transition(summary, verb, workflow=SUMMARY, payload={"code": code}, reason=summary.customs_info)


def on_summary_receipt(summary, message, receipt) -> None:
    if summary.message_id != message.pk:
        return
    (summary,) = lock(summary)  # marked locked: a transition keeps what is set on it
    code = receipt.status_code
    _keep(summary, receipt)
    if code == RESULT:
        _result(summary, receipt.data or {})
    else:
        verb = verb_for(code)
        if verb == "reject":
            _reject(summary, code)
        elif verb in ("declare", "conclude"):
            _move(summary, "accept", code)
    summary.save()


def _result(summary, data: dict) -> None:
    _move(summary, "accept", RESULT)
    declaration_record(summary=summary, result=data)
    expected = int(data.get("msgCount") or 1)
    formed = summary.declarations.count()
    summary.declaration_count = max(formed, expected)
    if formed >= expected:
        _move(summary, "declare", RESULT)


def _reject(summary, code: str) -> None:
    _move(summary, "reject", code)
    InventoryList.objects.filter(summary=summary).update(summary=None)


def on_summary_failure(summary, message) -> None:
    """E-Port refused the application outright or it became undeliverable: rejected, lists freed."""
    if summary.message_id != message.pk:
        return
    (summary,) = lock(summary)
    summary.customs_info = (message.last_error or message.receipt_info or "")[:INFO_LIMIT]
    summary.customs_status = "transport"
    _reject(summary, "transport")
    summary.save()


def on_tax_receipt(declaration, message, receipt) -> None:
    """The tax bureau has the electronic declaration data (COMPLETED)."""
    if receipt.status_code == "COMPLETED" and declaration.pushed_to_tax_at is None:
        declaration.pushed_to_tax_at = receipt.produced_at or timezone.now()
        declaration.save(update_fields=["pushed_to_tax_at"])
