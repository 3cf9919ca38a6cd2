"""What follows a new password, whichever way it was set: the audit event and the end of every API token."""

from django.db import transaction

from portal.choices import AuditVerb, TokenRevokedBecause
from portal.services.audit import audit
from portal.services.tokens import tokens_revoke_all

REASON_OF = {
    AuditVerb.PASSWORD_CHANGE: TokenRevokedBecause.PASSWORD_CHANGE,
    AuditVerb.PASSWORD_RESET: TokenRevokedBecause.PASSWORD_RESET,
}


@transaction.atomic
def password_changed(*, user, by, verb: AuditVerb) -> int:
    """Record that ``user`` has a new password (``verb``: change or reset) and revoke their API tokens.

    Call it in the transaction that saved the password, so both commit or neither does. ``by`` is the user
    themselves, or None when the system set it (``manage.py changepassword``). Returns how many tokens were
    revoked.
    """
    revoked = tokens_revoke_all(user=user, by=by, reason=REASON_OF[verb])
    audit(verb=verb, actor=by, target=user, payload={"tokens_revoked": [t.prefix for t in revoked]})
    return len(revoked)
