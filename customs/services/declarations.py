"""Export declarations customs formed from a summary (CEB792, DOMAIN §3.9) and their certificates
(报关单证明联, DOMAIN §3.11).

``declaration_record`` runs in the transaction that applies a CEB792 receipt: it creates the
``ExportDeclaration`` with customs' 18-digit ``entryId``, links the lists it covers (the receipt's
``SummaryResultList`` rows), sums their lines into items with the summary's own GROUP BY, and — the goods of
every covered list having departed (899) — issues the certificate and pushes the electronic declaration data
to the tax bureau (``tax.declaration_data``) in the same transaction, so it leaves only if the declaration
is saved.
"""

import re

from django.db.models import Max, Sum
from django.utils import timezone

from customs.choices import DocStatus
from customs.models import ExportDeclaration, ExportDeclarationItem, InventoryItem, InventoryList
from customs.selectors.summaries import item_keys, item_rows
from portal.choices import AuditVerb
from portal.services.audit import audit

ENTRY_ID = re.compile(r"^\d{18}$")


class ResultError(ValueError):
    """A CEB792 the portal cannot apply (kept by the exchange as a handler error, flagged for officers)."""


def _covered(summary, result: dict) -> list[str]:
    invt_nos = sorted({str(row.get("invtNo") or "") for row in result.get("items") or []} - {""})
    if not invt_nos:
        raise ResultError("CEB792 names no list")
    return invt_nos


def declaration_record(*, summary, result: dict, by=None) -> ExportDeclaration:
    """The export declaration of one CEB792 (``result``: its parsed head and ``items``); idempotent on
    ``entryId``."""
    entry_id = str(result.get("entryId") or "")
    if not ENTRY_ID.match(entry_id):
        raise ResultError(f"entryId {entry_id!r} is not 18 digits")
    existing = ExportDeclaration.objects.filter(entry_id=entry_id).first()
    if existing is not None:
        return existing
    lists = InventoryList.objects.filter(summary=summary, invt_no__in=_covered(summary, result))
    first = lists.order_by("pk").first()
    if first is None:
        raise ResultError(f"CEB792 {entry_id} names no list of summary {summary.pk}")
    totals = lists.aggregate(
        gross=Sum("gross_weight"), net=Sum("net_weight"), packs=Sum("pack_no"), last=Max("closed_at")
    )
    declaration = ExportDeclaration.objects.create(
        owner=summary.owner,
        summary=summary,
        entry_id=entry_id,
        seq=int(result.get("msgSeqNo") or 1),
        decl_seq_no=str(result.get("declSeqNo") or "")[:30],
        dec_state=str(result.get("decState") or "")[:20],
        customs_code=summary.customs_code or first.customs_code,
        port_code=first.port_code,
        traf_mode=first.traf_mode,
        country=first.country,
        ebc_code=first.ebc_code,
        owner_code=first.owner_code,
        gross_weight=totals["gross"] or 0,
        net_weight=totals["net"] or 0,
        pack_no=totals["packs"] or 0,
        declared_on=timezone.localdate(),
    )
    lists.update(declaration=declaration)
    _items(declaration, summary)
    audit(verb=AuditVerb.CREATE, target=declaration, actor=by, payload={"entry_id": entry_id})
    if not lists.exclude(status=DocStatus.CLOSED).exists():
        certificate_issue(declaration=declaration, exported_at=totals["last"])
    return declaration


def _items(declaration: ExportDeclaration, summary) -> None:
    """The declaration's items: its lists' lines grouped by the item keys (one GROUP BY; the header keys are
    equal within a declaration). Numbered in key order."""
    lines = InventoryItem.objects.filter(inventory__declaration=declaration)
    rows = item_rows(lines, summary.summary_flag, summary.item_name_flag)
    names = item_keys(summary.item_name_flag)
    items = []
    for gnum, row in enumerate(rows, start=1):
        items.append(
            ExportDeclarationItem(
                declaration=declaration,
                gnum=gnum,
                gcode=row["gcode"],
                gname=(row.get("item_name") if "item_name" in names else "") or row["name"] or "",
                country=row["country"],
                currency=row["currency"],
                qty1=row["sum_qty1"],
                unit1=row["unit1"],
                qty2=row["sum_qty2"] if row["unit2"] else None,
                unit2=row["unit2"],
                total_price=row["sum_total"],
                list_lines=row["lines"],
            )
        )
    ExportDeclarationItem.objects.bulk_create(items)
    currencies = {i.currency for i in items}
    declaration.total_value = sum((i.total_price for i in items), start=0)
    declaration.currency = currencies.pop() if len(currencies) == 1 else ""
    declaration.save(update_fields=["total_value", "currency"])


def certificate_issue(*, declaration: ExportDeclaration, exported_at=None) -> ExportDeclaration:
    """The goods of every list have left: the certificate (报关单证明联) is available and the electronic
    declaration data goes to the tax bureau."""
    from customs.services.tax_push import declaration_push

    now = timezone.now()
    declaration.exported_on = timezone.localtime(exported_at).date() if exported_at else timezone.localdate()
    declaration.certificate_issued_at = now
    declaration.save(update_fields=["exported_on", "certificate_issued_at"])
    audit(verb=AuditVerb.COMMENT, target=declaration, payload={"action": "certificate_issued"})
    declaration_push(declaration=declaration)
    return declaration
