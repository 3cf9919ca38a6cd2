"""Inventory lists (CEB603), one at a time: drafts with their lines, copies, the send with its pre-flight
checks, withdrawal, correction and resubmission (``appType`` 2), cancellation (CEB605), and the release
after inspection that the inspection app will call. The bulk path is ``customs.services.bulk``.

Every service takes ``by`` (the acting user; the filer is the user's enterprise unless ``filer`` says which)
and asks ``authority.parties_for`` first: the owner with a customs code, or an agent while authorised.
Errors are ``ValidationError`` by field (nothing is saved), ``PermissionDenied`` or ``TransitionNotAllowed``.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from customs import payloads
from customs.choices import CANCELLABLE, DocStatus, DocumentType
from customs.models import Cancellation, InventoryItem, InventoryList, Order
from customs.services import authority
from customs.services.common import (
    default_text,
    field_error,
    next_version,
    own_code,
    raise_errors,
    raise_unstorable,
    store_checks,
    values_of,
)
from customs.services.matching import MATCH_CODES
from customs.validation import Checked, clean_cancellation, clean_list, error
from customs.validation.specs import LIST_HEAD, LIST_ITEM
from customs.workflows import CANCELLATION, INVENTORY_LIST
from exchange.services import message_enqueue
from portal.choices import AuditVerb
from portal.services.audit import audit
from portal.workflow import lock, transition

HEAD_FIELDS = (
    *(s.name for s in LIST_HEAD.specs if s.name not in ("ie_flag", "claims_refund")),
    "currency",
    "total_value",
    "line_count",
)
ITEM_FIELDS = tuple(s.name for s in LIST_ITEM.specs)
# A list in one of these states no longer holds its order number (another list may declare the order).
RELEASES_ORDER = frozenset({DocStatus.WITHDRAWN, DocStatus.REJECTED, DocStatus.CANCELLED, DocStatus.DETAINED})

COP_TAKEN = gettext_noop("Enterprise reference %(no)s is already used by another of your lists.")
ORDER_TAKEN = gettext_noop(
    "Order %(no)s already has inventory list %(other)s; one order is declared by one list. Withdraw or "
    "cancel that list first."
)
OTHER_ENTERPRISE = gettext_noop(
    "Order %(no)s of platform %(platform)s belongs to another enterprise: a list can only declare your own "
    "orders."
)


def prefill(head: dict, parties: authority.Parties) -> tuple[dict, list]:
    """The head with the seller's and the declaring enterprise's codes filled in from their standing (CEB
    party fields carry customs codes), the producer/seller defaulting to the seller, and the refund choice
    V12 needs defaulting to "claims refund" for a seller with an export-refund qualification."""
    data, problems = dict(head), []
    own_code(data, "ebc_code", parties.owner_codes(), parties.owner_code, parties.owner_name, problems)
    default_text(data, "ebc_name", parties.owner_name)
    own_code(data, "agent_code", parties.filer_codes(), parties.filer_code, parties.filer_name, problems)
    default_text(data, "agent_name", parties.filer_name)
    default_text(data, "owner_code", data.get("ebc_code") or "")
    default_text(data, "owner_name", data.get("ebc_name") or "")
    if data.get("claims_refund") in (None, ""):
        data["claims_refund"] = parties.owner_standing.may_claim_tax_refund
    return data, problems


def ownership_problems(owner, head: dict, *, exclude_pk=None) -> list:
    """The enterprise reference is unused, the order is not declared by another list of the seller, and
    the order (platform + number) is not another enterprise's."""
    found = []
    mine = InventoryList.objects.filter(owner=owner).exclude(pk=exclude_pk)
    cop_no, order_no = head.get("cop_no"), head.get("order_no")
    if cop_no and mine.filter(cop_no=cop_no).exists():
        found.append(error("duplicate", "cop_no", COP_TAKEN, no=cop_no))
    if order_no:
        other = (
            mine.filter(ebc_code=head.get("ebc_code"), order_no=order_no)
            .exclude(status__in=RELEASES_ORDER)
            .values_list("cop_no", flat=True)
            .first()
        )
        if other:
            found.append(error("taken", "order_no", ORDER_TAKEN, no=order_no, other=other))
        if (
            head.get("ebp_code")
            and Order.objects.filter(ebp_code=head["ebp_code"], order_no=order_no)
            .exclude(owner=owner)
            .exists()
        ):
            found.append(
                error(
                    "other_enterprise", "order_no", OTHER_ENTERPRISE, no=order_no, platform=head["ebp_code"]
                )
            )
    return found


def _checked(parties, head: dict, items: list, *, exclude_pk=None, on=None) -> Checked:
    data, problems = prefill(head, parties)
    checked = clean_list(data, items, on=on)
    checked.problems = (
        problems + checked.problems + ownership_problems(parties.owner, checked.head, exclude_pk=exclude_pk)
    )
    return checked


def _store(inventory: InventoryList, checked: Checked) -> None:
    for name in HEAD_FIELDS:
        if name in checked.head:
            setattr(inventory, name, checked.head[name])


def _save_items(inventory: InventoryList, lines: list[dict]) -> list[InventoryItem]:
    items = [
        InventoryItem(inventory=inventory, **{k: line[k] for k in ITEM_FIELDS if k in line}) for line in lines
    ]
    InventoryItem.objects.bulk_create(items, batch_size=500)
    return items


def _matched(inventory: InventoryList, items, problems, *, at=None) -> list:
    """``problems`` with C1–C7 replaced by what the order, receipt and waybill present now say."""
    from customs.validation import match_lists

    lines = [line if isinstance(line, dict) else values_of(line, ITEM_FIELDS) for line in items]
    data = {**values_of(inventory, HEAD_FIELDS), "submitted_at": inventory.submitted_at, "items": lines}
    match = match_lists([data], at=at)[0]
    return [p for p in problems if p.code not in MATCH_CODES] + match.problems


def _save_new(inventory: InventoryList) -> None:
    try:
        with transaction.atomic():
            inventory.save()
    except IntegrityError:  # the same reference saved meanwhile by a parallel request
        raise field_error(
            "cop_no", "duplicate", _("This enterprise reference is already used by another of your lists.")
        ) from None


@transaction.atomic
def list_create(*, owner, by, head: dict, items: list, filer=None, submit: bool = False) -> InventoryList:
    """Save a new list as a draft with its lines (and send it when ``submit``). A draft may break the
    business rules (they are recorded on ``checks``); values that cannot be stored are refused."""
    filer = authority.acting_organisation(by, filer)
    parties = authority.parties_for(owner=owner, filer=filer, document_type=DocumentType.INVENTORY)
    checked = _checked(parties, head, items)
    raise_unstorable(checked.problems)
    inventory = InventoryList(owner=owner, filer=filer, status=DocStatus.DRAFT)
    _store(inventory, checked)
    problems = _matched(inventory, checked.items, checked.problems)
    store_checks(inventory, problems)
    _save_new(inventory)
    _save_items(inventory, checked.items)
    audit(verb=AuditVerb.CREATE, target=inventory, actor=by, to_state=inventory.status)
    if submit:
        return list_submit(inventory=inventory, by=by, filer=filer)
    return inventory


@transaction.atomic
def list_update(*, inventory: InventoryList, by, head: dict, items: list, filer=None) -> InventoryList:
    """Replace a draft's (or a rejected list's) head and lines."""
    filer = authority.acting_organisation(by, filer)
    (inventory,) = lock(inventory)
    if inventory.status not in (DocStatus.DRAFT, DocStatus.REJECTED):
        raise INVENTORY_LIST.refusal(inventory.status, "submit")
    parties = authority.parties_for(owner=inventory.owner, filer=filer, document_type=DocumentType.INVENTORY)
    checked = _checked(parties, head, items, exclude_pk=inventory.pk)
    raise_unstorable(checked.problems)
    _store(inventory, checked)
    inventory.items.all().delete()
    saved = _save_items(inventory, checked.items)
    store_checks(inventory, _matched(inventory, saved, checked.problems))
    inventory.filer = filer
    inventory.save()
    audit(
        verb=AuditVerb.UPDATE,
        target=inventory,
        actor=by,
        from_state=inventory.status,
        to_state=inventory.status,
    )
    return inventory


def list_copy(
    *, inventory: InventoryList, by, cop_no: str, changes: dict | None = None, filer=None
) -> InventoryList:
    """A new draft with the head and lines of ``inventory`` (customs' numbers left out), under a new
    enterprise reference ``cop_no``; ``changes`` overrides head fields (usually the order and waybill)."""
    head = values_of(inventory, HEAD_FIELDS)
    head.update(changes or {}, cop_no=cop_no)
    lines = [values_of(item, ITEM_FIELDS) for item in inventory.items.all()]
    return list_create(owner=inventory.owner, by=by, head=head, items=lines, filer=filer)


@transaction.atomic
def list_submit(*, inventory: InventoryList, by, filer=None) -> InventoryList:
    """Send a draft (appType 1) or a corrected rejected list (appType 2) after the pre-flight checks:
    any error stops it and nothing is saved; warnings are recorded on ``checks`` and sent along."""
    filer = authority.acting_organisation(by, filer)
    (inventory,) = lock(inventory)
    INVENTORY_LIST.target(inventory.status, "submit")
    parties = authority.parties_for(owner=inventory.owner, filer=filer, document_type=DocumentType.INVENTORY)
    dxp_id = authority.require_sender(parties)
    items = list(inventory.items.all())
    head = values_of(inventory, HEAD_FIELDS)
    head["agent_code"], head["agent_name"] = parties.filer_code, parties.filer_name
    checked = _checked(parties, head, [values_of(i, ITEM_FIELDS) for i in items], exclude_pk=inventory.pk)
    problems = _matched(inventory, items, checked.problems, at=timezone.now())
    raise_errors(problems)
    _store(inventory, checked)
    store_checks(inventory, problems)
    inventory.filer = filer
    inventory.app_type = "2" if inventory.status == DocStatus.REJECTED else "1"
    transition(inventory, "submit", by=by, workflow=INVENTORY_LIST)
    inventory.message = message_enqueue(
        message_type="CEB603Message",
        sender=filer,
        business_key=f"LIST:{inventory.ebc_code}:{inventory.cop_no}:{next_version(inventory)}",
        payload=payloads.inventory_payload(inventory, items),
        subject=inventory,
        sender_dxp_id=dxp_id,
    )
    inventory.save()
    return inventory


@transaction.atomic
def list_resubmit(
    *, inventory: InventoryList, by, head: dict | None = None, items: list | None = None, filer=None
):
    """Correct a rejected list and send it again (appType 2) in one step: nothing changes unless the
    corrected list passes every check."""
    if inventory.status != DocStatus.REJECTED:
        (inventory,) = lock(inventory)
        raise INVENTORY_LIST.refusal(inventory.status, "submit")
    if head is not None or items is not None:
        current = values_of(inventory, HEAD_FIELDS)
        lines = items if items is not None else [values_of(i, ITEM_FIELDS) for i in inventory.items.all()]
        inventory = list_update(
            inventory=inventory, by=by, head={**current, **(head or {})}, items=lines, filer=filer
        )
    return list_submit(inventory=inventory, by=by, filer=filer)


@transaction.atomic
def list_withdraw(*, inventory: InventoryList, by, reason: str = "", filer=None) -> InventoryList:
    """Discard a draft or a rejected list; its order number is free again."""
    filer = authority.acting_organisation(by, filer)
    (inventory,) = lock(inventory)
    authority.parties_for(owner=inventory.owner, filer=filer, document_type=DocumentType.INVENTORY)
    transition(inventory, "withdraw", by=by, workflow=INVENTORY_LIST, reason=reason, save=True)
    return inventory


NO_INVT_NO = gettext_noop(
    "Customs has not numbered this list yet; it can be cancelled once it is in the customs system."
)
CANCEL_OPEN = gettext_noop("A cancellation of this list is already with customs.")


@transaction.atomic
def list_cancel(*, inventory: InventoryList, by, reason: str, filer=None) -> Cancellation:
    """Ask customs to cancel a list it accepted and has not closed (CEB605 ``InvtCancel`` with the reason).
    The list becomes CANCELLED when customs concludes the cancellation (CEB606 399)."""
    filer = authority.acting_organisation(by, filer)
    (inventory,) = lock(inventory)
    if inventory.status not in CANCELLABLE:
        raise INVENTORY_LIST.refusal(inventory.status, "cancel")
    parties = authority.parties_for(
        owner=inventory.owner, filer=filer, document_type=DocumentType.CANCELLATION
    )
    dxp_id = authority.require_sender(parties)
    checked = clean_cancellation({"reason": reason})
    if not inventory.invt_no:
        checked.problems.append(error("no_invt_no", "", NO_INVT_NO))
    open_ones = Cancellation.objects.filter(
        inventory=inventory, status__in=(DocStatus.SUBMITTED, DocStatus.DECLARED, DocStatus.ENTERED)
    )
    if open_ones.exists():
        checked.problems.append(error("open", "", CANCEL_OPEN))
    raise_errors(checked.problems)
    number = Cancellation.objects.filter(inventory=inventory).count() + 1
    cancellation = Cancellation.objects.create(
        owner=inventory.owner,
        filer=filer,
        inventory=inventory,
        reason=checked.head["reason"],
        cop_no=f"CXL{inventory.pk}-{number}"[:30],
    )
    audit(
        verb=AuditVerb.CREATE,
        target=cancellation,
        actor=by,
        to_state=cancellation.status,
        reason=cancellation.reason,
    )
    transition(cancellation, "submit", by=by, workflow=CANCELLATION)
    cancellation.message = message_enqueue(
        message_type="CEB605Message",
        sender=filer,
        business_key=f"CANCEL:{inventory.invt_no}:{number}",
        payload=payloads.cancellation_payload(cancellation),
        subject=cancellation,
        sender_dxp_id=dxp_id,
    )
    cancellation.save()
    audit(
        verb=AuditVerb.COMMENT,
        target=inventory,
        actor=by,
        reason=cancellation.reason,
        payload={"action": "cancel_requested", "cancellation": cancellation.pk},
    )
    return cancellation


@transaction.atomic
def list_release_from_inspection(*, inventory: InventoryList, by=None, note: str = "") -> InventoryList:
    """THE INSPECTION SEAM: the inspection app calls this when it releases a list customs held for
    inspection (500). The list moves INSPECTION → RELEASED (``released_at`` stamped, audited with ``note``);
    customs' own 800 that follows changes nothing more. Lists waiting for it:
    ``customs.selectors.held_for_inspection()``; the moment one is held, ``customs.signals.list_held``
    fires (after commit) with the list ids."""
    (inventory,) = lock(inventory)
    transition(
        inventory, "release", by=by, workflow=INVENTORY_LIST, reason=note, payload={"by": "inspection"}
    )
    inventory.save()
    return inventory
