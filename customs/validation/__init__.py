"""Pre-flight validation of the customs documents: pure functions over plain data, the same for a web
form, the batch API and a 100,000-row import (issue 11; DOMAIN §3.5, §3.7, §3.8; ADR 0023).

Input is plain data keyed by the model attribute names (``gross_weight``, ``items`` → ``[{"price": ...}]``):
text, JSON numbers, ``Decimal``, ``date``/``datetime``. Output is a list of ``Problem``; nothing here writes.

Problems
    ``Problem(code, severity, field, message_id, params)``; ``.message()`` renders it in the ACTIVE language
    (message ids are English ``gettext_noop`` strings, Chinese in customs' catalogue); ``.to_dict()`` /
    ``Problem.from_dict()`` is what a document's ``checks`` stores. ``field``: ``gross_weight``,
    ``items[2].price`` (0-based; the message says "line 3"), ``lines[0].logistics_no``, ``""`` for the
    whole document. ``severity``: ``error`` (stops the send, nothing saved) or ``warning`` (recorded, shown).
    ``has_errors(problems)``, ``check_state(problems)`` (→ ``error``/``warning``/``""``), ``as_checks``,
    ``from_checks``, ``to_validation_error(problems, prefix="")`` (Django ``ValidationError`` by field).

Codes
    Field checks: ``required``, ``max_length``, ``length``, ``format``, ``characters``, ``invalid``,
    ``choice``, ``party_code``, ``party_check``, ``number``, ``negative``, ``too_large``, ``decimals``,
    ``integer``, ``date``, ``datetime``, ``boolean``, ``code_list``, ``lines``. Inventory-list rules
    ``V1``–``V14`` (DOMAIN §3.8), three-document consistency ``C1``–``C7`` (§3.7). Orders and the other
    documents: ``positive``, ``line_total``, ``line_currency``, ``goods_value`` (warning),
    ``customs_office``, ``duplicate_parcel``.

Numbers (decided in ADR 0023): money stored to 2 places (line totals, goods value, freight, insurance,
amount received) rounds ``ROUND_HALF_UP`` (0.005 → 0.01); prices, quantities and weights keep up to 5
places, more is refused; negative values are refused; at most 14 digits before the point (9 for weights).

API
    ``check_list(head, items, *, refs=None, on=None) -> list[Problem]`` — fields, code lists, V1–V14. The
        tariff (V8) and the office table (V14) are read at the list's ``ie_date``; ``refs`` is a
        ``customs.selectors.reference.ReferenceSet`` (or ``Codes``) to reuse, ``on`` the day to use when the
        list has no valid date. ``head["claims_refund"]`` (bool) is the seller's choice V12 needs.
    ``check_lists(rows, *, on=None) -> list[list[Problem]]`` — a batch; each row is a head dict with its
        lines under ``"items"``; code lists are read once per export date in the batch.
    ``clean_list(...)`` / ``clean_lists(...)`` → ``Checked(head, items, problems)`` with the typed values
        the models store (what the services save), for callers that check and then save.
    ``check_order(head, items, *, refs=None, on=None)``, ``check_payment(data, *, refs=None, on=None)``,
    ``check_waybill(data, *, refs=None, on=None)``,
    ``check_parcel_report(kind, head, lines, *, refs=None, on=None)`` (kind ``MASTER_BILL`` CEB607,
        ``ARRIVAL`` CEB507, ``DEPARTURE`` CEB509) — and their ``clean_*`` twins.
    ``match_problems(list, order, payment, waybill, *, at=None) -> list[Problem]`` — C1–C7, pure; any of the
        three documents may be ``None`` (each check runs once the documents it compares are present).
    ``match_lists(lists, *, at=None) -> dict[int, Match]`` — by position in ``lists``: the order, payment
        receipt and waybill found (``Match.order`` …, ``Match.complete``) and their ``problems``, in a
        constant number of queries; ``fetch_documents(lists)`` (the queries) and ``match_fetched(lists,
        fetched, *, at=None)`` (the rest, no query) are its two halves, for the bulk path.
"""

from django.core.exceptions import ValidationError

from customs.validation.common import Codes, refs_for
from customs.validation.documents import (
    check_order,
    check_parcel_report,
    check_payment,
    check_waybill,
    clean_cancellation,
    clean_order,
    clean_parcel_report,
    clean_payment,
    clean_waybill,
)
from customs.validation.fields import Bad, Fields, Spec, is_party_code, party_code_problem
from customs.validation.inventory import Checked, check_list, check_lists, clean_list, clean_lists
from customs.validation.matching import Match, fetch_documents, match_fetched, match_lists, match_problems
from customs.validation.problems import (
    ERROR,
    WARNING,
    Problem,
    as_checks,
    check_state,
    error,
    field_label,
    from_checks,
    has_errors,
    warning,
)


def to_validation_error(problems, prefix: str = "") -> ValidationError:
    """The errors of ``problems`` as a Django ``ValidationError`` keyed by field (``prefix`` + field; the
    document itself under ``__all__``), each with its code and its message in the active language."""
    by_field: dict[str, list] = {}
    for problem in problems:
        if not problem.is_error:
            continue
        name = f"{prefix}{problem.field}" if problem.field else (prefix.rstrip(".") or "__all__")
        by_field.setdefault(name, []).append(ValidationError(problem.message(), code=problem.code))
    return ValidationError(by_field)


__all__ = [
    "ERROR",
    "WARNING",
    "Bad",
    "Checked",
    "Codes",
    "Fields",
    "Match",
    "Problem",
    "Spec",
    "as_checks",
    "check_list",
    "check_lists",
    "check_order",
    "check_parcel_report",
    "check_payment",
    "check_state",
    "check_waybill",
    "clean_cancellation",
    "clean_list",
    "clean_lists",
    "clean_order",
    "clean_parcel_report",
    "clean_payment",
    "clean_waybill",
    "error",
    "fetch_documents",
    "field_label",
    "from_checks",
    "has_errors",
    "is_party_code",
    "match_fetched",
    "match_lists",
    "match_problems",
    "party_code_problem",
    "refs_for",
    "to_validation_error",
    "warning",
]
