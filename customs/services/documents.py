"""Orders (CEB303), payment receipts (CEB403) and waybills (CEB505): drafts, the send, withdrawal.

Who files: orders the seller or the platform named on it (``ebp_code``); payment receipts the seller or its
payment enterprise (``pay_code``); waybills the logistics enterprise (their owner); each also an agent the
owner authorised for that kind of document. The three share one engine (``Kind``); ``customs.services``
exports the named services (``order_create`` …). Whenever one of them is saved or sent, C1–C7 run again
for the lists it belongs to (``matching.lists_recheck``), so a late order, receipt or waybill updates the
lists' ``checks``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_noop

from customs import payloads
from customs.choices import DocStatus, DocumentType
from customs.models import Order, OrderItem, Payment, Waybill
from customs.services import authority
from customs.services.common import (
    default_text,
    next_version,
    own_code,
    raise_errors,
    raise_unstorable,
    store_checks,
    values_of,
)
from customs.services.matching import lists_recheck
from customs.validation import Checked, clean_order, clean_payment, clean_waybill, error, to_validation_error
from customs.validation.specs import ORDER_HEAD, ORDER_ITEM, PAYMENT, WAYBILL
from customs.workflows import ORDER
from customs.workflows import PAYMENT as PAYMENT_FLOW
from customs.workflows import WAYBILL as WAYBILL_FLOW
from exchange.services import message_enqueue
from portal.choices import AuditVerb
from portal.models import Organisation
from portal.services.audit import audit
from portal.workflow import lock, transition

DUPLICATE_ORDER = gettext_noop("Order %(order_no)s of platform %(ebp_code)s is already filed.")
DUPLICATE_PAYMENT = gettext_noop("A payment receipt %(pay_no)s for order %(order_no)s is already filed.")
DUPLICATE_WAYBILL = gettext_noop("Waybill %(logistics_no)s of this logistics enterprise is already filed.")


@dataclass(frozen=True)
class Kind:
    model: type
    workflow: object
    document_type: str
    message_type: str
    fields: tuple
    clean: Callable
    payload: Callable
    key: Callable  # doc → business key prefix
    own_field: str  # the owner's party code on the document
    own_name: str
    party_field: str = ""  # the natural party's code (filer without authorisation)
    party_name: str = ""
    item_model: type | None = None
    item_fields: tuple = ()
    unique: tuple = ()  # the unique business key (as the model's constraint)
    unique_field: str = ""
    duplicate: str = ""

    def items_of(self, doc) -> list:
        return list(doc.items.all()) if self.item_model else []


def _duplicates(kind: Kind, head: dict, exclude_pk=None) -> list:
    """The document's unique business key is not filed yet (the database would refuse it)."""
    values = {name: head.get(name) or "" for name in kind.unique}
    if not all(values[name] for name in kind.unique[:2]):
        return []
    if kind.model.objects.exclude(pk=exclude_pk).filter(**values).exists():
        return [error("duplicate", kind.unique_field, kind.duplicate, **values)]
    return []


def _prefill(kind: Kind, head: dict, parties: authority.Parties) -> tuple[dict, list]:
    data, problems = dict(head), []
    own_code(data, kind.own_field, parties.owner_codes(), parties.owner_code, parties.owner_name, problems)
    default_text(data, kind.own_name, parties.owner_name)
    if kind.party_field and parties.acting_as == authority.PARTY:
        data[kind.party_field] = parties.filer_code  # named by its customs code, as customs matches them
        default_text(data, kind.party_name, parties.filer_name)
    return data, problems


def _checked(kind: Kind, parties, head: dict, items, *, exclude_pk=None) -> Checked:
    data, problems = _prefill(kind, head, parties)
    checked = kind.clean(data, items) if kind.item_model else kind.clean(data)
    checked.problems = problems + checked.problems + _duplicates(kind, checked.head, exclude_pk)
    return checked


def _parties(kind: Kind, *, owner, filer, head: dict) -> authority.Parties:
    code = str(head.get(kind.party_field) or "") if kind.party_field else ""
    return authority.parties_for(owner=owner, filer=filer, document_type=kind.document_type, party_code=code)


def _party_org(kind: Kind, doc, parties: authority.Parties, party):
    """The portal enterprise named as the document's party: given, the filer acting as it, or found by the
    unified social credit code the document names (a customs code names no portal enterprise by itself)."""
    if party is not None:
        return party
    if parties.acting_as == authority.PARTY:
        return parties.filer
    code = getattr(doc, kind.party_field or "ebc_code", "")
    if len(code or "") == 18:
        return Organisation.objects.filter(code=code).first()
    return None


def _save_items(kind: Kind, doc, lines) -> None:
    if kind.item_model:
        kind.item_model.objects.bulk_create(
            [
                kind.item_model(order=doc, **{k: line[k] for k in kind.item_fields if k in line})
                for line in lines
            ]
        )


def _save(doc) -> None:
    try:
        with transaction.atomic():
            doc.save()
    except IntegrityError:  # filed by a parallel request meanwhile
        raise to_validation_error(
            [error("duplicate", "", gettext_noop("This document is already filed."))]
        ) from None


def _recheck(kind: Kind, doc) -> None:
    if kind.model is Waybill:
        lists_recheck(waybill_keys=[(doc.logistics_code, doc.logistics_no)])
    else:
        lists_recheck(order_keys=[(doc.ebc_code, doc.order_no)])


@transaction.atomic
def document_create(kind: Kind, *, owner, by, head: dict, items=None, filer=None, party=None, submit=False):
    filer = authority.acting_organisation(by, filer)
    parties = _parties(kind, owner=owner, filer=filer, head=head)
    checked = _checked(kind, parties, head, items or [])
    raise_unstorable(checked.problems)
    doc = kind.model(owner=owner, filer=filer, status=DocStatus.DRAFT)
    for name in kind.fields:
        if name in checked.head:
            setattr(doc, name, checked.head[name])
    if hasattr(doc, "party_id"):
        doc.party = _party_org(kind, doc, parties, party)
    store_checks(doc, checked.problems)
    _save(doc)
    _save_items(kind, doc, checked.items)
    audit(verb=AuditVerb.CREATE, target=doc, actor=by, to_state=doc.status)
    if submit:
        return document_submit(kind, doc=doc, by=by, filer=filer)
    _recheck(kind, doc)
    return doc


@transaction.atomic
def document_update(kind: Kind, *, doc, by, head: dict, items=None, filer=None):
    filer = authority.acting_organisation(by, filer)
    (doc,) = lock(doc)
    if doc.status not in (DocStatus.DRAFT, DocStatus.REJECTED):
        raise kind.workflow.refusal(doc.status, "submit")
    parties = _parties(kind, owner=doc.owner, filer=filer, head=head)
    checked = _checked(kind, parties, head, items or [], exclude_pk=doc.pk)
    raise_unstorable(checked.problems)
    for name in kind.fields:
        if name in checked.head:
            setattr(doc, name, checked.head[name])
    store_checks(doc, checked.problems)
    doc.filer = filer
    doc.save()
    if kind.item_model:
        doc.items.all().delete()
        _save_items(kind, doc, checked.items)
    audit(verb=AuditVerb.UPDATE, target=doc, actor=by, from_state=doc.status, to_state=doc.status)
    _recheck(kind, doc)
    return doc


@transaction.atomic
def document_submit(kind: Kind, *, doc, by, filer=None):
    filer = authority.acting_organisation(by, filer)
    (doc,) = lock(doc)
    kind.workflow.target(doc.status, "submit")
    head = values_of(doc, kind.fields)
    parties = _parties(kind, owner=doc.owner, filer=filer, head=head)
    dxp_id = authority.require_sender(parties)
    items = kind.items_of(doc)
    lines = [values_of(i, kind.item_fields) for i in items]
    checked = _checked(kind, parties, head, lines, exclude_pk=doc.pk)
    raise_errors(checked.problems)
    store_checks(doc, checked.problems)
    doc.filer = filer
    doc.app_type = "2" if doc.status == DocStatus.REJECTED else "1"
    transition(doc, "submit", by=by, workflow=kind.workflow)
    payload = kind.payload(doc, items) if kind.item_model else kind.payload(doc)
    doc.message = message_enqueue(
        message_type=kind.message_type,
        sender=filer,
        business_key=f"{kind.key(doc)}:{next_version(doc)}",
        payload=payload,
        subject=doc,
        sender_dxp_id=dxp_id,
    )
    doc.save()
    _recheck(kind, doc)
    return doc


@transaction.atomic
def document_withdraw(kind: Kind, *, doc, by, reason: str = "", filer=None):
    filer = authority.acting_organisation(by, filer)
    (doc,) = lock(doc)
    _parties(kind, owner=doc.owner, filer=filer, head=values_of(doc, kind.fields))
    transition(doc, "withdraw", by=by, workflow=kind.workflow, reason=reason, save=True)
    _recheck(kind, doc)
    return doc


ORDERS = Kind(
    model=Order,
    workflow=ORDER,
    document_type=DocumentType.ORDER,
    message_type="CEB303Message",
    fields=tuple(s.name for s in ORDER_HEAD.specs),
    clean=clean_order,
    payload=payloads.order_payload,
    key=lambda o: f"ORDER:{o.ebp_code}:{o.order_no}",
    own_field="ebc_code",
    own_name="ebc_name",
    party_field="ebp_code",
    party_name="ebp_name",
    item_model=OrderItem,
    item_fields=tuple(s.name for s in ORDER_ITEM.specs),
    unique=("ebp_code", "order_no"),
    unique_field="order_no",
    duplicate=DUPLICATE_ORDER,
)
PAYMENTS = Kind(
    model=Payment,
    workflow=PAYMENT_FLOW,
    document_type=DocumentType.PAYMENT,
    message_type="CEB403Message",
    fields=tuple(s.name for s in PAYMENT.specs),
    clean=clean_payment,
    payload=payloads.payment_payload,
    key=lambda p: f"PAYMENT:{p.ebc_code}:{p.order_no}:{p.pay_no}",
    own_field="ebc_code",
    own_name="ebc_name",
    party_field="pay_code",
    party_name="pay_name",
    unique=("ebc_code", "order_no", "pay_no"),
    unique_field="pay_no",
    duplicate=DUPLICATE_PAYMENT,
)
WAYBILLS = Kind(
    model=Waybill,
    workflow=WAYBILL_FLOW,
    document_type=DocumentType.WAYBILL,
    message_type="CEB505Message",
    fields=tuple(s.name for s in WAYBILL.specs),
    clean=clean_waybill,
    payload=payloads.waybill_payload,
    key=lambda w: f"WAYBILL:{w.logistics_code}:{w.logistics_no}",
    own_field="logistics_code",
    own_name="logistics_name",
    unique=("logistics_code", "logistics_no"),
    unique_field="logistics_no",
    duplicate=DUPLICATE_WAYBILL,
)


def order_create(
    *, owner, by, head: dict, items: list, filer=None, party=None, submit: bool = False
) -> Order:
    """A new order (draft) with its lines, filed by the seller, the platform it names, or an agent."""
    return document_create(
        ORDERS, owner=owner, by=by, head=head, items=items, filer=filer, party=party, submit=submit
    )


def order_update(*, order: Order, by, head: dict, items: list, filer=None) -> Order:
    return document_update(ORDERS, doc=order, by=by, head=head, items=items, filer=filer)


def order_submit(*, order: Order, by, filer=None) -> Order:
    return document_submit(ORDERS, doc=order, by=by, filer=filer)


def order_withdraw(*, order: Order, by, reason: str = "", filer=None) -> Order:
    return document_withdraw(ORDERS, doc=order, by=by, reason=reason, filer=filer)


def payment_create(*, owner, by, data: dict, filer=None, party=None, submit: bool = False) -> Payment:
    """A new payment receipt (收款单), filed by the seller, the payment enterprise it names, or an agent."""
    return document_create(PAYMENTS, owner=owner, by=by, head=data, filer=filer, party=party, submit=submit)


def payment_update(*, payment: Payment, by, data: dict, filer=None) -> Payment:
    return document_update(PAYMENTS, doc=payment, by=by, head=data, filer=filer)


def payment_submit(*, payment: Payment, by, filer=None) -> Payment:
    return document_submit(PAYMENTS, doc=payment, by=by, filer=filer)


def payment_withdraw(*, payment: Payment, by, reason: str = "", filer=None) -> Payment:
    return document_withdraw(PAYMENTS, doc=payment, by=by, reason=reason, filer=filer)


def waybill_create(*, owner, by, data: dict, filer=None, party=None, submit: bool = False) -> Waybill:
    """A new waybill, owned and filed by the logistics enterprise (or its agent); ``party``: the seller."""
    return document_create(WAYBILLS, owner=owner, by=by, head=data, filer=filer, party=party, submit=submit)


def waybill_update(*, waybill: Waybill, by, data: dict, filer=None) -> Waybill:
    return document_update(WAYBILLS, doc=waybill, by=by, head=data, filer=filer)


def waybill_submit(*, waybill: Waybill, by, filer=None) -> Waybill:
    return document_submit(WAYBILLS, doc=waybill, by=by, filer=filer)


def waybill_withdraw(*, waybill: Waybill, by, reason: str = "", filer=None) -> Waybill:
    return document_withdraw(WAYBILLS, doc=waybill, by=by, reason=reason, filer=filer)
