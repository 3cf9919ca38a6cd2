"""An account's state machines, declared once (``portal.workflow``; ADR 0017, ADR 0026, ADR 0027).

``CLAIM``: who holds an organisation's account; ``VERIFICATION``: whether the bureau verified it. The
workflow names keep their ``registration.`` prefix: they are recorded in audit history.
"""

from django.utils.translation import gettext_lazy as _

from accounts.models import ClaimStatus, VerificationStatus
from portal.workflow import Workflow

# Who holds an organisation's account. A sign-up that found the code taken is PENDING until a supervisor
# reassigns the account to it (the holder's claim is retired) or dismisses it.
CLAIM = Workflow(
    name="registration.claim",
    label=_("sign-up"),
    moves={
        (ClaimStatus.PENDING, "reassign"): ClaimStatus.HOLDER,
        (ClaimStatus.PENDING, "dismiss"): ClaimStatus.DISMISSED,
        (ClaimStatus.HOLDER, "retire"): ClaimStatus.RETIRED,
    },
    verbs={"reassign": _("reassign"), "dismiss": _("dismiss"), "retire": _("retire")},
    states=ClaimStatus,
)
# The bureau verifies an account by approving its first filing or by reassigning it; a take-over after the
# waiting period leaves (or makes) it unverified.
VERIFICATION = Workflow(
    name="registration.verification",
    label=_("account verification"),
    moves={
        (VerificationStatus.UNVERIFIED, "verify"): VerificationStatus.VERIFIED,
        (VerificationStatus.VERIFIED, "verify"): VerificationStatus.VERIFIED,
        (VerificationStatus.UNVERIFIED, "take_over"): VerificationStatus.UNVERIFIED,
    },
    verbs={"verify": _("verify"), "take_over": _("take over")},
    states=VerificationStatus,
)
