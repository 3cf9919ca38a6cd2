"""The applicant's side: create and edit drafts, submit, withdraw, and file a change after approval."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.services import claims
from portal import identifiers
from portal.choices import AuditVerb
from portal.crypto import encrypt_text
from portal.services.audit import audit
from registration import clock, history, legacy, validation
from registration.choices import (
    EDITABLE,
    SUBTYPES_OF,
    EconomicType,
    EntityType,
    FilingStatus,
    IdType,
    Subtype,
)
from registration.models import DATA_FIELDS, EntityFiling, FilingAttachment
from registration.policies import ensure_applicant
from registration.services._common import (
    lock,
    move,
    next_filing_no,
    not_allowed,
    require_status,
    tell_applicant,
    tell_bureau,
)
from registration.validation.identity import identity_key_for

# A change version keeps the identity and role of the filing it changes: the credit code of an enterprise,
# and the person (name and ID document) of a natural-person seller, whose identity is that document.
LOCKED_IN_CHANGE = ("uscc", "org_code")
LOCKED_IN_PERSON_CHANGE = ("uscc", "name_cn", "legal_rep_name", "legal_rep_id_type", "legal_rep_id_no")
_IDENTIFIERS = ("uscc", "org_code", "customs_code")
# Fields whose change can move a filing to another identity (and so to another identity's slot).
IDENTITY_FIELDS = frozenset({"uscc", "org_code", "legal_rep_id_type", "legal_rep_id_no"})
_CHOICES = {"economic_type": EconomicType.values, "legal_rep_id_type": IdType.values}


def _problems_to_error(problems) -> ValidationError:
    by_field: dict[str, list] = {}
    for problem in problems:
        by_field.setdefault(problem.field, []).append(ValidationError(problem.message, code=problem.code))
    return ValidationError(by_field)


def _clean(data: dict) -> dict:
    cleaned = {}
    for name, value in data.items():
        if name not in DATA_FIELDS:
            continue
        if isinstance(value, str):
            value = value.strip()
        if name in _IDENTIFIERS and value:
            value = identifiers.normalise(value)
        if name in _CHOICES and value in (None, ""):
            continue  # an unchosen select keeps the current value (the model has a default)
        if name in _CHOICES and value not in _CHOICES[name]:
            raise ValidationError(
                {name: ValidationError(_("Choose one of the listed values."), code="invalid_choice")}
            )
        if name == "legal_rep_id_no":
            value = (value or "").upper()
        if name in ("platform_urls", "service_scopes", "optional_qualifications"):
            value = [v.strip() if isinstance(v, str) else v for v in (value or []) if v not in ("", None)]
        cleaned[name] = value
    return cleaned


def _apply(filing: EntityFiling, data: dict) -> list[str]:
    """Copy cleaned values onto the filing; returns the names of the fields that changed.

    The organisation code is typed only on a legacy record; otherwise it is derived from the credit code
    (characters 9–17) and a typed value (the same one, as ``value_problems`` refuses any other) is ignored.
    """
    changed = []
    for name, value in data.items():
        if name == "org_code" and not filing.is_legacy_record:
            continue
        if name == "legal_rep_id_no":
            if value and value != filing.legal_rep_id_no:
                filing.legal_rep_id_no_encrypted = encrypt_text(value)
                filing.legal_rep_id_last4 = value[-4:]
                changed.append(name)
            continue
        if name in ("customs_code", "payment_licence_no") and value == "":
            value = None
        if getattr(filing, name) != value:
            setattr(filing, name, value)
            changed.append(name)
    if not filing.is_legacy_record:
        filing.org_code = (
            identifiers.subject_of(filing.uscc) if len(filing.uscc) == identifiers.USCC_LENGTH else ""
        )
    if filing.subtype == Subtype.INDIVIDUAL_BUSINESS:
        filing.economic_type = EconomicType.INDIVIDUAL
    filing.identity_key = identity_key_for(filing)
    return changed


def _check_role(entity_type: str, subtype: str) -> None:
    if entity_type not in EntityType.values:
        raise ValidationError({"entity_type": _("Choose an entity type.")})
    if subtype not in SUBTYPES_OF[EntityType(entity_type)]:
        raise ValidationError({"subtype": _("Choose a subtype that belongs to the entity type.")})


def _agent_for(owner) -> EntityFiling | None:
    return EntityFiling.objects.filter(
        owner=owner, subtype=Subtype.COMPREHENSIVE, status=FilingStatus.ACTIVE
    ).first()


@transaction.atomic
def filing_create_draft(*, owner, by, entity_type: str, subtype: str = "", data: dict | None = None):
    """Start a draft for one role of ``owner``; prefilled from the organisation. Refuses a duplicate role."""
    _check_role(entity_type, subtype or "")
    filing = EntityFiling(owner=owner, entity_type=entity_type, subtype=subtype or "", created_by=by)
    ensure_applicant(filing, by)
    filing.claim = claims.current_claim_for_new_filing(owner, by)
    if subtype == Subtype.NATURAL_PERSON:
        filing.agent_filing = _agent_for(owner)
        if filing.agent_filing is None:
            raise ValidationError(
                {
                    "subtype": _(
                        "Natural-person sellers are filed by a comprehensive service enterprise with an "
                        "active "
                        "filing (rule E-7). Your organisation has none."
                    )
                }
            )
    elif identifiers.is_legacy_code(owner.code):
        # An enterprise registered before the credit-code reform files under its organisation code (ADR 0018).
        if not legacy.may_be_legacy(subtype or ""):
            raise ValidationError(
                {
                    "subtype": ValidationError(
                        _(
                            "An individual business files with its unified social credit code (starting "
                            "“92”). Your organisation is registered with an organisation code only, so it "
                            "can file only as an enterprise."
                        ),
                        code="legacy_role",
                    )
                }
            )
        filing.is_legacy_record = True
        filing.org_code = owner.code
        filing.division_code = owner.division_code
        filing.name_cn, filing.name_en = owner.name_cn, owner.name_en
    else:
        filing.uscc = owner.code
        filing.division_code = owner.division_code or owner.code[2:8]
        filing.name_cn, filing.name_en = owner.name_cn, owner.name_en
    _apply(filing, {})
    found = validation.identity_problems(filing)
    if found:
        raise _problems_to_error(found)
    try:
        with transaction.atomic():
            filing.save()
    except IntegrityError:
        # Another request opened the same role a moment ago (both passed the check above).
        raise ValidationError(
            {"subtype": _("Your organisation already has an open filing for this role; continue that one.")},
            code="role_already_filed",
        ) from None
    audit(verb=AuditVerb.CREATE, target=filing, actor=by, to_state=filing.status)
    if data:
        filing = filing_update_draft(filing=filing, by=by, data=data)
    return filing


@transaction.atomic
def filing_update_draft(*, filing, by, data: dict):
    """Save what the applicant typed (possibly incomplete, never malformed) to a DRAFT or RETURNED filing."""
    filing = lock(filing)
    ensure_applicant(filing, by)
    if filing.status not in EDITABLE:
        raise not_allowed(filing, "edit")
    cleaned = _clean(data)
    if filing.is_change:
        _check_locked(filing, cleaned)
    found = validation.blocking(validation.value_problems(filing, cleaned))
    if found:
        raise _problems_to_error(found)
    changed = _apply(filing, cleaned)
    if not changed:
        return filing
    if IDENTITY_FIELDS.intersection(changed):
        # Only the organisation's own code (the claim route of ADR 0017 changes it), and one filing per
        # identity and role (E-5). Refused before anything is written; the row in hand is discarded.
        found = validation.identity_problems(filing)
        if found:
            raise _problems_to_error(found)
    filing.updated_by = by
    _save_claiming_slot(filing)
    audit(verb=AuditVerb.UPDATE, target=filing, actor=by, payload={"fields": sorted(changed)})
    return filing


def _save_claiming_slot(filing, **kwargs) -> None:
    """Save; a clash on a uniqueness rule (another request took the slot a moment ago) is a field error that
    says nothing about who holds it, never a 500."""
    try:
        with transaction.atomic():
            filing.save(**kwargs)
    except IntegrityError:
        field = "legal_rep_id_no" if filing.is_natural_person else "uscc"
        raise ValidationError(
            {
                field: ValidationError(
                    _(
                        "A filing for this identity and role is already in force or in progress. One "
                        "identity can hold each role only once (rule E-5); if you believe this is wrong, "
                        "contact the commerce bureau."
                    ),
                    code="identity_taken",
                )
            }
        ) from None


def _check_locked(filing, cleaned: dict) -> None:
    if not filing.is_natural_person:
        if "uscc" in cleaned and cleaned["uscc"] != filing.uscc:
            raise ValidationError({"uscc": _("A change cannot alter the credit code of the filing.")})
        if filing.is_legacy_record and "org_code" in cleaned and cleaned["org_code"] != filing.org_code:
            raise ValidationError(
                {"org_code": _("A change cannot alter the organisation code of the filing.")}
            )
        return
    errors = {}
    for name in LOCKED_IN_PERSON_CHANGE:
        if name not in cleaned:
            continue
        value, current = cleaned[name] or "", getattr(filing, name) or ""
        if name == "legal_rep_id_no" and not value:
            continue  # an empty number keeps the one on file
        if value != current:
            errors[name] = ValidationError(
                _(
                    "A change cannot alter who the natural-person seller is (name and ID document); file "
                    "a new filing for another person."
                ),
                code="identity_locked",
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def filing_submit(*, filing, by):
    """Submit (or resubmit after correction). Everything missing is reported at once; nothing is saved then.

    Assigns the filing number at the first submission, opens a review round, starts the service clock. A
    resubmission goes back to the reviewer who returned it (UNDER_REVIEW, no second claim) while they still
    review; otherwise to the unassigned queue (SUBMITTED).
    """
    filing = lock(filing)
    ensure_applicant(filing, by)
    require_status(filing, "submit", EDITABLE)
    problems = validation.blocking(validation.completeness(filing))
    if problems:
        raise _problems_to_error(problems)
    now = timezone.now()
    resubmission = filing.status == FilingStatus.RETURNED
    if filing.assigned_to_id and not _still_reviews(filing.assigned_to):
        # Returned to a reviewer who has since left or lost the role: back to the unassigned queue.
        filing.assigned_to, filing.assigned_at = None, None
    # The reviewer who returned it keeps it: the corrected filing is under their review again at once.
    move(filing, verb="resubmit" if resubmission and filing.assigned_to_id else "submit", by=by)
    if not filing.filing_no:
        filing.filing_no = next_filing_no(now)
    filing.first_submitted_at = filing.first_submitted_at or now
    filing.submitted_at = now
    filing.review_round += 1
    clock.clock_start(filing, now=now)
    _save_claiming_slot(filing)  # submitting takes the identity's slot (drafts hold none)
    history.record_submission(filing, by=by, at=now)
    title = (
        gettext_lazy("Filing %(no)s resubmitted") if resubmission else gettext_lazy("Filing %(no)s submitted")
    )
    tell_applicant(filing, verb="submitted", title=title)
    tell_bureau(filing, verb="submitted", title=title)
    return filing


def _still_reviews(user) -> bool:
    from registration.policies import REVIEW

    return user.is_active and user.has_perm(REVIEW)


@transaction.atomic
def filing_withdraw(*, filing, by, reason: str = ""):
    """DRAFT/RETURNED → WITHDRAWN; the applicant's staff and, for a returned filing, its reviewer are told."""
    filing = lock(filing)
    ensure_applicant(filing, by)
    move(filing, verb="withdraw", by=by, reason=reason)
    clock.clock_pause(filing, now=timezone.now())
    filing.save()
    title = gettext_lazy("Filing %(no)s withdrawn")
    tell_applicant(filing, verb="withdrawn", title=title)
    if filing.first_submitted_at and filing.assigned_to_id:
        tell_bureau(filing, verb="withdrawn", title=title, recipients=[filing.assigned_to])
    return filing


@transaction.atomic
def filing_change(*, filing, by):
    """Open a change of an ACTIVE filing: a new DRAFT version copying every field and attachment.

    The new version supersedes the old one when it becomes active (ADR 0010); until then the old one stays
    in force. Only one change may be open per lineage.
    """
    base = lock(filing)
    ensure_applicant(base, by)
    require_status(base, "change", {FilingStatus.ACTIVE})
    if (
        EntityFiling.objects.filter(lineage=base.lineage, version__gt=base.version)
        .exclude(status__in=[FilingStatus.WITHDRAWN, FilingStatus.REJECTED])
        .exists()
    ):
        raise ValidationError(
            _("A change of this filing is already open; continue that one."), code="change_open"
        )
    latest = EntityFiling.objects.filter(lineage=base.lineage).order_by("-version").first()
    change = _copy_version(base, version=latest.version + 1, by=by)
    audit(
        verb=AuditVerb.CREATE, target=change, actor=by, to_state=change.status, payload={"changes": base.pk}
    )
    return change


def _copy_version(base: EntityFiling, *, version: int, by) -> EntityFiling:
    skip = {"id", "created_at", "updated_at", "created_by", "updated_by"}
    values = {
        field.attname: getattr(base, field.attname)
        for field in EntityFiling._meta.concrete_fields
        if field.attname not in skip
    }
    change = EntityFiling(**values)
    change.version, change.previous, change.status = version, base, FilingStatus.DRAFT
    change.created_by = by
    for name in (
        "first_submitted_at",
        "submitted_at",
        "assigned_to",
        "assigned_at",
        "returned_at",
        "reject_requested_by",
        "reject_requested_at",
        "countersigned_by",
        "decided_at",
        "decided_by",
        "activated_at",
        "status_changed_at",
        "clock_running_since",
        "clock_due_on",
    ):
        setattr(change, name, None)
    change.review_round, change.clock_banked_days = 0, 0
    change.reject_reason = change.decision_note = change.status_reason = ""
    try:
        with transaction.atomic():
            change.save()
    except IntegrityError:  # a concurrent request opened the change first
        raise ValidationError(
            _("A change of this filing is already open; continue that one."), code="change_open"
        ) from None
    FilingAttachment.objects.bulk_create(
        FilingAttachment(
            filing=change,
            kind=a.kind,
            file=a.file.name,
            original_name=a.original_name,
            content_type=a.content_type,
            size=a.size,
            sha256=a.sha256,
            created_by=by,
        )
        for a in base.attachments.current()
    )
    return change
