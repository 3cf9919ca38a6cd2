"""Every write of entity filing. Each service locks the filing, checks the transition table and the actor,
writes the audit event, and leaves messages and notifications to go out after commit."""

from registration.services.attachments import attachment_add, attachment_open, attachment_remove
from registration.services.drafts import (
    filing_change,
    filing_create_draft,
    filing_submit,
    filing_update_draft,
    filing_withdraw,
)
from registration.services.lifecycle import filing_reinstate, filing_release, filing_revoke, filing_suspend
from registration.services.qualifications import qualification_retry
from registration.services.review import (
    comment_add,
    filing_accept,
    filing_approve,
    filing_assign,
    filing_reject_countersign,
    filing_reject_request,
    filing_return,
    reveal_id_number,
)

__all__ = [
    "attachment_add",
    "attachment_open",
    "attachment_remove",
    "comment_add",
    "filing_accept",
    "filing_approve",
    "filing_assign",
    "filing_change",
    "filing_create_draft",
    "filing_reinstate",
    "filing_reject_countersign",
    "filing_reject_request",
    "filing_release",
    "filing_return",
    "filing_revoke",
    "filing_submit",
    "filing_suspend",
    "filing_update_draft",
    "filing_withdraw",
    "qualification_retry",
    "reveal_id_number",
]
