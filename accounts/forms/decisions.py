"""Forms of the commerce bureau's sign-up decisions and of a legacy organisation's credit code."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.accessible import AccessibleForm

CLAIM_SHOW_CHOICES = [
    ("pending", _("Waiting for a decision")),
    ("disputed", _("Every code with more than one sign-up")),
]


class ClaimFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=pgettext_lazy("filter", "Show"), choices=CLAIM_SHOW_CHOICES, required=False
    )
    q = forms.CharField(label=_("Code or name"), max_length=100, required=False)


class ClaimDecisionForm(AccessibleForm):
    reason = forms.CharField(
        label=_("Reason (what was checked, e.g. the business licence and the legal representative)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, claim_pk=None, **kwargs):
        if claim_pk is not None:
            kwargs.setdefault("auto_id", f"id_claim{claim_pk}_%s")
        super().__init__(*args, **kwargs)


class CreditCodeForm(AccessibleForm):
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=24,
        help_text=_("18 characters; characters 9–17 are your organisation code."),
    )
