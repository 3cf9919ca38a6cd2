"""Rule E-5 and the one-organisation-per-USCC rule: who may file for which identity and role.

``identity_key`` is the USCC for enterprises and individual businesses; for natural persons (who have no
USCC) it is a keyed hash of the ID document, so duplicates are found without storing the number in clear.
The key is derived from ``SECRET_KEY``: rotating it re-keys new filings only (ADR 0012).
"""

from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from portal.models import Organisation
from registration.choices import IN_FLIGHT, IN_FORCE
from registration.validation.fields import Problem


def identity_key_for(filing) -> str:
    if not filing.is_natural_person:
        return filing.uscc or ""
    if not filing.legal_rep_id_no_encrypted:
        return ""
    raw = f"{filing.legal_rep_id_type}:{filing.legal_rep_id_no.strip().upper()}"
    return "P:" + salted_hmac("registration.natural-person", raw, algorithm="sha256").hexdigest()


def identity_problems(filing) -> list[Problem]:
    found = _organisation_problems(filing)
    if found:
        return found
    clash = _clashing_filing(filing)
    if clash is None:
        return []
    field = "legal_rep_id_no" if filing.is_natural_person else "uscc"
    number = clash.filing_no or _("a draft")
    if clash.owner_id != filing.owner_id:
        return [
            Problem(
                field,
                "identity_active_elsewhere",
                # Nothing about the other organisation's filing (number, provider) is disclosed.
                _(
                    "A filing for this identity and role is already in force or in progress under another "
                    "organisation. One identity can hold each role only once (rule E-5); if you believe this "
                    "is wrong, contact the commerce bureau."
                ),
            )
        ]
    return [
        Problem(
            field,
            "role_already_filed",
            _(
                "Your organisation already has a filing for this role (%(no)s). To change it, file a change "
                "of that filing instead of a new one."
            )
            % {"no": number},
        )
    ]


def _organisation_problems(filing) -> list[Problem]:
    if filing.is_natural_person or not filing.uscc:
        return []
    if Organisation.objects.filter(code=filing.uscc).exclude(pk=filing.owner_id).exists():
        return [
            Problem(
                "uscc",
                "uscc_other_organisation",
                _(
                    "This credit code belongs to another organisation registered on the portal. Ask that "
                    "organisation's administrator to invite you instead of filing again."
                ),
            )
        ]
    if filing.owner.code != filing.uscc:
        return [
            Problem(
                "uscc",
                "uscc_not_own",
                _(
                    "The credit code must be your organisation's own (%(code)s): an organisation files all "
                    "of its roles under its one code."
                )
                % {"code": filing.owner.code},
            )
        ]
    return []


def _clashing_filing(filing):
    from registration.models import EntityFiling

    key = identity_key_for(filing)
    if not key:
        return None
    return (
        EntityFiling.objects.filter(
            identity_key=key,
            entity_type=filing.entity_type,
            subtype=filing.subtype,
            status__in=[*IN_FORCE, *IN_FLIGHT],
        )
        .exclude(lineage=filing.lineage)
        .select_related("owner")
        .order_by("-status_changed_at")
        .first()
    )
