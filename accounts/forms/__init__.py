"""Forms of the account pages (labels and help translatable; errors tied to their inputs)."""

from accounts.forms.decisions import ClaimDecisionForm, ClaimFilterForm, CreditCodeForm
from accounts.forms.signup import SignupForm

__all__ = ["ClaimDecisionForm", "ClaimFilterForm", "CreditCodeForm", "SignupForm"]
