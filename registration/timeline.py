"""A filing's story on its timeline (ADR 0025).

* ``describe_filing_event``: how each audit event of a filing reads, one plain sentence ("Submitted",
  "Returned for correction" with the reasons in the reader's language, "Attachment added: business licence
  · licence.pdf (1.5 KB)"); consecutive edits of the draft read as one line; steps that repeat what a
  receipt says (a qualification's receipt moves its task) are left to the receipt's line.
* ``qualification_timeline``: the messages and receipts of the filing's qualifications, grouped by
  qualification ("Sent to customs", "Customs accepted it", "Customs registered it: customs registration
  code 3301960002"). The exchange shows the messages whose subject is the object itself; a filing's
  qualification messages have the task as subject, so this source brings them onto the filing page.
"""

from django.contrib.contenttypes.models import ContentType
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from exchange import catalog
from exchange.timeline import department_label, message_story, messages_about, raw_visible_ids
from portal import texts
from portal.choices import AuditVerb
from portal.ui import Described
from registration import matrix
from registration.choices import AttachmentKind, FilingStatus, Qualification, TaskStatus
from registration.models import EntityFiling, QualificationTask

# Where each qualification's identifier lands on the filing (its label names the identifier).
IDENTIFIER_FIELD = {
    Qualification.FT_OPERATOR: "ft_record_no",
    Qualification.CUSTOMS_REG: "customs_code",
    Qualification.CIQ_FILING: "ciq_code",
    Qualification.TAX_REFUND_FILING: "tax_filing_no",
    Qualification.SAFE_DIRECTORY: "safe_directory_no",
    Qualification.EPORT_CARD: "dxp_id",
}

_ACTIONS = {
    "withdraw": gettext_lazy("Withdrawn by the applicant"),
    "accept": gettext_lazy("Taken up for review"),
    "approve": gettext_lazy("Approved: the qualifications go to the departments"),
    "return": gettext_lazy("Returned for correction"),
    "reject_request": gettext_lazy("Rejection proposed, awaiting a supervisor's countersignature"),
    "countersign": gettext_lazy("Rejected"),
    "decline": gettext_lazy("Rejection declined: back under review"),
    "activate": gettext_lazy("In force: every mandatory qualification is registered"),
    "suspend": gettext_lazy("Suspended"),
    "reinstate": gettext_lazy("Reinstated"),
    "revoke": gettext_lazy("Revoked"),
    "supersede": gettext_lazy("Superseded by a later version"),
    "discard": gettext_lazy("Withdrawn"),
}
_TONES = {
    "approve": "success",
    "activate": "success",
    "reinstate": "success",
    "return": "warning",
    "suspend": "warning",
    "countersign": "error",
    "revoke": "error",
}
# Receipts say these themselves (the exchange's lines of each qualification).
_SAID_BY_RECEIPTS = frozenset({"qualification_deliver", "qualification_register", "qualification_refuse"})


def qualification_group(code: str) -> tuple[str, str, int]:
    """The key, heading and place of a qualification's group on the timeline."""
    spec = matrix.SPECS[code]
    department = department_label(catalog.message_type(spec.message_type).department)
    label = _("%(label)s · %(department)s") % {"label": Qualification(code).label, "department": department}
    return f"qualification:{code}", label, spec.order


def _reason(event, payload: dict) -> str:
    if payload.get("reason_text"):
        return texts.render(payload["reason_text"])
    return event.reason


def _return_reasons(event, payload: dict, context: dict) -> str:
    """The reasons of a return in the reader's language: the reasons' labels, then the reviewer's note."""
    if "note" not in payload:  # recorded before the note was kept apart: the record as it is
        return _reason(event, payload)
    from registration.models import ReturnReason

    if "return_reasons" not in context:
        context["return_reasons"] = {r.code: r for r in ReturnReason.objects.all()}
    labels = [
        context["return_reasons"][code].label
        for code in payload.get("reason_codes", [])
        if code in context["return_reasons"]
    ]
    return pgettext("list of reasons", "; ").join(part for part in [*labels, payload["note"]] if part)


def _transition(event, payload: dict, context: dict) -> Described | bool | None:
    action = payload.get("action", "")
    if action in _SAID_BY_RECEIPTS:
        return False
    if action.startswith("qualification_"):
        return _qualification_step(event, payload)
    if action in ("submit", "resubmit"):
        title = (
            _("Resubmitted after correction")
            if event.from_state == FilingStatus.RETURNED
            else _("Submitted to the commerce bureau")
        )
        return Described(title=title)
    if action == "assign":
        return Described(title=_("Assigned to a reviewer"))
    if action == "return":
        return Described(title=str(_ACTIONS["return"]), detail=_return_reasons(event, payload, context))
    if action in _ACTIONS:
        detail = "" if action in ("accept", "activate") else _reason(event, payload)
        return Described(title=str(_ACTIONS[action]), detail=detail, tone=_TONES.get(action, ""))
    return None


def _qualification_step(event, payload: dict) -> Described | bool:
    action, code = payload.get("action"), payload.get("qualification")
    if code not in matrix.SPECS:
        return False
    group, label, order = qualification_group(code)
    if action == "qualification_retry":
        title = _("Applied for") if event.from_state == TaskStatus.NOT_APPLIED else _("Applied again")
    elif action == "qualification_fail" and payload.get("cause") == "unusable_answer":
        title = _("Could not be completed: the department's answer was unusable")
    else:
        return False  # a transport failure: the message's own line says it could not be delivered
    return Described(title=title, group=group, group_label=label, group_order=order)


def _attachment(event, payload: dict, context: dict) -> str:
    from registration.models import FilingAttachment

    cache = context.setdefault("attachments", {})
    pk = payload.get("attachment")
    if pk not in cache:
        cache.update({a.pk: a for a in FilingAttachment.objects.filter(filing_id=event.target_id)})
    attachment = cache.get(pk)
    kind = payload.get("kind") or (attachment.kind if attachment else "")
    kind_label = AttachmentKind(kind).label if kind in AttachmentKind.values else ""
    name = payload.get("name") or (attachment.original_name if attachment else "")
    size = payload.get("size") or (attachment.size if attachment else None)
    if not name:
        return event.reason
    if size:
        name = _("%(name)s (%(size)s)") % {"name": name, "size": filesizeformat(size)}
    return f"{capfirst(kind_label)} · {name}" if kind_label else name


def _field_label(name: str) -> str:
    special = {"attachments": _("Attachments"), "general": _("General"), "entity_type": _("Entity type")}
    if name in special:
        return str(special[name])
    try:
        from registration.history import label_of

        return label_of(name)
    except Exception:
        return name


def describe_filing_event(event, context: dict) -> Described | bool | None:
    """How an audit event of a filing reads on its timeline (``portal.ui.register_audit_presenter``)."""
    payload = event.payload if isinstance(event.payload, dict) else {}
    verb = event.verb
    if verb in (AuditVerb.TRANSITION, AuditVerb.RECEIPT):
        return _transition(event, payload, context)
    if verb == AuditVerb.CREATE:
        title = (
            _("Change started: a new version of the filing") if payload.get("changes") else _("Draft created")
        )
        return Described(title=title)
    if verb == AuditVerb.UPDATE:
        if payload.get("action") == "credit_code_recorded":
            return Described(title=_("Credit code recorded"))
        fields = payload.get("fields") or []
        return Described(
            title=_("Details edited"),
            items=[_field_label(name) for name in fields],
            merge_key=f"edit:{event.actor_id or event.actor_label}",
        )
    if verb == AuditVerb.UPLOAD:
        return Described(title=_("Attachment added"), detail=_attachment(event, payload, context))
    if verb == AuditVerb.DELETE:
        return Described(title=_("Attachment removed"), detail=_attachment(event, payload, context))
    if verb == AuditVerb.COMMENT:
        title = _("Reviewer's comment on %(field)s") % {"field": _field_label(payload.get("field", ""))}
        return Described(title=title, detail=event.reason)
    if verb == AuditVerb.EXPORT and payload.get("action") == "reveal_id":
        return Described(title=_("ID document number shown in full"))
    return None


def _identifier_of(code: str):
    key = matrix.SPECS[code].identifier_key
    label = EntityFiling._meta.get_field(IDENTIFIER_FIELD[code]).verbose_name

    def result_of(message, receipt) -> str:
        value = str((receipt.data or {}).get(key) or "").strip()
        return f"{label} {value}" if value else ""

    return result_of


def qualification_timeline(obj, user) -> list:
    """A filing's qualification messages, grouped by qualification (registered for ``EntityFiling``)."""
    tasks = {str(t.pk): t for t in obj.qualifications.all()}
    if not tasks:
        return []
    messages = list(messages_about(ContentType.objects.get_for_model(QualificationTask), list(tasks), user))
    raw = raw_visible_ids(messages, user)
    entries = []
    for message in messages:
        task = tasks[message.subject_id]
        group, label, order = qualification_group(task.code)
        entries.extend(
            message_story(
                message,
                user,
                raw_visible=message.pk in raw,
                group=group,
                group_label=label,
                group_order=order,
                result_of=_identifier_of(task.code),
            )
        )
    return entries
