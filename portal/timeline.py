"""Builds an object's timeline: its audit events plus whatever registered sources add (messages, receipts)."""

from django.utils.translation import gettext as _

from portal.choices import AuditVerb
from portal.models import AuditEvent
from portal.ui import TimelineEntry, timeline_sources

_TONE = {AuditVerb.TRANSITION: "info", AuditVerb.DELETE: "warning", AuditVerb.LOGIN_FAILED: "warning"}


def actor_display(event) -> str:
    """Who acted, for people: the user's name, or what a system label (see portal.services.audit) means."""
    if event.actor is not None:
        return event.actor.display_name
    label = event.actor_label or ""
    if label == "system:callback":
        return _("System (receipt from the department)")
    if label in ("system:poll", "system:worker"):
        return _("System (background processing)")
    if label.startswith("system"):
        return _("System")
    if label == "anonymous":
        return _("Not signed in")
    return label


def _status_labels(obj) -> dict[str, str]:
    try:
        field = obj._meta.get_field("status")
    except Exception:
        return {}
    return {str(value): str(label) for value, label in (field.choices or [])}


def _internal_hidden(event, user) -> bool:
    """An event a domain app marked ``internal`` (``payload["internal"]``, e.g. a step inside a government
    body before its decision) is not shown to the staff of the organisation that owns the object."""
    return bool(
        isinstance(event.payload, dict)
        and event.payload.get("internal")
        and event.owner_org_id is not None
        and event.owner_org_id == getattr(user, "organisation_id", None)
    )


def audit_entries(obj, user) -> list[TimelineEntry]:
    labels = _status_labels(obj)
    verbs = dict(AuditVerb.choices)
    entries = []
    for event in AuditEvent.objects.visible_to(user).for_object(obj).select_related("actor"):
        if _internal_hidden(event, user):
            continue
        entries.append(
            TimelineEntry(
                at=event.at,
                kind="audit",
                title=str(verbs.get(event.verb, event.verb)),
                detail=event.reason,
                actor=actor_display(event),
                from_state=labels.get(event.from_state, event.from_state),
                to_state=labels.get(event.to_state, event.to_state),
                tone=_TONE.get(event.verb, "info"),
                extra={"payload": event.payload, "request_id": event.request_id},
            )
        )
    return entries


def timeline_for(obj, user) -> list[TimelineEntry]:
    entries = audit_entries(obj, user)
    for source in timeline_sources():
        entries.extend(source(obj, user) or [])
    return sorted(entries, key=lambda e: e.at)
