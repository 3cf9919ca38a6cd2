"""A legacy organisation records the credit code it was issued after the reform (ADR 0018).

The credit code of the same enterprise embeds its organisation code at characters 9–17 (GB 32100), so the
link between the two is checked by the codes themselves. Recording it turns the organisation's code and its
legacy records (every one not yet closed) into credit-code ones, and sends the qualification messages an
approved legacy record held.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import identifiers
from portal.choices import AuditVerb, Role
from portal.models import Organisation
from portal.services.audit import audit
from registration import legacy
from registration.choices import TERMINAL, FilingStatus
from registration.models import EntityFiling
from registration.services import claims, qualifications
from registration.services._common import lock, tell_applicant, tell_bureau
from registration.services.signup import already_registered_error
from registration.validation import fields as checks
from registration.validation.identity import identity_key_for


def _problems(organisation, code: str) -> list[str]:
    found = [p.message for p in checks.uscc_problems(code) if p.blocking]
    if found:
        return found
    if code[:2] != "91":
        return [
            _(
                "Characters 1–2 are “%(prefix)s”: an enterprise registered before the reform with an "
                "organisation code receives a credit code starting “91”."
            )
            % {"prefix": code[:2]}
        ]
    if code[8:17] != organisation.code:
        return [
            _(
                "Characters 9–17 of the credit code (%(embedded)s) must be your organisation code "
                "(%(own)s): the credit code of the same enterprise embeds it."
            )
            % {"embedded": legacy.printed(code[8:17]), "own": legacy.printed(organisation.code)}
        ]
    return []


@transaction.atomic
def credit_code_record(*, organisation, by, uscc: str) -> Organisation:
    """Record the credit code of a legacy organisation (its enterprise administrator)."""
    if (
        not by.is_authenticated
        or not by.is_active
        or by.organisation_id != organisation.pk
        or not by.has_role(Role.ENTERPRISE_ADMIN)
    ):
        raise PermissionDenied(_("Only your organisation's administrator can do this."))
    claims.lock_verification(organisation.pk)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not legacy.is_legacy_code(organisation.code):
        raise ValidationError(
            {"uscc": _("Your organisation is already registered with its credit code.")}, code="not_legacy"
        )
    code = identifiers.normalise(uscc)
    found = _problems(organisation, code)
    if found:
        raise ValidationError({"uscc": found}, code="invalid")
    if Organisation.objects.filter(code=code).exclude(pk=organisation.pk).exists():
        raise already_registered_error()
    before = organisation.code
    organisation.code = code
    organisation.save(update_fields=["code", "updated_at", "updated_by"])
    audit(
        verb=AuditVerb.UPDATE,
        target=organisation,
        actor=by,
        from_state=before,
        to_state=code,
        payload={"action": "credit_code_recorded"},
    )
    for filing in EntityFiling.objects.filter(owner=organisation, is_legacy_record=True).exclude(
        status__in=list(TERMINAL)
    ):
        _convert(lock(filing), code, by)
    return organisation


def _convert(filing: EntityFiling, code: str, by) -> None:
    filing.uscc, filing.is_legacy_record = code, False
    filing.identity_key = identity_key_for(filing)
    filing.updated_by = by
    filing.save(update_fields=["uscc", "is_legacy_record", "identity_key", "updated_by", "updated_at"])
    audit(
        verb=AuditVerb.UPDATE,
        target=filing,
        actor=by,
        payload={"fields": ["uscc"], "action": "credit_code_recorded"},
    )
    sent = qualifications.release_for_credit_code(filing) if filing.status == FilingStatus.APPROVED else 0
    params = {"code": code}
    title = gettext_lazy("Credit code %(code)s recorded for filing %(no)s")
    body = (
        gettext_lazy("The qualification messages that waited for it have been sent to the departments.")
        if sent
        else ""
    )
    tell_applicant(filing, verb="credit_code_recorded", title=title, body=body, params=params)
    if filing.first_submitted_at:
        tell_bureau(filing, verb="credit_code_recorded", title=title, body=body, params=params)
