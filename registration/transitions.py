"""The one table of legal filing transitions ``{(from_status, verb): to_status}`` (DOMAIN §1.3, ADR 0010).

Services call ``portal.statemachine.check_transition(TRANSITIONS, current=..., verb=...)`` after locking
the row; anything not listed raises ``TransitionNotAllowed`` (a message on pages, HTTP 409 in the API).
"""

from registration.choices import FilingStatus as S

TRANSITIONS: dict[tuple[str, str], str] = {
    # The applicant.
    (S.DRAFT, "submit"): S.SUBMITTED,
    (S.RETURNED, "submit"): S.SUBMITTED,  # resubmission after correction
    (S.DRAFT, "withdraw"): S.WITHDRAWN,
    (S.RETURNED, "withdraw"): S.WITHDRAWN,
    # The commerce bureau.
    (S.SUBMITTED, "accept"): S.UNDER_REVIEW,  # a reviewer claims it
    (S.SUBMITTED, "assign"): S.UNDER_REVIEW,  # a supervisor hands it to a reviewer
    (S.UNDER_REVIEW, "assign"): S.UNDER_REVIEW,  # reassignment
    (S.UNDER_REVIEW, "approve"): S.APPROVED,
    (S.UNDER_REVIEW, "return"): S.RETURNED,
    (S.UNDER_REVIEW, "reject_request"): S.REJECT_PENDING,
    (S.REJECT_PENDING, "countersign"): S.REJECTED,
    (S.REJECT_PENDING, "decline"): S.UNDER_REVIEW,
    (S.ACTIVE, "suspend"): S.SUSPENDED,
    (S.SUSPENDED, "reinstate"): S.ACTIVE,
    (S.ACTIVE, "revoke"): S.REVOKED,
    (S.SUSPENDED, "revoke"): S.REVOKED,
    # The system.
    (S.APPROVED, "activate"): S.ACTIVE,  # every mandatory qualification is done
    (S.ACTIVE, "supersede"): S.SUPERSEDED,  # a change version became active
    # A change version whose base version was revoked can never take effect.
    (S.DRAFT, "discard"): S.WITHDRAWN,
    (S.RETURNED, "discard"): S.WITHDRAWN,
    (S.SUBMITTED, "discard"): S.WITHDRAWN,
    (S.UNDER_REVIEW, "discard"): S.WITHDRAWN,
    (S.REJECT_PENDING, "discard"): S.WITHDRAWN,
    (S.APPROVED, "discard"): S.WITHDRAWN,
}
