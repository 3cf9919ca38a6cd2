"""Registration's state machines, declared once (``portal.workflow``; DOMAIN §1.3, ADR 0010, ADR 0027).

``FILING``: a filing's statuses; ``TASK``: a qualification task's (an account's ``CLAIM`` and
``VERIFICATION`` are in ``accounts.transitions``, ADR 0026). Services apply a move with
``portal.workflow.transition`` (through ``services._common.move`` and ``services.qualifications.task_move``);
anything not listed raises ``TransitionNotAllowed`` (a message on pages, HTTP 409 in the API).
"""

from django.utils.translation import gettext_lazy as _

from portal.workflow import Workflow
from registration.choices import FilingStatus, TaskStatus
from registration.choices import FilingStatus as S
from registration.choices import TaskStatus as T

VERB_LABELS = {
    "submit": _("submit"),
    "resubmit": _("resubmit"),
    "withdraw": _("withdraw"),
    "edit": _("edit"),
    "accept": _("claim"),
    "assign": _("assign"),
    "approve": _("approve"),
    "return": _("return for correction"),
    "reject_request": _("propose rejection"),
    "countersign": _("countersign the rejection"),
    "decline": _("decline the rejection"),
    "activate": _("activate"),
    "suspend": _("suspend"),
    "reinstate": _("reinstate"),
    "revoke": _("revoke"),
    "supersede": _("supersede"),
    "discard": _("discard"),
    "release": _("release the identity"),
    "change": _("file a change"),
    "retry": _("apply again"),
    "upload": _("add attachments"),
}

TRANSITIONS: dict[tuple[str, str], str] = {
    # The applicant.
    (S.DRAFT, "submit"): S.SUBMITTED,
    (S.RETURNED, "submit"): S.SUBMITTED,  # resubmission after correction, nobody reviews it any more
    # Resubmission after correction goes straight back to the reviewer who returned it: no second claim.
    (S.RETURNED, "resubmit"): S.UNDER_REVIEW,
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
    # A supervisor releases a returned filing that the applicant left lying, so that the identity's slot it
    # holds is free for another filing (issue 8: the bureau can clear whatever blocks a filing).
    (S.RETURNED, "release"): S.WITHDRAWN,
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


# Qualification tasks (``QualificationTask.status``). A task is created PENDING (its message written at
# once, or held: an E-Port card waits for the customs code), NOT_APPLIED (optional, not asked for) or DONE
# (carried over from the version a change replaces). Every move below is audited on the filing.
TASK_TRANSITIONS: dict[tuple[str, str], str] = {
    # (Re)send: the applicant applies again, asks for an optional one, or a held task is released.
    (T.NOT_APPLIED, "send"): T.PENDING,
    (T.REJECTED, "send"): T.PENDING,
    (T.FAILED, "send"): T.PENDING,
    (T.PENDING, "send"): T.PENDING,
    # The department's receipts.
    (T.PENDING, "deliver"): T.SENT,  # ACCEPTED: the department has it
    (T.PENDING, "register"): T.DONE,
    (T.SENT, "register"): T.DONE,
    (T.REJECTED, "register"): T.DONE,  # a late success of an earlier attempt still counts
    (T.FAILED, "register"): T.DONE,
    (T.PENDING, "refuse"): T.REJECTED,
    (T.SENT, "refuse"): T.REJECTED,
    (T.REJECTED, "refuse"): T.REJECTED,
    (T.FAILED, "refuse"): T.REJECTED,
    (T.PENDING, "fail"): T.FAILED,
    (T.SENT, "fail"): T.FAILED,
    (T.REJECTED, "fail"): T.FAILED,
    (T.FAILED, "fail"): T.FAILED,
}


FILING = Workflow(
    name="registration.filing",
    label=_("filing"),
    moves=TRANSITIONS,
    verbs=VERB_LABELS,
    changed_at="status_changed_at",
    states=FilingStatus,
)
# A task's moves are audited on its filing (``task_move``); a refusal names the filing's status, as the
# applicant sees it there.
TASK = Workflow(
    name="registration.qualification_task",
    label=_("qualification"),
    moves=TASK_TRANSITIONS,
    verbs={
        "send": VERB_LABELS["retry"],
        "deliver": _("received by the department"),
        "register": _("registered by the department"),
        "refuse": _("refused by the department"),
        "fail": _("not completed"),
    },
    states=TaskStatus,
)
