"""A legacy organisation records the credit code it was issued after the reform (ADR 0018).

The credit code of the same enterprise embeds its organisation code at characters 9–17 (GB 32100), so the
link between the two is checked by the codes themselves. Recording it changes the organisation's code; the
apps that file for it convert their open legacy records (``accounts.hooks.on_credit_code``: registration
turns its filings into credit-code ones and sends the qualification messages an approved one held).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import hooks
from accounts.services import claims
from accounts.services.signup import already_registered_error
from portal import identifiers
from portal.choices import AuditVerb, Role
from portal.models import Organisation
from portal.services.audit import audit


def _problems(organisation, code: str) -> list[str]:
    found = [p.message for p in identifiers.enterprise_uscc_problems(code) if p.blocking]
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
            % {"embedded": identifiers.printed(code[8:17]), "own": identifiers.printed(organisation.code)}
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
    if not identifiers.is_legacy_code(organisation.code):
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
    hooks.on_credit_code(organisation, code=code, by=by)
    return organisation
