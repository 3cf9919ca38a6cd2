"""Three-document consistency C1–C7 (DOMAIN §3.7): what customs would find when it matches a list with its
order, payment receipt and waybill, checked by the portal before anything is sent.

``match_problems(inventory, order, payment, waybill)`` is pure: each argument is a model instance or a
plain dict (``None`` when that document is not there yet), lines under ``items`` (a dict's key, or the
prefetched ``items`` of a model). Each check runs as soon as the documents it compares are present:
C1–C3 and the platform half of C6 with the order, C4 and C7 with the payment receipt (C4 also needs the
order), C5 and the seller half of C6 with the waybill. C4, C5 and C7 are warnings, the rest errors.

``match_lists(lists)`` does the same for many lists, reading their orders, receipts and waybills in a
constant number of queries (one per kind, plus the lines): ``fetch_documents`` reads, ``match_fetched``
computes.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_noop

from customs.validation.problems import Problem, error, warning

C1 = gettext_noop("Line currency %(currency)s differs from the order's currency %(order_currency)s.")
C2 = gettext_noop(
    "The lines total %(total)s but the order's goods value is %(goods_value)s: a difference of %(diff)s, "
    "more than the %(tolerance)s customs allows. Correct the prices or the order."
)
C3 = gettext_noop(
    "The goods lines do not match the order's lines (SKU × quantity). Only on the list: %(extra)s. Only on "
    "the order: %(missing)s."
)
C4 = gettext_noop(
    "The payment receipt shows %(charge)s received, less than the order's goods value and freight (%(due)s)."
)
C4_CURRENCY = gettext_noop(
    "The payment receipt is in currency %(charge_currency)s and the order in %(order_currency)s; "
    "customs compares them in one currency."
)
C5 = gettext_noop(
    "The gross weight %(weight)s kg differs from the waybill's %(waybill_weight)s kg by more than "
    "%(tolerance)s kg."
)
C6_PLATFORM = gettext_noop(
    "The platform code %(list_code)s differs from the order's platform %(order_code)s."
)
C6_SELLER = gettext_noop("The waybill names seller %(waybill_code)s, not %(list_code)s.")
C7 = gettext_noop(
    "The payment receipt says the funds arrived on %(paid)s, after the list is declared (%(declared)s): "
    "customs expects payment first."
)

CENT = Decimal("0.01")
VALUE_TOLERANCE = Decimal("0.005")  # C2: 0.5 % of the goods value, at least 0.01
WEIGHT_TOLERANCE = Decimal("0.10")  # C5: 10 %, at least 0.05 kg
MIN_WEIGHT_TOLERANCE = Decimal("0.05")


def _v(obj, name, default=None):
    if obj is None:
        return default
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _items(obj) -> list:
    if isinstance(obj, dict):
        return list(obj.get("items") or [])
    cache = getattr(obj, "_prefetched_objects_cache", {})
    if "items" in cache:
        return list(cache["items"])
    if getattr(obj, "pk", None) is None:
        return []
    return list(obj.items.all())


def _money(value) -> str:
    return format(Decimal(value).quantize(CENT), "f")


def match_problems(inventory, order=None, payment=None, waybill=None, *, at: datetime | None = None):
    """C1–C7 for one list against whichever of its documents are present. ``at``: the list's declaration
    time for C7 (default: its ``submitted_at``, else now)."""
    found: list[Problem] = []
    items = _items(inventory)
    if order is not None:
        found += _order_checks(inventory, items, order)
    if payment is not None:
        found += _payment_checks(inventory, order, payment, at)
    if waybill is not None:
        found += _waybill_checks(inventory, waybill)
    return found


def _order_checks(inventory, items, order) -> list[Problem]:
    found = []
    currency = _v(order, "currency")
    for index, item in enumerate(items):
        line_currency = _v(item, "currency")
        if currency and line_currency and line_currency != currency:
            found.append(
                error("C1", f"items[{index}].currency", C1, currency=line_currency, order_currency=currency)
            )
    goods_value = _v(order, "goods_value")
    totals = [_v(item, "total_price") for item in items]
    if goods_value is not None and items and None not in totals:
        total = sum((Decimal(t) for t in totals), Decimal(0))
        goods_value = Decimal(goods_value)
        tolerance = max(CENT, goods_value * VALUE_TOLERANCE)
        if abs(total - goods_value) > tolerance:
            found.append(
                error(
                    "C2",
                    "items",
                    C2,
                    total=_money(total),
                    goods_value=_money(goods_value),
                    diff=_money(abs(total - goods_value)),
                    tolerance=_money(tolerance),
                )
            )
    found += _sku_check(items, _items(order))
    if (
        _v(order, "ebp_code")
        and _v(inventory, "ebp_code")
        and _v(order, "ebp_code") != _v(inventory, "ebp_code")
    ):
        found.append(
            error(
                "C6",
                "ebp_code",
                C6_PLATFORM,
                list_code=_v(inventory, "ebp_code"),
                order_code=_v(order, "ebp_code"),
            )
        )
    return found


def _skus(items) -> Counter:
    return Counter((str(_v(i, "item_no") or ""), Decimal(_v(i, "qty") or 0)) for i in items)


def _sku_check(items, order_items) -> list[Problem]:
    """C3: the multiset of (SKU, quantity) of the list equals the order's."""
    mine, theirs = _skus(items), _skus(order_items)
    if mine == theirs:
        return []

    def show(counter: Counter) -> str:
        parts = [
            f"{sku}×{format(qty.normalize(), 'f')}"
            for (sku, qty), n in sorted(counter.items())
            for _ in range(n)
        ]
        return ", ".join(parts[:10]) + (" …" if len(parts) > 10 else "") or "—"

    return [error("C3", "items", C3, extra=show(mine - theirs), missing=show(theirs - mine))]


def _payment_checks(inventory, order, payment, at) -> list[Problem]:
    found = []
    if order is not None:
        charge, due_currency = _v(payment, "charge"), _v(order, "currency")
        if _v(payment, "currency") != due_currency:
            found.append(
                warning(
                    "C4",
                    "",
                    C4_CURRENCY,
                    charge_currency=_v(payment, "currency"),
                    order_currency=due_currency,
                )
            )
        elif charge is not None and _v(order, "goods_value") is not None:
            due = Decimal(_v(order, "goods_value")) + Decimal(_v(order, "freight") or 0)
            if Decimal(charge) < due - CENT:
                found.append(warning("C4", "", C4, charge=_money(charge), due=_money(due)))
    paid = _v(payment, "accounting_date")
    declared = at or _v(inventory, "submitted_at") or timezone.now()
    if paid is not None and paid > declared:
        found.append(
            warning(
                "C7",
                "",
                C7,
                paid=timezone.localtime(paid).strftime("%Y-%m-%d %H:%M"),
                declared=timezone.localtime(declared).strftime("%Y-%m-%d %H:%M"),
            )
        )
    return found


def _waybill_checks(inventory, waybill) -> list[Problem]:
    found = []
    mine, theirs = _v(inventory, "gross_weight"), _v(waybill, "gross_weight")
    if mine is not None and theirs is not None:
        tolerance = max(MIN_WEIGHT_TOLERANCE, Decimal(theirs) * WEIGHT_TOLERANCE)
        if abs(Decimal(mine) - Decimal(theirs)) > tolerance:
            found.append(
                warning(
                    "C5",
                    "gross_weight",
                    C5,
                    weight=format(Decimal(mine).normalize(), "f"),
                    waybill_weight=format(Decimal(theirs).normalize(), "f"),
                    tolerance=format(tolerance.normalize(), "f"),
                )
            )
    seller = _v(waybill, "ebc_code")
    if seller and _v(inventory, "ebc_code") and seller != _v(inventory, "ebc_code"):
        found.append(
            error("C6", "ebc_code", C6_SELLER, waybill_code=seller, list_code=_v(inventory, "ebc_code"))
        )
    return found


@dataclass
class Match:
    """A list's documents as found (``None`` when absent) and what C1–C7 say about them."""

    order: object = None
    payment: object = None
    waybill: object = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return None not in (self.order, self.payment, self.waybill)


def _fetch(model, key_fields: tuple[str, str], keys: set, *, prefetch: bool = False) -> dict:
    """``{key: [rows]}`` of ``model`` whose ``key_fields`` pair is in ``keys``, newest first: one query (and
    one for the prefetched lines), whatever the number of keys (``portal.bulk.OneOf``)."""
    from customs.choices import DocStatus
    from portal.bulk import Keys  # (importing it registers the one_of lookup)

    found: dict = {}
    first, second = key_fields
    firsts = sorted({k[0] for k in keys if k[0] is not None})
    seconds = sorted({k[1] for k in keys if k[1] is not None})
    if not firsts or not seconds:
        return found  # a NULL key matches nothing
    qs = model.objects.filter(
        **{f"{first}__one_of": Keys(firsts), f"{second}__one_of": Keys(seconds)}
    ).exclude(status__in=(DocStatus.WITHDRAWN, DocStatus.CANCELLED))
    if prefetch:
        qs = qs.prefetch_related("items")
    for row in qs.order_by("-id"):
        key = (getattr(row, first), getattr(row, second))
        if key in keys:
            found.setdefault(key, []).append(row)
    return found


def _attach_list_items(lists: list) -> None:
    """One query for the lines of saved lists whose lines were not prefetched."""
    from customs.models import InventoryItem

    missing = [
        obj
        for obj in lists
        if not isinstance(obj, dict)
        and obj.pk is not None
        and "items" not in getattr(obj, "_prefetched_objects_cache", {})
    ]
    if not missing:
        return
    import portal.bulk  # noqa: F401 (registers the one_of lookup)

    by_list: dict = {obj.pk: [] for obj in missing}
    lines = InventoryItem.objects.filter(inventory_id__one_of=list(by_list))
    for item in lines.order_by("inventory_id", "gnum"):
        by_list[item.inventory_id].append(item)
    for obj in missing:
        obj._prefetched_objects_cache = {
            **getattr(obj, "_prefetched_objects_cache", {}),
            "items": by_list[obj.pk],
        }


def match_lists(lists, *, at: datetime | None = None) -> dict[int, Match]:
    """``{position in lists: Match}`` for many lists (models or dicts): their orders (same seller and order
    number; the one of the same platform first), payment receipts (same seller and order number) and
    waybills (same carrier and waybill number), and C1–C7 for each."""
    lists = list(lists)
    return match_fetched(lists, fetch_documents(lists), at=at)


def fetch_documents(lists: list) -> tuple[dict, dict, dict]:
    """The queries of ``match_lists`` (orders, receipts, waybills of ``lists``), apart from its
    computation (``match_fetched``): the bulk path reads first, then computes while it writes."""
    from customs.models import Order, Payment, Waybill

    _attach_list_items(lists)
    order_keys = {(_v(x, "ebc_code"), _v(x, "order_no")) for x in lists}
    waybill_keys = {(_v(x, "logistics_code"), _v(x, "logistics_no")) for x in lists}
    orders = _fetch(Order, ("ebc_code", "order_no"), order_keys, prefetch=True)
    payments = _fetch(Payment, ("ebc_code", "order_no"), order_keys)
    waybills = _fetch(Waybill, ("logistics_code", "logistics_no"), waybill_keys)
    return orders, payments, waybills


def match_fetched(lists: list, fetched: tuple[dict, dict, dict], *, at: datetime | None = None) -> dict:
    """``match_lists`` on the documents ``fetch_documents`` read: no query."""
    orders, payments, waybills = fetched
    result = {}
    for index, inventory in enumerate(lists):
        key = (_v(inventory, "ebc_code"), _v(inventory, "order_no"))
        candidates = orders.get(key, [])
        order = next((o for o in candidates if o.ebp_code == _v(inventory, "ebp_code")), None) or (
            candidates[0] if candidates else None
        )
        payment = (payments.get(key) or [None])[0]
        waybill = (waybills.get((_v(inventory, "logistics_code"), _v(inventory, "logistics_no"))) or [None])[
            0
        ]
        problems = match_problems(inventory, order, payment, waybill, at=at)
        result[index] = Match(order, payment, waybill, problems)
    return result
