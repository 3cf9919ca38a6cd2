"""Builds an object's timeline: its story in plain language, one line per business event, grouped.

The entries are the object's audit events (each model's registered presenter says how they read) plus
whatever registered sources add (the exchange's messages and receipts). Raw codes, keys, ids and links to
raw messages go into each entry's technical details, which only officers and administrators see (ADR 0025).
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.template.defaultfilters import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import texts
from portal.choices import AuditVerb, OrganisationKind
from portal.models import AuditEvent
from portal.ui import Described, TimelineEntry, audit_presenter, timeline_sources

_TONE = {AuditVerb.TRANSITION: "info", AuditVerb.DELETE: "warning", AuditVerb.LOGIN_FAILED: "warning"}
# Events that are no business event of the object (reading is not acting); the audit trail keeps them.
_NOT_A_STORY = frozenset({AuditVerb.DOWNLOAD})


def sees_technical_details(user) -> bool:
    """Officers of the government bodies and the platform's administrators see raw codes, message keys and
    ids and the raw messages; enterprise users read the plain story."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    organisation = getattr(user, "organisation", None)
    return organisation is not None and organisation.kind != OrganisationKind.ENTERPRISE


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


_BOOLEAN_STATES = {"True": gettext_lazy("active"), "False": gettext_lazy("inactive")}


def state_labels(model, payload=None) -> dict[str, str]:
    """Value → label of the states an audit event of ``model`` records. A model whose events record other
    states than its ``status`` field (a filing records its qualifications' states too) says so with a
    classmethod ``audit_state_labels(payload)``."""
    if model is None:
        return {}
    custom = getattr(model, "audit_state_labels", None)
    if custom is not None:
        labels = custom(payload or {})
        if labels is not None:
            return {str(k): str(v) for k, v in labels.items()}
    try:
        status = model._meta.get_field("status")
    except Exception:
        return {key: str(value) for key, value in _BOOLEAN_STATES.items()}
    return {str(value): str(label) for value, label in (status.choices or [])}


def state_label(model, value: str, payload=None) -> str:
    """A recorded state in words (the audit page and the timeline never show a raw state value)."""
    if not value:
        return ""
    labels = state_labels(model, payload)

    def one(raw: str) -> str:
        return labels.get(raw, raw.replace("_", " ").lower())

    parts = str(value).split(",")
    return texts.join_list(one(part) for part in parts) if len(parts) > 1 else one(parts[0])


def _internal_hidden(event, user) -> bool:
    """An event a domain app marked ``internal`` (``payload["internal"]``, e.g. a step inside a government
    body before its decision) is not shown to the staff of the organisation that owns the object."""
    return bool(
        isinstance(event.payload, dict)
        and event.payload.get("internal")
        and event.owner_org_id is not None
        and event.owner_org_id == getattr(user, "organisation_id", None)
    )


def _may_see(obj, user) -> bool:
    manager = getattr(type(obj), "objects", None)
    visible_to = getattr(manager, "visible_to", None)
    if visible_to is None:
        return False
    return visible_to(user).filter(pk=obj.pk).exists()


def audit_events_for(obj, user):
    """The audit events of ``obj`` that ``user`` reads on its timeline: all of them when the user may see the
    object (a reviewer reads what the applicant did: submission, edits, uploads), else only those the
    audit trail would show the user anyway."""
    events = AuditEvent.objects.for_object(obj).select_related("actor")
    if _may_see(obj, user):
        return events
    return events.filter(pk__in=AuditEvent.objects.visible_to(user).for_object(obj).values("pk"))


def _generic(event, model) -> Described:
    verbs = dict(AuditVerb.choices)
    if event.verb == AuditVerb.TRANSITION and event.to_state:
        title = _("Status changed to %(state)s") % {
            "state": state_label(model, event.to_state, event.payload)
        }
    else:
        title = str(verbs.get(event.verb, event.verb))
    payload = event.payload if isinstance(event.payload, dict) else {}
    detail = texts.render(payload["reason_text"]) if payload.get("reason_text") else event.reason
    return Described(title=title, detail=detail)


def _technical(event, model) -> list[tuple[str, str]]:
    payload = event.payload if isinstance(event.payload, dict) else {}
    action = event.verb + (f" / {payload['action']}" if payload.get("action") else "")
    rows = [(_("Action"), action)]
    if event.from_state or event.to_state:
        rows.append((_("Status"), f"{event.from_state or '—'} → {event.to_state or '—'}"))
    if event.reason:
        rows.append((_("Recorded reason"), event.reason))
    if event.request_id:
        rows.append((_("Request id"), event.request_id))
    return rows


def audit_entries(obj, user, context: dict | None = None) -> list[TimelineEntry]:
    context = {} if context is None else context
    model = type(obj)
    presenter = audit_presenter(model._meta.label)
    entries = []
    for event in audit_events_for(obj, user):
        if _internal_hidden(event, user) or event.verb in _NOT_A_STORY:
            continue
        described = presenter(event, context) if presenter is not None else None
        if described is False:
            continue
        if described is None:
            described = _generic(event, model)
        labels = state_labels(model, event.payload)
        entries.append(
            TimelineEntry(
                at=event.at,
                kind="audit",
                title=described.title,
                detail=described.detail,
                actor=actor_display(event),
                from_state=labels.get(event.from_state, event.from_state),
                to_state=labels.get(event.to_state, event.to_state),
                tone=described.tone or _TONE.get(event.verb, "info"),
                extra={"payload": event.payload, "request_id": event.request_id},
                group=described.group,
                group_label=described.group_label,
                group_order=described.group_order,
                technical=_technical(event, model),
                merge_key=described.merge_key,
                items=list(described.items),
            )
        )
    return entries


def _merged(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """Consecutive entries of a group with one ``merge_key`` become one (the latest time, every item)."""
    out: list[TimelineEntry] = []
    last_of_group: dict[str, TimelineEntry] = {}
    for entry in entries:
        previous = last_of_group.get(entry.group)
        if previous is not None and entry.merge_key and previous.merge_key == entry.merge_key:
            previous.at = entry.at
            previous.items.extend(item for item in entry.items if item not in previous.items)
            previous.technical.extend(entry.technical)
            continue
        out.append(entry)
        last_of_group[entry.group] = entry
    return out


def timeline_for(obj, user) -> list[TimelineEntry]:
    """Every entry of ``obj``'s timeline that ``user`` may read, oldest first (the caller has checked that the
    user may see ``obj``). Pages show the technical details only to ``sees_technical_details`` users."""
    entries = audit_entries(obj, user)
    for source in timeline_sources(obj):
        entries.extend(source(obj, user) or [])
    entries = _merged(sorted(entries, key=lambda e: e.at))
    for entry in entries:
        if entry.items:
            entry.detail = texts.join_list(entry.items)
    return entries


@dataclass
class TimelineGroup:
    key: str
    label: str
    order: int
    entries: list = field(default_factory=list)

    @property
    def main(self) -> bool:
        return self.key == ""


def timeline_groups(obj, user) -> list[TimelineGroup]:
    """The timeline as the page shows it: the object's own events first, then one group per department or
    qualification (in their ``group_order``), each oldest first."""
    main_label = capfirst(str(ContentType.objects.get_for_model(obj, for_concrete_model=False).name))
    groups: dict[str, TimelineGroup] = {"": TimelineGroup("", main_label, -1)}
    for entry in timeline_for(obj, user):
        group = groups.get(entry.group)
        if group is None:
            group = groups[entry.group] = TimelineGroup(
                entry.group, entry.group_label or entry.group, entry.group_order
            )
        group.entries.append(entry)
    filled = [g for g in groups.values() if g.entries]
    return sorted(filled, key=lambda g: (g.order, g.entries[0].at))
