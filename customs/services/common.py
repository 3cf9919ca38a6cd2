"""What the document services share: party codes, the draft/submit split of problems, checks, versions."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

from customs.validation import Problem, as_checks, check_state, error, to_validation_error
from exchange.models import Message

# Problems that make a value impossible to store: a draft cannot be saved with them. Everything else (the
# rules V1–V14, C1–C7, code lists) is recorded on the draft's ``checks`` and stops only the send.
FIELD_CODES = frozenset(
    {
        "required",
        "max_length",
        "length",
        "format",
        "characters",
        "invalid",
        "choice",
        "party_code",
        "party_check",
        "number",
        "negative",
        "too_large",
        "decimals",
        "integer",
        "date",
        "datetime",
        "boolean",
        "not_yours",
        "duplicate",
        "taken",
        "other_enterprise",
    }
)
NOT_YOURS = gettext_noop(
    "The %(field)s must be %(name)s's own code (%(expected)s): a document is filed for the enterprise it "
    "belongs to."
)


def own_code(data: dict, name: str, codes: set[str], canonical: str, label: str, problems: list) -> None:
    """Set ``data[name]`` to ``canonical`` (the customs code) when empty or naming the same enterprise by
    another of its codes; a problem when it names someone else."""
    given = str(data.get(name) or "").strip().upper()
    if not given or given in codes:
        data[name] = canonical
    else:
        problems.append(error("not_yours", name, NOT_YOURS, name=label, expected=canonical))


def default_text(data: dict, name: str, value: str) -> None:
    if not str(data.get(name) or "").strip():
        data[name] = value


def storable_errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error and p.code in FIELD_CODES]


def raise_errors(problems: list[Problem], prefix: str = "") -> None:
    """``ValidationError`` with every error of ``problems`` by field; nothing when there are none."""
    if any(p.is_error for p in problems):
        raise to_validation_error(problems, prefix)


def raise_unstorable(problems: list[Problem]) -> None:
    raise_errors(storable_errors(problems))


def store_checks(doc, problems: list[Problem]) -> None:
    doc.checks = as_checks(problems)
    doc.check_state = check_state(problems)


def next_version(doc) -> int:
    """1 for a document's first message, then 2, 3… (a resubmission needs a business key of its own)."""
    return Message.objects.for_subject(doc).count() + 1


def values_of(obj, names) -> dict:
    return {name: getattr(obj, name) for name in names}


def field_error(field: str, code: str, message) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})
