"""Rule E-5 and the one-organisation-per-USCC rule: who may file for which identity and role.

``identity_key`` is the USCC for enterprises and individual businesses; ``OC:`` and the organisation code
for a legacy record without a credit code (ADR 0018); for natural persons (who have no USCC) it is a keyed
hash of the ID document, so duplicates are found without storing the number in clear. The key is derived
from ``SECRET_KEY``: rotating it re-keys new filings only (ADR 0012).
"""

from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from portal import identifiers
from registration.choices import IN_FLIGHT, IN_FORCE, FilingStatus
from registration.validation.fields import Problem


def identity_key_for(filing) -> str:
    if filing.is_legacy_record:
        # A legacy record's identity is its organisation code (ADR 0018); ``OC:`` keeps it apart from credit
        # codes in the one-filing-per-identity constraints.
        return f"OC:{filing.org_code}" if filing.org_code else ""
    if not filing.is_natural_person:
        return filing.uscc or ""
    if not filing.legal_rep_id_no_encrypted:
        return ""
    return person_key(filing.legal_rep_id_type, filing.legal_rep_id_no)


def person_key(id_type: str, id_no: str) -> str:
    """The identity key of a natural person: a keyed hash of the ID document, never the number itself."""
    raw = f"{id_type}:{id_no.strip().upper()}"
    return "P:" + salted_hmac("registration.natural-person", raw, algorithm="sha256").hexdigest()


def identity_q(text: str) -> Q | None:
    """Filings of the identity a bureau officer typed: a credit code, an organisation code (one subject with
    the credit code that embeds it, ADR 0018) or an ID document number of any type. None if nothing usable."""
    from registration.choices import IdType

    code = identifiers.normalise(text)
    if not code:
        return None
    subject = identifiers.subject_of(code)
    if subject:
        found = Q(identity_key=code) | Q(identity_key=f"OC:{subject}") | Q(org_code=subject)
    else:
        found = Q(pk__in=[])
    people = [person_key(id_type, code) for id_type in IdType.values]
    return found | Q(identity_key__in=people)


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
    """The filing's code must be its own organisation's. Whether another organisation holds the code typed
    is not said (ADR 0017): the answer would confirm that the code has an account."""
    if filing.is_legacy_record:
        if filing.org_code and filing.org_code != filing.owner.code:
            return [
                Problem(
                    "org_code",
                    "org_code_not_own",
                    _(
                        "The organisation code must be your organisation's own (%(code)s): an organisation "
                        "files all of its roles under its one code."
                    )
                    % {"code": identifiers.printed(filing.owner.code)},
                )
            ]
        return []
    if filing.is_natural_person or not filing.uscc:
        return []
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
    same = Q(identity_key=key)
    if not filing.is_natural_person and filing.org_code:
        # One enterprise is one subject whether it filed with its credit code or, before the reform, with
        # the organisation code that code embeds.
        same |= Q(org_code=filing.org_code)
    return (
        EntityFiling.objects.filter(
            same,
            entity_type=filing.entity_type,
            subtype=filing.subtype,
            status__in=[*IN_FORCE, *IN_FLIGHT],
        )
        .exclude(lineage=filing.lineage)
        # Another organisation's draft holds no slot: only what reached the bureau can block a filing.
        .exclude(Q(status=FilingStatus.DRAFT) & ~Q(owner_id=filing.owner_id))
        .select_related("owner")
        .order_by("-status_changed_at")
        .first()
    )
