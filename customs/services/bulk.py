"""The bulk path: up to 10,000 inventory lists per API request, 100,000 per import, in one transaction.

``lists_create_bulk(*, owner, filer, by, rows, submit=True)`` checks every row with the batch functions of
``customs.validation`` (code lists read once per export date), then writes the lists, their lines, their
outbox messages and their audit events with multi-row statements — ``COPY`` on PostgreSQL — in ONE
transaction: all or nothing. It is idempotent on the enterprise reference: a row whose ``cop_no`` the owner
already used is not created again and is counted as ``unchanged`` (a retried batch creates nothing twice).
The number of queries does not grow with the rows (ADR 0023 has the figures).

Rows are head dicts with their lines under ``"items"``, keyed like the model (``gross_weight``,
``items[0].price``). Any error refuses the whole batch with ``BatchRejected``: a ``ValidationError`` keyed
``rows[i].<field>`` that also carries ``problems`` as ``[(row index, Problem)]`` for the import's error
workbook. With ``submit=False`` the lists are saved as drafts (the business rules are then only recorded).
"""

from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from customs import payloads
from customs.choices import DocStatus, DocumentType
from customs.models import InventoryItem, InventoryList, Order
from customs.services import authority
from customs.services.common import storable_errors
from customs.services.lists import (
    ORDER_TAKEN,
    OTHER_ENTERPRISE,
    RELEASES_ORDER,
    prefill,
)
from customs.validation import (
    Problem,
    as_checks,
    check_state,
    clean_lists,
    error,
    fetch_documents,
    match_fetched,
)
from exchange.services import BulkOutbox, messages_enqueue_bulk
from portal.bulk import (
    RawJSON,
    copies_in_background,
    gc_paused,
    insert_rows,
    raw_json,
    reads_in_background,
    reserve_ids,
    writes_in_background,
)
from portal.choices import AuditVerb
from portal.models import AuditEvent
from portal.services.audit import build_event

MAX_API_ROWS = 10_000
MAX_IMPORT_ROWS = 100_000

DUPLICATE_IN_BATCH = gettext_noop(
    "Enterprise reference %(no)s appears twice in this batch (rows %(first)d and %(row)d)."
)
ORDER_IN_BATCH = gettext_noop(
    "Order %(no)s appears twice in this batch (rows %(first)d and %(row)d); one order, one list."
)


@dataclass
class BulkResult:
    """What a batch did: how many documents it created, how many it found already there (same ``cop_no``
    for lists, same business key for the other documents), and per row ``(key, id, created?)`` in the order
    of the rows."""

    created: int = 0
    unchanged: int = 0
    rows: list = field(default_factory=list)


class BatchRejected(ValidationError):
    """The batch was refused and nothing saved; ``problems``: ``[(row index, Problem)]`` (errors and the
    warnings found with them)."""

    def __init__(self, problems: list[tuple[int, Problem]]):
        self.problems = problems
        by_field: dict[str, list] = {}
        for index, problem in problems:
            if problem.is_error:
                name = f"rows[{index}].{problem.field}" if problem.field else f"rows[{index}]"
                by_field.setdefault(name, []).append(ValidationError(problem.message(), code=problem.code))
        super().__init__(by_field)


def _existing(owner, cops: list[str]) -> dict[str, int]:
    """``{cop_no: list id}`` of the owner's lists among ``cops``: one query, whatever their number."""
    keys = sorted({c for c in cops if c})
    if not keys:
        return {}
    found = InventoryList.objects.filter(owner=owner, cop_no__one_of=keys)
    return dict(found.values_list("cop_no", "pk"))


def _orders_taken(owner, sellers: list, orders: list) -> dict[str, str]:
    """``{order_no: cop_no}`` of the owner's lists that hold one of ``orders`` (by the leading columns of the
    index (ebc_code, order_no)): one query."""
    if not orders:
        return {}
    return dict(
        InventoryList.objects.filter(owner=owner, ebc_code__one_of=sellers, order_no__one_of=orders)
        .exclude(status__in=RELEASES_ORDER)
        .values_list("order_no", "cop_no")
    )


def _orders_of_others(owner, platforms: list, orders: list) -> set[tuple[str, str]]:
    """``(ebp_code, order_no)`` of other enterprises' orders among ``orders`` (the unique (ebp_code,
    order_no)): one query."""
    if not orders:
        return set()
    return set(
        Order.objects.filter(ebp_code__one_of=platforms, order_no__one_of=orders)
        .exclude(owner=owner)
        .values_list("ebp_code", "order_no")
    )


def _batch_lookups(owner, heads: list[dict]) -> tuple[dict, set]:
    """The queries of ``_order_problems``: orders the seller's other lists hold, orders of others."""
    orders = sorted({h.get("order_no") for h in heads if h.get("order_no")})
    sellers = sorted({h.get("ebc_code") for h in heads if h.get("ebc_code")})
    platforms = sorted({h.get("ebp_code") for h in heads if h.get("ebp_code")})
    return _orders_taken(owner, sellers, orders), _orders_of_others(owner, platforms, orders)


def _duplicates(heads: list[dict]) -> dict[int, list[Problem]]:
    """References and orders that appear twice inside the batch (no query)."""
    found: dict[int, list[Problem]] = {}
    first_cop, first_order = {}, {}
    for index, head in enumerate(heads):
        cop, order = head.get("cop_no"), head.get("order_no")
        if cop and cop in first_cop:
            found.setdefault(index, []).append(
                error(
                    "duplicate", "cop_no", DUPLICATE_IN_BATCH, no=cop, first=first_cop[cop] + 1, row=index + 1
                )
            )
        first_cop.setdefault(cop, index)
        if order and (head.get("ebc_code"), order) in first_order:
            first = first_order[(head.get("ebc_code"), order)]
            found.setdefault(index, []).append(
                error("taken", "order_no", ORDER_IN_BATCH, no=order, first=first + 1, row=index + 1)
            )
        first_order.setdefault((head.get("ebc_code"), order), index)
    return found


def _order_problems(head: dict, looked_up: tuple[dict, set]) -> list[Problem]:
    """The list's order already declared by another of the seller's lists, or another enterprise's
    (``looked_up``: ``_batch_lookups``, one query each whatever the number of orders)."""
    taken, others = looked_up
    found, order = [], head.get("order_no")
    if order in taken:
        found.append(error("taken", "order_no", ORDER_TAKEN, no=order, other=taken[order]))
    if (head.get("ebp_code"), order) in others:
        found.append(
            error("other_enterprise", "order_no", OTHER_ENTERPRISE, no=order, platform=head.get("ebp_code"))
        )
    return found


def refuse_too_many(message: str, max_rows: int, n: int):
    """The batch's refusal before anything is read: ``message`` (translated) says the limit and the count."""
    raise ValidationError({"rows": [ValidationError(message % {"max": max_rows, "n": n}, code="too_many")]})


def lists_create_bulk(
    *, owner, filer, by, rows: list[dict], submit: bool = True, max_rows: int = MAX_API_ROWS
) -> BulkResult:
    """Create (and send, when ``submit``) many inventory lists at once; all or nothing; see the module."""
    if len(rows) > max_rows:
        refuse_too_many(
            _("A batch may hold at most %(max)d lists; this one has %(n)d. Split it."), max_rows, len(rows)
        )
    in_parts, retried = True, False
    while True:
        try:
            with gc_paused(), transaction.atomic(), copies_in_background():
                return _create(owner=owner, filer=filer, by=by, rows=rows, submit=submit, in_parts=in_parts)
        except _KeysChanged:
            in_parts = False  # read by keys that cleaning changed: again, the whole batch checked first
        except IntegrityError:
            if retried:
                raise
            retried = True  # a parallel batch of the same references: the second run sees them unchanged


def _create(*, owner, filer, by, rows, submit, in_parts) -> BulkResult:
    """Who may file, the references already used, the parties' codes filled in; then the batch is checked
    and written in parts (``_in_parts``) or, when that cannot be (two seller codes, a reference twice, or
    keys that cleaning changed), checked whole and then written (``_whole``)."""
    filer = authority.acting_organisation(by, filer)
    parties = authority.parties_for(owner=owner, filer=filer, document_type=DocumentType.INVENTORY)
    dxp_id = authority.require_sender(parties) if submit else ""
    cops = [str(row.get("cop_no") or "").strip() if isinstance(row, dict) else "" for row in rows]
    existing = _existing(owner, cops)
    fresh = [i for i, cop in enumerate(cops) if cop not in existing]
    prefilled, own_problems = [], []
    for index in fresh:
        data, problems = prefill(rows[index] if isinstance(rows[index], dict) else {}, parties)
        prefilled.append(data)
        own_problems.append(problems)
    batch = _Batch(owner, filer, by, parties, dxp_id, submit, timezone.now(), prefilled, own_problems, fresh)
    raw = [_raw_keys(data) for data in prefilled]
    ids = _in_parts(batch, raw) if in_parts and _parts_wanted(raw) else _whole(batch)
    result = BulkResult(unchanged=len(rows) - len(fresh))
    created = dict(zip(fresh, ids, strict=True))
    for index, cop in enumerate(cops):
        result.rows.append((cop, created.get(index) or existing.get(cop), index in created))
    result.created = len(created)
    return result


@dataclass
class _Batch:
    owner: object
    filer: object
    by: object
    parties: object
    dxp_id: str
    submit: bool
    now: object
    prefilled: list
    own_problems: list
    rows: list  # the row of the batch as given of each list to create


def _whole(b: _Batch) -> list[int]:
    """Check the whole batch, then write it. The reads all come first (the batch's orders, C1–C7's
    documents); when the field checks and V1–V14 found no error, the outbox messages then go to the
    database (in the background, ``copies_in_background``) while the batch and C1–C7 problems are worked
    out; an error among those refuses the batch all the same (the transaction is rolled back)."""
    checked = clean_lists(b.prefilled)
    heads = [c.head for c in checked]
    lists = [{**c.head, "items": c.items} for c in checked]
    looked_up, fetched = _batch_lookups(b.owner, heads), fetch_documents(lists)
    ids = reserve_ids(InventoryList, len(checked))
    early = b.submit and _clean_so_far(b.own_problems, checked)
    message_ids = _enqueue(b.parties, checked, ids, b.dxp_id, b.now) if early else None
    duplicates = _duplicates(heads)
    matches = match_fetched(lists, fetched, at=b.now)
    for position, item in enumerate(checked):
        item.problems = b.own_problems[position] + item.problems + duplicates.get(position, [])
        item.problems += _order_problems(item.head, looked_up)
        item.problems += matches[position].problems  # C1–C7: stop a send, recorded on a draft
    _refuse_on_errors(b, checked)
    if message_ids is None:
        message_ids = _enqueue(b.parties, checked, ids, b.dxp_id, b.now) if b.submit else [None] * len(ids)
    _insert(b.owner, b.filer, b.by, checked, ids, message_ids, b.submit, b.now, [c.problems for c in checked])
    return ids


def _refuse_on_errors(b: _Batch, checked: list) -> None:
    """``BatchRejected`` with every problem of each list that has a stopping one, keyed by the list's row in
    the batch as given (rows already filed are not among ``checked``)."""
    rejected = [
        (b.rows[position], problem)
        for position, item in enumerate(checked)
        if stopping(item.problems, b.submit)
        for problem in item.problems
    ]
    if rejected:
        raise BatchRejected(rejected)


def stopping(problems: list[Problem], submit: bool) -> bool:
    return any(p.is_error for p in problems) if submit else bool(storable_errors(problems))


PART_FIRST, PART_ROWS = 500, 2_500  # rows per part: the smallest (first and last) and the largest

# The keys the reads go by, as cleaning writes them (stripped; party codes in capitals): read before the
# batch is cleaned, and checked against the cleaned values part by part.
KEY_FIELDS = (
    ("ebc_code", True),
    ("cop_no", False),
    ("order_no", False),
    ("ebp_code", True),
    ("logistics_code", True),
    ("logistics_no", False),
)


class _KeysChanged(Exception):
    """A part's cleaned keys are not those the reads went by: the batch is checked again, whole."""


def _raw_keys(data: dict) -> dict:
    keys = {}
    for name, capitals in KEY_FIELDS:
        value = data.get(name)
        if isinstance(value, str):
            value = value.strip().upper() if capitals else value.strip()
        elif isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        else:
            value = None
        keys[name] = value or None
    return keys


def _parts_wanted(raw: list[dict]) -> bool:
    """Parts pay where their rows go in from the writer thread (``copies_in_background``, PostgreSQL;
    elsewhere each part would only add statements), and they need one seller code and no reference twice:
    the lists' and the messages' keys then sort alike, so the parts write both in one ascending order
    (overlapping batches wait for each other, never deadlock)."""
    if not writes_in_background():
        return False
    return len({k["ebc_code"] for k in raw}) <= 1 and len({k["cop_no"] for k in raw}) == len(raw)


def _in_parts(b: _Batch, raw: list[dict]) -> list[int]:
    """Read by the keys as given (one query each, whatever the rows), then clean, check and — while no part
    has failed — write the batch part by part in reference order: PostgreSQL takes in one part's rows while
    the next is cleaned. The reads run on the writer thread (``reads_in_background``) while the first
    parts are cleaned. Every part is checked even after one failed, and any error refuses the whole batch
    (the transaction is rolled back), with the same problems, in the same order, as ``_whole``."""
    n = len(b.prefilled)
    if not n:
        return []  # every list of the batch was filed before
    order = sorted(range(n), key=lambda p: raw[p]["cop_no"] or "")
    reads = reads_in_background(partial(_reads, b, raw, order))
    checked: list = [None] * n
    later: list = [None] * n  # the order and C1–C7 problems, added after the duplicates inside the batch
    writing, cleaned_parts = True, []
    parts = list(_parts(order))
    for number, part in enumerate(parts):
        cleaned = clean_lists([b.prefilled[p] for p in part])
        if any(_changed(c.head, raw[p]) for p, c in zip(part, cleaned, strict=True)):
            raise _KeysChanged
        cleaned_parts.append((part, cleaned))
        if not reads.done() and number + 1 < len(parts):
            continue  # the next part is cleaned while the reads run
        looked_up, fetched, ids, outbox = reads.result()
        for part, cleaned in cleaned_parts:
            lists = [{**c.head, "items": c.items} for c in cleaned]
            matches = match_fetched(lists, fetched, at=b.now)
            for k, (p, c) in enumerate(zip(part, cleaned, strict=True)):
                checked[p], later[p] = c, _order_problems(c.head, looked_up) + matches[k].problems
            stop = any(stopping(b.own_problems[p] + checked[p].problems + later[p], b.submit) for p in part)
            writing = writing and not stop
            if writing:
                _write_part(b, part, checked, later, ids, outbox)
        cleaned_parts.clear()
    duplicates = _duplicates([c.head for c in checked])
    for p, item in enumerate(checked):
        item.problems = b.own_problems[p] + item.problems + duplicates.get(p, []) + later[p]
    _refuse_on_errors(b, checked)
    return ids


def _reads(b: _Batch, raw: list[dict], order: list[int]) -> tuple:
    """What the parts are checked and written with, read by the keys as given: the batch's orders taken or
    another enterprise's, C1–C7's documents, the lists' ids, the outbox's live keys and ids."""
    looked_up, fetched = _batch_lookups(b.owner, raw), fetch_documents(raw)
    ids = reserve_ids(InventoryList, len(raw))
    outbox = _outbox(b, [raw[p] for p in order]) if b.submit else None
    return looked_up, fetched, ids, outbox


def _parts(order: list[int]):
    """Parts that grow from ``PART_FIRST`` (doubling, up to ``PART_ROWS``) and shrink again towards the end
    (half of what is left, down to ``PART_FIRST``): PostgreSQL starts early, is not left waiting while a
    large part is cleaned after a small one, and has little left to take in once the last part is built."""
    start, size = 0, PART_FIRST
    while start < len(order):
        size = min(PART_ROWS, size, max(PART_FIRST, (len(order) - start) // 2))
        yield order[start : start + size]
        start += size
        size *= 2


def _list_type() -> int:
    return ContentType.objects.get_for_model(InventoryList).pk


def _changed(head: dict, raw: dict) -> bool:
    """A key cleaning kept but wrote differently from what the reads went by."""
    return any(name in head and (head[name] or None) != raw[name] for name, _capitals in KEY_FIELDS)


def _outbox(b: _Batch, keys: list[dict]) -> BulkOutbox:
    return BulkOutbox(
        message_type="CEB603Message",
        sender=b.parties.filer,
        keys=[_message_key(k["ebc_code"], k["cop_no"]) for k in keys],
        subject_model=InventoryList,
        sender_dxp_id=b.dxp_id,
    )


def _message_key(ebc_code, cop_no) -> str:
    return f"LIST:{ebc_code}:{cop_no}:1"


def _write_part(b: _Batch, part: list[int], checked: list, later: list, ids: list, outbox) -> None:
    items = [checked[p] for p in part]
    part_ids = [ids[p] for p in part]
    if outbox is None:
        message_ids = [None] * len(part)
    else:
        message_ids = outbox.write(
            [
                (_message_key(c.head["ebc_code"], c.head["cop_no"]), _payload_later(c, b.now), pk)
                for pk, c in zip(part_ids, items, strict=True)
            ]
        )
    warnings = [b.own_problems[p] + checked[p].problems + later[p] for p in part]
    _insert(b.owner, b.filer, b.by, items, part_ids, message_ids, b.submit, b.now, warnings)


def _clean_so_far(own_problems: list[list[Problem]], checked: list) -> bool:
    """No error from the field checks and V1–V14, and no reference twice: the messages may go first."""
    if any(p.is_error for problems in own_problems for p in problems):
        return False
    if any(p.is_error for c in checked for p in c.problems):
        return False
    return len({(c.head.get("ebc_code"), c.head.get("cop_no")) for c in checked}) == len(checked)


def _enqueue(parties, checked, ids, dxp_id: str, now) -> list[int]:
    """The CEB603 messages, their payloads written straight to the JSON text the outbox stores (the same
    text as ``json.dumps(inventory_payload(…))``, built from the cleaned dicts without a model each)."""
    entries = [
        (
            _message_key(item.head["ebc_code"], item.head["cop_no"]),
            _payload_later(item, now),
            pk,
        )
        for pk, item in zip(ids, checked, strict=True)
    ]
    return messages_enqueue_bulk(
        message_type="CEB603Message",
        sender=parties.filer,
        entries=entries,
        subject_model=InventoryList,
        sender_dxp_id=dxp_id,
    )


def _payload_later(item, now):
    """The list's CEB603 payload as a function, built when its chunk of outbox rows is written."""
    return partial(_payload_text, item.head, item.items, now)


def _payload_text(head, items, now) -> RawJSON:
    return RawJSON(payloads.inventory_payload_text(head, items, at=now))


def _insert(owner, filer, by, checked, ids, message_ids, submit: bool, now, problems: list) -> None:
    """Lists, lines and audit events. A list row is the cleaned head (keys that are no column, such as
    ``claims_refund``, are ignored by ``insert_rows``) with the batch's shared values; the lists go in by
    ``cop_no``, so two batches of one seller that share references wait for each other in the same order
    (the loser retries and finds them unchanged) instead of deadlocking."""
    status = DocStatus.SUBMITTED if submit else DocStatus.DRAFT
    shared = new_document_columns(owner, filer, by, status, now)
    no_checks = raw_json(InventoryList, "checks", [])
    list_rows, item_rows = [], []
    for pk, message_id, item, warnings in zip(ids, message_ids, checked, problems, strict=True):
        list_rows.append(
            {
                **item.head,
                **shared,
                "id": pk,
                "message_id": message_id,
                "checks": as_checks(warnings) if warnings else no_checks,
                "check_state": check_state(warnings),
            }
        )
        item_rows += [{**line, "inventory_id": pk} for line in item.items]
    list_rows.sort(key=_by_cop_no)
    insert_rows(InventoryList, list_rows)
    insert_rows(InventoryItem, item_rows)
    targets = [(row["id"], row["cop_no"]) for row in list_rows]
    insert_rows(AuditEvent, audit_rows(owner, by, _list_type(), targets, status, now))


_by_cop_no = itemgetter("cop_no")


def new_document_columns(owner, filer, by, status: str, now) -> dict:
    """The columns every document of a batch shares when it is created (to ``status``, at ``now``), as
    ``save()`` and ``transition`` would have set them."""
    user_id = getattr(by, "pk", None)
    return {
        "owner_id": owner.pk,
        "filer_id": filer.pk,
        "status": status,
        "status_changed_at": now,
        "app_type": "1",
        "submitted_at": now if status == DocStatus.SUBMITTED else None,
        "created_at": now,
        "updated_at": now,
        "created_by_id": user_id,
        "updated_by_id": user_id,
    }


def audit_rows(owner, by, target_type_id: int, targets: list[tuple[int, str]], status, now) -> list[dict]:
    """One CREATE event per new document (``(id, what it is called)``) to its first status, as ``audit``
    would write it, without a model each."""
    template = build_event(
        verb=AuditVerb.CREATE, actor=by, to_state=status, payload={"action": "bulk_create"}
    )
    base = {
        f.attname: getattr(template, f.attname) for f in AuditEvent._meta.concrete_fields if not f.primary_key
    }
    base.update(
        at=now,
        target_type_id=target_type_id,
        owner_org_id=owner.pk,
        payload=raw_json(AuditEvent, "payload", base["payload"]),
    )
    return [{**base, "target_id": str(pk), "target_repr": name[:200]} for pk, name in targets]
