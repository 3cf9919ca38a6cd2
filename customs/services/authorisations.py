"""Seller authorisations (代理申报, "统一办理"): a seller lets a service enterprise file some or all kinds of
its customs documents, for a period; it may revoke that at any moment.

``authorisation_grant`` writes one ``SellerAuthorisation`` per document type, ``authorisation_revoke`` ends
one. ``customs.services.authority.parties_for`` and ``CustomsQuerySet.visible_to`` read them on every write
and every read, so a revocation (or the end of ``valid_until``) takes effect at once: the agent's next filing
is refused and the seller's documents disappear from its pages.

An authorisation has no status column: it is *in force*, *not yet in force*, *expired* or *revoked*, derived
from its dates (``state_of``). Revocation still goes through ``portal.workflow``: the row is locked
(``lock``), the move checked against ``AUTHORISATION`` (a revoked or expired one refuses with
``TransitionNotAllowed``) and audited on the authorisation, whose seller and agent both see the event.
"""

from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customs.choices import DocumentType
from customs.models import SellerAuthorisation
from portal.choices import AuditVerb, OrganisationKind
from portal.identifiers import normalise
from portal.models import Organisation
from portal.services.audit import audit
from portal.workflow import Workflow, lock
from registration.choices import EntityType
from registration.standing import standings_of

IN_FORCE, PENDING, EXPIRED, REVOKED = "in_force", "pending", "expired", "revoked"
STATE_LABELS = {
    IN_FORCE: gettext_lazy("In force"),
    PENDING: gettext_lazy("Not yet in force"),
    EXPIRED: gettext_lazy("Expired"),
    REVOKED: gettext_lazy("Revoked"),
}
# The machine of an authorisation's derived state: only one that is in force or not yet in force is revoked.
AUTHORISATION = Workflow(
    name="customs.seller_authorisation",
    label=gettext_lazy("seller authorisation"),
    moves={(IN_FORCE, "revoke"): REVOKED, (PENDING, "revoke"): REVOKED},
    verbs={"revoke": gettext_lazy("revoke")},
    state_field="revoked_at",
)


def state_of(authorisation: SellerAuthorisation, at=None) -> str:
    at = at or timezone.now()
    if authorisation.revoked_at is not None:
        return REVOKED
    if authorisation.valid_until is not None and authorisation.valid_until <= at:
        return EXPIRED
    if authorisation.valid_from > at:
        return PENDING
    return IN_FORCE


def _start_of(day, default):
    if day is None:
        return default
    if isinstance(day, datetime):
        return day
    return timezone.make_aware(datetime.combine(day, time.min))


def _end_of(day):
    """The end of ``day`` (an authorisation "until 31 March" holds through that day)."""
    if day is None or isinstance(day, datetime):
        return day
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _agent_by_code(seller, agent_code: str):
    code = normalise(agent_code or "")
    if not code:
        raise ValidationError({"agent_code": [_("Enter the unified social credit code of the enterprise.")]})
    agent = Organisation.objects.filter(code=code, kind=OrganisationKind.ENTERPRISE).first()
    if agent is None:
        raise ValidationError(
            {
                "agent_code": [
                    _("No enterprise with the credit code %(code)s is registered on the portal.")
                    % {"code": code}
                ]
            }
        )
    if agent.pk == seller.pk:
        raise ValidationError(
            {"agent_code": [_("Your enterprise files its own documents: name another one.")]}
        )
    standing = standings_of([agent.pk])[agent.pk]
    if not (standing.has_role(EntityType.SERVICE) or standing.is_platform):
        raise ValidationError(
            {
                "agent_code": [
                    _(
                        "%(name)s has no active filing as an e-commerce service enterprise (customs broker, "
                        "logistics, comprehensive service), so it cannot file for others."
                    )
                    % {"name": agent.name_cn}
                ]
            }
        )
    return agent


def _check_kinds(document_types) -> list[str]:
    kinds = [str(k) for k in document_types or ()]
    if not kinds:
        raise ValidationError({"document_types": [_("Choose at least one kind of document.")]})
    unknown = [k for k in kinds if k not in DocumentType.values]
    if unknown:
        raise ValidationError({"document_types": [_("Unknown document type: %(t)s.") % {"t": unknown[0]}]})
    return list(dict.fromkeys(kinds))


def _check_period(valid_from, valid_until, now) -> None:
    if valid_until is not None and valid_until <= max(valid_from, now):
        raise ValidationError({"valid_until": [_("The end must be after the start and in the future.")]})


def _overlapping(seller, agent, kinds, valid_from, valid_until) -> list[str]:
    """The kinds already authorised to this agent for a period that overlaps the new one."""
    rows = SellerAuthorisation.objects.filter(
        seller=seller, agent=agent, document_type__in=kinds, revoked_at__isnull=True
    ).exclude(valid_until__lte=valid_from)
    if valid_until is not None:
        rows = rows.filter(valid_from__lt=valid_until)
    return sorted(set(rows.values_list("document_type", flat=True)))


@transaction.atomic
def authorisation_grant(
    *, seller, by, agent_code: str, document_types, valid_from=None, valid_until=None, now=None
) -> list[SellerAuthorisation]:
    """Authorise the enterprise with credit code ``agent_code`` to file ``document_types`` for ``seller``
    from ``valid_from`` (default now) until the end of ``valid_until`` (dates or datetimes; empty: until
    revoked). One row per kind, each audited. Refused by field (nothing saved): an unknown or unqualified
    agent, the seller itself, no kind, an end before the start, or a kind already authorised to that agent
    for an overlapping period."""
    if getattr(by, "organisation_id", None) != seller.pk:
        raise PermissionDenied(_("Only the seller's own people can authorise an agent."))
    now = now or timezone.now()
    agent = _agent_by_code(seller, agent_code)
    kinds = _check_kinds(document_types)
    start, end = _start_of(valid_from, now), _end_of(valid_until)
    _check_period(start, end, now)
    taken = _overlapping(seller, agent, kinds, start, end)
    if taken:
        labels = ", ".join(str(DocumentType(k).label) for k in taken)
        raise ValidationError(
            {
                "document_types": [
                    _("%(agent)s is already authorised for: %(kinds)s. Revoke that first to change it.")
                    % {"agent": agent.name_cn, "kinds": labels}
                ]
            }
        )
    made = SellerAuthorisation.objects.bulk_create(
        [
            SellerAuthorisation(
                seller=seller, agent=agent, document_type=k, valid_from=start, valid_until=end, created_by=by
            )
            for k in kinds
        ]
    )
    for row in made:
        audit(verb=AuditVerb.CREATE, target=row, actor=by, to_state=state_of(row, now))
    return made


@transaction.atomic
def authorisation_revoke(*, authorisation: SellerAuthorisation, by, reason: str = "") -> SellerAuthorisation:
    """End an authorisation now: the agent's next filing for the seller is refused. Only the seller's people
    revoke; one already revoked or expired refuses (``TransitionNotAllowed``)."""
    if getattr(by, "organisation_id", None) != authorisation.seller_id:
        raise PermissionDenied(_("Only the seller's own people can revoke its authorisations."))
    (locked,) = lock(authorisation)
    now = timezone.now()
    before = state_of(locked, now)
    if (before, "revoke") not in AUTHORISATION.moves:
        raise AUTHORISATION.refusal(before, "revoke", current_label=STATE_LABELS[before])
    locked.revoked_at = now
    locked.revoked_by = by
    locked.revoke_reason = (reason or "").strip()[:500]
    locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason", "updated_at"])
    audit(
        verb=AuditVerb.TRANSITION,
        target=locked,
        actor=by,
        from_state=before,
        to_state=REVOKED,
        reason=locked.revoke_reason,
        payload={"action": "revoke"},
    )
    for name in ("revoked_at", "revoked_by_id", "revoke_reason", "updated_at"):  # the caller's copy too
        setattr(authorisation, name, getattr(locked, name))
    return authorisation
