"""Every write of account holding (ADR 0017, ADR 0026)."""

from accounts.services.claims import claim_dismiss, claim_reassign
from accounts.services.credit_code import credit_code_record
from accounts.services.signup import enterprise_signup

__all__ = ["claim_dismiss", "claim_reassign", "credit_code_record", "enterprise_signup"]
