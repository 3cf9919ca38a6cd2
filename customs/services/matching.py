"""C1–C7 again when a late document arrives (DOMAIN §3.7 rule 5: matching is re-attempted whenever any of
the documents arrives later): the lists an order, payment receipt or waybill belongs to get their ``checks``
updated — the three-document problems replaced, the others kept. Only lists customs has not matched yet
(draft, sent, accepted by E-Port, rejected) are rechecked; after that customs' own match has spoken.
"""

from customs.choices import DocStatus
from customs.models import InventoryList
from customs.validation import as_checks, check_state, from_checks, match_lists
from portal.bulk import Keys, update_rows

MATCH_CODES = frozenset(f"C{n}" for n in range(1, 8))
RECHECKED = (DocStatus.DRAFT, DocStatus.SUBMITTED, DocStatus.DECLARED, DocStatus.REJECTED)


def lists_recheck(*, order_keys=(), waybill_keys=()) -> int:
    """Re-run C1–C7 for the lists of ``order_keys`` ((seller code, order number)) and ``waybill_keys``
    ((carrier code, waybill number)); store the result on their ``checks``. Returns how many changed. One
    query per kind of key (and one for the lists' lines), however many keys: a batch of 10,000 documents
    rechecks its lists at once."""
    found: dict[int, InventoryList] = {}
    for fields, keys in (
        (("ebc_code", "order_no"), order_keys),
        (("logistics_code", "logistics_no"), waybill_keys),
    ):
        keys = {(str(a or ""), str(b or "")) for a, b in keys}
        firsts, seconds = sorted({a for a, _b in keys if a}), sorted({b for _a, b in keys if b})
        if not firsts or not seconds:
            continue
        rows = InventoryList.objects.filter(
            **{f"{fields[0]}__one_of": Keys(firsts), f"{fields[1]}__one_of": Keys(seconds)},
            status__in=RECHECKED,
        )
        for inventory in rows.order_by("id"):
            if (getattr(inventory, fields[0]), getattr(inventory, fields[1])) in keys:
                found.setdefault(inventory.pk, inventory)
    if not found:
        return 0
    found = list(found.values())
    matches = match_lists(found)
    changed = []
    for index, inventory in enumerate(found):
        problems = [p for p in from_checks(inventory.checks) if p.code not in MATCH_CODES]
        problems += matches[index].problems
        checks = as_checks(problems)
        if checks != inventory.checks:
            inventory.checks, inventory.check_state = checks, check_state(problems)
            changed.append(inventory)
    update_rows(InventoryList, changed, ["checks", "check_state"])
    return len(changed)
