from django import forms
from django.utils.translation import gettext_lazy as _

from customs.choices import SummaryFlag
from portal.accessible import AccessibleForm


class ReferenceSearchForm(forms.Form):
    """Search a code list: by code prefix or part of a name, as it stood on a day."""

    q = forms.CharField(label=_("Code or name"), required=False, max_length=100)
    on = forms.DateField(
        label=_("Valid on"),
        required=False,
        help_text=_("Leave empty for today; YYYY-MM-DD."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class SummaryPreviewForm(AccessibleForm):
    """Preview one month's summary: which month, and how lists are grouped (DOMAIN §3.9)."""

    month = forms.CharField(
        label=_("Month the lists closed"),
        max_length=7,
        help_text=_("YYYY-MM, for example 2025-02. A month can be summarised once it has ended."),
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    summary_flag = forms.ChoiceField(label=_("Grouping"), choices=SummaryFlag.choices, initial="2")
    item_name_flag = forms.BooleanField(
        label=_("Keep item names apart (for tax refund product names)"), required=False, initial=True
    )
