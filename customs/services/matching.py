"""C1–C7 again when a late document arrives (DOMAIN §3.7 rule 5: matching is re-attempted whenever any of
the documents arrives later): the lists an order, payment receipt or waybill belongs to get their ``checks``
updated — the three-document problems replaced, the others kept. Only lists customs has not matched yet
(draft, sent, accepted by E-Port, rejected) are rechecked; after that customs' own match has spoken.
"""

from django.db.models import Q

from customs.choices import DocStatus
from customs.models import InventoryList
from customs.validation import as_checks, check_state, from_checks, match_lists

MATCH_CODES = frozenset(f"C{n}" for n in range(1, 8))
RECHECKED = (DocStatus.DRAFT, DocStatus.SUBMITTED, DocStatus.DECLARED, DocStatus.REJECTED)


def lists_recheck(*, order_keys=(), waybill_keys=()) -> int:
    """Re-run C1–C7 for the lists of ``order_keys`` ((seller code, order number)) and ``waybill_keys``
    ((carrier code, waybill number)); store the result on their ``checks``. Returns how many changed."""
    wanted = Q()
    for seller, order_no in order_keys:
        wanted |= Q(ebc_code=seller, order_no=order_no)
    for carrier, waybill_no in waybill_keys:
        wanted |= Q(logistics_code=carrier, logistics_no=waybill_no)
    if not wanted:
        return 0
    found = list(InventoryList.objects.filter(wanted, status__in=RECHECKED).prefetch_related("items"))
    matches = match_lists(found)
    changed = []
    for index, inventory in enumerate(found):
        problems = [p for p in from_checks(inventory.checks) if p.code not in MATCH_CODES]
        problems += matches[index].problems
        checks = as_checks(problems)
        if checks != inventory.checks:
            inventory.checks, inventory.check_state = checks, check_state(problems)
            changed.append(inventory)
    InventoryList.objects.bulk_update(changed, ["checks", "check_state"], batch_size=500)
    return len(changed)
