"""Validation of entity filings (DOMAIN §1.5, rules E-1 … E-7).

* ``value_problems(filing, data)``: format checks of the values being saved to a draft (a draft may be
  incomplete, never malformed);
* ``completeness(filing)``: everything missing or inconsistent before submission, all at once;
* ``identity_problems(filing)``: E-5, one filing in force per identity and role, one organisation per USCC.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from registration.choices import AttachmentKind, EntityType, Subtype
from registration.validation import fields as f
from registration.validation.fields import Problem
from registration.validation.identity import identity_problems

__all__ = [
    "Problem",
    "blocking",
    "completeness",
    "identity_problems",
    "required_attachments",
    "value_problems",
]

COMMON_REQUIRED = (
    "name_cn",
    "division_code",
    "address",
    "legal_rep_name",
    "legal_rep_id_no",
    "contact_name",
    "contact_phone",
    "contact_email",
)


def blocking(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.blocking]


def _get(filing, data: dict, name: str):
    return data[name] if name in data else getattr(filing, name)


def _given(data: dict, name: str) -> bool:
    return data.get(name) not in (None, "", [])


def _uscc_problems(filing, data: dict, value) -> list[Problem]:
    if filing.is_legacy_record:
        return [f.legacy_uscc_problem()]
    return f.uscc_problems(value, entity_type=filing.entity_type, subtype=filing.subtype)


def _org_code_problems(filing, data: dict, value) -> list[Problem]:
    if filing.is_legacy_record:
        return f.org_code_problems(value)
    return f.derived_org_code_problems(
        value, uscc=_get(filing, data, "uscc") or "", natural_person=filing.is_natural_person
    )


# The format check of each field, in the order the problems are reported: ``(field, check(filing, data,
# value))``, applied to the fields given a value.
_VALUE_CHECKS = (
    ("name_cn", lambda filing, data, value: f.name_cn_problems(value)),
    ("uscc", _uscc_problems),
    ("org_code", _org_code_problems),
    ("customs_code", lambda filing, data, value: f.customs_code_problems(value, subtype=filing.subtype)),
    ("division_code", lambda filing, data, value: f.division_problems(value)),
    (
        "legal_rep_id_no",
        lambda filing, data, value: f.id_number_problems(
            value, id_type=_get(filing, data, "legal_rep_id_type")
        ),
    ),
    ("contact_phone", lambda filing, data, value: f.phone_problems(value)),
    ("contact_email", lambda filing, data, value: f.email_problems(value)),
    ("platform_urls", lambda filing, data, value: f.platform_urls_problems(value)),
    ("service_scopes", lambda filing, data, value: f.service_scopes_problems(value)),
    ("payment_licence_no", lambda filing, data, value: f.licence_problems(value)),
)


def value_problems(filing, data: dict) -> list[Problem]:
    """Format problems of the non-empty values in ``data``, read in the context of the filing."""
    found: list[Problem] = []
    for name, check in _VALUE_CHECKS:
        if _given(data, name):
            found += check(filing, data, data[name])
    if "optional_qualifications" in data:
        found += optional_problems(filing, data)
    if _given(data, "registered_capital_cny") and data["registered_capital_cny"] < 0:
        found.append(
            Problem("registered_capital_cny", "capital_negative", _("Registered capital cannot be negative."))
        )
    return found


def optional_problems(filing, data: dict) -> list[Problem]:
    from registration import matrix

    chosen = data.get("optional_qualifications") or []
    allowed = set(matrix.optional_codes(filing.entity_type, filing.subtype))
    found = []
    for code in chosen:
        if code not in allowed:
            found.append(
                Problem(
                    "optional_qualifications",
                    "qualification_not_optional",
                    _("“%(code)s” is not an optional qualification of this entity type.") % {"code": code},
                )
            )
        elif matrix.condition_problem(
            code, is_vat_general_taxpayer=bool(_get(filing, data, "is_vat_general_taxpayer"))
        ):
            found.append(
                Problem(
                    "optional_qualifications",
                    "qualification_condition",
                    _("Only VAT general taxpayers can apply for the export tax refund filing."),
                )
            )
    return found


def required_attachments(filing) -> list[str]:
    kinds = [AttachmentKind.LEGAL_REP_ID]
    if not filing.is_natural_person:
        kinds.insert(0, AttachmentKind.BUSINESS_LICENCE)
    someone_else = (
        filing.contact_name.strip() and filing.contact_name.strip() != filing.legal_rep_name.strip()
    )
    if filing.is_natural_person or someone_else:
        kinds.append(AttachmentKind.AUTHORISATION_LETTER)
    return kinds


def _missing(field: str, label) -> Problem:
    return Problem(field, "required", _("%(field)s is missing.") % {"field": capfirst(str(label))})


def required_fields(filing) -> list[str]:
    """The fields this filing's role must fill in before it can be submitted (a draft may lack them)."""
    required = list(COMMON_REQUIRED)
    if filing.is_legacy_record:
        required.append("org_code")
    elif not filing.is_natural_person:
        required.append("uscc")
    if filing.entity_type == EntityType.SERVICE:
        required.append("service_scopes")
    if filing.subtype == Subtype.PAYMENT:
        required.append("payment_licence_no")  # E-6
    return required


def needed_to_submit(filing) -> set[str]:
    """What the form marks as required: the required fields, and a self-built platform's addresses (E-6)."""
    needed = set(required_fields(filing))
    if filing.entity_type == EntityType.SELF_PLATFORM:
        needed.add("platform_urls")
    return needed


def completeness(filing, *, attachment_kinds: set[str] | None = None) -> list[Problem]:
    """Every problem that stops submission (and the warnings), listed at once."""
    model = type(filing)
    found: list[Problem] = []
    for name in required_fields(filing):
        if name == "legal_rep_id_no":
            value, label = filing.legal_rep_id_no_encrypted, _("ID document number")
        else:
            value, label = getattr(filing, name), model._meta.get_field(name).verbose_name
        if value in (None, "", []):
            found.append(_missing(name, label))
    if filing.entity_type == EntityType.SELF_PLATFORM and not filing.platform_urls:
        found.append(
            Problem(
                "platform_urls",
                "platform_urls_required",
                _("A self-built platform enterprise must give at least one platform address (rule E-6)."),
            )
        )
    values = {
        name: getattr(filing, name)
        for name in (
            "name_cn",
            "uscc",
            "customs_code",
            "division_code",
            "contact_phone",
            "contact_email",
            "platform_urls",
            "service_scopes",
            "payment_licence_no",
            "optional_qualifications",
        )
    }
    values["legal_rep_id_no"] = filing.legal_rep_id_no if filing.legal_rep_id_no_encrypted else ""
    if filing.is_legacy_record:
        values["org_code"] = filing.org_code
    found += value_problems(filing, values)
    found += _legacy_rule(filing)
    found += _division_rule(filing)
    found += _natural_person_rule(filing)
    found += identity_problems(filing)
    found += _attachment_problems(filing, attachment_kinds)
    return found


def _division_rule(filing) -> list[Problem]:
    """E-3: the division defaults to USCC characters 3–8; a different one needs a note."""
    if filing.is_natural_person or len(filing.uscc) != 18 or not filing.division_code:
        return []
    if filing.division_code != filing.uscc[2:8] and not filing.division_note.strip():
        return [
            Problem(
                "division_note",
                "division_note_required",
                _(
                    "The division code differs from characters 3–8 of the credit code (%(uscc_division)s); "
                    "say why (for example, the registered address moved)."
                )
                % {"uscc_division": filing.uscc[2:8]},
            )
        ]
    return []


def _legacy_rule(filing) -> list[Problem]:
    """A legacy record (no credit code, organisation code alone) only for a legal-person enterprise's roles
    (DOMAIN §1.2; ADR 0018)."""
    from registration import legacy

    if filing.is_legacy_record and not legacy.may_be_legacy(filing.subtype):
        return [
            Problem(
                "org_code",
                "legacy_role",
                _(
                    "Only an enterprise registered before the credit-code reform may file with its "
                    "organisation code alone; an individual business or a natural person cannot."
                ),
            )
        ]
    return []


def _natural_person_rule(filing) -> list[Problem]:
    """E-7: a natural person files only as an agent-served seller of an active comprehensive provider."""
    if not filing.is_natural_person:
        return []
    found = []
    if filing.uscc:
        found.append(
            Problem(
                "uscc",
                "natural_person_uscc",
                _("A natural-person seller has no credit code; leave it empty."),
            )
        )
    agent = filing.agent_filing
    if agent is None or agent.subtype != Subtype.COMPREHENSIVE or agent.status != "ACTIVE":
        found.append(
            Problem(
                "agent_filing",
                "natural_person_agent",
                _(
                    "A natural-person seller must be filed by a comprehensive service enterprise whose own "
                    "filing is active (rule E-7)."
                ),
            )
        )
    return found


def _attachment_problems(filing, kinds: set[str] | None) -> list[Problem]:
    if kinds is None:
        kinds = set(filing.attachments.current().values_list("kind", flat=True))
    return [
        Problem(
            "attachments",
            "attachment_required",
            _("Attachment missing: %(kind)s.") % {"kind": AttachmentKind(kind).label},
        )
        for kind in required_attachments(filing)
        if kind not in kinds
    ]
