"""The bulk path of orders (CEB303), payment receipts (CEB403) and waybills (CEB505): up to 10,000 per API
request, in one transaction, all or nothing.

``documents_create_bulk(kind, *, owner, filer, by, rows, submit=True)`` is ``document_create`` (and
``document_submit``) for many documents of one kind at once, the same checks and the same result, written
the way the inventory lists' bulk path writes (``customs.services.bulk``): who files is decided once per
party code the rows name (at most three look-ups, not one per row), the code lists are read once, the
documents already filed are found with one query by their business keys, and the documents, their lines,
outbox messages and audit events go in with ``COPY`` on PostgreSQL (multi-row statements elsewhere). The
lists those documents belong to have C1–C7 run again once for the whole batch. The number of queries does
not grow with the rows.

Idempotent on the business key (the model's unique constraint: an order's platform and number, a receipt's
seller, order and transaction number, a waybill's carrier and number): a row whose key the owner already
filed is not created again and answers with that document's id (``unchanged``), so a retried batch creates
nothing twice. The same key filed by another enterprise is refused as ``document_create`` refuses it. Any
error refuses the whole batch with ``BatchRejected`` (``rows[i].field``), nothing written; with
``submit=False`` the documents are saved as drafts and only the errors that make a value unstorable stop.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from customs.choices import DocStatus
from customs.services import authority
from customs.services.bulk import (
    MAX_API_ROWS,
    BatchRejected,
    BulkResult,
    audit_rows,
    new_document_columns,
    refuse_too_many,
    stopping,
)
from customs.services.documents import WAYBILLS, Kind, _prefill
from customs.services.matching import lists_recheck
from customs.validation import as_checks, check_state, error
from customs.validation.common import refs_for
from exchange.services import messages_enqueue_bulk
from portal.bulk import Keys, copies_in_background, gc_paused, insert_rows, raw_json, reserve_ids
from portal.models import AuditEvent, Organisation

KEY_IN_BATCH = gettext_noop(
    "This document (%(key)s) appears twice in this batch (rows %(first)d and %(row)d); file it once."
)


def documents_create_bulk(
    kind: Kind, *, owner, filer, by, rows: list[dict], submit: bool = True, max_rows: int = MAX_API_ROWS
) -> BulkResult:
    """Create (and send, when ``submit``) many documents of ``kind`` at once; all or nothing; see the module.
    ``BulkResult.rows`` holds ``(business key, id, created?)`` per row, the key as a tuple of the fields of
    ``kind.unique``."""
    if len(rows) > max_rows:
        refuse_too_many(
            _("A batch may hold at most %(max)d documents; this one has %(n)d. Split it."),
            max_rows,
            len(rows),
        )
    retried = False
    while True:
        try:
            with gc_paused(), transaction.atomic(), copies_in_background():
                return _create(kind, owner=owner, filer=filer, by=by, rows=rows, submit=submit)
        except IntegrityError:
            if retried:
                raise
            retried = True  # a parallel batch with the same keys: the second run finds them filed


class _Parties:
    """``authority.parties_for`` by the party code a row names, asked at most once per capacity: the filer
    named by one of its codes acts as the document's party; any other code leaves it an agent (or the
    owner)."""

    def __init__(self, kind: Kind, owner, filer):
        self.kind, self.owner, self.filer = kind, owner, filer
        self.filer_codes: set[str] | None = None
        self.found: dict[str, authority.Parties] = {}

    def __call__(self, head: dict) -> authority.Parties:
        code = str(head.get(self.kind.party_field) or "").strip().upper() if self.kind.party_field else ""
        key = code if self.filer_codes is None or code in self.filer_codes else ""
        parties = self.found.get(key)
        if parties is None:
            parties = authority.parties_for(
                owner=self.owner, filer=self.filer, document_type=self.kind.document_type, party_code=key
            )
            self.filer_codes = parties.filer_codes()
            self.found[code if code in self.filer_codes else ""] = parties
        return parties


def _key(kind: Kind, head: dict) -> tuple:
    return tuple(str(head.get(name) or "") for name in kind.unique)


def _filed(kind: Kind, keys: set[tuple]) -> dict[tuple, tuple[int, int]]:
    """``{business key: (owner id, document id)}`` of the documents already filed with one of ``keys``: one
    query by the first two key fields (the unique constraint's leading columns), whatever their number."""
    first, second = kind.unique[:2]
    firsts = sorted({k[0] for k in keys if k[0]})
    seconds = sorted({k[1] for k in keys if k[1]})
    if not firsts or not seconds:
        return {}
    found = kind.model.objects.filter(
        **{f"{first}__one_of": Keys(firsts), f"{second}__one_of": Keys(seconds)}
    )
    out = {}
    for *key, owner_id, pk in found.values_list(*kind.unique, "owner_id", "pk"):
        if tuple(key) in keys:
            out[tuple(key)] = (owner_id, pk)
    return out


def _create(kind: Kind, *, owner, filer, by, rows, submit) -> BulkResult:
    filer = authority.acting_organisation(by, filer)
    if not rows:
        return BulkResult()
    parties_of = _Parties(kind, owner, filer)
    codes = refs_for(None)
    checked, acting = [], []
    for row in rows:
        head = dict(row) if isinstance(row, dict) else {}
        items = head.pop("items", None)
        parties = parties_of(head)
        data, problems = _prefill(kind, head, parties)
        if kind.item_model:
            item = kind.clean(data, items if isinstance(items, list) else [], refs=codes)
        else:
            item = kind.clean(data, refs=codes)
        item.problems = problems + item.problems
        checked.append(item)
        acting.append(parties)
    dxp_id = authority.require_sender(acting[0]) if submit else ""
    keys = [_key(kind, c.head) for c in checked]
    filed = _filed(kind, set(keys))
    fresh, first_of = [], {}
    for index, (key, item) in enumerate(zip(keys, checked, strict=True)):
        if key in filed and filed[key][0] == owner.pk:
            continue  # filed before by this owner: the batch is being retried
        fresh.append(index)
        values = dict(zip(kind.unique, key, strict=True))
        if key in filed:
            item.problems.append(error("duplicate", kind.unique_field, kind.duplicate, **values))
        elif all(key[:2]) and key in first_of:
            shown = " / ".join(v for v in key if v)
            item.problems.append(
                error(
                    "duplicate",
                    kind.unique_field,
                    KEY_IN_BATCH,
                    key=shown,
                    first=first_of[key] + 1,
                    row=index + 1,
                )
            )
        first_of.setdefault(key, index)
    rejected = [
        (index, problem)
        for index in fresh
        if stopping(checked[index].problems, submit)
        for problem in checked[index].problems
    ]
    if rejected:
        raise BatchRejected(rejected)
    fresh.sort(key=lambda i: keys[i])  # two batches sharing keys wait for each other instead of deadlocking
    ids = _write(
        kind, owner, filer, by, [checked[i] for i in fresh], [acting[i] for i in fresh], submit, dxp_id
    )
    _recheck([checked[i].head for i in fresh], kind)
    created = dict(zip(fresh, ids, strict=True))
    result = BulkResult(created=len(created), unchanged=len(rows) - len(created))
    for index, key in enumerate(keys):
        result.rows.append((key, created.get(index) or filed[key][1], index in created))
    return result


def _party_ids(kind: Kind, heads: list[dict], acting: list, filer) -> list:
    """Each document's party (``documents._party_org``) for the whole batch: the filer where it acts as the
    party, else the portal enterprise the document's party code names as a USCC (one query)."""
    field = kind.party_field or "ebc_code"
    codes = sorted({h.get(field) for h in heads if len(h.get(field) or "") == 18})
    known = (
        dict(Organisation.objects.filter(code__one_of=Keys(codes)).values_list("code", "pk")) if codes else {}
    )
    return [
        filer.pk if parties.acting_as == authority.PARTY else known.get(head.get(field) or "")
        for head, parties in zip(heads, acting, strict=True)
    ]


def _write(kind: Kind, owner, filer, by, checked: list, acting: list, submit: bool, dxp_id: str) -> list[int]:
    """The documents, their lines, messages (when ``submit``) and CREATE audit events: a few statements."""
    if not checked:
        return []
    now = timezone.now()
    heads = [c.head for c in checked]
    ids = reserve_ids(kind.model, len(checked))
    if submit:
        message_ids = messages_enqueue_bulk(
            message_type=kind.message_type,
            sender=filer,
            entries=[
                (f"{kind.key(_Fields(head))}:1", _payload_later(kind, head, c.items, now), pk)
                for pk, head, c in zip(ids, heads, checked, strict=True)
            ],
            subject_model=kind.model,
            sender_dxp_id=dxp_id,
        )
    else:
        message_ids = [None] * len(ids)
    status = DocStatus.SUBMITTED if submit else DocStatus.DRAFT
    shared = new_document_columns(owner, filer, by, status, now)
    no_checks = raw_json(kind.model, "checks", [])
    doc_rows = [
        {
            **head,
            **shared,
            "id": pk,
            "party_id": party_id,
            "message_id": message_id,
            "checks": as_checks(c.problems) if c.problems else no_checks,
            "check_state": check_state(c.problems),
        }
        for pk, head, c, message_id, party_id in zip(
            ids, heads, checked, message_ids, _party_ids(kind, heads, acting, filer), strict=True
        )
    ]
    insert_rows(kind.model, doc_rows)
    if kind.item_model:
        insert_rows(
            kind.item_model,
            [{**line, "order_id": pk} for pk, c in zip(ids, checked, strict=True) for line in c.items],
        )
    target_type = ContentType.objects.get_for_model(kind.model).pk
    targets = [(pk, kind.key(_Fields(head))) for pk, head in zip(ids, heads, strict=True)]
    insert_rows(AuditEvent, audit_rows(owner, by, target_type, targets, status, now))
    return ids


class _Fields:
    """A cleaned head read like a document (``kind.key`` and the payload builders read attributes)."""

    def __init__(self, head: dict, **more):
        self.__dict__.update(head, **more)


def _payload_later(kind: Kind, head: dict, items: list, now):
    """The document's CEB payload, built when its chunk of outbox rows is written."""
    if kind.item_model:
        return lambda: kind.payload(_Fields(head, app_type="1"), [_Fields(line) for line in items], at=now)
    return lambda: kind.payload(_Fields(head, app_type="1"), at=now)


def _recheck(heads: list[dict], kind: Kind) -> None:
    """C1–C7 again for the lists these documents belong to (``document_create``'s ``_recheck``, once)."""
    if kind is WAYBILLS:
        lists_recheck(waybill_keys=[(h["logistics_code"], h["logistics_no"]) for h in heads])
    else:
        lists_recheck(order_keys=[(h["ebc_code"], h["order_no"]) for h in heads])
