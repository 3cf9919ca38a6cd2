"""State machines, declared once per model and applied by one function (CONVENTIONS: "one transition = one
service"; issue 9, the domain-app kit).

An app declares its machine as a ``Workflow``: the legal moves ``{(from_state, verb): to_state}``, a label
for each verb, and what to stamp. A service then calls

    with transaction.atomic():
        before = transition(filing, "approve", by=user, workflow=FILING, reason=note)

which locks the row (``SELECT … FOR UPDATE``), checks the move (``TransitionNotAllowed`` → a message on pages,
HTTP 409 in the API), sets the state and its stamps, writes the audit event in the same transaction and
returns the state it left. The caller saves the row (it usually sets more fields first) or passes
``save=True``.

For volume (thousands of inventory lists moved by one batch of receipts) ``bulk_transition`` moves a whole
queryset with one conditional UPDATE per source state and writes the audit events in one multi-row INSERT.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from portal.choices import AuditVerb
from portal.services.audit import audit, audit_many, build_event
from portal.statemachine import TransitionNotAllowed

_LOCKED = "_portal_locked_in"
# Every declared machine by name (the kit's tests hold each one against its model and its services).
WORKFLOWS: dict[str, "Workflow"] = {}


@dataclass(frozen=True)
class Workflow:
    """One model's state machine.

    ``moves``: ``{(from_state, verb): to_state}``; ``verbs``: a label per verb for messages ("approve");
    ``label``: what the object is called ("filing"); ``state_field``: the state column; ``changed_at``: the
    column stamped with the time of every change (or ""); ``stamps``: per verb, the ``(time_field,
    user_field)`` it sets, e.g. ``{"approve": ("decided_at", "decided_by")}``.
    """

    name: str
    moves: dict[tuple[str, str], str]
    label: object = ""
    verbs: dict[str, object] = field(default_factory=dict)
    state_field: str = "status"
    changed_at: str = ""
    stamps: dict[str, tuple[str, str]] = field(default_factory=dict)
    states: type | None = None  # the TextChoices of the state column, for labels and the kit's checks

    def __post_init__(self):
        WORKFLOWS[self.name] = self

    def target(self, current, verb: str) -> str:
        try:
            return self.moves[(str(current), verb)]
        except KeyError:
            raise self.refusal(current, verb) from None

    def refusal(self, current, verb: str, *, current_label: object = None) -> TransitionNotAllowed:
        return TransitionNotAllowed(
            current=str(current_label if current_label is not None else self.state_label(current)),
            verb=str(self.verbs.get(verb, verb)),
            label=str(self.label or self.name),
        )

    def allowed(self, current) -> list[str]:
        return [verb for (src, verb) in self.moves if src == str(current)]

    def sources(self, verb: str) -> dict[str, str]:
        """``{from_state: to_state}`` of one verb."""
        return {src: dst for (src, v), dst in self.moves.items() if v == verb}

    def state_label(self, state) -> object:
        if self.states is not None and str(state) in self.states.values:
            return self.states(str(state)).label
        return state

    def all_states(self) -> set[str]:
        return {s for (s, _v) in self.moves} | set(self.moves.values())


def _fields(instance: Model) -> list:
    return [f for f in instance._meta.concrete_fields if not f.primary_key]


def _mark_locked(instance: Model) -> None:
    # Which connection's transaction holds the lock: an instance locked in an earlier transaction is stale.
    setattr(instance, _LOCKED, id(connection.connection) if connection.connection else None)


def is_locked(instance: Model) -> bool:
    return connection.in_atomic_block and getattr(instance, _LOCKED, object()) == (
        id(connection.connection) if connection.connection else None
    )


def lock(*objs: Model) -> list[Model]:
    """Re-read ``objs`` under row locks, in primary-key order per model (one lock order everywhere, so two
    services locking the same rows can never deadlock each other). Returns fresh instances in the order given;
    a row that no longer exists raises ``DoesNotExist``. Call inside ``transaction.atomic()``."""
    if not connection.in_atomic_block:
        raise RuntimeError("lock() needs a transaction (transaction.atomic)")
    by_model: dict[type, set] = {}
    for obj in objs:
        by_model.setdefault(type(obj), set()).add(obj.pk)
    fresh: dict[tuple[type, object], Model] = {}
    for model in sorted(by_model, key=lambda m: m._meta.label):
        pks = sorted(by_model[model])
        for row in model._base_manager.select_for_update().filter(pk__in=pks).order_by("pk"):
            _mark_locked(row)
            fresh[(model, row.pk)] = row
    result = []
    for obj in objs:
        row = fresh.get((type(obj), obj.pk))
        if row is None:
            raise type(obj).DoesNotExist(f"{type(obj).__name__} {obj.pk} does not exist")
        result.append(row)
    return result


def _refresh_locked(instance: Model) -> None:
    """Bring ``instance`` up to date from its locked row (the caller's object stays the one it holds)."""
    (row,) = lock(instance)
    for f in _fields(instance):
        setattr(instance, f.attname, getattr(row, f.attname))
    _mark_locked(instance)


def transition(
    obj: Model,
    verb: str,
    *,
    by=None,
    workflow: Workflow,
    reason: str = "",
    payload: dict | None = None,
    audit_verb: str = AuditVerb.TRANSITION,
    audit_target: Model | None = None,
    internal: bool = False,
    save: bool = False,
) -> str:
    """Apply ``verb`` to ``obj``: lock (unless ``lock()`` gave it), check, set the state and stamps, audit.

    Returns the state before. ``audit_target``: record the event on another object (a qualification task's
    move on its filing's timeline). ``internal``: marked so the applicant's timeline hides it (ADR 0015).
    ``save``: save the changed columns now (otherwise the caller saves, usually after setting more fields).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("transition() needs a transaction (transaction.atomic)")
    if obj.pk is not None and not is_locked(obj):
        _refresh_locked(obj)
    before = getattr(obj, workflow.state_field)
    target = workflow.target(before, verb)
    changed = [workflow.state_field]
    setattr(obj, workflow.state_field, target)
    now = timezone.now()
    if workflow.changed_at:
        setattr(obj, workflow.changed_at, now)
        changed.append(workflow.changed_at)
    time_field, user_field = workflow.stamps.get(verb, ("", ""))
    if time_field:
        setattr(obj, time_field, now)
        changed.append(time_field)
    if user_field and by is not None:
        setattr(obj, user_field, by)
        changed.append(user_field)
    extra = {"action": verb, **(payload or {})}
    if internal:
        extra["internal"] = True
    audit(
        verb=audit_verb,
        target=audit_target if audit_target is not None else obj,
        actor=by,
        from_state=before,
        to_state=target,
        reason=reason,
        payload=extra,
    )
    if save:
        obj.save(update_fields=changed)
    return before


@transaction.atomic
def bulk_transition(
    queryset: QuerySet,
    verb: str,
    *,
    workflow: Workflow,
    by=None,
    reason: str = "",
    payload: dict | None = None,
    audit_verb: str = AuditVerb.TRANSITION,
    extra_updates: dict | None = None,
) -> dict[str, int]:
    """Move every row of ``queryset`` that may take ``verb``: the rows in any source state of ``verb`` locked
    in one query (primary-key order), one conditional UPDATE per source state they are in (rows in another
    state are left alone and counted as ``skipped``), then one multi-row INSERT of their audit events.

    Returns ``{"moved": n, "skipped": m}``. Meant for volume (a batch of receipts, a bulk cancellation): no
    per-row query, no per-row save. The audit events are written per object, as everywhere else.
    """
    now = timezone.now()
    moved = 0
    events = []
    model = queryset.model
    pks = list(queryset.values_list("pk", flat=True))
    sources = workflow.sources(verb)
    field = workflow.state_field
    in_sources = {f"{field}__in": list(sources)}
    by_source: dict[str, list] = {}
    for row in model._base_manager.select_for_update().filter(pk__in=pks, **in_sources).order_by("pk"):
        by_source.setdefault(getattr(row, field), []).append(row)
    for src, rows in by_source.items():
        dst = sources[src]
        in_src = {field: src}
        updates = {workflow.state_field: dst, **(extra_updates or {})}
        if workflow.changed_at:
            updates[workflow.changed_at] = now
        model._base_manager.filter(pk__in=[r.pk for r in rows], **in_src).update(**updates)
        moved += len(rows)
        events += [
            build_event(
                verb=audit_verb,
                target=row,
                actor=by,
                from_state=src,
                to_state=dst,
                reason=reason,
                payload={"action": verb, **(payload or {})},
            )
            for row in rows
        ]
    audit_many(events)
    return {"moved": moved, "skipped": len(pks) - moved}


def check_tables(workflows: Iterable[Workflow] | None = None) -> list[str]:
    """Problems of declared machines (a verb without a label, an unknown state): run by the kit's tests."""
    problems = []
    for wf in WORKFLOWS.values() if workflows is None else workflows:
        for (_src, verb), _dst in wf.moves.items():
            if verb not in wf.verbs:
                problems.append(f"{wf.name}: verb {verb!r} has no label")
        if wf.states is not None:
            unknown = wf.all_states() - set(wf.states.values)
            if unknown:
                problems.append(f"{wf.name}: unknown states {sorted(unknown)}")
    return problems
