"""Writing audit events. The only code path that creates ``AuditEvent`` rows."""

from django.contrib.contenttypes.models import ContentType

from portal.context import current
from portal.models import AuditEvent

SYSTEM_ACTOR = "system"
ANONYMOUS_ACTOR = "anonymous"


def _owner_of(target):
    if target is None:
        return None
    owner_getter = getattr(target, "audit_owner", None)
    if owner_getter is not None:
        return owner_getter() if callable(owner_getter) else owner_getter
    owner_field = getattr(type(target), "owner_field", None)
    if owner_field:
        obj = target
        for part in owner_field.split("__"):
            obj = getattr(obj, part, None)
            if obj is None:
                return None
        return obj
    return None


def audit(
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
    """Append one audit event. ``actor`` defaults to the acting user of the current request or task.

    Call it inside the same transaction as the change it records, so both commit or neither does.
    """
    ctx = current()
    if actor is None:
        actor = ctx.user if ctx.user is not None and getattr(ctx.user, "is_authenticated", False) else None
    if actor is not None:
        label = actor.get_username()
    elif ctx.via in ("web", "api"):
        label = ANONYMOUS_ACTOR
    else:
        label = f"{SYSTEM_ACTOR}:{ctx.via or 'worker'}"
    owner = _owner_of(target)
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=label[:150],
        actor_org=getattr(actor, "organisation", None) if actor is not None else None,
        verb=str(verb),
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False)
        if target is not None
        else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=(target_repr or (str(target) if target is not None else ""))[:200],
        owner_org=owner if owner is not None and owner.__class__.__name__ == "Organisation" else None,
        from_state=str(from_state or "")[:40],
        to_state=str(to_state or "")[:40],
        reason=reason or "",
        payload=payload or {},
        request_id=ctx.request_id,
        ip=ctx.ip or None,
        via=ctx.via[:10],
    )
