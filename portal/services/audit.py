"""Writing audit events. The only code path that creates ``AuditEvent`` rows."""

from django.contrib.contenttypes.models import ContentType

from portal.context import current
from portal.models import AuditEvent

SYSTEM_ACTOR = "system"
ANONYMOUS_ACTOR = "anonymous"


def _owner_id_of(target) -> int | None:
    """The pk of the organisation owning ``target``, without loading it when a foreign key id suffices."""
    if target is None:
        return None
    owner_getter = getattr(target, "audit_owner", None)
    if owner_getter is not None:
        owner = owner_getter() if callable(owner_getter) else owner_getter
        return getattr(owner, "pk", None)
    owner_field = getattr(type(target), "owner_field", None)
    if not owner_field:
        return None
    *path, last = owner_field.split("__")
    obj = target
    for part in path:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def build_event(
    *,
    verb: str,
    target=None,
    actor=None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    payload: dict | None = None,
    target_repr: str = "",
) -> AuditEvent:
    """An unsaved audit event; ``actor`` defaults to the acting user of the current request or task."""
    ctx = current()
    if actor is None:
        actor = ctx.user if ctx.user is not None and getattr(ctx.user, "is_authenticated", False) else None
    if actor is not None:
        label = actor.get_username()
    elif ctx.via in ("web", "api"):
        label = ANONYMOUS_ACTOR
    else:
        label = f"{SYSTEM_ACTOR}:{ctx.via or 'worker'}"
    return AuditEvent(
        actor=actor,
        actor_label=label[:150],
        actor_org_id=getattr(actor, "organisation_id", None) if actor is not None else None,
        verb=str(verb),
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False)
        if target is not None
        else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=(target_repr or (str(target) if target is not None else ""))[:200],
        owner_org_id=_owner_id_of(target),
        from_state=str(from_state or "")[:40],
        to_state=str(to_state or "")[:40],
        reason=reason or "",
        payload=payload or {},
        request_id=ctx.request_id,
        ip=ctx.ip or None,
        via=ctx.via[:10],
    )


def audit(**kwargs) -> AuditEvent:
    """Append one audit event (keyword arguments of ``build_event``).

    Call it inside the same transaction as the change it records, so both commit or neither does.
    """
    event = build_event(**kwargs)
    event.save()
    return event


def audit_many(events: list[AuditEvent]) -> None:
    """Append several events built with ``build_event`` in one statement (e.g. a batch of 100 messages)."""
    if events:
        AuditEvent.objects.bulk_create(events)
